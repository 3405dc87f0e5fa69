/**
 * The search page's two ways to search, behind one interface shaped like Pagefind's:
 * Pagefind when the site is served, and the offline index (loaded by a classic script tag)
 * when the page is read from disk, where browsers refuse Pagefind's module, WebAssembly and
 * fetches, or when Pagefind fails to load. Runs in the browser.
 */
import { OFFLINE_INDEX_FILE, OFFLINE_INDEX_GLOBAL, type OfflineIndex } from '#core/schemas/offline-index.ts';
import { OfflineSearch } from './offline-search.ts';

export interface ResultData {
  url: string;
  meta: Record<string, string | undefined>;
  filters: Record<string, string[] | undefined>;
}

export interface SearchEngine {
  name: 'pagefind' | 'offline';
  /** How long typing must pause before a search runs. */
  debounceMs: number;
  search(query: string | null, options: { filters: Record<string, string> }): Promise<{ results: { data(): Promise<ResultData> }[] }>;
}

interface PagefindModule {
  options(options: { baseUrl: string }): Promise<void>;
  init(): Promise<void>;
  search: SearchEngine['search'];
}

async function pagefindEngine(root: URL): Promise<SearchEngine> {
  // Built by the Pagefind integration after Astro's own bundling: load it at run time.
  const pagefind = (await import(/* @vite-ignore */ new URL('pagefind/pagefind.js', root).href)) as PagefindModule;
  // Result URLs are site paths: prefix the path the site is served under, whatever it is.
  await pagefind.options({ baseUrl: root.pathname });
  await pagefind.init();
  // Each search may fetch index chunks: wait for a pause in typing.
  return { name: 'pagefind', debounceMs: 200, search: (query, options) => pagefind.search(query, options) };
}

function loadScript(url: URL): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url.href;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${url.href}`));
    document.head.append(script);
  });
}

async function offlineEngine(root: URL): Promise<SearchEngine> {
  await loadScript(new URL(OFFLINE_INDEX_FILE, root));
  const index = (globalThis as unknown as Record<string, OfflineIndex | undefined>)[OFFLINE_INDEX_GLOBAL];
  if (!index) throw new Error(`${OFFLINE_INDEX_FILE} loaded but did not set ${OFFLINE_INDEX_GLOBAL}`);
  const offline = new OfflineSearch(index);
  // Read from disk, a directory does not open its index.html: name it.
  const pageUrl = (path: string) => new URL(`${path.slice(1)}${path.endsWith('/') ? 'index.html' : ''}`, root).href;
  return {
    name: 'offline',
    // The whole index is in memory and a search takes milliseconds: answer every keystroke.
    debounceMs: 0,
    search: async (query, { filters }) => ({
      results: offline.search(query, filters).map(({ page }) => ({
        data: async () => {
          const { url, title, summary } = offline.pages[page]!;
          return { url: pageUrl(url), meta: { title, summary }, filters: offline.filtersOf(page) };
        },
      })),
    }),
  };
}

/** Pagefind where it can run; the offline index from disk, or if Pagefind fails to load. */
export async function openSearch(root: URL): Promise<SearchEngine> {
  if (root.protocol === 'file:') return offlineEngine(root);
  try {
    return await pagefindEngine(root);
  } catch (error) {
    console.warn('Pagefind could not load; searching with the offline index instead.', error);
    return offlineEngine(root);
  }
}
