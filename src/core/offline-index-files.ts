/**
 * Where the offline search index's files are (src/core/schemas/offline-index.ts says what
 * they hold) and the globals their scripts assign. Apart from the schemas so that the
 * scripts that load the index in the browser bundle no zod.
 */

/** The global the core script assigns. */
export const OFFLINE_INDEX_GLOBAL = 'lktOfflineIndex';
/** The global each part script adds itself to, under its name (`w12`, `p3`). */
export const OFFLINE_PARTS_GLOBAL = 'lktOfflineParts';
/** Beside the search page, which loads it. */
export const OFFLINE_INDEX_FILE = 'search/offline-index.js';

/** A part's name: `w<chunk>` for a word chunk, `p<block>` for page data, `t<block>` for titles. */
export const wordPartName = (chunk: number) => `w${chunk}`;
export const pagePartName = (block: number) => `p${block}`;
export const titlePartName = (block: number) => `t${block}`;

/** Where a part is, relative to the site root. */
export const partFile = (name: string) => `search/offline/${name}.js`;
