/**
 * npm run refresh -- [--suites bullseye,bookworm,trixie,sid] [--shapes 1x1024,4x4096,1x4096]
 *                    [--out content/snapshots] [--timeout SECONDS] [--jobs N] [--update]
 *
 * For each Debian suite: resolve and fetch its current kernel, boot it under qemu in each
 * machine shape (the first shape twice, so values that differ between boots show up as
 * runtime state) and write one snapshot per boot. The default shapes pair up so that one
 * pair differs only in memory and another only in CPUs: the generator can then say what a
 * machine-scaled value follows. A kernel that fails is reported and the
 * others' snapshots are kept; the exit status is then non-zero.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import { seriesOf } from '#core/paths.ts';
import { bootSnapshot, parseShape, shapeName, type Shape } from './boot.ts';
import { buildInitramfs } from './initramfs.ts';
import { prepareKernel, resolveKernel, SUITES, type PreparedKernel } from '../lib/apt.ts';
import { limit } from './limit.ts';
import { checkTools } from './tools.ts';

const CACHE = '.cache';
const MAX_BYTES = 16384;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function list<T>(parse: (item: string) => T) {
  return (value: string): T[] => {
    try {
      return value.split(',').filter(Boolean).map(parse);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

const program = new Command()
  .name('npm run refresh --')
  .description('Boot Debian reference kernels under qemu, walk /proc/sys and /sys in each, write snapshots.')
  .option('--suites <list>', 'Debian suites whose current amd64 kernel to boot', list(String), [...SUITES])
  .option('--shapes <list>', 'machine shapes CPUSxMiB; the first is booted twice', list(parseShape), ['1x1024', '4x4096', '1x4096'].map(parseShape))
  .option('--out <dir>', 'folder for the snapshots', 'content/snapshots')
  .option('--timeout <seconds>', 'time limit of one boot, walk included', positiveInt, 300)
  .option('--jobs <n>', 'boots run at once', positiveInt, 2)
  .option('--update', 'run apt-get update for each suite first (otherwise only when its package lists are missing)')
  .parse();

const options = program.opts<{ suites: string[]; shapes: Shape[]; out: string; timeout: number; jobs: number; update?: boolean }>();
if (options.shapes.length === 0) program.error('give at least one shape');

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const say = (who: string, what: string) => process.stderr.write(`${elapsed()}  [${who}] ${what}\n`);

/** The boots of one kernel: every shape once, the first one twice. */
const boots = options.shapes.flatMap((shape, i) => (i === 0 ? [1, 2] : [1]).map((run) => ({ shape, run })));

interface BootSummary {
  shape: Shape;
  run: number;
  seconds: number;
  snapshot: Snapshot;
}

interface KernelOutcome {
  suite: string;
  release?: string;
  written: string[];
  failures: string[];
  boots: BootSummary[];
}

/** `852 sysctl (+143 with modules), 2515 sysfs (+518); per namespace: net 613, ipc 16, …` */
function describeSnapshot(snap: Snapshot): string {
  const count = (kind: string, module: boolean) => snap.entries.filter((e) => e.kind === kind && Boolean(e.module) === module).length;
  const scopes = new Map<string, number>();
  for (const e of snap.entries) if (e.namespace) scopes.set(e.namespace, (scopes.get(e.namespace) ?? 0) + 1);
  const perNamespace = [...scopes].map(([ns, n]) => `${ns} ${n}`).join(', ');
  return `${count('sysctl', false)} sysctl (+${count('sysctl', true)} with modules), ${count('sysfs', false)} sysfs (+${count('sysfs', true)}); per namespace: ${perNamespace || 'none'}`;
}

try {
  await checkTools();
} catch (error) {
  program.error((error as Error).message);
}

const dirs = { apt: join(CACHE, 'apt'), kernels: join(CACHE, 'kernels') };
const work = join(CACHE, 'refresh');
await mkdir(work, { recursive: true });
await mkdir(options.out, { recursive: true });
const bootSlot = limit(options.jobs);

const snapshotFile = (snap: Snapshot, shape: Shape, run: number) => `qemu-${snap.kernel.release}-${shape.cpus}cpu-${shape.memoryMiB}M-run${run}.json`;

/**
 * Earlier snapshots of the same kernel series (an older revision, or shapes no longer
 * booted) go once the new ones are all written: the generator wants one kernel per series.
 */
async function removeStale(series: string, written: string[]): Promise<string[]> {
  const stale = (await readdir(options.out)).filter((name) => {
    const release = /^qemu-(.+)-\d+cpu-\d+M-run\d+\.json$/.exec(name)?.[1];
    return release !== undefined && seriesOf(release) === series && !written.includes(name);
  });
  for (const name of stale) await rm(join(options.out, name));
  return stale;
}

