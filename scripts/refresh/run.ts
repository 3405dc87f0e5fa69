/**
 * The refresh stage. For each Debian suite: resolve and fetch its current kernel, boot it
 * under qemu in each machine shape (the first shape twice, so values that differ between
 * boots show up as runtime state) and write one snapshot per boot. The default shapes pair
 * up so that one pair differs only in memory and another only in CPUs: the generator can
 * then say what a machine-scaled value follows. The last has 64 possible CPUs of which one
 * is online, as a machine with CPU hotplug slots: some defaults follow possible CPUs, and
 * only above 32 of them (kernel.pid_max). A kernel's first boot is a full walk (modules
 * credited one by one, namespace tests), the others values walks credited from it
 * (credit.ts). A kernel that fails is reported and the others' snapshots are kept. Import run() to refresh from code; `npm run refresh` is the
 * CLI around it (cli.ts).
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ACCEPTED_SCHEMA_VERSION, acceptedProbeList, acceptedResults, type AcceptedProbeList } from '#core/schemas/accepted.ts';
import { BOOT_PROBES_SCHEMA_VERSION, bootProbeList, bootProbeResults, type BootProbe } from '#core/schemas/boot-probes.ts';
import { kernelModules, MODULES_SCHEMA_VERSION } from '#core/schemas/modules.ts';
import { snapshot as snapshotSchema, type Snapshot } from '#core/schemas/snapshot.ts';
import { seriesOf } from '#core/paths.ts';
import { kernelId, PRIMARY_ARCH } from '#core/kernels.ts';
import { archCacheDir, fetchKernel, SUITES, type CacheDirs, type PreparedKernel } from '../lib/apt.ts';
import { readJsonChecked } from '../lib/json.ts';
import { OptionsError, requirePositiveInt, StageError } from '../lib/stage.ts';
import { planTargets, probeTargets } from './accepted.ts';
import { startAgent } from './agent.ts';
import { ARCHES, parseArches, type Arch } from './arch.ts';
import { bootSnapshot, parseShape, shapeName, type Shape } from './boot.ts';
import { busyboxFor } from './busybox.ts';
import { moduleCredits, type ModuleCredits } from './credit.ts';
import { buildInitramfs, WALK_KINDS, type WalkKind } from './initramfs.ts';
import { limit } from './limit.ts';
import { cachedModuleParams } from './module-params.ts';
import { attribute, batchWords, checkProbes } from './probes.ts';
import { checkTools } from './tools.ts';

export type { Shape } from './boot.ts';

const MAX_BYTES = 16384;

export const REFRESH_DEFAULTS = {
  suites: SUITES,
  arches: ARCHES,
  shapes: ['1x1024', '4x4096', '1x4096', '1/64x4096', '1x16384'].map(parseShape),
  out: 'content/snapshots',
  modulesOut: 'content/modules',
  probesOut: 'content/boot-probes',
  acceptedOut: 'content/accepted',
  // A hang guard: on a 2-core machine about 3× slower than that of 2026-11-30, full walks took up to 872 s beside other work.
  timeoutSeconds: 900,
  jobs: 2,
  cacheDir: '.cache',
} as const;

export interface RefreshOptions {
  /** Debian suites whose current kernel to boot (default: bullseye, bookworm, trixie, sid). */
  suites?: readonly string[];
  /** Architectures whose kernel of each suite to boot (default: amd64, arm64). */
  arches?: readonly string[];
  /** Machine shapes; the first is booted twice (default 1x1024, 4x4096, 1x4096, 1/64x4096, 1x16384). */
  shapes?: readonly Shape[];
  /** Folder for the snapshots (default content/snapshots). */
  out?: string;
  /** Folder for each kernel's module parameters, `<kernel id>.json` (default content/modules). */
  modulesOut?: string;
  /** Time limit of one boot, walk included, in seconds (default 300). */
  timeoutSeconds?: number;
  /** Boots run at once (default 2). */
  jobs?: number;
  /** Run apt-get update for each suite first (otherwise only when its package lists are missing). */
  update?: boolean;
  /**
   * A list of boot parameters to probe (`content/boot-probes.json`): instead of the plain
   * boots, boot each kernel with batches of them in the first shape and write what each
   * moved, against the plain boots of that shape already in `out`, to `probesOut`.
   */
  probes?: string;
  /** Folder for each kernel's probe results, `<kernel id>.json` (default content/boot-probes). */
  probesOut?: string;
  /**
   * The deny list of the accepted-values probe (`content/accepted-probes.json`): instead of
   * the plain boots, boot each kernel in the first shape with the probe's agent, find the
   * values each writable numeric sysctl of its plain walk in `out` accepts, and write them
   * to `acceptedOut`.
   */
  accepted?: string;
  /** Folder for each kernel's accepted values, `<kernel id>.json` (default content/accepted). */
  acceptedOut?: string;
  /** Probe only these sysctl names (`*` for any run of characters), e.g. to check the probe itself. */
  acceptedOnly?: readonly string[];
  /** apt state, kernel packages and boot work folders (default .cache). */
  cacheDir?: string;
  /** Told each step, by whom: a suite and arch (`bookworm arm64`), or a boot (`bookworm 6.1.0-1-amd64 1x1024 run1`). */
  onProgress?: (event: RefreshProgress) => void;
}

