/** Ordering of kernel series and the kernel releases a set of pages was measured on. */
import type { ExportedKernelFacts } from './schemas/export.ts';
import type { KernelFacts, TunableFrontmatter } from './schemas/tunable.ts';

/**
 * The command line every reference boot has (scripts/refresh/boot.ts), so pages can say
 * what a "plain boot" is: `quiet` as on a Debian install, `panic=-1` so that a panic ends
 * the VM at once (it is kernel.panic's value on those boots), `no_timer_check` so that a
 * busy host cannot fail the emulated timer's early check.
 */
export const REFERENCE_COMMAND_LINE = 'console=ttyS0 quiet panic=-1 no_timer_check';

/**
 * Each architecture's reference command line: arm64's console is the virt board's PL011
 * (ttyAMA0), and the x86 timer check has no arm64 counterpart. Both set `panic=-1`.
 */
export const REFERENCE_COMMAND_LINES: Readonly<Record<string, string>> = {
  amd64: REFERENCE_COMMAND_LINE,
  arm64: 'console=ttyAMA0 quiet panic=-1',
};

/**
 * The word of the reference command line that sets one of these boot parameters, those its
 * boot probes saw set a tunable (`panic` → `panic=-1` for `kernel.panic`): the tunable's
 * measured default is then the boots' doing, not the kernel's own.
 */
export function referenceBootWord(parameters: readonly string[]): string | undefined {
  const words = REFERENCE_COMMAND_LINE.split(' ');
  return parameters.map((parameter) => words.find((word) => word.split('=')[0] === parameter)).find((word) => word !== undefined);
}

/**
 * The reference command line's word that set one kernel's measured default (`panic=-1`), if
 * any: the page, `explain` and lint then compare nothing with it. Takes the facts as the
 * pages hold them or as the export (lint's data) names them.
 */
export function referenceBootWordOf({ setAtBoot = [] }: Pick<KernelFacts, 'setAtBoot'> | Pick<ExportedKernelFacts, 'setAtBoot'>): string | undefined {
  return referenceBootWord(setAtBoot.map((set) => ('title' in set ? set.title : set.parameter)));
}

/**
 * The architecture every page was first measured on. Its kernels keep their series as
 * their id (`"6.1"`), so consumers of the export from before a second architecture keep
 * working; another architecture's kernel is `"6.1-arm64"`.
 */
export const PRIMARY_ARCH = 'amd64';

/**
 * The folder of the kernel source each architecture builds from: `arch/x86/` for amd64.
 * A file under another architecture's folder (`arch/arm64/kernel/process.c`,
 * `Documentation/arch/arm64/sve.rst`) says nothing about this one's kernel.
 */
export const KERNEL_SOURCE_ARCH: Readonly<Record<string, string>> = { amd64: 'x86', arm64: 'arm64' };

/**
 * The architecture folder a kernel tree's file belongs to (`arm64`), or undefined for a file
 * of every architecture: `arch/<dir>/…`, `Documentation/arch/<dir>/…`, and the layout before
 * 6.6 moved them, `Documentation/<dir>/…`, for the folders of KERNEL_SOURCE_ARCH.
 */
export function sourceArchOf(file: string): string | undefined {
  const dir = /^(?:Documentation\/)?arch\/([^/]+)\//.exec(file)?.[1] ?? /^Documentation\/([^/]+)\//.exec(file)?.[1];
  if (dir === undefined) return undefined;
  return file.startsWith('Documentation/') && !file.startsWith('Documentation/arch/') && !Object.values(KERNEL_SOURCE_ARCH).includes(dir) ? undefined : dir;
}

/** Debian's architecture name for what `uname -m` says; an unknown machine keeps its own name. */
const DEBIAN_ARCH: Readonly<Record<string, string>> = { x86_64: 'amd64', aarch64: 'arm64' };
export const debianArch = (unameMachine: string) => DEBIAN_ARCH[unameMachine] ?? unameMachine;

/** The key of one measured kernel in facts, the export and URLs: `6.1` (amd64), `6.1-arm64`. */
export const kernelId = (series: string, arch: string) => (arch === PRIMARY_ARCH ? series : `${series}-${arch}`);

