/**
 * Boots one kernel under qemu (TCG: KVM does not work on these machines) with the walker
 * initramfs, under a hard time limit, and turns what the walker wrote into a snapshot.
 * The kernel console goes to one file (qemu's first serial port), the records to another
 * (a second port: arch.ts says which device the guest sees).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { REFERENCE_COMMAND_LINES } from '#core/kernels.ts';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import { ARCH_PROFILES, type Arch } from './arch.ts';
import { creditModules, type ModuleCredits } from './credit.ts';
import { writeDeviceTree } from './device-tree.ts';
import { parseRecords, recordsToSnapshot, type WalkRecords } from './records.ts';

export interface Shape {
  /** Online CPUs. */
  cpus: number;
  /**
   * Possible CPUs, when more than online: the kernel sizes some defaults by them
   * (kernel.pid_max, 1024 per possible CPU above 32), and a machine with CPU hotplug
   * slots has more of them than it runs. Absent: as many as online.
   */
  possibleCpus?: number;
  memoryMiB: number;
}

const SHAPE = /^(\d+)(?:\/(\d+))?x(\d+)$/;

/** `4x4096` → 4 CPUs, 4096 MiB; `1/64x16384` → 1 CPU online of 64 possible, 16384 MiB. */
export function parseShape(text: string): Shape {
  const match = SHAPE.exec(text.trim());
  const cpus = Number(match?.[1]);
  const possible = match?.[2] === undefined ? cpus : Number(match[2]);
  const memoryMiB = Number(match?.[3]);
  if (!match || cpus < 1 || memoryMiB < 128 || possible < cpus) {
    throw new Error(`shape "${text}" is not CPUSxMEBIBYTES or CPUS/POSSIBLExMEBIBYTES (at least 1x128, possible at least online), e.g. 4x4096 or 1/64x16384`);
  }
  // As many possible as online is the plain shape: one name and one snapshot file for one machine.
  return possible > cpus ? { cpus, possibleCpus: possible, memoryMiB } : { cpus, memoryMiB };
}

export const shapeName = (shape: Shape) => `${shape.cpus}${shape.possibleCpus === undefined ? '' : `/${shape.possibleCpus}`}x${shape.memoryMiB}`;

export interface BootOptions {
  /** Which qemu, machine and ports (arch.ts); amd64 when not given. */
  arch?: Arch;
  vmlinuz: string;
  initrd: string;
  shape: Shape;
  /** Where the console log and the records are written (kept for diagnosis). */
  workDir: string;
  timeoutSeconds: number;
  /** Command-line words after the fixed ones (a later word wins: `panic=7` after `panic=-1`). */
  extraWords?: readonly string[];
  /** A Unix socket qemu listens on as the third serial port: the accepted-values agent's line to the host. */
  agentSocket?: string;
  /** The device tree that lists the shape's possible CPUs, where the arch's offline CPUs come from one (`withDeviceTree`). */
  deviceTree?: string;
}

/**
 * `quiet` as on a Debian install (it sets the console log level, which kernel.printk then
 * reads); the walk does not silence the console itself, since that would change the
 * kernel.printk it measures, and the records travel on their own port anyway.
 * `no_timer_check`, as cloud images boot: under TCG on a busy host the kernel's early
 * check of the IO-APIC timer can miss its window and panic ("IO-APIC + timer doesn't
 * work!"); the check guards real hardware and no tunable depends on it.
 */
/** The arch's reference command line, `maxcpus=` for a shape with more possible CPUs than online, then the boot's own words. */
export function commandLine(options: Pick<BootOptions, 'arch' | 'shape' | 'extraWords'>): string {
  const offline = options.shape.possibleCpus === undefined ? [] : [`maxcpus=${options.shape.cpus}`];
  return [REFERENCE_COMMAND_LINES[options.arch ?? 'amd64'], ...offline, ...(options.extraWords ?? [])].join(' ');
}

export const qemuProgram = (options: Pick<BootOptions, 'arch'>) => ARCH_PROFILES[options.arch ?? 'amd64'].qemu;

const fromDeviceTree = (options: Pick<BootOptions, 'arch' | 'shape'>) =>
  ARCH_PROFILES[options.arch ?? 'amd64'].offlineCpus === 'device-tree' && options.shape.possibleCpus !== undefined;

