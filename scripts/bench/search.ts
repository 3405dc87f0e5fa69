/**
 * Search figures for npm run bench, in Debian's Chromium on a built site: what the offline
 * index weighs next to Pagefind's files, what Pagefind fetches per query when served, and
 * how long typing takes to show results in each mode: the first query of a reader who opens
 * the page and then types (the page has loaded the index's core meanwhile), the same typed
 * the instant the page shows (the core loads after the keystroke), and a later query.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { OFFLINE_INDEX_FILE, OFFLINE_PARTS_GLOBAL, partFile } from '#core/offline-index-files.ts';
import { RESULTS_PER_PAGE } from '../../src/lib/search/search-page.ts';
import { serveDirectory } from '../lib/serve-static.ts';
import type { Row } from './results.ts';

const QUERIES = ['swappiness', 'tcp_rmem', 'dirty background', 'conntrack', 'hugepages'];
/** Debian's Chromium, as the browser tests launch it. */
export const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function directoryBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/** Types `query` into the search box and resolves with the milliseconds until its results show. */
function typeAndTime(page: Page, query: string): Promise<number> {
  return page.evaluate(
    (query) =>
      new Promise<number>((resolve) => {
        const input = document.querySelector<HTMLInputElement>('#search-form input[name="q"]')!;
        const list = document.getElementById('search-results')!;
        const status = document.getElementById('search-status')!;
        const shown = () => status.textContent?.includes(`“${query}”`) && list.querySelector('a') !== null;
        const started = performance.now();
        new MutationObserver((_, observer) => {
          if (!shown()) return;
          observer.disconnect();
          resolve(performance.now() - started);
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
        input.value = query;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }),
    query,
  );
}

/**
 * Milliseconds to the first results on a fresh search page, then for a second query on it.
 * `typing` is when the first key is pressed: `opened`, as a reader does it, who opens the
 * page, clicks into the box and types once the page has opened its search (it loads the
 * index's core when idle or when the reader reaches for the box); `at-once`, the instant
 * the page shows its prompt, without focus, whatever of the index is in by then.
 */
async function timeToResults(browser: Browser, searchPage: string, typing: 'opened' | 'at-once'): Promise<{ first: number; later: number }> {
  const first: number[] = [];
  const later: number[] = [];
  for (const [i, query] of QUERIES.entries()) {
    const page = await browser.newPage();
    await page.goto(searchPage);
    await page.getByText('Type a name, a word or a value to search.').waitFor();
    if (typing === 'opened') {
      await page.focus('#search-form input[name="q"]');
      await page.locator('#search-results[data-engine]').waitFor({ state: 'attached' });
    }
    first.push(await typeAndTime(page, query));
    later.push(await typeAndTime(page, QUERIES[(i + 1) % QUERIES.length]!));
    await page.close();
  }
  return { first: median(first), later: median(later) };
}

/**
 * Gzipped bytes of the offline index a first query from disk loads: the core, and the parts
 * it asked for (word chunks, its title part, the page data of the first page of results it
 * shows). Median and largest.
 */
async function offlineFirstQueryBytes(browser: Browser, dist: string): Promise<{ median: number; largest: number }> {
  const gz = (file: string) => gzipSync(readFileSync(join(dist, file))).length;
  const totals: number[] = [];
  for (const query of QUERIES) {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dist, 'search', 'index.html')).href);
    await page.getByText('Type a name, a word or a value to search.').waitFor();
    await typeAndTime(page, query);
    // Everything the first query loads: wait for its whole first page of results, not just the first.
    await page.waitForFunction((perPage) => {
      const matches = Number.parseInt(document.getElementById('search-status')?.textContent ?? '', 10);
      return document.querySelectorAll('#search-results > li').length === Math.min(matches, perPage);
    }, RESULTS_PER_PAGE);
    const parts = await page.evaluate((global) => Object.keys((globalThis as unknown as Record<string, object | undefined>)[global] ?? {}), OFFLINE_PARTS_GLOBAL);
    totals.push(gz(OFFLINE_INDEX_FILE) + parts.reduce((sum, name) => sum + gz(partFile(name)), 0));
    await page.close();
  }
  return { median: median(totals), largest: Math.max(...totals) };
}