const KERNEL_ID = /^(\d+\.\d+)(?:-([a-z0-9_]+))?$/;

/** The series and architecture a kernel id stands for; throws on anything else. */
export function parseKernelId(id: string): { series: string; arch: string } {
  const match = KERNEL_ID.exec(id);
  if (!match) throw new Error(`"${id}" is not a kernel id (series, then -arch for an architecture other than ${PRIMARY_ARCH}: 6.1, 6.1-arm64)`);
  return { series: match[1]!, arch: match[2] ?? PRIMARY_ARCH };
}

/** The id of the kernel a snapshot measured: its series and the architecture its machine reported. */
export const kernelIdOf = (snapshot: { kernel: { series: string }; machine: { arch: string } }) => kernelId(snapshot.kernel.series, debianArch(snapshot.machine.arch));

/**
 * The id of the kernel a per-kernel file measured (content/modules, content/accepted,
 * content/boot-probes): its series and `arch`, which files of the primary architecture
 * written before there was another leave out. The file must be named `<id>.json`.
 */
export const kernelIdOfFile = (file: { series: string; arch?: string | undefined }) => kernelId(file.series, file.arch ?? PRIMARY_ARCH);

/** Kernel ids by series (numerically), then the primary architecture first, then by name: `6.1`, `6.1-arm64`, `6.12`. */
export function compareKernelIds(a: string, b: string): number {
  const [x, y] = [parseKernelId(a), parseKernelId(b)];
  return compareSeries(x.series, y.series) || Number(x.arch !== PRIMARY_ARCH) - Number(y.arch !== PRIMARY_ARCH) || compareText(x.arch, y.arch);
}