export function qemuArgs(options: BootOptions): string[] {
  const profile = ARCH_PROFILES[options.arch ?? 'amd64'];
  if (fromDeviceTree(options) && !options.deviceTree) throw new Error(`a ${shapeName(options.shape)} boot of ${profile.arch} needs the device tree of its possible CPUs (withDeviceTree)`);
  return [
    ...profile.machineArgs,
    '-m', String(options.shape.memoryMiB),
    // Possible CPUs beyond the online ones are CPUs the kernel leaves offline (`maxcpus=` on
    // its command line). On amd64 qemu runs them (`present`): its empty hotplug slots
    // (`-smp 1,maxcpus=64`) count as possible on 5.10 and 6.1 only, since 6.12 counts them
    // under a hypervisor it knows (acpi_is_processor_usable), and TCG is none. On arm64 the
    // device tree lists them (device-tree.ts). The walker records what the kernel counted.
    '-smp', String(fromDeviceTree(options) ? options.shape.cpus : (options.shape.possibleCpus ?? options.shape.cpus)),
    ...(fromDeviceTree(options) ? ['-dtb', options.deviceTree!] : []),
    '-kernel', options.vmlinuz,
    '-initrd', options.initrd,
    '-append', commandLine(options),
    '-display', 'none',
    '-monitor', 'none',
    '-no-reboot',
    '-serial', `file:${join(options.workDir, 'console.log')}`,
    ...profile.dataPorts(join(options.workDir, 'records.txt'), options.agentSocket),
  ];
}

/** The options with the device tree the shape needs on its arch, written to the work folder; unchanged where none is needed. */
export async function withDeviceTree(options: BootOptions): Promise<BootOptions> {
  if (!fromDeviceTree(options)) return options;
  const profile = ARCH_PROFILES[options.arch ?? 'amd64'];
  const deviceTree = join(options.workDir, 'possible-cpus.dtb');
  try {
    await writeDeviceTree(profile.qemu, profile.machineArgs, options.shape.possibleCpus!, options.shape.memoryMiB, deviceTree);
  } catch (error) {
    throw new BootError(`cannot make the device tree of ${options.shape.possibleCpus} possible CPUs: ${(error as Error).message}`);
  }
  return { ...options, deviceTree };
}

export class BootError extends Error {}

export const tail = (text: string, lines = 15) => text.trimEnd().split('\n').slice(-lines).join('\n');

/** How far a walk got, from the records written before it stopped. */
export function lastStage(data: string): string {
  const stages = data.split('\n').filter((line) => /^(BEGIN|T|END)\t/.test(line));
  const last = stages.at(-1)?.split('\t');
  if (!last) return 'the walker never started';
  return last[0] === 'T' ? `the walk's last stage was "${last[1]}"` : last[0] === 'END' ? 'the walk had ended' : 'the walk had begun';
}

export interface BootResult {
  records: WalkRecords;
  seconds: number;
}

/** Boots, waits for the VM to power off (or kills it at the time limit), and parses the records. */
export async function bootAndWalk(options: BootOptions): Promise<BootResult> {
  await rm(options.workDir, { recursive: true, force: true });
  await mkdir(options.workDir, { recursive: true });
  const started = performance.now();
  const boot = await withDeviceTree(options);
  const outcome = await new Promise<{ code: number | null; timedOut: boolean; stderr: string }>((resolve, reject) => {
    const qemu = spawn(qemuProgram(boot), qemuArgs(boot), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    qemu.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      qemu.kill('SIGKILL');
    }, options.timeoutSeconds * 1000);
    qemu.on('error', (error) => {
      clearTimeout(timer);
      reject(new BootError(`cannot start ${qemuProgram(options)}: ${error.message}`));
    });
    qemu.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, stderr });
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const console = await readFile(join(options.workDir, 'console.log'), 'utf8').catch(() => '');
  const data = await readFile(join(options.workDir, 'records.txt'), 'utf8').catch(() => '');
  const why = outcome.timedOut
    ? `killed after the time limit of ${options.timeoutSeconds} s; ${lastStage(data)}`
    : outcome.code !== 0
      ? `qemu exited with ${outcome.code}: ${outcome.stderr.trim()}`
      : undefined;
  try {
    if (why) throw new BootError(why);
    return { records: parseRecords(data), seconds };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const log = join(options.workDir, 'console.log');
    const shown = console.trim() ? `, last lines:\n${tail(console).replace(/^/gm, '    ')}` : ' is empty';
    throw new BootError(`${message}\n  console (${log})${shown}`);
  }
}

/**
 * Boots and makes the snapshot. A values walk's module files are credited from `credits`
 * (the kernel's full walk); `uncredited` lists those it could not credit.
 */
export async function bootSnapshot(
  options: BootOptions & { run: number; maxBytes: number; credits?: ModuleCredits },
): Promise<BootResult & { snapshot: Snapshot; uncredited: string[] }> {
  const walked = await bootAndWalk(options);
  const { records, uncredited } = options.credits ? creditModules(walked.records, options.credits) : { records: walked.records, uncredited: [] };
  const cpuModel = ARCH_PROFILES[options.arch ?? 'amd64'].cpuModel;
  return { records, seconds: walked.seconds, uncredited, snapshot: recordsToSnapshot(records, { run: options.run, maxBytes: options.maxBytes, cpuModel }) };
}
