/**
 * The offline search index (dist/search/offline-index.js): Pagefind's own index re-encoded
 * for a page read from disk, where Pagefind cannot fetch its chunks. Built by
 * src/integrations/offline-search.ts, read by src/lib/search/offline-search.ts.
 */
import { z } from 'zod';

/** The global the index script assigns: a classic script tag loads from file://, a fetch does not. */
export const OFFLINE_INDEX_GLOBAL = 'lktOfflineIndex';
/** Beside the search page, which loads it. */
export const OFFLINE_INDEX_FILE = 'search/offline-index.js';

export const offlineIndex = z.object({
  format: z.literal(1),
  /** The Pagefind version whose index this re-encodes: both must rank alike. */
  pagefindVersion: z.string(),
  /** Pages in Pagefind's order (its tie-break and its order for filter-only searches). */
  pages: z.array(
    z.object({
      /** Site path without the base: `/sysctl/vm/swappiness/`. */
      url: z.string().startsWith('/'),
      title: z.string(),
      summary: z.string(),
      /** Words in the indexed text (BM25's document length). */
      words: z.number().int().nonnegative(),
    }),
  ),
  /** Pagefind's meta fields in its order: a meta location names one by index. */
  metaFields: z.array(z.string()),
  /**
   * Pagefind's index chunks in word order: [first, last, word count]. Pagefind's search only
   * sees the words of the chunks it has loaded for the terms typed so far; the offline search
   * does the same, so that both find the same pages.
   */
  chunks: z.array(z.tuple([z.string(), z.string(), z.number().int().nonnegative()])),
  /** Filter name → value → page numbers, VLQ-encoded deltas (src/core/vlq.ts). */
  filters: z.record(z.string(), z.record(z.string(), z.string())),
  /** Every indexed word (stemmed, lower case), chunk by chunk, separated by single spaces. */
  words: z.string(),
  /**
   * One VLQ string per word, in `words` order. For each page holding the word: page number
   * delta, then the count and the items of its body locations, then the count and items of
   * its meta locations, both as Pagefind stores them: a negative item −(w+1) sets the weight
   * (in 24ths), or names the meta field, of the locations after it, which are deltas that
   * restart from 0 at each negative item.
   */
  postings: z.array(z.string()),
});

export type OfflineIndex = z.infer<typeof offlineIndex>;
