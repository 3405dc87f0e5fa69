/**
 * The search-index stage: after `astro build`, Pagefind indexes the built pages
 * (dist/pagefind/) and the offline index is written from the very index Pagefind wrote
 * (dist/search/offline-index.js and its parts in dist/search/offline/), so both search
 * paths hold the same words.
 *
 * A stage of its own, not an Astro integration: Astro's process keeps about 1 GiB of build
 * state until it exits, and Pagefind needs as much again for 8,800 pages. Run one after
 * the other, the two never add up (`npm run bench` measures the peak). `npm run build`
 * runs both; cli.ts is the thin CLI.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as pagefindApi from 'pagefind';
import { OFFLINE_INDEX_FILE, partFile } from '#core/schemas/offline-index.ts';
import { StageError } from '../lib/stage.ts';
import { offlineIndexFiles, offlineIndexFromBundle } from './encode-offline-index.ts';
import { readPagefindBundle } from './pagefind-bundle.ts';

export interface SearchIndexOptions {
  /** The built site (default `dist`). */
  dist?: string;
  /** A line of progress, as each step ends. */
  onProgress?: (line: string) => void;
}

export interface SearchIndexReport {
  dist: string;
  /** HTML files Pagefind read, and the pages it indexed (the tunable pages: `data-pagefind-body`). */
  htmlFiles: number;
  indexedPages: number;
  /** The offline index: its words, its files and their size, raw and gzipped. */
  offlineWords: number;
  offlineFiles: number;
  offlineBytes: number;
  offlineGzipBytes: number;
  /** The core alone, which the search page loads before any query, gzipped. */
  offlineCoreGzipBytes: number;
}

export const SEARCH_INDEX_DEFAULTS = { dist: 'dist' } as const;

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** Runs Pagefind's index over `site` into `bundle`; returns the HTML files read. */
async function pagefindIndex(site: string, bundle: string): Promise<number> {
  try {
    const { index, errors: createErrors } = await pagefindApi.createIndex();
    if (!index) throw new StageError(`pagefind could not create an index: ${createErrors.join('; ')}`);
    const { errors: addErrors, page_count: htmlFiles } = await index.addDirectory({ path: site });
    if (addErrors.length > 0) throw new StageError(`pagefind failed to index ${site}: ${addErrors.join('; ')}`);
    const { errors: writeErrors } = await index.writeFiles({ outputPath: bundle });
    if (writeErrors.length > 0) throw new StageError(`pagefind failed to write its index: ${writeErrors.join('; ')}`);
    return htmlFiles;
  } finally {
    // The API runs the pagefind binary as a service: stop it so this process can exit.
    await pagefindApi.close();
  }
}

export async function run(options: SearchIndexOptions = {}): Promise<SearchIndexReport> {
  const dist = resolve(options.dist ?? SEARCH_INDEX_DEFAULTS.dist);
  const progress = options.onProgress ?? (() => {});
  if (!existsSync(join(dist, 'index.html'))) throw new StageError(`no built site in ${dist}: run \`npm run build\` (or \`npx astro build\` first)`);

  const bundle = join(dist, 'pagefind');
  const htmlFiles = await pagefindIndex(dist, bundle);
  const pagefind = await readPagefindBundle(bundle);
  progress(`pagefind: indexed ${pagefind.pages.length} pages (of ${htmlFiles} HTML files) into ${bundle}`);

  const index = offlineIndexFromBundle(pagefind);
  const files = offlineIndexFiles(index);
  // Parts of an earlier build must not linger beside this one's.
  await rm(join(dist, dirname(partFile('w0'))), { recursive: true, force: true });
  for (const [file, script] of files) {
    await mkdir(dirname(join(dist, file)), { recursive: true });
    await writeFile(join(dist, file), script);
  }
  const scripts = [...files.values()];
  const report = {
    dist,
    htmlFiles,
    indexedPages: pagefind.pages.length,
    offlineWords: index.core.chunks.reduce((sum, [, , words]) => sum + words, 0),
    offlineFiles: files.size,
    offlineBytes: scripts.reduce((sum, script) => sum + Buffer.byteLength(script), 0),
    offlineGzipBytes: scripts.reduce((sum, script) => sum + gzipSync(script).length, 0),
    offlineCoreGzipBytes: gzipSync(files.get(OFFLINE_INDEX_FILE)!).length,
  };
  progress(
    `offline index: ${report.indexedPages} pages, ${report.offlineWords} words in ${report.offlineFiles} files, ${kib(report.offlineBytes)} (${kib(report.offlineGzipBytes)} gzipped; the core loaded first ${kib(report.offlineCoreGzipBytes)}) → ${join(dist, OFFLINE_INDEX_FILE)} and its parts`,
  );
  return report;
}
