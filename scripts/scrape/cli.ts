/**
 * npm run scrape -- --live | --root DIR [--out FILE]
 * Walks /proc/sys and /sys and writes one snapshot JSON (run.ts does the work).
 */
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { positiveInt, runCli } from '../lib/stage.ts';
import { reportLines, run, SCRAPE_DEFAULTS } from './run.ts';

const program = new Command()
  .name('npm run scrape --')
  .description('Walk /proc/sys and /sys (read only) and write a snapshot JSON.')
  .option('--live', "walk this machine's own /proc/sys and /sys")
  .option('--root <dir>', 'walk a directory laid out like / (holding proc/sys and sys)')
  .option('--out <file>', 'snapshot file to write (default: content/snapshots/<source>-<release>.json)')
  .option('--max-bytes <n>', 'bytes kept of each value', positiveInt, SCRAPE_DEFAULTS.maxBytes)
  .option('--timeout <ms>', 'abandon a read that blocks this long', positiveInt, SCRAPE_DEFAULTS.timeoutMs)
  .option('--reads <n>', 'read each file n times; values that change are runtime state', positiveInt, SCRAPE_DEFAULTS.reads)
  .parse();

const options = program.opts<{ live?: boolean; root?: string; out?: string; maxBytes: number; timeout: number; reads: number }>();

const bar = new cliProgress.SingleBar(
  { format: 'reading [{bar}] {value}/{total} {path}', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 3000, hideCursor: true },
  cliProgress.Presets.shades_classic,
);
let started = false;

await runCli(
  program,
  () =>
    run({
      live: options.live,
      root: options.root,
      out: options.out,
      maxBytes: options.maxBytes,
      timeoutMs: options.timeout,
      reads: options.reads,
      onStart: ({ source, release, machine }) =>
        process.stderr.write(`scraping ${source} kernel ${release} (${machine.cpus} CPUs, ${Math.round(machine.memoryKiB / 1024)} MiB)\n`),
      onProgress: ({ found, read, path }) => {
        if (!started) {
          bar.start(found, 0, { path });
          started = true;
        }
        bar.update(read, { path });
      },
    }).finally(() => bar.stop()),
  (report) => {
    process.stderr.write(`${reportLines(report).join('\n')}\n`);
    return 0;
  },
);
