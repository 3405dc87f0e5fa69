/**
 * The one script of search that every page with a search box carries (SearchForm inlines
 * it, so it stays a few hundred bytes). Search itself — the engines, results as you type,
 * the search page's list — is one classic script, `search/search.js` (script.ts, bundled
 * after the build by scripts/search-index/search-script.ts), which this adds to the page:
 * on the search page at once, elsewhere the first time a reader reaches for a box
 * (pointer, focus, typing). Without JavaScript, or until then, a box is a form that
 * submits to the search page.
 *
 * A classic script, not Astro's bundled modules: a page read from disk runs no module it
 * has to fetch, and Astro inlines a page's module only while it imports nothing, which
 * the first module two pages' scripts share (a chunk) ends.
 */

/** Relative to the site root. */
export const SEARCH_SCRIPT_FILE = 'search/search.js';
/** The global search.js assigns. */
export const SEARCH_SCRIPT_GLOBAL = 'lktSearch';

/** What search.js gives. */
export interface SearchScript {
  /** Results as you type below a box. */
  attachLiveSearch(form: HTMLFormElement, root: URL): void;
  /** The search page's results, filters and address. */
  searchPage(form: HTMLFormElement, root: URL): Promise<void>;
}

/** How a search form shows results with JavaScript: below it as the reader types, or as the search page's list. */
export type SearchFormMode = 'live' | 'page';

let loading: Promise<SearchScript> | undefined;

function loadSearchScript(root: URL): Promise<SearchScript> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL(SEARCH_SCRIPT_FILE, root).href;
    script.onload = () => resolve((globalThis as unknown as Record<string, SearchScript>)[SEARCH_SCRIPT_GLOBAL]!);
    script.onerror = () => {
      // The next reach for a box tries again.
      loading = undefined;
      reject(new Error(`could not load ${script.src}`));
    };
    document.head.append(script);
  });
  return loading;
}

/** Arms each search form of the page (`data-search`, SearchForm). */
export function armSearchForms(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-search]')) {
    // Every form submits to <root>/search/: its address names the site's root, wherever the site is read from.
    const root = new URL('../', form.action);
    if ((form.dataset.search as SearchFormMode) === 'page') {
      loadSearchScript(root)
        .then((search) => search.searchPage(form, root))
        .catch((error: unknown) => {
          // The page's status (`data-status`) says so; its noscript text says where else to go.
          const status = document.getElementById(form.dataset.status ?? '');
          if (status) status.textContent = 'Search could not load. Browse the tunables by kind and subsystem instead (Browse, at the top).';
          console.error(error);
        });
      continue;
    }
    const start = () =>
      loadSearchScript(root).then(
        (search) => search.attachLiveSearch(form, root),
        (error: unknown) => console.warn('Results as you type could not load; the search box still submits.', error),
      );
    for (const event of ['pointerenter', 'focusin', 'input']) form.addEventListener(event, start, { once: true });
  }
}
