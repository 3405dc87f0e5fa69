/** Pagefind's index (read by pagefind-bundle.ts) → the offline index and the script that carries it. */
import { OFFLINE_INDEX_GLOBAL, offlineIndex, type OfflineIndex } from '#core/schemas/offline-index.ts';
import type { BundlePosting, PagefindBundle } from './pagefind-bundle.ts';
import { encodeIntegers } from '#core/vlq.ts';

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

export function offlineIndexFromBundle(bundle: PagefindBundle): OfflineIndex {
  // Chunk by chunk: a chunk is then a range of word numbers.
  const words = bundle.chunks.flatMap((chunk) => chunk.words);
  for (const word of words) if (/\s/.test(word) || word === '') throw new Error(`Pagefind indexed a word with white space: ${JSON.stringify(word)}`);
  return offlineIndex.parse({
    format: 1,
    pagefindVersion: bundle.version,
    pages: bundle.pages,
    metaFields: bundle.metaFields,
    chunks: bundle.chunks.map(({ from, to, words: chunkWords }) => [from, to, chunkWords.length]),
    filters: Object.fromEntries(
      Object.entries(bundle.filters).map(([name, values]) => [name, Object.fromEntries(Object.entries(values).map(([value, pages]) => [value, encodePageNumbers(pages)]))]),
    ),
    words: words.join(' '),
    postings: words.map((word) => encodeIntegers(postingIntegers(bundle.words.get(word)!))),
  });
}

/** A classic script (loadable from file://, unlike fetch or modules) that hands the index to the search page. */
export function offlineIndexScript(index: OfflineIndex): string {
  return `globalThis.${OFFLINE_INDEX_GLOBAL}=${JSON.stringify(index)};\n`;
}
