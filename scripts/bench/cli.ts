/**
 * npm run bench: speed figures, each next to a baseline measured in the same run, as a
 * ratio (these machines are noisy; ratios travel better than seconds).
 * - scrape: the live /proc/sys + /sys walk vs `cat` of the very same files;
 * - build: our site vs Astro Starlight on the same pages, at the real size and at four
 *   times it (the size the site is built to carry): time, cost per extra page, peak memory;
 * - rendering: our body renderer over every page vs the whole build;
 * - search: offline index size, Pagefind's bytes per query, typing to results in both modes (search.ts);
 * - ranking: top-1 and top-3 rates of both engines on the judged queries (search-quality.ts).
 * Prints the table (progress goes to stderr) and, when every part ran, writes it to
 * scripts/bench/RESULTS.md; each build's log, with arrival times, is kept in --logs.
 * `--only` and `--no-starlight` run parts of it, for a before/after of one change.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import type { TunablePage } from '../../src/data/tunables.ts';
import { pagesByName, renderBody } from '../../src/lib/render-body.ts';
import { realPages, replicate } from './corpus.ts';
import { measure, type Run } from './measure.ts';
import { buildPhases } from './phases.ts';
import { type Report, type Row, printReport, writeReport } from './results.ts';
import { searchFigures } from './search.ts';
import { rankingFigures } from './search-quality.ts';
import { STARLIGHT_DIR, ensureStarlight, ourAstroVersion, starlightVersion, writeStarlightDocs } from './starlight.ts';

const RESULTS_FILE = 'scripts/bench/RESULTS.md';
/** The size the site must carry (boot and module parameters, a second architecture): the synthetic corpus is the real one copied until it has at least this many pages. */
const GROWN_PAGES = 8000;
/** Targets from the issue "Built to carry four times the pages". */
const TARGET_MS_PER_PAGE = 5;
const TARGET_PEAK_BYTES = 2 * 2 ** 30;

const PARTS = ['scrape', 'build', 'search', 'ranking'] as const;
type Part = (typeof PARTS)[number];