/** Bytes Pagefind transfers for a query on a fresh page (its start-up included), and for one more query. */
async function pagefindBytes(browser: Browser, root: string): Promise<{ first: number; later: number }> {
  const first: number[] = [];
  const later: number[] = [];
  for (const [i, query] of QUERIES.entries()) {
    const page = await browser.newPage();
    // Each request's size, asked when it finishes. A request still finishing when the page
    // closes (after both counts are taken) can no longer tell: it counts nothing, not a crash.
    let sizes: Promise<number>[] = [];
    page.on('requestfinished', (request) => {
      if (request.url().includes('/pagefind/')) {
        sizes.push(
          request.sizes().then(
            (size) => size.responseBodySize + size.responseHeadersSize,
            () => 0,
          ),
        );
      }
    });
    const bytesSoFar = async () => {
      const bytes = (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0);
      sizes = [];
      return bytes;
    };
    await page.goto(`${root}search/index.html`);
    await page.getByText('Type a name, a word or a value to search.').waitFor();
    await typeAndTime(page, query);
    await page.waitForLoadState('networkidle');
    first.push(await bytesSoFar());
    await typeAndTime(page, QUERIES[(i + 1) % QUERIES.length]!);
    await page.waitForLoadState('networkidle');
    later.push(await bytesSoFar());
    await page.close();
  }
  return { first: median(first), later: median(later) };
}

export async function searchFigures(dist: string): Promise<Row[]> {
  const offlineFiles = [OFFLINE_INDEX_FILE, ...readdirSync(join(dist, 'search', 'offline')).map((name) => `search/offline/${name}`)];
  const offlineBytes = offlineFiles.reduce((sum, file) => sum + statSync(join(dist, file)).size, 0);
  const gzipped = offlineFiles.reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file))).length, 0);
  const pagefindTotal = directoryBytes(join(dist, 'pagefind'));
  const rows: Row[] = [
    ['offline search index, all files (ratio: gzipped)', `${kib(offlineBytes)} raw, ${kib(gzipped)} gzipped`, `all of Pagefind's files, compressed ${kib(pagefindTotal)}`, gzipped / pagefindTotal],
  ];
  const browser = await chromium.launch(LAUNCH);
  const served = await serveDirectory(dist, '/');
  try {
    const bytes = await pagefindBytes(browser, served.root);
    rows.push([`Pagefind bytes fetched, first query (median of ${QUERIES.length})`, kib(bytes.first), `offline index, all files ${kib(offlineBytes)}`, bytes.first / offlineBytes]);
    rows.push(['Pagefind bytes fetched, each later query', kib(bytes.later), `first query ${kib(bytes.first)}`, bytes.later / bytes.first]);
    const firstLoad = await offlineFirstQueryBytes(browser, dist);
    rows.push([
      `offline index loaded by a first query from disk, gzipped (median of ${QUERIES.length}; largest ${kib(firstLoad.largest)})`,
      kib(firstLoad.median),
      `all its files, gzipped ${kib(gzipped)}`,
      firstLoad.median / gzipped,
    ]);
    const diskPage = pathToFileURL(join(dist, 'search', 'index.html')).href;
    const servedPage = `${served.root}search/index.html`;
    const fromDisk = await timeToResults(browser, diskPage, 'opened');
    const servedTimes = await timeToResults(browser, servedPage, 'opened');
    const fromDiskAtOnce = await timeToResults(browser, diskPage, 'at-once');
    const servedAtOnce = await timeToResults(browser, servedPage, 'at-once');
    rows.push([
      'typing → results from disk, first query (page opened, box clicked, then typed: word and page parts load)',
      `${fromDisk.first.toFixed(0)} ms`,
      `served, Pagefind ${servedTimes.first.toFixed(0)} ms`,
      fromDisk.first / servedTimes.first,
    ]);
    rows.push([
      'typing → results from disk, first query typed the instant the page shows, no focus (core may load too)',
      `${fromDiskAtOnce.first.toFixed(0)} ms`,
      `served, Pagefind ${servedAtOnce.first.toFixed(0)} ms`,
      fromDiskAtOnce.first / servedAtOnce.first,
    ]);
    rows.push([
      'typing → results from disk, later query',
      `${fromDisk.later.toFixed(0)} ms`,
      `served, Pagefind ${servedTimes.later.toFixed(0)} ms (200 ms of it waits for typing to pause)`,
      fromDisk.later / servedTimes.later,
    ]);
  } finally {
    await served.close();
    await browser.close();
  }
  return rows;
}
