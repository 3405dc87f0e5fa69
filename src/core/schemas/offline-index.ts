/**
 * The offline search index (dist/search/): Pagefind's own index re-encoded for a page read
 * from disk, where Pagefind cannot fetch its chunks. Split like Pagefind's: a small core the
 * search page loads first, then one part per Pagefind word chunk, loaded when a query needs
 * its words, parts of page data (address, title, summary, filters) loaded when results show
 * them, and parts of titles alone, which the ranking reads for its first results
 * (src/core/search-names.ts) without loading their page data.
 * Every file is a classic script (a script tag loads from file://; a fetch does not).
 * Written by scripts/search-index/encode-offline-index.ts, read by src/lib/search/offline-search.ts;
 * its files and their names are in src/core/offline-index-files.ts.
 */
import { z } from 'zod';

export const offlineIndex = z.object({
  format: z.literal(4),
  /** The Pagefind version whose index this re-encodes: both must rank alike. */
  pagefindVersion: z.string(),
  /** Pages are numbered in Pagefind's order (its tie-break and its order for filter-only searches). */
  pageCount: z.number().int().nonnegative(),
  /** Each page's indexed word count (BM25's document length), VLQ-encoded (src/core/vlq.ts). */
  pageWords: z.string(),
  /** Pages per page-data part: page n is in part `p${Math.floor(n / pagesPerPart)}`. */
  pagesPerPart: z.number().int().positive(),
  /** Titles per title part: page n's title is in part `t${Math.floor(n / titlesPerPart)}`. */
  titlesPerPart: z.number().int().positive(),
  /** Pagefind's meta fields in its order: a meta location names one by index. */
  metaFields: z.array(z.string()),
  /**
   * Pagefind's index chunks in word order: [first, last, word count]. Pagefind's search only
   * sees the words of the chunks it has loaded for the terms typed so far; the offline search
   * loads the same chunks (as parts `w<n>`), so that both find the same pages.
   */
  chunks: z.array(z.tuple([z.string(), z.string(), z.number().int().nonnegative()])),
  /** Filter name → value → page numbers, VLQ-encoded deltas. */
  filters: z.record(z.string(), z.record(z.string(), z.string())),
});
export type OfflineIndex = z.infer<typeof offlineIndex>;

/** One word chunk. */
export const wordPart = z.object({
  /** Its words (stemmed, lower case) in order, separated by single spaces. */
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
export type WordPart = z.infer<typeof wordPart>;

export const pageData = z.object({
  /** Site path without the base: `/sysctl/vm/swappiness/`. */
  url: z.string().startsWith('/'),
  title: z.string(),
  summary: z.string(),
  /** The page's filter values by filter name (only the filters it has), as its result shows them. */
  filters: z.record(z.string(), z.array(z.string())),
});
export type PageData = z.infer<typeof pageData>;

/** The titles of `titlesPerPart` pages in page order: all the ranking reads of a result. */
export const titlePart = z.object({ titles: z.array(z.string()) });
export type TitlePart = z.infer<typeof titlePart>;

/** Data of `pagesPerPart` pages in page order. */
export const pagePart = z.object({ pages: z.array(pageData) });
export type PagePart = z.infer<typeof pagePart>;
