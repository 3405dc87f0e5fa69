/** The offline index in tests: its parts as the search page gets them, from memory or from a built site's files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { OFFLINE_INDEX_FILE, OFFLINE_INDEX_GLOBAL, OFFLINE_PARTS_GLOBAL, partFile } from '#core/offline-index-files.ts';
import { offlineIndex, pagePart, type OfflineIndex, type PageData } from '#core/schemas/offline-index.ts';
import type { OfflineIndexParts } from '../../scripts/search-index/encode-offline-index.ts';
import type { PartLoader } from '../../src/lib/search/offline-search.ts';

/** Parts straight from the encoder. */
export function memoryLoader({ parts }: OfflineIndexParts): PartLoader {
  return async (name) => {
    const part = parts.get(name);
    if (!part) throw new Error(`no offline index part ${name}`);
    return part;
  };
}

/**
 * A built site's offline index, each script run as the browser runs it (in one context, as
 * one page's globals), parts loaded on demand; `loaded` lists the parts a search asked for.
 */
export function fileIndex(dist: string): { core: OfflineIndex; load: PartLoader; loaded: string[] } {
  const context: Record<string, unknown> = {};
  runInNewContext(readFileSync(join(dist, OFFLINE_INDEX_FILE), 'utf8'), context);
  // The schema parse also copies the other realm's objects into this one.
  const core = offlineIndex.parse(context[OFFLINE_INDEX_GLOBAL]);
  const loaded: string[] = [];
  const load: PartLoader = async (name) => {
    loaded.push(name);
    runInNewContext(readFileSync(join(dist, partFile(name)), 'utf8'), context);
    return structuredClone((context[OFFLINE_PARTS_GLOBAL] as Record<string, unknown>)[name]);
  };
  return { core, load, loaded };
}

/** Every page's data in page order, from the page parts. */
export function pagesOf({ parts }: OfflineIndexParts): PageData[] {
  return [...parts].filter(([name]) => name.startsWith('p')).sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1))).flatMap(([, part]) => pagePart.parse(part).pages);
}
