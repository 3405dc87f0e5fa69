/**
 * search.js: all of search in one classic script (scripts/search-index/search-script.ts
 * bundles it after the build), which a page's search form adds when it needs it (loader.ts).
 */
import { attachLiveSearch } from './live.ts';
import { SEARCH_SCRIPT_GLOBAL, type SearchScript } from './loader.ts';
import { searchPage } from './search-page.ts';

const script: SearchScript = { attachLiveSearch, searchPage };
(globalThis as unknown as Record<string, SearchScript>)[SEARCH_SCRIPT_GLOBAL] = script;