const program = new Command()
  .name('npm run bench --')
  .description('Speed figures next to same-run baselines; writes scripts/bench/RESULTS.md when every part runs.')
  .addOption(
    new Option('--only <parts>', `comma-separated parts to run: ${PARTS.join(', ')}`).default([...PARTS]).argParser((value) => {
      const parts = value.split(',').map((part) => part.trim());
      for (const part of parts) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only: unknown part ${part} (${PARTS.join(', ')})`);
      return parts as Part[];
    }),
  )
  .option('--no-starlight', "skip Starlight's builds: our build's figures without their baseline")
  .option('--dist <dir>', 'with --only search or ranking: measure this built site instead of building one')
  .option('--logs <dir>', 'where each build log is kept', '.cache/bench/logs')
  .parse();
const options = program.opts<{ only: Part[]; starlight: boolean; dist?: string; logs: string }>();
const runs = (part: Part) => options.only.includes(part);
/** Only a whole run, every baseline in it, replaces RESULTS.md. */
const complete = PARTS.every(runs) && options.starlight && options.dist === undefined;

const scratch = mkdtempSync(join(tmpdir(), 'lkt-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const benchStarted = performance.now();
const progress = (message: string) => process.stderr.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

const count = (n: number) => n.toLocaleString('en-US');
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

function timed(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return (performance.now() - started) / 1000;
}

/** The live scrape vs `cat` of the files it could read: what the scraper adds to bare reads. */
function scrapeFigure(): Row {
  progress('scrape: live walk, then cat of the same files…');
  const snapshotFile = join(scratch, 'live.json');
  const scrapeSeconds = timed(process.execPath, ['scripts/scrape/cli.ts', '--live', '--reads', '1', '--out', snapshotFile]);
  const scraped = JSON.parse(readFileSync(snapshotFile, 'utf8')) as Snapshot;
  const list = join(scratch, 'files.txt');
  writeFileSync(list, `${scraped.entries.filter((e) => !e.error).map((e) => e.path).join('\n')}\n`);
  const catSeconds = timed('sh', ['-c', `xargs -d '\\n' -a '${list}' cat >/dev/null 2>&1; true`]);
  return [`scrape (${count(scraped.entries.length)} files)`, `${scrapeSeconds.toFixed(2)} s`, `cat of the same files ${catSeconds.toFixed(2)} s`, scrapeSeconds / catSeconds];
}

/** Our renderer alone over every body, in this process: its share of a build's time. */
function renderSeconds(pages: TunablePage[]): number {
  const started = performance.now();
  const byName = pagesByName(pages);
  for (const page of pages) renderBody(page.body, { bodyLine: page.bodyLine, pageDir: `${page.id}/`, pages: byName });
  return (performance.now() - started) / 1000;
}

/**
 * Both builds run the installed Astro CLI under this Node, so no npx wrapper sits in the
 * timing or the process tree. `then` runs after Astro exits, in the same measured tree (our
 * search-index stage: `npm run build` without npm).
 */
const astroBuild = (cwd: string, outDir: string, env: Record<string, string>, label: string, then: string[] = []) => {
  progress(`${label}…`);
  let pages = 0;
  // Every build starts from an empty output folder, outside the timing: Astro empties a
  // non-empty one first, which costs as much as the previous build's files (8.6 s of
  // "types + bundling" at 15,868 pages, when the 7,934-page build was still there).
  rmSync(outDir, { recursive: true, force: true });
  // Positional parameters, not a command string: no path needs shell quoting.
  const script = then.length === 0 ? '"$0" "$1" build --force' : '"$0" "$1" build --force && shift && "$0" "$@"';
  return measure('sh', ['-c', script, process.execPath, join(cwd, 'node_modules/astro/bin/astro.mjs'), ...then], {
    cwd,
    env,
    // One progress line per 1,000 pages written keeps a long build visibly alive.
    onLine: (line) => {
      if (/├─|└─/.test(line) && ++pages % 1000 === 0) progress(`  ${label}: ${count(pages)} routes written`);
    },
  }).then((run) => {
    progress(`  ${label}: ${run.seconds.toFixed(1)} s, peak ${gib(run.peakRssBytes)}`);
    keepLog(label, run);
    return run;
  });
};

/** Each build's log, lines stamped with their arrival, stays for a look at where its time went. */
function keepLog(label: string, run: Run): void {
  mkdirSync(options.logs, { recursive: true });
  const file = join(options.logs, `${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.log`);
  writeFileSync(file, run.lines.map((line) => `${(line.at / 1000).toFixed(3).padStart(8)} ${line.text}`).join('\n') + '\n');
}

const ourBuild = (contentDir: string, outDir: string, pages: number) =>
  astroBuild(resolve('.'), outDir, { LKT_CONTENT_DIR: contentDir, LKT_OUT_DIR: outDir }, `our build, ${count(pages)} pages`, ['scripts/search-index/cli.ts', '--dist', outDir]);

/** Astro's own count, from the end of its log. */
const pagesBuilt = (run: Run) => Number(/(\d+) page\(s\) built/.exec(run.lines.findLast((line) => line.text.includes('page(s) built'))?.text ?? '')?.[1] ?? 0);

async function starlightBuild(pages: TunablePage[], outDir: string): Promise<Run> {
  writeStarlightDocs(pages);
  const run = await astroBuild(STARLIGHT_DIR, outDir, { BENCH_OUT_DIR: outDir }, `Starlight build, ${count(pages.length)} pages`);
  // Fewer pages would flatter Starlight: every page of ours must be one of its (plus its 404).
  if (pagesBuilt(run) < pages.length) throw new Error(`Starlight built ${pagesBuilt(run)} pages of ${pages.length}: some pages were dropped`);
  return run;
}

const buildValue = (run: Run, pages: number) => `${run.seconds.toFixed(1)} s (CPU ${run.cpuSeconds.toFixed(0)} s), ${(pages / run.seconds).toFixed(0)} pages/s`;

const method = (copies: number) => `- **Builds** run \`astro build --force\` with the installed Astro CLI under the bench's own Node, one at a time, for our site (content from \`LKT_CONTENT_DIR\`; then our search-index stage, as \`npm run build\` does, in the same measured process tree) and for Astro Starlight ${starlightVersion() ?? ''} installed by the bench in \`.cache/bench/starlight\` (same Astro; its docs collection gets every page's title and its MDX body as is; a two-link sidebar instead of its default autogenerated one, which would put every page's link into every page). Both builds run Pagefind: ours in the search-index stage after Astro exits, Starlight through its built-in integration (left on), inside Astro's process. Each build writes into an empty output folder, emptied before its clock starts (Astro would otherwise delete the previous build's files inside the timing, a cost of the previous build's size, not of this one's). Times are wall clock from spawn to exit; ratios are of wall times. Next to them, the CPU time (user + system) of the whole process tree, from the cutime and cstime of a shell that reaped the build: on a machine shared with other work it varies less than wall time.
- **${copies}× corpus** (at least ${count(GROWN_PAGES)} pages): the real pages and facts written ${copies} times into a temporary content root, copies 2…${copies} under renamed subsystems (\`vm\` → \`vm-2\`, …: page id, path, title and subsystem changed together), read back through the site's reader before building; Starlight gets the same pages.
- **Cost per extra page**: (time at the ${copies}× corpus − time at the real one) ÷ the number of extra pages, for each site, from the builds above. Target ≤ ${TARGET_MS_PER_PAGE} ms.
- **Peak memory**: the highest sum of \`VmRSS\` over the build process and all its descendants (Pagefind's binary included), read from \`/proc/<pid>/status\` every 100 ms (no GNU time needed); pages shared between processes count once per process, so it errs high. Target ≤ 2 GiB.
- **Render all page bodies**: \`renderBody\` (src/lib/render-body.ts) over every real page body, in the bench's process, next to our whole build of the same pages.
- **Phases** of our build: each phase ends at the log line Astro or our search-index stage prints when it finishes, timed at the millisecond the line reached the bench; content sync includes reading pages and facts and rendering every body.
- **Scrape**: \`scripts/scrape/cli.ts --live\` vs \`cat\` of the files it read. **Search**: Debian's Chromium on our real-size build (scripts/bench/search.ts): sizes on disk, bytes Pagefind fetches when served, median of 5 queries for typing to results: a first query typed once the page has opened its search (a reader opens the page, then types; the page loads the index's core when idle or when the reader reaches for the box), the same typed the instant the page shows its prompt (the core loads after the keystroke), and a later query on the same page. **Ranking**: the judged queries of \`scripts/bench/search-queries.json\` (each with the tunable judged its best answer, and any as right), typed one after another into the search page of the same build, served (Pagefind) and from disk (the offline index); top-1 counts a query whose first result is right, top-3 one with a right answer among the first three (scripts/bench/search-quality.ts).`;

/** The parts measured on a built site, in Chromium: search speed and sizes, and ranking. */
async function siteFigures(dist: string): Promise<Row[]> {
  const rows: Row[] = [];
  if (runs('search')) {
    progress(`search figures in Chromium on ${dist}…`);
    rows.push(...(await searchFigures(dist)));
  }
  if (runs('ranking')) {
    progress(`ranking the judged queries in Chromium on ${dist}…`);
    rows.push(...(await rankingFigures(dist, progress)));
  }
  return rows;
}

async function main(): Promise<void> {
  const rows: Row[] = runs('scrape') ? [scrapeFigure()] : [];
  const notes: string[] = [];
  const phases: Report['phases'] = new Map();
  let copies = 0;

  if (runs('build')) {
    const real = realPages('./content');
    copies = Math.ceil(GROWN_PAGES / real.pages.length);
    progress(`writing the ${copies}× corpus…`);
    const grownRoot = join(scratch, `content-${copies}x`);
    const grown = replicate(real.sources, copies, grownRoot);
    const [small, large] = [real.pages.length, grown.length];
    if (options.starlight) ensureStarlight(progress);

    progress(`rendering ${count(small)} page bodies…`);
    const render = renderSeconds(real.pages);

    // Interleaved, so drift in the machine's load touches both sites alike.
    const ours = await ourBuild(resolve('content'), join(scratch, 'dist'), small);
    // Measured on the real-size build before the next builds replace it.
    const searchRows = options.dist === undefined ? await siteFigures(join(scratch, 'dist')) : [];
    const theirs = options.starlight ? await starlightBuild(real.pages, join(scratch, 'starlight-dist')) : undefined;
    const oursGrown = await ourBuild(grownRoot, join(scratch, 'dist'), large);
    const theirsGrown = options.starlight ? await starlightBuild(grown, join(scratch, 'starlight-dist')) : undefined;

    const perPage = (a: Run, b: Run, time: 'seconds' | 'cpuSeconds' = 'seconds') => ((b[time] - a[time]) / (large - small)) * 1000;
    const cpuMs = (a: Run, b: Run) => `CPU ${perPage(a, b, 'cpuSeconds').toFixed(1)} ms`;
    const ourMs = perPage(ours, oursGrown);
    const versus = (value: (a: Run, b: Run) => string, ratio: (a: Run, b: Run) => number, a?: Run, b?: Run): [string, number] =>
      a && b ? [`Starlight ${value(a, b)}`, ratio(a, b)] : ['Starlight not built (--no-starlight)', Number.NaN];
    rows.push(
      [`our build, ${count(small)} pages`, buildValue(ours, small), ...versus((run) => buildValue(run, small), (run) => ours.seconds / run.seconds, theirs, theirs)],
      [`our build, ${count(large)} pages (${copies}×)`, buildValue(oursGrown, large), ...versus((run) => buildValue(run, large), (run) => oursGrown.seconds / run.seconds, theirsGrown, theirsGrown)],
      [
        `our cost per extra page (target ≤ ${TARGET_MS_PER_PAGE} ms)`,
        `${ourMs.toFixed(1)} ms (${cpuMs(ours, oursGrown)})`,
        ...versus((a, b) => `${perPage(a, b).toFixed(1)} ms (${cpuMs(a, b)})`, (a, b) => ourMs / perPage(a, b), theirs, theirsGrown),
      ],
      [
        `our peak memory, ${count(large)} pages (target ≤ ${gib(TARGET_PEAK_BYTES)})`,
        `${gib(oursGrown.peakRssBytes)} (${count(small)} pages: ${gib(ours.peakRssBytes)})`,
        ...versus((a, b) => `${gib(b.peakRssBytes)} (${count(small)} pages: ${gib(a.peakRssBytes)})`, (_, b) => oursGrown.peakRssBytes / b.peakRssBytes, theirs, theirsGrown),
      ],
      [`render all page bodies (${count(small)}, renderBody)`, `${render.toFixed(1)} s`, `our whole build ${ours.seconds.toFixed(1)} s`, render / ours.seconds],
      ...searchRows,
    );
    phases.set(`${count(small)} pages`, { phases: buildPhases(ours.lines, ours.seconds), totalSeconds: ours.seconds });
    phases.set(`${count(large)} pages`, { phases: buildPhases(oursGrown.lines, oursGrown.seconds), totalSeconds: oursGrown.seconds });
    notes.push(
      'Both sites run Pagefind in their builds: ours in the search-index stage once Astro has exited (so their memory never adds up), Starlight through its built-in integration, left on, inside Astro.',
      'Our build also writes the offline search index, and every page links relatively (it reads from disk); Starlight does neither.',
    );
  }
  if ((runs('search') || runs('ranking')) && (options.dist !== undefined || !runs('build'))) {
    const dist = options.dist ?? join(scratch, 'dist');
    if (options.dist === undefined) await ourBuild(resolve('content'), dist, realPages('./content').pages.length);
    rows.push(...(await siteFigures(dist)));
  }

  const report: Report = {
    rows,
    phases,
    notes,
    versions: { Node: process.version, Astro: ourAstroVersion(), Starlight: starlightVersion() ?? '?' },
    method: method(copies),
  };
  printReport(report);
  if (!complete) {
    progress(`a partial run (--only ${options.only.join(',')}${options.starlight ? '' : ', --no-starlight'}${options.dist ? ', --dist' : ''}): ${RESULTS_FILE} left as it is`);
    return;
  }
  writeReport(RESULTS_FILE, report);
  progress(`written to ${RESULTS_FILE}`);
}

await main();
