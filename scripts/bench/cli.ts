/**
 * npm run bench: speed figures, each next to a baseline measured in the same run, as a
 * ratio (these machines are noisy; ratios travel better than seconds).
 * - scrape: the live /proc/sys + /sys walk vs `cat` of the very same files;
 * - build: the whole site vs a build of half its pages (per-page cost must stay flat);
 * - markdown: the build under Sätteri vs under unified + remark-gfm;
 * - search: offline index size, Pagefind's bytes per query, typing to results in both modes (search.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import { searchFigures } from './search.ts';

const scratch = mkdtempSync(join(tmpdir(), 'lkt-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function timed(command: string, args: string[], env: Record<string, string> = {}): number {
  const started = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return (performance.now() - started) / 1000;
}

const rows: string[][] = [['figure', 'value', 'baseline', 'ratio']];
const add = (figure: string, value: string, baseline: string, ratio: number) => rows.push([figure, value, baseline, `${ratio.toFixed(2)}×`]);

// Scrape vs plain reads of the same files.
const snapshotFile = join(scratch, 'live.json');
const scrapeSeconds = timed(process.execPath, ['scripts/scrape/cli.ts', '--live', '--reads', '1', '--out', snapshotFile]);
const scraped = JSON.parse(readFileSync(snapshotFile, 'utf8')) as Snapshot;
const readable = scraped.entries.filter((e) => !e.error).map((e) => e.path);
const list = join(scratch, 'files.txt');
writeFileSync(list, `${readable.join('\n')}\n`);
const catSeconds = timed('sh', ['-c', `xargs -d '\\n' -a '${list}' cat >/dev/null 2>&1; true`]);
add(`scrape (${scraped.entries.length} files)`, `${scrapeSeconds.toFixed(2)} s`, `cat of the same files ${catSeconds.toFixed(2)} s`, scrapeSeconds / catSeconds);

// Build of every page vs build of half the pages.
const pages = readdirSync('content/tunables', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mdx')).sort();
const half = join(scratch, 'half');
pages.filter((_, i) => i % 2 === 0).forEach((page) => cpSync(join('content/tunables', page), join(half, page)));
const build = (env: Record<string, string>) => timed('npx', ['astro', 'build', '--force'], { LKT_OUT_DIR: join(scratch, 'dist'), ...env });
const fullSeconds = build({});
// Measured on the full build before the next builds replace it.
const searchRows = await searchFigures(join(scratch, 'dist'));
const halfSeconds = build({ LKT_CONTENT_DIR: half });
const halfCount = Math.ceil(pages.length / 2);
// What one more page costs: it must not grow with the page count.
const marginalMs = ((fullSeconds - halfSeconds) / (pages.length - halfCount)) * 1000;
add(
  `build (${pages.length} pages)`,
  `${fullSeconds.toFixed(1)} s, ${(pages.length / fullSeconds).toFixed(0)} pages/s, ${marginalMs.toFixed(1)} ms per extra page`,
  `${halfCount} pages ${halfSeconds.toFixed(1)} s, ${(halfCount / halfSeconds).toFixed(0)} pages/s`,
  pages.length / fullSeconds / (halfCount / halfSeconds),
);

// The Markdown processor choice, on the real corpus.
const satteriSeconds = build({ LKT_MARKDOWN: 'satteri' });
add('build with Sätteri', `${satteriSeconds.toFixed(1)} s`, `unified + remark-gfm ${fullSeconds.toFixed(1)} s`, satteriSeconds / fullSeconds);

for (const row of searchRows) add(...row);

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
