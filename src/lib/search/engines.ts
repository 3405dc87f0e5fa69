/**
 * The search page's two ways to search, behind one interface shaped like Pagefind's:
 * Pagefind when the site is served, and the offline index (loaded by a classic script tag)
 * when the page is read from disk, where browsers refuse Pagefind's module, WebAssembly and
 * fetches, or when Pagefind fails to load. Runs in the browser.
 */
import { OFFLINE_INDEX_FILE, OFFLINE_INDEX_GLOBAL, OFFLINE_PARTS_GLOBAL, nameKey, partFile, type OfflineIndex } from '#core/schemas/offline-index.ts';
import { OfflineSearch } from './offline-search.ts';

export interface ResultData {
  url: string;
  meta: Record<string, string | undefined>;
  filters: Record<string, string[] | undefined>;
}

export interface SearchResult {
  data(): Promise<ResultData>;
  /**
   * Whether this result's title is the query, where the engine knows without loading the
   * result's data: the offline index's title parts tell, so name-first loads no page data.
   * Pagefind's results leave it out, and name-first loads their data to look.
   */
  namedAsQuery?: boolean;
}

export interface SearchEngine {
  name: 'pagefind' | 'offline';
  /** How long typing must pause before a search runs. */
  debounceMs: number;
  search(query: string | null, options: { filters: Record<string, string> }): Promise<{ results: SearchResult[] }>;
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

/** A part of the offline index, loaded by its script tag (each adds itself to one global). */
async function loadPart(root: URL, name: string): Promise<unknown> {
  const parts = () => (globalThis as unknown as Record<string, Record<string, unknown> | undefined>)[OFFLINE_PARTS_GLOBAL];
  if (parts()?.[name] === undefined) await loadScript(new URL(partFile(name), root));
  const part = parts()?.[name];
  if (part === undefined) throw new Error(`${partFile(name)} loaded but did not add part ${name}`);
  return part;
}

async function offlineEngine(root: URL): Promise<SearchEngine> {
  await loadScript(new URL(OFFLINE_INDEX_FILE, root));
  const index = (globalThis as unknown as Record<string, OfflineIndex | undefined>)[OFFLINE_INDEX_GLOBAL];
  if (!index) throw new Error(`${OFFLINE_INDEX_FILE} loaded but did not set ${OFFLINE_INDEX_GLOBAL}`);
  const offline = new OfflineSearch(index, (name) => loadPart(root, name));
  // Read from disk, a directory does not open its index.html: name it.
  const pageUrl = (path: string) => new URL(`${path.slice(1)}${path.endsWith('/') ? 'index.html' : ''}`, root).href;
  return {
    name: 'offline',
    // The core is in memory and the parts a query needs load in milliseconds: answer every keystroke.
    debounceMs: 0,
    search: async (query, { filters }) => {
      // Both at once: the title part is small and loads beside the word chunks.
      const [found, named] = await Promise.all([offline.search(query, filters), offline.pagesNamed(query ?? '')]);
      return {
        results: found.map(({ page }) => ({
          namedAsQuery: named.includes(page),
          data: async () => {
            const { url, title, summary, filters } = await offline.page(page);
            return { url: pageUrl(url), meta: { title, summary }, filters };
          },
        })),
      };
    },
  };
}

/** Results the search page shows at first, and per "Show more results". */
export const RESULTS_PER_PAGE = 50;

/**
 * How many of the best results are looked at for one named exactly as the query: enough to
 * reach past pages that only mention the name (`i915.mitigations` for `mitigations`),
 * few enough that a search loads no more result data than its first page shows anyway.
 */
export const NAME_FIRST_WINDOW = 30;

/**
 * Puts the result whose name is the query itself first: a reader who types a tunable's
 * name wants its page, however many longer pages mention it more often. BM25, the
 * ranking of both engines, knows nothing of names: this is the one rule added to it.
 */
export async function nameFirst(results: SearchResult[], query: string | null): Promise<SearchResult[]> {
  const wanted = nameKey(query ?? '');
  if (!wanted) return results;
  const window = results.slice(0, NAME_FIRST_WINDOW);
  // Where the engine knows, no result's data is loaded to look: from disk, each load may be a part of the index.
  const named = await Promise.all(window.map(async (result) => result.namedAsQuery ?? nameKey((await result.data()).meta.title ?? '') === wanted));
  const exact = named.indexOf(true);
  if (exact <= 0) return results;
  return [results[exact]!, ...results.slice(0, exact), ...results.slice(exact + 1)];
}

/** A result whose data loads once, however often it is asked for: name-first and the result list both ask. */
function loadingOnce(result: SearchResult): SearchResult {
  let data: ReturnType<SearchResult['data']> | undefined;
  return { ...result, data: () => (data ??= result.data()) };
}

function withNameFirst(engine: SearchEngine): SearchEngine {
  return { ...engine, search: async (query, options) => ({ results: await nameFirst((await engine.search(query, options)).results.map(loadingOnce), query) }) };
}

/** Pagefind where it can run; the offline index from disk, or if Pagefind fails to load. */
export async function openSearch(root: URL): Promise<SearchEngine> {
  if (root.protocol === 'file:') return withNameFirst(await offlineEngine(root));
  try {
    return withNameFirst(await pagefindEngine(root));
  } catch (error) {
    console.warn('Pagefind could not load; searching with the offline index instead.', error);
    return withNameFirst(await offlineEngine(root));
  }
}
