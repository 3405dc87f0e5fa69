/**
 * The search-index stage: after `astro build`, Pagefind indexes the built pages
 * (dist/pagefind/) and the offline index is written from the very index Pagefind wrote
 * (dist/search/offline-index.js and its parts in dist/search/offline/), so both search
 * paths hold the same words; then search itself, one script (dist/search/search.js,
 * search-script.ts) that opens either.
 *
 * A stage of its own, not an Astro integration: Astro's process keeps about 1 GiB of build
 * state until it exits, and Pagefind needs as much again for 8,800 pages. Run one after
 * the other, the two never add up (`npm run bench` measures the peak). `npm run build`
 * runs both; cli.ts is the thin CLI.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as pagefindApi from 'pagefind';
import { OFFLINE_INDEX_FILE, partFile } from '#core/offline-index-files.ts';
import { StageError } from '../lib/stage.ts';
import { offlineIndexFiles, offlineIndexFromBundle } from './encode-offline-index.ts';
import { searchScript } from './search-script.ts';
import { SEARCH_SCRIPT_FILE } from '../../src/lib/search/loader.ts';
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
  /** search/search.js, gzipped: a page's search form loads it when a reader reaches for the box (the search page at once). */
  searchScriptGzipBytes: number;
}

export const SEARCH_INDEX_DEFAULTS = { dist: 'dist' } as const;

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/**
 * Elements a browser shows apart (block, table-cell and list boxes) whose text Pagefind runs
 * into the next element's text: its parser ends a "sentence" only at h1–h6, p, td, div, ul,
 * li, article and section (SENTENCE_SELECTORS in pagefind/src/fossick/parser.rs), so
 * `<th>Type</th><td>integer</td>` indexed the word `typeinteger`, and a table's head
 * `KernelDefaultMode`. The copy of each page Pagefind reads gets a space after them.
 */
const BLOCKS_PAGEFIND_JOINS = ['address', 'aside', 'blockquote', 'caption', 'dd', 'details', 'dl', 'dt', 'figcaption', 'figure', 'ol', 'pre', 'summary', 'table', 'tbody', 'tfoot', 'th', 'thead', 'tr'];
const BLOCK_END = new RegExp(`</(?:${BLOCKS_PAGEFIND_JOINS.join('|')})>`, 'gi');

/**
 * The page as Pagefind should read it: a space after each block it would join to the next.
 * Only Pagefind's copy changes; the page served is the one Astro wrote. (A `</th>` inside an
 * attribute or a script would get a space too: tunable pages have no scripts, and Astro
 * escapes `<` in the text it writes.)
 */
export function separateBlocks(html: string): string {
  return html.replace(BLOCK_END, '$& ');
}

async function htmlFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.html')).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Copies the pages Pagefind indexes, as it should read them (`separateBlocks`), into `copy`
 * at the same paths, so that Pagefind makes the same URLs of them. Files are read a batch
 * at a time. Returns the HTML files of the site.
 */
async function copyForPagefind(site: string, copy: string): Promise<number> {
  const files = await htmlFilesUnder(site);
  const BATCH = 64;
  for (let first = 0; first < files.length; first += BATCH) {
    await Promise.all(
      files.slice(first, first + BATCH).map(async (file) => {
        const html = await readFile(file, 'utf8');
        // Pagefind would read the others only to drop them: once a page has data-pagefind-body, it indexes only those.
        if (!html.includes('data-pagefind-body')) return;
        const target = join(copy, relative(site, file));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, separateBlocks(html));
      }),
    );
  }
  return files.length;
}

/**
 * Runs Pagefind's index over `site` into `bundle`; returns the HTML files read. Pagefind
 * reads a copy of the pages, made in a temporary folder, as a folder, the way it read the
 * site itself: it reads the files in parallel, and makes their URLs from their paths.
 * (Handing it each page through its service, addHTMLFile, sends every page base64-encoded
 * down a pipe; on a loaded machine the whole stage took as long either way: 2 min.)
 */
async function pagefindIndex(site: string, bundle: string): Promise<number> {
  const copy = await mkdtemp(join(tmpdir(), 'lkt-pagefind-pages-'));
  try {
    const htmlFiles = await copyForPagefind(site, copy);
    const { index, errors: createErrors } = await pagefindApi.createIndex();
    if (!index) throw new StageError(`pagefind could not create an index: ${createErrors.join('; ')}`);
    const { errors: addErrors } = await index.addDirectory({ path: copy });
    if (addErrors.length > 0) throw new StageError(`pagefind failed to index ${site}: ${addErrors.join('; ')}`);
    const { errors: writeErrors } = await index.writeFiles({ outputPath: bundle });
    if (writeErrors.length > 0) throw new StageError(`pagefind failed to write its index: ${writeErrors.join('; ')}`);
    return htmlFiles;
  } finally {
    // The API runs the pagefind binary as a service: stop it so this process can exit.
    await pagefindApi.close();
    await rm(copy, { recursive: true, force: true });
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
  const script = await searchScript();
  await writeFile(join(dist, SEARCH_SCRIPT_FILE), script);
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
    searchScriptGzipBytes: gzipSync(script).length,
  };
  progress(
    `offline index: ${report.indexedPages} pages, ${report.offlineWords} words in ${report.offlineFiles} files, ${kib(report.offlineBytes)} (${kib(report.offlineGzipBytes)} gzipped; the core loaded first ${kib(report.offlineCoreGzipBytes)}) → ${join(dist, OFFLINE_INDEX_FILE)} and its parts`,
  );
  progress(`search script: ${kib(Buffer.byteLength(script))} (${kib(report.searchScriptGzipBytes)} gzipped) → ${join(dist, SEARCH_SCRIPT_FILE)}`);
  return report;
}