export interface RefreshProgress {
  who: string;
  message: string;
}

/** One boot of a kernel: the first shape is booted as run 1 and run 2, the others as run 1. */
export interface PlannedBoot {
  shape: Shape;
  run: number;
}

/** The options checked, with their defaults, and the boots each kernel gets. */
export interface RefreshPlan {
  suites: string[];
  arches: Arch[];
  shapes: Shape[];
  boots: PlannedBoot[];
  out: string;
  modulesOut: string;
  timeoutSeconds: number;
  jobs: number;
  update: boolean;
  /** When probing: the list of parameters and the folder for the results. */
  probes?: { file: string; out: string };
  /** When measuring accepted values: the deny list, the folder for the results, and the names to probe when not all. */
  accepted?: { file: string; out: string; only?: string[] };
  dirs: CacheDirs;
  /** Initramfs images and each boot's console log and records. */
  workDir: string;
}

/** What one snapshot holds, as the summary words it. */
export interface SnapshotCounts {
  sysctl: number;
  /** Sysctls that came with a module the walker loaded. */
  sysctlFromModules: number;
  sysfs: number;
  sysfsFromModules: number;
  /** Entries scoped to each namespace kind. */
  perNamespace: Record<string, number>;
}

export interface BootReport extends PlannedBoot {
  walk: WalkKind;
  /** The snapshot file written, in `out`. */
  file: string;
  /** Wall time of the boot, walk included. */
  seconds: number;
  /** The walk's own time, measured inside the VM. */
  walkSeconds: number;
  counts: SnapshotCounts;
}

export interface RefreshFailure {
  step: 'download' | 'modules' | 'initramfs' | 'boot' | 'probes' | 'accepted';
  /** For a boot: `1x1024 run2`. */
  boot?: string;
  reason: string;
}

export interface KernelReport {
  suite: string;
  arch: Arch;
  /** Known once the kernel was resolved and fetched. */
  release?: string;
  /** Snapshot files written, in `out`. */
  written: string[];
  /** The module parameters file written, in `modulesOut`. */
  modulesFile?: string;
  /** When probing: the results file written, in `probesOut`, and how many probes moved something. */
  probesFile?: string;
  probesMoving?: number;
  /** When measuring accepted values: the results file written, in `acceptedOut`, and how many sysctls got a range. */
  acceptedFile?: string;
  acceptedRanges?: number;
  /** Earlier snapshots of the same series removed (only when every boot succeeded). */
  removed: string[];
  /** In plan order. */
  boots: BootReport[];
  failures: RefreshFailure[];
}

export interface RefreshReport {
  out: string;
  seconds: number;
  /** In the order of the suites given. */
  kernels: KernelReport[];
  /** Suites with a failure (`bookworm`, or `bookworm arm64` for another arch); non-empty means the run failed. */
  failed: string[];
}

