/**
 * npm run scrape -- --live | --root DIR [--out FILE]
 * Walks /proc/sys and /sys and writes one snapshot JSON.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { SNAPSHOT_SCHEMA_VERSION, snapshot, type Snapshot } from '#core/schemas/snapshot.ts';
import { describeKernel } from '../lib/walk/machine.ts';
import { walk } from '../lib/walk/walk.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

const program = new Command()
  .name('npm run scrape --')
  .description('Walk /proc/sys and /sys (read only) and write a snapshot JSON.')
  .option('--live', "walk this machine's own /proc/sys and /sys")
  .option('--root <dir>', 'walk a directory laid out like / (holding proc/sys and sys)')
  .option('--out <file>', 'snapshot file to write (default: content/snapshots/<source>-<release>.json)')
  .option('--max-bytes <n>', 'bytes kept of each value', positiveInt, 16384)
  .option('--timeout <ms>', 'abandon a read that blocks this long', positiveInt, 2000)
  .option('--reads <n>', 'read each file n times; values that change are runtime state', positiveInt, 2)
  .parse();

const options = program.opts<{ live?: boolean; root?: string; out?: string; maxBytes: number; timeout: number; reads: number }>();
if (Boolean(options.live) === Boolean(options.root)) program.error('give exactly one of --live or --root DIR');
const root = options.live ? '/' : options.root!;
const source = options.live ? 'live' : 'fixture';

const described = await describeKernel(root);
process.stderr.write(`scraping ${source} kernel ${described.kernel.release} (${described.machine.cpus} CPUs, ${Math.round(described.machine.memoryKiB / 1024)} MiB)\n`);

const bar = new cliProgress.SingleBar(
  { format: 'reading [{bar}] {value}/{total} {path}', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 3000, hideCursor: true },
  cliProgress.Presets.shades_classic,
);
let started = false;
const result = await walk({
  root,
  maxBytes: options.maxBytes,
  timeoutMs: options.timeout,
  reads: options.reads,
  onProgress: ({ found, read, path }) => {
    if (!started) {
      bar.start(found, 0, { path });
      started = true;
    }
    bar.update(read, { path });
  },
});
bar.stop();

const output: Snapshot = snapshot.parse({
  schemaVersion: SNAPSHOT_SCHEMA_VERSION,
  source,
  ...described,
  entries: result.entries,
  skipped: result.skipped,
  links: result.links,
});
const out = options.out ?? join('content/snapshots', `${source}-${described.kernel.release}.json`);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(output, null, 1)}\n`);

const byKind = (kind: string) => result.entries.filter((e) => e.kind === kind).length;
const lines = [
  `read ${result.entries.length} files (${byKind('sysctl')} sysctl, ${byKind('sysfs')} sysfs) in ${result.seconds.toFixed(1)} s`,
  ...result.skipped.map((s) => `skipped ${s.path}: ${s.reason}`),
  ...Object.entries(result.passedOver).map(([reason, n]) => `passed over ${n}: ${reason}`),
  ...Object.entries(result.errors).sort().map(([errno, n]) => `unreadable ${n}: ${errno}`),
  `wrote ${out}`,
];
process.stderr.write(`${lines.join('\n')}\n`);
