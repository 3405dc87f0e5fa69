/**
 * The offline search index (dist/search/): Pagefind's own index re-encoded for a page read
 * from disk, where Pagefind cannot fetch its chunks. Split like Pagefind's: a small core the
 * search page loads first, then one part per Pagefind word chunk, loaded when a query needs
 * its words, parts of page data (address, title, summary, filters) loaded when results show them, and
 * parts of titles, which say which pages are named exactly as a query.
 * Every file is a classic script (a script tag loads from file://; a fetch does not).
 * Written by scripts/search-index/encode-offline-index.ts, read by src/lib/search/offline-search.ts.
 */
import { z } from 'zod';

/** The global the core script assigns. */
export const OFFLINE_INDEX_GLOBAL = 'lktOfflineIndex';
/** The global each part script adds itself to, under its name (`w12`, `p3`). */
export const OFFLINE_PARTS_GLOBAL = 'lktOfflineParts';
/** Beside the search page, which loads it. */
export const OFFLINE_INDEX_FILE = 'search/offline-index.js';

/** A part's name: `w<chunk>` for a word chunk, `p<block>` for page data, `t<bucket>` for titles. */
export const wordPartName = (chunk: number) => `w${chunk}`;
export const pagePartName = (block: number) => `p${block}`;
export const titlePartName = (bucket: number) => `t${bucket}`;

/** A title or a query as name-first compares them: trimmed, lower case. */
export const nameKey = (text: string) => text.trim().toLowerCase();

/**
 * The title part holding a name: FNV-1a of its key's UTF-16 code units, modulo the count.
 * Written by the index encoder in Node and read by the search page: both must hash alike.
 */
export function titleBucket(name: string, buckets: number): number {
  const key = nameKey(name);
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return hash % buckets;
}
/** Where a part is, relative to the site root. */
export const partFile = (name: string) => `search/offline/${name}.js`;

export const offlineIndex = z.object({
  format: z.literal(3),
  /** The Pagefind version whose index this re-encodes: both must rank alike. */
  pagefindVersion: z.string(),
  /** Pages are numbered in Pagefind's order (its tie-break and its order for filter-only searches). */
  pageCount: z.number().int().nonnegative(),
  /** Each page's indexed word count (BM25's document length), VLQ-encoded (src/core/vlq.ts). */
  pageWords: z.string(),
  /** Pages per page-data part: page n is in part `p${Math.floor(n / pagesPerPart)}`. */
  pagesPerPart: z.number().int().positive(),
  /** Title parts: the pages named `name` are in part `t${titleBucket(name, titleParts)}`. */
  titleParts: z.number().int().positive(),
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

/**
 * The titles of one bucket: name key → the pages with that title. Name-first asks one part
 * which results are named as the query, instead of loading the page data of every result.
 */
export const titlePart = z.object({ titles: z.record(z.string(), z.array(z.number().int().nonnegative())) });
export type TitlePart = z.infer<typeof titlePart>;

/** Data of `pagesPerPart` pages in page order. */
export const pagePart = z.object({ pages: z.array(pageData) });
export type PagePart = z.infer<typeof pagePart>;
