/**
 * Search's two engines, behind one interface shaped like Pagefind's:
 * Pagefind when the site is served, and the offline index (loaded by a classic script tag)
 * when the page is read from disk, where browsers refuse Pagefind's module, WebAssembly and
 * fetches, or when Pagefind fails to load. Runs in the browser.
 */
import { OFFLINE_INDEX_FILE, OFFLINE_INDEX_GLOBAL, OFFLINE_PARTS_GLOBAL, partFile } from '#core/offline-index-files.ts';
import type { OfflineIndex } from '#core/schemas/offline-index.ts';
import { compareText } from '#core/kernels.ts';
import { DOCUMENTED_FILTER, NAME_TIERS, nameTier, queryAsName } from '#core/search-names.ts';
import { OfflineSearch } from './offline-search.ts';

export interface ResultData {
  url: string;
  meta: Record<string, string | undefined>;
  filters: Record<string, string[] | undefined>;
}

/** What the ranking reads of each of the first results. */
export interface RankedData {
  title: string;
  /** Whether the kernel documents the tunable (DOCUMENTED_FILTER). */
  documented: boolean;
}

export interface SearchResult {
  /** The engine's BM25 score (both engines score alike: offline-search.ts). */
  score: number;
  data(): Promise<ResultData>;
  /** The offline index has parts of titles alone (and the filters in its core); Pagefind's results load their data. */
  ranked(): Promise<RankedData>;
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
  search(query: string | null, options: { filters: Record<string, string> }): Promise<{ results: { score: number; data(): Promise<ResultData> }[] }>;
}

async function pagefindEngine(root: URL): Promise<SearchEngine> {
  // Built by the Pagefind integration after Astro's own bundling: load it at run time.
  const pagefind = (await import(/* @vite-ignore */ new URL('pagefind/pagefind.js', root).href)) as PagefindModule;
  // Result URLs are site paths: prefix the path the site is served under, whatever it is.
  await pagefind.options({ baseUrl: root.pathname });
  await pagefind.init();
  // Each search may fetch index chunks: wait for a pause in typing.
  return {
    name: 'pagefind',
    debounceMs: 200,
    search: async (query, options) => ({
      results: (await pagefind.search(query, options)).results.map((result) => {
        const data = loadingOnce(() => result.data());
        return { score: result.score, data, ranked: async () => rankedData(await data()) };
      }),
    }),
  };
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
    search: async (query, { filters }) => ({
      results: (await offline.search(query, filters)).map(({ page, score }) => ({
        score,
        ranked: async () => ({ title: await offline.title(page), documented: offline.hasFilter(page, DOCUMENTED_FILTER, 'yes') }),
        data: async () => {
          const { url, title, summary, filters } = await offline.page(page);
          return { url: pageUrl(url), meta: { title, summary }, filters };
        },
      })),
    }),
  };
}

/**
 * How many of the best results are ranked by how closely they name the query: enough to
 * reach past pages that only mention the name (`i915.mitigations` for `mitigations`), few
 * enough that Pagefind loads no more result data than the search page shows anyway (50).
 */
export const NAME_WINDOW = 30;

function rankedData({ meta, filters }: ResultData): RankedData {
  return { title: meta.title ?? '', documented: filters[DOCUMENTED_FILTER]?.includes('yes') ?? false };
}

/**
 * The first results in the order of how closely each names the query (src/core/search-names.ts),
 * within a tier a tunable the kernel documents first, then BM25's order; the results after
 * them as BM25 has them. Also says whether a first result is named by the query outright,
 * its whole name or the end of it.
 */
/** A BM25 score's step on a scale of 10% steps: scores within the same step count as equal. */
const scoreStep = (score: number) => (score > 0 ? Math.floor(Math.log(score) / Math.log(1.1)) : -Infinity);

export async function rankByName(results: SearchResult[], query: string): Promise<{ results: SearchResult[]; named: boolean }> {
  const window = results.slice(0, NAME_WINDOW);
  const ranked = await Promise.all(
    window.map(async (result) => {
      const { title, documented } = await result.ranked();
      return { result, title, tier: nameTier(query, title), documented };
    }),
  );
  // Then BM25's order in steps of 10%: the offline engine's scores follow Pagefind's within a
  // few percent (THP's boot parameter and its sysfs file on "transparent": 51.9 and 54.0
  // offline, the other way round in Pagefind), so nearer scores would rank differently on
  // the two search paths, which must agree; within a step, by name.
  ranked.sort((a, b) => a.tier - b.tier || Number(b.documented) - Number(a.documented) || scoreStep(b.result.score) - scoreStep(a.result.score) || compareText(a.title, b.title));
  const named = ranked.some(({ tier }) => tier <= NAME_TIERS.trailing);
  return { results: [...ranked.map(({ result }) => result), ...results.slice(NAME_WINDOW)], named };
}

/** A loader called once, however often it is asked for: the ranking and the result list both ask. */
function loadingOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/**
 * The engine's search, ranked by name. A query that is a name with an instance in it
 * (`net.ipv4.conf.eth0.rp_filter`, `/sys/block/sda/queue/scheduler`) is one word to BM25
 * that no page holds, since pages name the placeholder (`<interface>`): when no first
 * result is named by it, the search runs again for its last component, whose pages the
 * ranking then matches against the whole name.
 */
export function rankedByName(engine: SearchEngine): SearchEngine {
  const ranked = async (query: string, searched: string, options: { filters: Record<string, string> }) => rankByName((await engine.search(searched, options)).results, query);
  return {
    ...engine,
    search: async (query, options) => {
      if (query === null || query.trim() === '') return engine.search(query, options);
      const first = await ranked(query, query, options);
      const components = queryAsName(query) ?? [];
      if (first.named || components.length < 2) return { results: first.results };
      const again = await ranked(query, components.at(-1)!, options);
      return { results: again.named ? again.results : first.results };
    },
  };
}

/** Pagefind where it can run; the offline index from disk, or if Pagefind fails to load. */
export async function openSearch(root: URL): Promise<SearchEngine> {
  if (root.protocol === 'file:') return rankedByName(await offlineEngine(root));
  try {
    return rankedByName(await pagefindEngine(root));
  } catch (error) {
    console.warn('Pagefind could not load; searching with the offline index instead.', error);
    return rankedByName(await offlineEngine(root));
  }
}
