/**
 * Kernel release and machine shape, read from the same root the walk reads, so a fixture
 * tree describes its own "machine".
 */
import { readFile } from 'node:fs/promises';
import { machine as osMachine } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import { seriesOf } from '#core/paths.ts';

/** `0-3,6` → 5 CPUs. */
export function countCpuList(list: string): number {
  return list
    .trim()
    .split(',')
    .filter(Boolean)
    .reduce((total, range) => {
      const [from, to = from] = range.split('-').map(Number);
      return total + (to! - from! + 1);
    }, 0);
}

/** The `MemTotal:` line of /proc/meminfo, in KiB. */
export function memTotalKiB(meminfo: string): number {
  const match = /^MemTotal:\s+(\d+) kB/m.exec(meminfo);
  if (!match) throw new Error('no MemTotal line in meminfo');
  return Number(match[1]);
}

async function readText(root: string, path: string): Promise<string | undefined> {
  try {
    return await readFile(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
}

export async function describeKernel(root: string): Promise<Pick<Snapshot, 'kernel' | 'machine'>> {
  const release = (await readText(root, 'proc/sys/kernel/osrelease'))?.trim();
  if (!release) throw new Error(`cannot read ${join(root, 'proc/sys/kernel/osrelease')}: is this a /proc and /sys root?`);
  const cpuList = await readText(root, 'sys/devices/system/cpu/online');
  // Defaults such as kernel.pid_max scale with the CPUs the kernel allows for, not those online.
  const possibleList = await readText(root, 'sys/devices/system/cpu/possible');
  const meminfo = await readText(root, 'proc/meminfo');
  const cpus = cpuList ? countCpuList(cpuList) : 1;
  const possibleCpus = possibleList ? countCpuList(possibleList) : undefined;
  return {
    kernel: { release, series: seriesOf(release) },
    machine: {
      arch: (await readText(root, 'proc/sys/kernel/arch'))?.trim() || osMachine(),
      cpus,
      ...(possibleCpus !== undefined && possibleCpus >= cpus && { possibleCpus }),
      memoryKiB: meminfo ? memTotalKiB(meminfo) : 0,
    },
  };
}
