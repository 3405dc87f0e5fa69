/**
 * The architectures side by side: which of them a tunable has, and a tunable's defaults
 * per series with the architectures folded together where they agree. Pure: the tunable
 * page's defaults table and badges, and the arch differences page, read them.
 */
import { compareKernelIds, parseKernelId, referenceBootWordOf, type KernelRow } from './kernels.ts';
import type { KernelFacts } from './schemas/tunable.ts';
import { defaultText, scopeText } from './values.ts';

/**
 * The machine qemu emulates for each architecture's reference boots, its program and board:
 * scripts/refresh/arch.ts boots with them, and kernel pages name them. amd64 boots qemu's
 * default board (`pc`). The CPU is not here: each kernel's boots record it (content/kernels.json).
 */
export const QEMU_MACHINES = {
  amd64: { program: 'qemu-system-x86_64', board: undefined },
  arm64: { program: 'qemu-system-aarch64', board: 'virt,gic-version=3' },
} as const satisfies Record<string, { program: string; board: string | undefined }>;

/** `qemu-system-aarch64 -M virt,gic-version=3`, the machine part of the command that booted a kernel of `arch`; undefined for an arch the refresh does not boot. */
export function qemuMachineText(arch: string): string | undefined {
  const machine = (QEMU_MACHINES as Record<string, { program: string; board: string | undefined }>)[arch];
  return machine && (machine.board === undefined ? machine.program : `${machine.program} -M ${machine.board}`);
}

/** The architectures of some kernel ids, in compareKernelIds order: the primary first. */
export function archesOf(ids: Iterable<string>): string[] {
  const first = new Map<string, string>();
  for (const id of [...ids].sort(compareKernelIds)) {
    const { arch } = parseKernelId(id);
    if (!first.has(arch)) first.set(arch, id);
  }
  return [...first.keys()];
}

/**
 * The one architecture a tunable has while the site measured more than one (`abi.swp` is
 * arm64's alone): its "arm64 only" badge. Undefined where it has several, or where the site
 * measured one architecture only (every tunable would be "amd64 only").
 * @param measured every kernel id the site measured
 * @param present the ids of the kernels that have the tunable
 */
export function onlyArch(measured: Iterable<string>, present: Iterable<string>): string | undefined {
  const has = archesOf(present);
  return archesOf(measured).length > 1 && has.length === 1 ? has[0] : undefined;
}

/** One series of a tunable's defaults table: its kernel of each architecture of the table, if that was measured. */
export interface SeriesRow {
  series: string;
  /** Aligned with the table's architectures; undefined where that architecture's kernel of the series was not measured. */
  kernels: (KernelRow | undefined)[];
}

/** Kernel rows (kernelRows) grouped by series, oldest first, a column per architecture of `arches`. */
export function seriesRows(rows: readonly KernelRow[], arches: readonly string[]): SeriesRow[] {
  const bySeries = new Map<string, SeriesRow>();
  for (const row of rows) {
    const column = arches.indexOf(row.arch);
    if (column < 0) continue;
    let series = bySeries.get(row.series);
    if (!series) bySeries.set(row.series, (series = { series: row.series, kernels: arches.map(() => undefined) }));
    series.kernels[column] = row;
  }
  // kernelRows come oldest first, and a series' first row keeps that order.
  return [...bySeries.values()];
}

/** A run of adjacent cells that read the same: one cell spanning `span` columns. */
export interface FoldedCell<T> {
  value: T;
  /** The column the run starts at. */
  column: number;
  span: number;
}

/**
 * Adjacent values with the same key folded into one cell: the architectures that agree on a
 * default show it once, across their columns; where they differ each shows its own.
 */
export function foldAlike<T>(values: readonly T[], keyOf: (value: T) => string): FoldedCell<T>[] {
  const cells: (FoldedCell<T> & { key: string })[] = [];
  values.forEach((value, column) => {
    const key = keyOf(value);
    const last = cells.at(-1);
    if (last && last.key === key) last.span += 1;
    else cells.push({ value, column, span: 1, key });
  });
  return cells.map(({ key: _, ...cell }) => cell);
}

/**
 * What a default cell shows (DefaultValue.astro): two kernels whose keys are equal read
 * the same. The value with its shapes (defaultText), where a value read from the source
 * comes from, the reference boot's word that set it, and the notes on how it was read.
 */
export function defaultCellKey(facts: KernelFacts | undefined): string {
  if (!facts) return 'absent';
  const from = facts.defaultKind === 'source' ? facts.defaultSource : undefined;
  return JSON.stringify([defaultText(facts), from?.file, from?.line, referenceBootWordOf(facts), facts.binary, facts.truncated, facts.upstream?.type]);
}

/** What a mode and scope cell shows (DefaultsTable.astro). */
export function modeCellKey(facts: KernelFacts | undefined): string {
  if (!facts) return 'absent';
  return JSON.stringify([facts.mode, scopeText(facts), facts.module]);
}

/**
 * A parameter table's rows (ParametersTable.astro), oldest series first: one row for a
 * series whose kernels all read alike (`keyOf` their facts), else a row per kernel.
 */
export function foldSeries(rows: readonly KernelRow[], keyOf: (facts: KernelFacts | undefined) => string): KernelRow[][] {
  return [...Map.groupBy(rows, (row) => row.series).values()].flatMap((kernels) => (new Set(kernels.map((row) => keyOf(row.facts))).size === 1 ? [kernels] : kernels.map((row) => [row])));
}

/** What a module parameter's row shows (ParametersTable.astro): its default cell, when it can be set, type, presence, tags, mode and module. */
export function parameterRowKey(facts: KernelFacts | undefined): string {
  if (!facts?.parameter) return 'absent';
  return JSON.stringify([defaultCellKey(facts), facts.parameter, facts.mode, facts.module]);
}

/** What a boot parameter's row shows: kernel-parameters.txt's tags. */
export function bootRowKey(facts: KernelFacts | undefined): string {
  return facts?.parameter ? JSON.stringify(facts.parameter.tags) : 'absent';
}
