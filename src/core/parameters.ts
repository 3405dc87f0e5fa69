/** Boot and module parameters: when each can be set, in the words pages and tools use. */
import type { ParamAccess } from './schemas/modules.ts';
import type { BootProbeFacts, KernelFacts, ParameterFacts, SettableAt, TunableFrontmatter } from './schemas/tunable.ts';
import { acrossKernels, newestFacts } from './kernels.ts';

/** When a module parameter can be set, from the permission bits of its sysfs file (0: it has none). */
export function accessOf(mode: number): ParamAccess {
  if (mode === 0) return 'load-time';
  return mode & 0o222 ? 'runtime' : 'read-only';
}

/** How pages and filters name each answer to "when can I set it?". */
export const SETTABLE_LABELS: Record<SettableAt, string> = {
  runtime: 'at runtime',
  'read-only': 'at load or boot (read-only at runtime)',
  'load-time': 'at load or boot only',
  boot: 'on the kernel command line only',
};

/** How a kernel has a parameter, as the tables say it. */
export const PRESENCE_LABELS: Record<ParameterFacts['presence'], string> = {
  module: 'loadable module',
  'built-in': 'built in',
  documented: 'only documented',
};

/**
 * When a tunable can be set, on the newest kernel that has it: a parameter's own answer; a
 * writable sysctl or sysfs file at runtime; null for a read-only file (never) or where not known.
 */
export function whenSettable(data: Pick<TunableFrontmatter, 'kernels' | 'writable'>): SettableAt | null {
  const { parameter } = newestFacts(data.kernels).facts;
  if (parameter) return parameter.settable;
  return data.writable ? 'runtime' : null;
}

export const isParameterKind = (kind: TunableFrontmatter['kind']): kind is 'boot' | 'module' => kind === 'boot' || kind === 'module';

/** Kernels whose probe of a parameter gave the same result, oldest first: one row of the page's table each. */
export interface ProbeRow {
  series: string[];
  probe: BootProbeFacts;
}

export function probeRows(kernels: TunableFrontmatter['kernels']): ProbeRow[] {
  return acrossKernels(kernels, (facts) => (facts.bootProbe ? [facts.bootProbe] : []), (probe) => JSON.stringify(probe)).map(({ item, series }) => ({ series, probe: item }));
}

/** A parameter that set a tunable at boot, with the kernels it did so on, oldest first. */
export interface SetAtBootRow {
  id: string;
  title: string;
  word: string;
  series: string[];
}

export function setAtBootRows(kernels: TunableFrontmatter['kernels']): SetAtBootRow[] {
  return acrossKernels(kernels, (facts) => facts.setAtBoot ?? [], ({ id, word }) => `${id} ${word}`).map(({ item, series }) => ({ ...item, series }));
}
