/**
 * How well search ranks: the judged queries (search-queries.json), each typed into the
 * search page of a built site as a reader types it, in Chromium, served (Pagefind) and
 * read from disk (the offline index); the first three results against the tunable judged
 * best. `npm run bench` reports the rates, tests/e2e/search.spec.ts holds both engines to them.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { z } from 'zod';
import { readJsonCheckedSync } from '../lib/json.ts';
import { serveDirectory } from '../lib/serve-static.ts';
import { LAUNCH } from './search.ts';
import type { Row } from './results.ts';

export const JUDGED_QUERIES_FILE = 'scripts/bench/search-queries.json';

/** What the issue asks of the ranking on the judged queries. */
export const TARGETS = { top1: 0.9, top3: 0.98 } as const;

const judgedQuery = z.strictObject({
  query: z.string().trim().min(1),
  /** What the query is: `full name`, `leaf name`, `words of the name`, `path`, `module parameter`, `boot parameter`, `concept`. */
  form: z.string().min(1),
  /** The tunable's name (its page's title) that answers the query best. */
  expected: z.string().min(1),
  /** Tunables as right as `expected`, where the query is truly ambiguous. */
  also: z.array(z.string().min(1)).default([]),
});
export type JudgedQuery = z.infer<typeof judgedQuery>;

const judgedQueries = z.strictObject({ about: z.string(), queries: z.array(judgedQuery).min(1) });

export function readJudgedQueries(file = JUDGED_QUERIES_FILE): JudgedQuery[] {
  return readJsonCheckedSync(file, judgedQueries, 'judged search queries', { all: true }).queries;
}

/** Results read per query: the first is judged for top-1, all of them for top-3. */
export const JUDGED_RESULTS = 3;

/**
 * Types `query` into the open search page and gives the titles of its first results, once
 * the status names the query and the first results (or all, if fewer) are listed.
 */
export async function firstResults(page: Page, query: string): Promise<string[]> {
  await page.locator('#search-form input[name="q"]').fill(query);
  const shown = page.waitForFunction(
    ({ query, wanted }) => {
      const status = document.getElementById('search-status')?.textContent ?? '';
      if (!status.includes(`“${query}”`)) return false;
      const matches = Number.parseInt(status, 10);
      return document.querySelectorAll('#search-results > li').length >= Math.min(matches, wanted);
    },
    { query, wanted: JUDGED_RESULTS },
  );
  await shown.catch(async (error: unknown) => {
    throw new Error(`the search page showed no results for "${query}"; its status: "${await page.locator('#search-status').textContent()}"`, { cause: error });
  });
  return page.locator('#search-results > li > a').evaluateAll((links, wanted) => links.slice(0, wanted).map((link) => link.textContent ?? ''), JUDGED_RESULTS);
}

export interface Ranking {
  /** Each query's first results, in the order of the judged queries. */
  results: string[][];
  top1: number;
  top3: number;
  /** The queries whose best answer is not first: `query → first | second | third (judged: …)`. */
  misses: string[];
}

export function judge(queries: JudgedQuery[], results: string[][]): Ranking {
  let top1 = 0;
  let top3 = 0;
  const misses: string[] = [];
  queries.forEach(({ query, expected, also }, i) => {
    const right = new Set([expected, ...also]);
    const found = results[i] ?? [];
    if (right.has(found[0] ?? '')) top1++;
    else misses.push(`${query} → ${found.join(' | ') || 'nothing'} (judged: ${expected})`);
    if (found.some((title) => right.has(title))) top3++;
  });
  return { results, top1: top1 / queries.length, top3: top3 / queries.length, misses };
}

/** Every judged query typed into one search page at `searchPage`, as a reader would, one after another. */
export async function rankOn(browser: Browser, searchPage: string, queries: JudgedQuery[]): Promise<Ranking> {
  const page = await browser.newPage();
  // A hang guard, not a speed limit: under `nice` beside other work, Chromium took over 30 s to run the page's script.
  page.setDefaultTimeout(300_000);
  try {
    await page.goto(searchPage);
    const results: string[][] = [];
    for (const { query } of queries) results.push(await firstResults(page, query));
    return judge(queries, results);
  } finally {
    await page.close();
  }
}

/** Both engines on a built site: Pagefind served from a local server, the offline index from disk. */
export async function rankBothEngines(browser: Browser, dist: string, queries = readJudgedQueries()): Promise<{ pagefind: Ranking; offline: Ranking }> {
  const served = await serveDirectory(dist, '/');
  try {
    const pagefind = await rankOn(browser, `${served.root}search/index.html`, queries);
    const offline = await rankOn(browser, pathToFileURL(join(dist, 'search', 'index.html')).href, queries);
    return { pagefind, offline };
  } finally {
    await served.close();
  }
}

const percent = (rate: number) => `${(rate * 100).toFixed(0)} %`;

/** The bench's rows: each rate of the offline index next to Pagefind's; the misses go to `progress`. */
export async function rankingFigures(dist: string, progress: (line: string) => void): Promise<Row[]> {
  const queries = readJudgedQueries();
  const browser = await chromium.launch(LAUNCH);
  try {
    const { pagefind, offline } = await rankBothEngines(browser, dist, queries);
    for (const [engine, { misses }] of [['Pagefind', pagefind], ['offline', offline]] as const) {
      for (const miss of misses) progress(`  ${engine} miss: ${miss}`);
    }
    const row = (rate: 'top1' | 'top3', label: string): Row => [
      `ranking: ${label} of ${queries.length} judged queries, from disk (target ≥ ${percent(TARGETS[rate])})`,
      percent(offline[rate]),
      `served, Pagefind ${percent(pagefind[rate])}`,
      offline[rate] / pagefind[rate],
    ];
    return [row('top1', 'best answer first'), row('top3', 'best answer in the first three')];
  } finally {
    await browser.close();
  }
}