/** Checks the options (an OptionsError says what is wrong) and fills in the defaults. */
export function plan(options: RefreshOptions = {}): RefreshPlan {
  const suites = [...(options.suites ?? REFRESH_DEFAULTS.suites)];
  const shapes = [...(options.shapes ?? REFRESH_DEFAULTS.shapes)];
  if (suites.length === 0) throw new OptionsError('give at least one suite');
  let arches: Arch[];
  try {
    arches = parseArches(options.arches ?? REFRESH_DEFAULTS.arches);
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  if (arches.length === 0) throw new OptionsError('give at least one arch');
  if (shapes.length === 0) throw new OptionsError('give at least one shape');
  for (const suite of suites) if (!/^[a-z][a-z0-9-]*$/.test(suite)) throw new OptionsError(`suite "${suite}" is not a Debian suite name`);
  for (const shape of shapes) {
    try {
      parseShape(shapeName(shape));
    } catch (error) {
      throw new OptionsError((error as Error).message);
    }
  }
  const twice = (list: string[]) => list.find((item, i) => list.indexOf(item) !== i);
  const repeatedSuite = twice(suites);
  if (repeatedSuite) throw new OptionsError(`suite ${repeatedSuite} is given twice`);
  const repeatedArch = twice(arches);
  if (repeatedArch) throw new OptionsError(`arch ${repeatedArch} is given twice`);
  const repeatedShape = twice(shapes.map(shapeName));
  if (repeatedShape) throw new OptionsError(`shape ${repeatedShape} is given twice (the first shape is booted twice anyway)`);
  const cacheDir = options.cacheDir ?? REFRESH_DEFAULTS.cacheDir;
  if (options.probes !== undefined && options.accepted !== undefined) throw new OptionsError('give --probes or --accepted, not both: each boots in its own way');
  return {
    suites,
    arches,
    shapes,
    // Probing compares with the plain boots of the first shape: no plain boots then.
    boots: options.probes === undefined && options.accepted === undefined ? shapes.flatMap((shape, i) => (i === 0 ? [1, 2] : [1]).map((run) => ({ shape, run }))) : [],
    out: options.out ?? REFRESH_DEFAULTS.out,
    modulesOut: options.modulesOut ?? REFRESH_DEFAULTS.modulesOut,
    timeoutSeconds: requirePositiveInt('timeoutSeconds', options.timeoutSeconds ?? REFRESH_DEFAULTS.timeoutSeconds),
    jobs: requirePositiveInt('jobs', options.jobs ?? REFRESH_DEFAULTS.jobs),
    update: options.update ?? false,
    probes: options.probes === undefined ? undefined : { file: options.probes, out: options.probesOut ?? REFRESH_DEFAULTS.probesOut },
    accepted: options.accepted === undefined ? undefined : { file: options.accepted, out: options.acceptedOut ?? REFRESH_DEFAULTS.acceptedOut, ...(options.acceptedOnly ? { only: [...options.acceptedOnly] } : {}) },
    dirs: { apt: join(cacheDir, 'apt'), kernels: join(cacheDir, 'kernels') },
    workDir: join(cacheDir, 'refresh'),
  };
}

/** `qemu-6.1.0-42-amd64-4cpu-4096M-run1.json`; `qemu-6.1.0-42-amd64-1cpu-64possible-16384M-run1.json` with more CPUs possible than online. */
export const snapshotFile = (release: string, shape: Shape, run: number) =>
  `qemu-${release}-${shape.cpus}cpu-${shape.possibleCpus === undefined ? '' : `${shape.possibleCpus}possible-`}${shape.memoryMiB}M-run${run}.json`;

/** The kernel release a `snapshotFile` name holds; undefined for other files. */
export const releaseOfSnapshotFile = (name: string) => /^qemu-(.+)-\d+cpu-(?:\d+possible-)?\d+M-run\d+\.json$/.exec(name)?.[1];

/** The kernel id of a Debian kernel release, whose last word is its arch: `6.1.0-57-arm64` → `6.1-arm64`. */
export function kernelIdOfRelease(release: string): string {
  const arch = /-([a-z0-9]+)$/.exec(release)?.[1];
  if (!arch) throw new Error(`kernel release "${release}" does not end in a Debian arch name`);
  return kernelId(seriesOf(release), arch);
}

/** A shape's name as part of a folder name: `1/64x16384` → `1-64x16384`. */
const shapeFolder = (shape: Shape) => shapeName(shape).replace('/', '-');

export function snapshotCounts(snap: Snapshot): SnapshotCounts {
  const count = (kind: string, module: boolean) => snap.entries.filter((e) => e.kind === kind && Boolean(e.module) === module).length;
  const perNamespace: Record<string, number> = {};
  for (const e of snap.entries) if (e.namespace) perNamespace[e.namespace] = (perNamespace[e.namespace] ?? 0) + 1;
  return { sysctl: count('sysctl', false), sysctlFromModules: count('sysctl', true), sysfs: count('sysfs', false), sysfsFromModules: count('sysfs', true), perNamespace };
}

/** `852 sysctl (+143 with modules), 2515 sysfs (+518); per namespace: net 613, ipc 16, …` */
export function describeCounts(counts: SnapshotCounts): string {
  const perNamespace = Object.entries(counts.perNamespace).map(([ns, n]) => `${ns} ${n}`).join(', ');
  return `${counts.sysctl} sysctl (+${counts.sysctlFromModules} with modules), ${counts.sysfs} sysfs (+${counts.sysfsFromModules}); per namespace: ${perNamespace || 'none'}`;
}

/** `bookworm` for an amd64 kernel, `bookworm arm64` for another arch's. */
export const kernelLabel = (report: Pick<KernelReport, 'suite' | 'arch'>) => (report.arch === PRIMARY_ARCH ? report.suite : `${report.suite} ${report.arch}`);

export const failureText = (failure: RefreshFailure) => (failure.step === 'boot' ? `boot ${failure.boot}: ${failure.reason}` : `${failure.step}: ${failure.reason}`);

/**
 * Earlier snapshots of the same kernel (series and arch: an older revision, or shapes no
 * longer booted) go once the new ones are all written: the generator wants one kernel per
 * id. Another arch's snapshots of the series are another kernel's, and stay.
 */
async function removeStale(out: string, id: string, written: string[]): Promise<string[]> {
  const stale = (await readdir(out)).filter((name) => {
    const release = releaseOfSnapshotFile(name);
    return release !== undefined && kernelIdOfRelease(release) === id && !written.includes(name);
  });
  for (const name of stale) await rm(join(out, name));
  return stale;
}

/** The `arch` of a per-kernel file: absent for amd64, whose files came first (the schemas in src/core/schemas). */
const archField = (arch: Arch) => (arch === PRIMARY_ARCH ? {} : { arch });

/** Writes one kernel's data as `<kernel id>.json` in `dir`, indented for readable diffs; returns the file name. */
async function writeKernelFile(dir: string, id: string, data: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = `${id}.json`;
  await writeFile(join(dir, file), `${JSON.stringify(data, null, 1)}\n`);
  return file;
}

export async function run(options: RefreshOptions = {}): Promise<RefreshReport> {
  const planned = plan(options);
  const started = performance.now();
  const say = (who: string, message: string) => options.onProgress?.({ who, message });
  try {
    checkTools(planned.arches);
  } catch (error) {
    throw new StageError((error as Error).message, { cause: error });
  }
  await mkdir(planned.workDir, { recursive: true });
  await mkdir(planned.out, { recursive: true });
  await mkdir(planned.modulesOut, { recursive: true });
  const bootSlot = limit(planned.jobs);

  async function refreshKernel(suite: string, arch: Arch): Promise<KernelReport> {
    const report: KernelReport = { suite, arch, written: [], removed: [], boots: [], failures: [] };
    // Progress names the suite, and the arch when it is not amd64; folders and files name both the same way.
    const who = kernelLabel(report);
    const folder = basename(archCacheDir('', suite, arch));
    let kernel: PreparedKernel;
    let busybox: string;
    try {
      say(who, planned.update ? 'apt-get update, resolve' : 'resolve');
      kernel = await fetchKernel(suite, planned.dirs, { update: planned.update, arch }, (stage) => say(who, stage));
      busybox = await busyboxFor(arch, planned.dirs, (stage) => say(who, stage));
      report.release = kernel.release;
      say(who, `kernel ${kernel.release} (${kernel.version})${kernel.downloaded.length === 0 ? ', cached' : ''}`);
    } catch (error) {
      report.failures.push({ step: 'download', reason: (error as Error).message });
      say(who, `FAILED to fetch: ${(error as Error).message}`);
      return report;
    }
    // Probing boots need no module parameters: they were read with the plain boots.
    if (!planned.probes && !planned.accepted) {
      try {
        const { modules, cached } = await cachedModuleParams(kernel.modulesDir, kernel.version);
        const series = seriesOf(kernel.release);
        const data = kernelModules.parse({ schemaVersion: MODULES_SCHEMA_VERSION, series, ...archField(arch), release: kernel.release, modules });
        const file = await writeKernelFile(planned.modulesOut, kernelIdOfRelease(kernel.release), data);
        report.modulesFile = file;
        const params = modules.reduce((n, m) => n + m.params.length, 0);
        say(who, `${params} module parameters in ${modules.length} modules (${modules.filter((m) => m.builtIn).length} built in${cached ? ', read before' : ''}) → ${join(planned.modulesOut, file)}`);
      } catch (error) {
        // The boots do not need them: report and go on.
        report.failures.push({ step: 'modules', reason: (error as Error).message });
        say(who, `FAILED to read the module parameters: ${(error as Error).message}`);
      }
    }
    // The accepted-values agent, or the walker: a full walk for the kernel's first boot, a values walk for the others (credit.ts).
    const program = acceptedList ? 'accept' : 'walk';
    const initrds: Record<WalkKind, string> = {
      full: join(planned.workDir, `${folder}${acceptedList ? '-accept' : ''}.cpio`),
      values: join(planned.workDir, `${folder}-values.cpio`),
    };
    try {
      for (const walk of acceptedList ? (['full'] as const) : WALK_KINDS) {
        const modules = await buildInitramfs(initrds[walk], { walk, maxBytes: MAX_BYTES, readTimeoutSeconds: 2, reads: 2 }, kernel.modulesDir, program, { arch, busybox });
        const absent = modules.absent.length > 0 ? `; not modules in this kernel: ${modules.absent.join(', ')}` : '';
        if (walk === 'full') say(who, `initramfs ${initrds.full}: loads ${modules.steps.map((step) => step.module).join(', ')}${absent}`);
      }
    } catch (error) {
      report.failures.push({ step: 'initramfs', reason: (error as Error).message });
      say(who, `FAILED to build the initramfs: ${(error as Error).message}`);
      return report;
    }
    if (probeList) {
      await probeKernel(report, kernel, initrds, probeList, folder);
      return report;
    }
    if (acceptedList) {
      await bootSlot(() => acceptKernel(report, kernel, initrds.full, acceptedList!, folder));
      return report;
    }
    /** Boots once and writes the snapshot; with credits, a values walk credited from them. */
    const bootOnce = async ({ shape, run }: PlannedBoot, credits?: ModuleCredits): Promise<Snapshot | undefined> => {
      const walk: WalkKind = credits ? 'values' : 'full';
      const who = `${suite} ${kernel.release} ${shapeName(shape)} run${run}`;
      try {
        say(who, `boot (${walk} walk)`);
        const result = await bootSnapshot({
          arch,
          vmlinuz: kernel.vmlinuz,
          initrd: initrds[walk],
          shape,
          run,
          maxBytes: MAX_BYTES,
          timeoutSeconds: planned.timeoutSeconds,
          workDir: join(planned.workDir, 'boots', `${folder}-${shapeFolder(shape)}-run${run}`),
          credits,
        });
        const file = snapshotFile(result.snapshot.kernel.release, shape, run);
        await writeFile(join(planned.out, file), `${JSON.stringify(result.snapshot, null, 1)}\n`);
        const { records } = result;
        const walkSeconds = records.stages.at(-1)!.uptime - records.stages[0]!.uptime;
        const counts = snapshotCounts(result.snapshot);
        report.boots.push({ shape, run, walk, file, seconds: result.seconds, walkSeconds, counts });
        report.written.push(file);
        for (const failure of records.moduleFailures) say(who, `module ${failure.module}: ${failure.file} did not load: ${failure.message}`);
        if (result.uncredited.length > 0) say(who, `${result.uncredited.length} file(s) came with the modules but the full walk credits none of their tunables, left without a module: ${result.uncredited.slice(0, 5).join(', ')}${result.uncredited.length > 5 ? ', …' : ''}`);
        const possible = result.snapshot.machine.possibleCpus;
        if (shape.possibleCpus !== undefined && possible !== shape.possibleCpus) {
          // 6.12 and later count qemu's hotplug slots only under a hypervisor they know (KVM), not under TCG (boot.ts).
          say(who, `asked for ${shape.possibleCpus} possible CPUs, the kernel has ${possible}: the snapshot says what it has`);
        }
        for (const test of records.namespaces.filter((n) => n.verdict.startsWith('untested'))) say(who, `${test.namespace} namespace, ${test.path}: ${test.verdict}`);
        say(who, `${result.seconds.toFixed(1)} s (walk ${walkSeconds.toFixed(1)} s of VM time): ${describeCounts(counts)} → ${file}`);
        return result.snapshot;
      } catch (error) {
        report.failures.push({ step: 'boot', boot: `${shapeName(shape)} run${run}`, reason: (error as Error).message });
        say(who, `FAILED: ${(error as Error).message}`);
        return undefined;
      }
    };
    // The full walk first; the other boots wait for it so they can run values walks, and
    // walk fully themselves if it failed: one boot failing costs no other its snapshot.
    const [first, ...others] = planned.boots;
    const full = first && (await bootSlot(() => bootOnce(first)));
    const credits = full ? moduleCredits(full) : undefined;
    await Promise.all(others.map((boot) => bootSlot(() => bootOnce(boot, credits))));
    report.boots.sort((a, b) => planned.shapes.indexOf(a.shape) - planned.shapes.indexOf(b.shape) || a.run - b.run);
    if (report.failures.length === 0) {
      report.removed = await removeStale(planned.out, kernelIdOfRelease(kernel.release), report.written);
      for (const name of report.removed) say(who, `removed stale ${name}`);
    }
    return report;
  }

  /**
   * Boots the kernel once per batch of probes in the first shape and writes what each
   * probe moved against the two plain boots of that shape in `out`. Every batch must
   * boot: without one, no probe's pair of boots is whole.
   */
  async function probeKernel(report: KernelReport, kernel: PreparedKernel, initrds: Record<WalkKind, string>, probes: BootProbe[], folder: string): Promise<void> {
    const shape = planned.shapes[0]!;
    const suite = kernelLabel(report);
    let baselines: Snapshot[];
    const baselineFiles = [1, 2].map((run) => snapshotFile(kernel.release, shape, run));
    try {
      baselines = await Promise.all(baselineFiles.map((file) => readJsonChecked(join(planned.out, file), snapshotSchema, 'snapshot')));
    } catch (error) {
      report.failures.push({ step: 'probes', reason: `the plain boots ${baselineFiles.join(' and ')} of ${kernel.release} are needed in ${planned.out} (run npm run refresh first): ${(error as Error).message}` });
      say(suite, `FAILED: ${report.failures.at(-1)!.reason}`);
      return;
    }
    const batches = batchWords(probes);
    // Values walks, their module files credited from the first plain boot (a full walk): probes compare values.
    const credits = moduleCredits(baselines[0]!);
    say(suite, `${probes.length} probes in ${batches.length} boots of ${shapeName(shape)}, each probe in two`);
    const boots: (Snapshot | undefined)[] = [];
    await Promise.all(
      batches.map((words, i) =>
        bootSlot(async () => {
          const who = `${suite} ${kernel.release} ${shapeName(shape)} probes ${i + 1}/${batches.length}`;
          try {
            say(who, `boot with ${words.join(' ')}`);
            const result = await bootSnapshot({
              arch: report.arch,
              vmlinuz: kernel.vmlinuz,
              initrd: initrds.values,
              shape,
              run: 1,
              maxBytes: MAX_BYTES,
              timeoutSeconds: planned.timeoutSeconds,
              extraWords: words,
              credits,
              workDir: join(planned.workDir, 'boots', `${folder}-${shapeFolder(shape)}-probes${i + 1}`),
            });
            boots[i] = result.snapshot;
            for (const failure of result.records.moduleFailures) say(who, `module ${failure.module}: ${failure.file} did not load: ${failure.message}`);
            say(who, `${result.seconds.toFixed(1)} s: ${describeCounts(snapshotCounts(result.snapshot))}`);
          } catch (error) {
            report.failures.push({ step: 'boot', boot: `${shapeName(shape)} probes ${i + 1}`, reason: (error as Error).message });
            say(who, `FAILED: ${(error as Error).message}`);
          }
        }),
      ),
    );
    if (report.failures.length > 0) return;
    const releases = new Set([...baselines, ...boots].map((snap) => snap!.kernel.release));
    if (releases.size > 1) {
      report.failures.push({ step: 'probes', reason: `the plain and the probe boots ran different kernels: ${[...releases].join(', ')}` });
      return;
    }
    const attribution = attribute({ probes, baselines, boots: boots as Snapshot[] });
    const series = seriesOf(kernel.release);
    const results = bootProbeResults.parse({
      schemaVersion: BOOT_PROBES_SCHEMA_VERSION,
      series,
      ...archField(report.arch),
      release: kernel.release,
      shape,
      baselines: baselineFiles,
      batches,
      ...attribution,
    });
    const file = await writeKernelFile(planned.probes!.out, kernelIdOfRelease(kernel.release), results);
    report.probesFile = file;
    report.probesMoving = results.probes.filter((probe) => probe.moved.length > 0).length;
    say(suite, `${report.probesMoving} of ${probes.length} probes moved a tunable; ${results.unattributed.length} files unattributed, ${results.volatile} volatile → ${join(planned.probes!.out, file)}`);
  }

  /**
   * Boots the probe's agent in the first shape and measures the accepted values of every
   * writable numeric sysctl of this kernel's plain walk (run 1 of that shape, in `out`).
   * One VM at a time per kernel; a VM that dies is replaced and the target it died on is
   * recorded, so nothing measured before or after it is lost.
   */
  async function acceptKernel(report: KernelReport, kernel: PreparedKernel, initrd: string, list: AcceptedProbeList, folder: string): Promise<void> {
    const shape = planned.shapes[0]!;
    const suite = kernelLabel(report);
    const walkFile = snapshotFile(kernel.release, shape, 1);
    let walk: Snapshot;
    try {
      walk = await readJsonChecked(join(planned.out, walkFile), snapshotSchema, 'snapshot');
    } catch (error) {
      report.failures.push({ step: 'accepted', reason: `the plain boot ${walkFile} of ${kernel.release} is needed in ${planned.out} (run npm run refresh first): ${(error as Error).message}` });
      say(suite, `FAILED: ${report.failures.at(-1)!.reason}`);
      return;
    }
    const { targets, left } = planTargets(walk.entries, list.deny, planned.accepted!.only);
    say(suite, `${targets.length} writable numeric sysctls to probe in ${shapeName(shape)}; ${left.length} left out`);
    const started = performance.now();
    let boot = 0;
    const who = () => `${suite} ${kernel.release} ${shapeName(shape)} accepted${boot > 1 ? ` boot ${boot}` : ''}`;
    const probed = await probeTargets(
      targets,
      async () => {
        boot++;
        say(who(), 'boot');
        const agent = await startAgent({
          arch: report.arch,
          vmlinuz: kernel.vmlinuz,
          initrd,
          shape,
          timeoutSeconds: planned.timeoutSeconds,
          operationSeconds: 30,
          workDir: join(planned.workDir, 'boots', `${folder}-${shapeFolder(shape)}-accepted${boot}`),
        });
        say(who(), `agent ready after ${agent.readySeconds.toFixed(1)} s`);
        return agent;
      },
      {
        onTarget: (i, path) => (i % 100 === 0 ? say(who(), `${i}/${targets.length} ${path}`) : undefined),
        // Slow writes (tracing switches patch code under TCG) are worth knowing when the run is long.
        onProbed: (path, seconds) => (seconds > 10 ? say(who(), `${path} took ${seconds.toFixed(0)} s`) : undefined),
      },
    );
    for (const killed of probed.killed) say(suite, `the VM died probing ${killed.path}: ${killed.reason.split('\n')[0]}`);
    for (const result of probed.results.filter((r) => r.notRestored !== undefined)) say(suite, `${result.path} reads "${result.notRestored}" after its probe, not "${result.original}"`);
    const series = seriesOf(kernel.release);
    const results = acceptedResults.parse({
      schemaVersion: ACCEPTED_SCHEMA_VERSION,
      series,
      ...archField(report.arch),
      release: kernel.release,
      shape,
      targetsFrom: walkFile,
      boots: probed.boots,
      seconds: Math.round((performance.now() - started) / 1000),
      results: probed.results,
      left,
      skipped: probed.skipped,
      killed: probed.killed,
      changedAfter: probed.changedAfter,
    });
    const file = await writeKernelFile(planned.accepted!.out, kernelIdOfRelease(kernel.release), results);
    report.acceptedFile = file;
    report.acceptedRanges = results.results.length;
    say(suite, `${results.results.length} ranges, ${results.skipped.length} skipped, ${results.killed.length} killed, ${results.changedAfter.length} changed after, in ${results.seconds} s and ${results.boots} boot(s) → ${join(planned.accepted!.out, file)}`);
  }

  let acceptedList: AcceptedProbeList | undefined;
  if (planned.accepted) {
    try {
      acceptedList = await readJsonChecked(planned.accepted.file, acceptedProbeList, 'accepted-values deny list');
    } catch (error) {
      throw new StageError((error as Error).message, { cause: error });
    }
  }

  let probeList: BootProbe[] | undefined;
  if (planned.probes) {
    try {
      probeList = (await readJsonChecked(planned.probes.file, bootProbeList, 'boot probe list')).probes;
      checkProbes(probeList, planned.probes.file);
    } catch (error) {
      throw new StageError((error as Error).message, { cause: error });
    }
  }

  // Every arch's kernel of a suite, then the next suite: one arch's failure touches nothing of another's.
  const kernels = await Promise.all(planned.suites.flatMap((suite) => planned.arches.map((arch) => refreshKernel(suite, arch))));
  return {
    out: planned.out,
    seconds: (performance.now() - started) / 1000,
    kernels,
    failed: kernels.filter((k) => k.failures.length > 0).map(kernelLabel),
  };
}

/** The report as the CLI prints it after the progress lines. */
export function reportLines(report: RefreshReport): string[] {
  const lines = [
    '',
    `refresh finished in ${report.seconds.toFixed(0)} s, snapshots in ${report.out}`,
    ...report.kernels.flatMap((k) => [
      `  ${kernelLabel(k)} ${k.release ?? ''}: ${k.probesFile ? `${k.probesMoving} probes moved something, results in ${k.probesFile}` : k.acceptedFile ? `${k.acceptedRanges} accepted ranges in ${k.acceptedFile}` : `${k.written.length} snapshot(s)`}${k.modulesFile ? `, module parameters in ${k.modulesFile}` : ''}${k.failures.length > 0 ? `, FAILED (${k.failures.length})` : ''}`,
      ...k.boots.map((b) => `    ${shapeName(b.shape)} run${b.run} ${b.walk.padEnd(6)} ${b.seconds.toFixed(0).padStart(3)} s: ${describeCounts(b.counts)}`),
    ]),
  ];
  const failed = report.kernels.filter((k) => k.failures.length > 0);
  if (failed.length > 0) {
    lines.push('', `failed: ${failed.map(kernelLabel).join(', ')}`, ...failed.flatMap((k) => k.failures.map((f) => `  ${kernelLabel(k)}: ${failureText(f)}`)));
  }
  return lines;
}
