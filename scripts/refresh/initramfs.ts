/**
 * Builds the initramfs the reference kernels boot: Debian's static busybox, /init and the
 * walker (scripts/refresh/vm/), and the walker's settings and hazard lists, written here
 * from scripts/lib/walk/hazards.ts so the VM skips exactly what the live scraper skips,
 * and the kernel's curated modules with their load order (modules.ts).
 * The archive is newc cpio, made by GNU cpio, uncompressed: every kernel reads it, and
 * decompressing under TCG would only cost boot time.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SYSFS_HAZARD_FILES, SYSFS_HAZARDS } from '../lib/walk/hazards.ts';
import { stageModules, type ModuleStep } from './modules.ts';
import { run } from '../lib/run.ts';
import { ARCH_PROFILES, type Arch } from './arch.ts';
import { BUSYBOX } from './tools.ts';

const VM_DIR = join(import.meta.dirname, 'vm');

/**
 * `full`: modules loaded one by one, each credited with the files it adds, and the
 * namespace tests; `values`: the same files read, the modules loaded together (credit.ts).
 */
export const WALK_KINDS = ['full', 'values'] as const;
export type WalkKind = (typeof WALK_KINDS)[number];

export interface WalkSettings {
  walk: WalkKind;
  /** Bytes kept of each value; the walker reads one more to tell a value was cut. */
  maxBytes: number;
  /** Seconds a read may block before it is killed and recorded as `timeout`. */
  readTimeoutSeconds: number;
  /** Reads per file: 2 tells runtime state from settings, as the live scraper does. */
  reads: number;
}

/**
 * A JavaScript RegExp on a file name as an ERE on a whole path (`grep -E`), e.g.
 * `/^rom$/` → `/(rom)$`. Only the syntax both share is accepted (plus `\d`); anything
 * else throws, so a new hazard pattern cannot silently match something else in the VM.
 */
export function fileNameEre(pattern: RegExp): string {
  const source = pattern.source.replace(/^\^/, '').replace(/\$$/, '');
  const ere = source.replaceAll('\\d', '[0-9]');
  if (/\\|\(\?/.test(ere) || pattern.flags !== '') throw new Error(`hazard pattern ${pattern} has syntax grep -E does not share`);
  const anchored = pattern.source.startsWith('^') ? '/' : '';
  return `${anchored}(${ere})${pattern.source.endsWith('$') ? '$' : ''}`;
}

/**
 * Files per head process. Larger batches start fewer processes; 256 paths stay far below
 * the argument limit. A batch gets ten seconds, far more than 256 reads take under TCG, so
 * only a read that blocks makes it fall back to one process per file.
 */
const BATCH = 256;
const BATCH_TIMEOUT_SECONDS = 10;

const tsv = (rows: readonly (readonly string[])[]) => rows.map((row) => `${row.join('\t')}\n`).join('');

/** The walker's data files, by path inside the initramfs. */
export function walkerConfig(settings: WalkSettings): Record<string, string> {
  return {
    'etc/walk.conf': [
      `WALK=${settings.walk}`,
      `MAX_BYTES=${settings.maxBytes}`,
      `READ_TIMEOUT=${settings.readTimeoutSeconds}`,
      `READS=${settings.reads}`,
      `BATCH=${BATCH}`,
      `BATCH_TIMEOUT=${BATCH_TIMEOUT_SECONDS}`,
      '',
    ].join('\n'),
    'etc/walk/hazard-dirs': tsv([...SYSFS_HAZARDS]),
    'etc/walk/hazard-files': tsv(SYSFS_HAZARD_FILES.map((hazard) => [fileNameEre(hazard.name), hazard.reason])),
  };
}

/** One line per load step: the module credited, then the modules to insmod in order. */
export function moduleSteps(steps: readonly ModuleStep[]): string {
  return tsv(steps.map((step) => [step.module, step.load.join(' ')]));
}

/** Which program /init runs: the walker, or the agent of the accepted-values probe. */
export type VmProgram = 'walk' | 'accept';

/** The arch the VM runs and its static busybox (the host's own for amd64). */
export interface VmTarget {
  arch: Arch;
  busybox: string;
}

/** Where /init sends the records and the agent's lines: the guest devices of the arch's data ports. */
export function portsConfig(arch: Arch): string {
  const profile = ARCH_PROFILES[arch];
  return `RECORDS=${profile.recordsDevice}\nAGENT=${profile.agentDevice}\n`;
}

/**
 * Writes a newc cpio of the walker (or the agent) to `out`, entries in a fixed order,
 * owned by root. With `modulesDir`, the curated modules of that kernel go in too (see modules.ts).
 */
export async function buildInitramfs(
  out: string,
  settings: WalkSettings,
  modulesDir?: string,
  program: VmProgram = 'walk',
  target: VmTarget = { arch: 'amd64', busybox: BUSYBOX },
): Promise<{ steps: ModuleStep[]; absent: string[] }> {
  const stage = await mkdtemp(join(dirname(out), '.stage-'));
  try {
    const dirs = ['bin', 'dev', 'etc', 'etc/walk', 'modules', 'proc', 'sys', 'tmp'];
    for (const dir of dirs) await mkdir(join(stage, dir), { recursive: true });
    const modules = modulesDir ? await stageModules(modulesDir, join(stage, 'modules')) : { steps: [], absent: [] };
    const files: Record<string, string> = {
      ...walkerConfig(settings),
      'etc/walk/modules': moduleSteps(modules.steps),
      'etc/walk/ports': portsConfig(target.arch),
      init: await readFile(join(VM_DIR, 'init'), 'utf8'),
      [`${program}.sh`]: await readFile(join(VM_DIR, `${program}.sh`), 'utf8'),
    };
    for (const [path, text] of Object.entries(files)) await writeFile(join(stage, path), text, { mode: path === 'init' ? 0o755 : 0o644 });
    await copyFile(target.busybox, join(stage, 'bin/busybox'));
    const kos = modules.steps.flatMap((step) => step.load.map((name) => `modules/${name}.ko`));
    const list = [...dirs, 'bin/busybox', ...Object.keys(files), ...kos].sort();
    const archive = await run('cpio', ['--create', '--format=newc', '--owner=0:0', '--reproducible', '--quiet'], { cwd: stage, input: `${list.join('\n')}\n` });
    await writeFile(out, archive);
    return modules;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
