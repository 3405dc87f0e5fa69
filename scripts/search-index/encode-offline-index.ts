/**
 * Pagefind's index (read by pagefind-bundle.ts) → the offline index: its core and parts
 * (src/core/schemas/offline-index.ts), each as the classic script that carries it.
 */
import { OFFLINE_INDEX_FILE, OFFLINE_INDEX_GLOBAL, OFFLINE_PARTS_GLOBAL, pagePartName, partFile, titlePartName, wordPartName } from '#core/offline-index-files.ts';
import { offlineIndex, pagePart, titlePart, wordPart, type OfflineIndex, type PagePart, type TitlePart, type WordPart } from '#core/schemas/offline-index.ts';
import type { BundlePosting, PagefindBundle } from './pagefind-bundle.ts';
import { encodeIntegers } from '#core/vlq.ts';

/**
 * Pages per page-data part: a first query loads the parts of the results it shows (the
 * first 50), so parts are small enough that a few of them stay well below the whole.
 */
export const PAGES_PER_PART = 100;

/**
 * Titles per title part: the ranking reads the titles of a query's first 30 results, which
 * are anywhere in the site, so a first query loads most title parts (20–32 KiB each,
 * 7–8 KiB gzipped) and later ones find them in.
 */
export const TITLES_PER_PART = 1000;

function* postingIntegers(postings: BundlePosting[]): Generator<number> {
  let lastPage = 0;
  for (const { page, locations, metaLocations } of postings) {
    yield page - lastPage;
    lastPage = page;
    // Pagefind's own lists, already compact: markers and position deltas (see the schema).
    yield locations.length;
    yield* locations;
    yield metaLocations.length;
    yield* metaLocations;
  }
}

function encodePageNumbers(pages: number[]): string {
  const sorted = [...pages].sort((a, b) => a - b);
  return encodeIntegers(sorted.map((page, i) => page - (sorted[i - 1] ?? 0)));
}

export interface OfflineIndexParts {
  core: OfflineIndex;
  /** By part name (`w0`, `p0`, …). */
  parts: Map<string, WordPart | PagePart | TitlePart>;
}

/** Each page's filter values, as its result shows them (Pagefind's fragments carry them too). */
function filtersByPage(bundle: PagefindBundle): Record<string, string[]>[] {
  const byPage: Record<string, string[]>[] = bundle.pages.map(() => ({}));
  for (const [name, values] of Object.entries(bundle.filters)) {
    for (const [value, pages] of Object.entries(values)) for (const page of pages) (byPage[page]![name] ??= []).push(value);
  }
  return byPage;
}

/** How the index is split; tests split a few pages into several parts of each kind. */
export interface PartSizes {
  pagesPerPart: number;
  titlesPerPart: number;
}

export function offlineIndexFromBundle(bundle: PagefindBundle, { pagesPerPart, titlesPerPart }: PartSizes = { pagesPerPart: PAGES_PER_PART, titlesPerPart: TITLES_PER_PART }): OfflineIndexParts {
  const parts = new Map<string, WordPart | PagePart | TitlePart>();
  bundle.chunks.forEach(({ words }, chunk) => {
    for (const word of words) if (/\s/.test(word) || word === '') throw new Error(`Pagefind indexed a word with white space: ${JSON.stringify(word)}`);
    parts.set(wordPartName(chunk), wordPart.parse({ words: words.join(' '), postings: words.map((word) => encodeIntegers(postingIntegers(bundle.words.get(word)!))) }));
  });
  const filters = filtersByPage(bundle);
  for (let first = 0; first < bundle.pages.length; first += pagesPerPart) {
    const pages = bundle.pages.slice(first, first + pagesPerPart).map(({ url, title, summary }, i) => ({ url, title, summary, filters: filters[first + i] ?? {} }));
    parts.set(pagePartName(first / pagesPerPart), pagePart.parse({ pages }));
  }
  for (let first = 0; first < bundle.pages.length; first += titlesPerPart) {
    parts.set(titlePartName(first / titlesPerPart), titlePart.parse({ titles: bundle.pages.slice(first, first + titlesPerPart).map(({ title }) => title) }));
  }
  const core = offlineIndex.parse({
    format: 4,
    pagefindVersion: bundle.version,
    pageCount: bundle.pages.length,
    pageWords: encodeIntegers(bundle.pages.map((page) => page.words)),
    pagesPerPart,
    titlesPerPart,
    metaFields: bundle.metaFields,
    chunks: bundle.chunks.map(({ from, to, words }) => [from, to, words.length]),
    filters: Object.fromEntries(
      Object.entries(bundle.filters).map(([name, values]) => [name, Object.fromEntries(Object.entries(values).map(([value, pages]) => [value, encodePageNumbers(pages)]))]),
    ),
  });
  return { core, parts };
}

/**
 * The data as a script expression: JSON in a string, parsed by JSON.parse, which browsers
 * read faster than the same data as an object literal (they scan a string once; a literal
 * goes through the JavaScript parser).
 */
const jsonExpression = (data: unknown) => `JSON.parse(${JSON.stringify(JSON.stringify(data))})`;

/**
 * Every file of the offline index by its path below the site root: the core script, which
 * assigns one global, and a script per part, which adds itself to another under its name.
 */
export function offlineIndexFiles({ core, parts }: OfflineIndexParts): Map<string, string> {
  const files = new Map([[OFFLINE_INDEX_FILE, `globalThis.${OFFLINE_INDEX_GLOBAL}=${jsonExpression(core)};\n`]]);
  for (const [name, part] of parts) files.set(partFile(name), `(globalThis.${OFFLINE_PARTS_GLOBAL}??={})[${JSON.stringify(name)}]=${jsonExpression(part)};\n`);
  return files;
}
