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
  /** Kernel ids. */
  ids: string[];
  probe: BootProbeFacts;
}

export function probeRows(kernels: TunableFrontmatter['kernels']): ProbeRow[] {
  return acrossKernels(kernels, (facts) => (facts.bootProbe ? [facts.bootProbe] : []), (probe) => JSON.stringify(probe)).map(({ item, ids }) => ({ ids, probe: item }));
}

/** A parameter that set a tunable at boot, with the kernels it did so on, oldest first. */
export interface SetAtBootRow {
  id: string;
  title: string;
  word: string;
  /** Kernel ids. */
  ids: string[];
}

export function setAtBootRows(kernels: TunableFrontmatter['kernels']): SetAtBootRow[] {
  return acrossKernels(kernels, (facts) => facts.setAtBoot ?? [], ({ id, word }) => `${id} ${word}`).map(({ item, ids }) => ({ ...item, ids }));
}

/**
 * The kernel-parameters.txt tags that name an architecture, upper-cased: those its legend
 * says "<arch> architecture is enabled" of (ARM, ARM64, IA-64, LOONGARCH, M68K, MIPS, PARISC,
 * PPC, RISCV, S390, SH, SPARC, X86-32, X86-64, XTENSA), X86 ("either 32-bit or 64-bit x86"),
 * and the spellings entries use beside the legend's (IA-32, RISC-V, RISCV64, PPC64s, LoongArch,
 * Loongson, UM for user-mode Linux…). IMA ("Integrity measurement architecture") is not one.
 */
const ARCHITECTURE_TAGS: ReadonlySet<string> = new Set(
  ['ARC', 'ARM', 'ARM64', 'HEXAGON', 'IA-32', 'IA-64', 'LOONGARCH', 'LOONGSON', 'M68K', 'MICROBLAZE', 'MIPS', 'PARISC', 'PPC', 'PPC64S', 'PPC_E500', 'PPC_FSL_BOOK3E']
    .concat(['RISCV', 'RISCV64', 'RISC-V', 'S390', 'SH', 'SPARC', 'UM', 'X86', 'X86-32', 'X86-64', 'XTENSA']),
);

/** The tags that name each Debian architecture measured: 32-bit x86 and 32-bit ARM are other kernels. */
const TAGS_OF_ARCH: Readonly<Record<string, readonly string[]>> = { amd64: ['X86', 'X86-64'], arm64: ['ARM64'] };

/**
 * Whether a kernel-parameters.txt entry is a parameter of that architecture's kernel: it is
 * unless every architecture it is tagged with is another (`[ARM64]` is not amd64's, `[X86]`
 * not arm64's; `[KNL]` alone is everyone's). `BUGS=X86` names an architecture too. An
 * architecture this table does not know keeps every entry: nothing says which are its.
 */
export function bootEntryOnArch(tags: readonly string[], arch: string): boolean {
  const own = TAGS_OF_ARCH[arch];
  const arches = tags.map((tag) => tag.toUpperCase().replace(/^BUGS=/, '')).filter((tag) => ARCHITECTURE_TAGS.has(tag));
  return own === undefined || arches.length === 0 || arches.some((tag) => own.includes(tag));
}