async function refreshKernel(suite: string): Promise<KernelOutcome> {
  const outcome: KernelOutcome = { suite, written: [], failures: [], boots: [] };
  let kernel: PreparedKernel;
  try {
    say(suite, options.update ? 'apt-get update, resolve' : 'resolve');
    const resolved = await resolveKernel(suite, dirs, { update: options.update });
    kernel = await prepareKernel(resolved, dirs, (stage) => say(suite, stage));
    outcome.release = kernel.release;
    say(suite, `kernel ${kernel.release} (${resolved.version})${kernel.downloaded.length === 0 ? ', cached' : ''}`);
  } catch (error) {
    outcome.failures.push(`download: ${(error as Error).message}`);
    say(suite, `FAILED to fetch: ${(error as Error).message}`);
    return outcome;
  }
  const initrd = join(work, `${suite}.cpio`);
  try {
    const modules = await buildInitramfs(initrd, { maxBytes: MAX_BYTES, readTimeoutSeconds: 2, reads: 2 }, kernel.modulesDir);
    const absent = modules.absent.length > 0 ? `; not modules in this kernel: ${modules.absent.join(', ')}` : '';
    say(suite, `initramfs ${initrd}: loads ${modules.steps.map((step) => step.module).join(', ')}${absent}`);
  } catch (error) {
    outcome.failures.push(`initramfs: ${(error as Error).message}`);
    say(suite, `FAILED to build the initramfs: ${(error as Error).message}`);
    return outcome;
  }
  await Promise.all(
    boots.map(({ shape, run }) =>
      bootSlot(async () => {
        const who = `${suite} ${kernel.release} ${shapeName(shape)} run${run}`;
        try {
          say(who, 'boot');
          const result = await bootSnapshot({
            vmlinuz: kernel.vmlinuz,
            initrd,
            shape,
            run,
            maxBytes: MAX_BYTES,
            timeoutSeconds: options.timeout,
            workDir: join(work, 'boots', `${suite}-${shapeName(shape)}-run${run}`),
          });
          const file = snapshotFile(result.snapshot, shape, run);
          await writeFile(join(options.out, file), `${JSON.stringify(result.snapshot, null, 1)}\n`);
          outcome.boots.push({ shape, run, seconds: result.seconds, snapshot: result.snapshot });
          outcome.written.push(file);
          const { records } = result;
          for (const failure of records.moduleFailures) say(who, `module ${failure.module}: ${failure.file} did not load: ${failure.message}`);
          for (const test of records.namespaces.filter((n) => n.verdict.startsWith('untested'))) say(who, `${test.namespace} namespace, ${test.path}: ${test.verdict}`);
          const walk = records.stages.at(-1)!.uptime - records.stages[0]!.uptime;
          say(who, `${result.seconds.toFixed(1)} s (walk ${walk.toFixed(1)} s of VM time): ${describeSnapshot(result.snapshot)} → ${file}`);
        } catch (error) {
          outcome.failures.push(`boot ${shapeName(shape)} run${run}: ${(error as Error).message}`);
          say(who, `FAILED: ${(error as Error).message}`);
        }
      }),
    ),
  );
  if (outcome.failures.length === 0) {
    for (const name of await removeStale(seriesOf(kernel.release), outcome.written)) say(suite, `removed stale ${name}`);
  }
  return outcome;
}

const outcomes = await Promise.all(options.suites.map(refreshKernel));

const lines = outcomes.flatMap((o) => [
  `  ${o.suite} ${o.release ?? ''}: ${o.written.length} snapshot(s)${o.failures.length > 0 ? `, FAILED (${o.failures.length})` : ''}`,
  ...o.boots
    .sort((a, b) => options.shapes.indexOf(a.shape) - options.shapes.indexOf(b.shape) || a.run - b.run)
    .map((b) => `    ${shapeName(b.shape)} run${b.run} ${b.seconds.toFixed(0).padStart(3)} s: ${describeSnapshot(b.snapshot)}`),
]);
process.stderr.write(`\nrefresh finished in ${elapsed().trim()}, snapshots in ${options.out}\n${lines.join('\n')}\n`);
const failed = outcomes.filter((o) => o.failures.length > 0);
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.map((o) => o.suite).join(', ')}\n${failed.flatMap((o) => o.failures.map((f) => `  ${o.suite}: ${f}`)).join('\n')}\n`);
  process.exitCode = 1;
}
