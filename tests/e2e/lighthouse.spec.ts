/**
 * Lighthouse on the served build: each kind of page scores at least 98 for performance and
 * 100 for accessibility, best practices and SEO. Pages run one after another in one Chromium
 * (the one Playwright is configured with, opened to Lighthouse on a debugging port); each
 * prints its four scores, and a failure names the page, the category and the audits that
 * lost points (the whole report is kept in the test's output folder).
 *
 * Desktop preset, simulated throttling: the network is modelled, so a busy machine does not
 * slow it. The page's own CPU work is not modelled but timed, and a 2-core machine shared
 * with other work times it several times slower than the desktop the preset assumes. So the
 * CPU multiplier is calibrated as Lighthouse's docs ask (docs/throttling.md, "Calibrating
 * the CPU slowdown"): its benchmark is run just before each page, and on a host below the
 * index under which Lighthouse warns that the host is too slow for its figures, the
 * multiplier shrinks in proportion. A page that does too much still fails: its tasks are
 * scaled to the reference host, not ignored.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext } from '@playwright/test';
import lighthouse, { desktopConfig, type Config, type Result } from 'lighthouse';
import { pageFunctions } from 'lighthouse/core/lib/page-functions.js';
import { DIST } from './dist.ts';

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'tunable', path: '/sysctl/vm/swappiness/' },
  { name: 'subsystem', path: '/sysctl/vm/' },
  { name: 'search', path: '/search/' },
  { name: 'check', path: '/check/' },
  { name: 'writing', path: '/writing/' },
];

/** The least score (0–100) each category must reach. */
const THRESHOLDS: Record<string, number> = {
  performance: 98,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
};

/** Lighthouse's SLOW_CPU_BENCHMARK_INDEX_THRESHOLD (core/gather/driver/environment.js): below it, it warns to calibrate. */
const REFERENCE_BENCHMARK_INDEX = 1000;

/** The desktop preset with its CPU multiplier scaled to a host that benchmarks at `index`. */
function calibrated(index: number): { config: Config; multiplier: number } {
  const multiplier = Math.min(1, index / REFERENCE_BENCHMARK_INDEX);
  const settings = desktopConfig.settings!;
  return { config: { ...desktopConfig, settings: { ...settings, throttling: { ...settings.throttling, cpuSlowdownMultiplier: multiplier } } }, multiplier };
}

/** An audit that cost its category points, as a person fixing it wants to read it. */
function lostPoints(lhr: Result, categoryId: string): string[] {
  return lhr.categories[categoryId]!.auditRefs.flatMap(({ id, weight }) => {
    const audit = lhr.audits[id]!;
    if (weight === 0 || audit.score === null || audit.score >= 1) return [];
    const details = audit.details as { items?: { node?: { selector?: string } }[] } | undefined;
    const nodes = (details?.items ?? []).flatMap(({ node }) => (node?.selector ? [node.selector] : [])).slice(0, 5);
    return [
      `    ${id}: ${audit.title} (score ${Math.round(audit.score * 100)}, weight ${weight}${audit.displayValue ? `, ${audit.displayValue}` : ''})` +
        (nodes.length > 0 ? `\n      at ${nodes.join(', ')}` : ''),
    ];
  });
}

// One page after another: parallel runs would share the CPU and measure each other.
test.describe.configure({ mode: 'default' });

let context: BrowserContext;
let profile: string;
let port: number;

test.beforeAll(async ({ playwright, launchOptions }) => {
  profile = mkdtempSync(join(tmpdir(), 'lkt-lighthouse-'));
  // Port 0: Chromium picks a free one and writes it to DevToolsActivePort in its profile.
  context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, args: [...(launchOptions.args ?? []), '--remote-debugging-port=0'] });
  port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
});

test.afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
});

for (const { name, path } of PAGES) {
  test(`Lighthouse: the ${name} page (${path}) scores ≥ ${THRESHOLDS.performance} for performance and 100 for the rest`, async ({ baseURL }, testInfo) => {
    // A Lighthouse run loads the page several times and traces it: about 10 s, a minute beside a CPU hog.
    test.setTimeout(240_000);
    const file = join(DIST, path, 'index.html');
    expect(existsSync(file), `${path} is not in the build: ${file} does not exist`).toBe(true);

    const blank = await context.newPage();
    const index = await blank.evaluate(pageFunctions.computeBenchmarkIndex);
    await blank.close();
    const { config, multiplier } = calibrated(index);

    const result = await lighthouse(new URL(path, baseURL).href, { port, output: 'json', logLevel: 'error' }, config);
    const lhr = result!.lhr;
    expect(lhr.runtimeError?.message, `${path}: Lighthouse could not measure the page`).toBeUndefined();

    const scores = Object.keys(THRESHOLDS).map((id) => ({ id, title: lhr.categories[id]!.title, score: Math.round((lhr.categories[id]!.score ?? 0) * 100) }));
    console.log(`${path}: ${scores.map(({ title, score }) => `${title} ${score}`).join(', ')} (host CPU benchmark ${Math.round(index)}, CPU multiplier ${multiplier.toFixed(2)})`);

    const failures = scores
      .filter(({ id, score }) => score < THRESHOLDS[id]!)
      .map(({ id, title, score }) => [`  ${title}: ${score} < ${THRESHOLDS[id]}`, ...lostPoints(lhr, id)].join('\n'));
    if (failures.length > 0) {
      const report = testInfo.outputPath('lighthouse.json');
      writeFileSync(report, JSON.stringify(lhr));
      failures.push(`  the whole report: ${report}`);
    }
    expect(failures, `${path} (${name}) falls short:\n${failures.join('\n')}`).toEqual([]);
  });
}