/** Numeric order of `major.minor` series: `6.1` < `6.6` < `6.18`. */
export function compareSeries(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The kernel ids of one page (its `kernels` keys), oldest first. */
export function kernelIdsOfPage(kernels: TunableFrontmatter['kernels']): string[] {
  return Object.keys(kernels).sort(compareKernelIds);
}

/** Each kernel's items, oldest kernel first, one group per key with the ids of the kernels it appears on. */
export function acrossKernels<T>(kernels: TunableFrontmatter['kernels'], itemsOf: (facts: KernelFacts) => readonly T[], keyOf: (item: T) => string): { item: T; ids: string[] }[] {
  const groups = new Map<string, { item: T; ids: string[] }>();
  for (const id of kernelIdsOfPage(kernels)) {
    for (const item of itemsOf(kernels[id]!)) {
      const key = keyOf(item);
      const group = groups.get(key) ?? { item, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

/**
 * The newest of some kernel ids (in compareKernelIds order), as the site and the tools lead
 * with it: the newest series of the primary architecture when there is one, else the newest
 * of any architecture. A page keeps amd64's facts while amd64 has the tunable, a tunable only
 * arm64 has (`abi.swp`) still has facts to lead with, and the tools' default reference kernel
 * stays the newest amd64 one when arm64 kernels are measured too.
 */
export function newestKernelId(ordered: readonly string[]): string | undefined {
  return newestFirst(ordered)[0];
}

/**
 * Kernel ids (in compareKernelIds order) in the order to look for the newest statement of
 * something: the primary architecture's kernels newest first, then the others' newest first,
 * so a fact that amd64 and arm64 state alike is credited to amd64's kernel (newestKernelId).
 */
export function newestFirst(ordered: readonly string[]): string[] {
  const primary = (id: string) => parseKernelId(id).arch === PRIMARY_ARCH;
  return [...ordered.filter(primary).reverse(), ...ordered.filter((id) => !primary(id)).reverse()];
}

/** The facts a page leads with: those of its newest kernel (newestKernelId). */
export function newestFacts(kernels: TunableFrontmatter['kernels']): { id: string; facts: KernelFacts } {
  const id = newestKernelId(kernelIdsOfPage(kernels));
  if (id === undefined) throw new Error('a tunable page has no kernels');
  return { id, facts: kernels[id]! };
}

export interface KernelRelease {
  /** The key of its facts: `6.1`, `6.1-arm64` (kernelId). */
  id: string;
  series: string;
  /** Debian's name of its architecture: `amd64`, `arm64`. */
  arch: string;
  release: string;
  source: KernelFacts['source'];
}

/** How the site names where a kernel's values came from. */
export const SOURCE_LABELS: Record<KernelRelease['source'], string> = {
  live: 'a live host',
  qemu: 'booted under qemu',
  fixture: 'a test fixture',
};

/**
 * The kernels the site has measurements of, oldest first (compareKernelIds): those of the
 * pages some snapshot still measures. A vanished page keeps facts from kernels no snapshot
 * holds any more, and those must not appear as measured kernels. The generator keeps one
 * kernel per id; pages that disagree were edited by hand or mixed from two runs, and would
 * mislead.
 */
export function measuredKernels(pages: Iterable<Pick<TunableFrontmatter, 'kernels' | 'status' | 'title'>>): KernelRelease[] {
  const seen = new Map<string, KernelRelease & { title: string }>();
  for (const { kernels, status, title } of pages) {
    if (status !== 'present') continue;
    for (const [id, { release, source }] of Object.entries(kernels)) {
      const other = seen.get(id);
      if (!other) seen.set(id, { ...kernelRelease(id, release, source), title });
      else if (other.release !== release || other.source !== source) {
        throw new Error(`${other.title} says kernel ${id} is ${other.release} (${other.source}), ${title} says ${release} (${source}): regenerate the pages`);
      }
    }
  }
  return [...seen.values()].map(({ title: _, ...kernel }) => kernel).sort((a, b) => compareKernelIds(a.id, b.id));
}

/** One kernel as the site and the export name it, from its id. */
function kernelRelease(id: string, release: string, source: KernelRelease['source']): KernelRelease {
  return { id, ...parseKernelId(id), release, source };
}

export interface KernelRow extends KernelRelease {
  /** False for a kernel only a vanished page still remembers: it has no kernel page. */
  measured: boolean;
  /** Undefined when the tunable is not present on this kernel. */
  facts?: KernelFacts;
}

/**
 * The rows of a tunable's defaults table, oldest first: every measured kernel, plus any
 * kernel no snapshot measures any more that a vanished page still carries facts from.
 */
export function kernelRows(measured: readonly KernelRelease[], kernels: TunableFrontmatter['kernels']): KernelRow[] {
  const rows = new Map<string, KernelRow>(measured.map((kernel) => [kernel.id, { ...kernel, measured: true }]));
  for (const [id, facts] of Object.entries(kernels)) {
    rows.set(id, { ...kernelRelease(id, facts.release, facts.source), measured: rows.has(id), facts });
  }
  return [...rows.values()].sort((a, b) => compareKernelIds(a.id, b.id));
}

/**
 * A series as the check page offers it once an architecture is chosen: with the release of
 * that architecture's kernel (`5.10 (5.10.0-32-arm64)`: each arch's kernel of a series is
 * its own Debian build), or saying there is none.
 */
export function seriesChoiceLabel(series: string, arch: string, release: string | undefined): string {
  return release === undefined ? `${series} (no ${arch} kernel measured)` : `${series} (${release})`;
}

/** A kernel id as the operator tools name it to a reader: `6.1 (amd64)`, `6.1 (arm64)`. */
export function kernelLabel(id: string): string {
  const { series, arch } = parseKernelId(id);
  return `${series} (${arch})`;
}

/** The architectures of some kernel ids: the primary one first, then by name. */
export function archesOf(ids: Iterable<string>): string[] {
  const arches = new Set([...ids].map((id) => parseKernelId(id).arch));
  return [...arches].sort((a, b) => Number(a !== PRIMARY_ARCH) - Number(b !== PRIMARY_ARCH) || compareText(a, b));
}

/**
 * `abi.swp exists on arm64 only`, where every kernel that has a tunable (`ids`) is of other
 * architectures than `arch`; else undefined. The tools say this rather than "not on 6.1".
 */
export function otherArchOnly(name: string, ids: readonly string[], arch: string): string | undefined {
  const arches = archesOf(ids);
  return arches.length > 0 && !arches.includes(arch) ? `${name} exists on ${arches.join(' and ')} only` : undefined;
}
