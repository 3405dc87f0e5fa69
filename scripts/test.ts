/**
 * npm test: checks the machine has what the tests need (scripts/lib/prerequisites.ts),
 * builds the site (`npm run build`), type-checks, runs the Vitest projects `unit` and `integration` and the
 * browser tests (Playwright on the built site), then prints one line `N passed, N failed`
 * for CI (the build and the type check count as one test each when they fail or pass).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { missingMessage, missingPrerequisites } from './lib/prerequisites.ts';

// A missing program would fail a dozen tests each in its own words: fail once, saying how to install it.
const missing = missingPrerequisites();
if (missing.length > 0) {
  process.stderr.write(`${missingMessage(missing)}\n`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// Tunable pages link "Edit this page" only where a repository is configured; the browser
// tests (tests/e2e/writing.spec.ts) check that link, so the site they test has one. An
// address set by the caller, or set empty to turn links off, is kept.
process.env.LKT_REPOSITORY_URL ??= 'https://git.example.org/linux-kernel-tunables';

const REPORTS = '.cache/reports';
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

function run(command: string, args: string[], env: Record<string, string> = {}): number {
  process.stderr.write(`\n$ ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;

// The site and its search indexes, as `npm run build` makes them (npm puts the project's
// own binaries, the Node 24 of the `node` package included, first on the PATH).
const built = run('npm', ['run', 'build']) === 0;
if (built) passed++;
else failed++;

// The build wrote .astro/ (content collection types), which the type check reads.
if (run('npx', ['tsc', '--noEmit']) === 0) passed++;
else failed++;

const vitestReport = join(REPORTS, 'vitest.json');
const vitestStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
const vitest = readJson<{ numPassedTests: number; numFailedTests: number }>(vitestReport);
passed += vitest?.numPassedTests ?? 0;
failed += vitest ? vitest.numFailedTests : 1;
if (vitest && vitest.numFailedTests === 0 && vitestStatus !== 0) failed++;

if (built) {
  const playwrightReport = join(REPORTS, 'playwright.json');
  const playwrightStatus = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport });
  const playwright = readJson<{ stats: { expected: number; unexpected: number; flaky: number } }>(playwrightReport);
  passed += playwright ? playwright.stats.expected + playwright.stats.flaky : 0;
  failed += playwright ? playwright.stats.unexpected : 1;
  if (playwright && playwright.stats.unexpected === 0 && playwrightStatus !== 0) failed++;
} else {
  process.stderr.write('site build failed: browser tests not run\n');
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
