/**
 * How much of the measured tunables the kernel's own documentation and source explain:
 * what `npm run coverage` prints and the "About the data" page shows, and what is left for
 * writers (the "Needs writing" page). Present pages only.
 */
import type { TunableKind } from './schemas/snapshot.ts';
import type { TunableFrontmatter } from './schemas/tunable.ts';
import { compareKernelIds, compareText } from './kernels.ts';

export interface CoverageRow {
  kind: TunableKind;
  /** A subsystem, or null for the kind's total. */
  subsystem: string | null;
  tunables: number;
  description: number;
  /** Of those with a description, how many have it from a man page only. */
  manPages: number;
  type: number;
  range: number;
  definedIn: number;
}

type Page = Pick<TunableFrontmatter, 'kind' | 'subsystem' | 'status' | 'upstream' | 'kernels'>;

/** A parameter's own words: modinfo's type and description, on some kernel. */
const parameterHas = (page: Page, field: 'type' | 'description') => Object.values(page.kernels).some((facts) => facts.parameter?.[field]);

/** Whether the kernel describes the tunable: its Documentation, source or man page, or (a module parameter) modinfo's words. */
export const hasDescription = (page: Page) => page.upstream.docSource !== null || parameterHas(page, 'description');

function tally(kind: TunableKind, subsystem: string | null, pages: readonly Page[]): CoverageRow {
  const count = (has: (page: Page) => boolean) => pages.filter(has).length;
  return {
    kind,
    subsystem,
    tunables: pages.length,
    description: count(hasDescription),
    manPages: count((p) => p.upstream.docSource?.origin === 'man-pages'),
    type: count((p) => p.upstream.type !== null || parameterHas(p, 'type')),
    range: count((p) => p.upstream.range !== null),
    definedIn: count((p) => p.upstream.definedIn !== null),
  };
}

/**
 * Per kind, its total first, then each subsystem by name. Boot and module parameters have
 * their total only: their "subsystems" are a first letter and over a thousand modules.
 */
export function coverage(pages: readonly Page[]): CoverageRow[] {
  const present = pages.filter((p) => p.status === 'present');
  const kinds = [...new Set(present.map((p) => p.kind))].sort(compareText);
  return kinds.flatMap((kind) => {
    const ofKind = present.filter((p) => p.kind === kind);
    const subsystems = kind === 'boot' || kind === 'module' ? [] : [...new Set(ofKind.map((p) => p.subsystem))].sort(compareText);
    return [tally(kind, null, ofKind), ...subsystems.map((s) => tally(kind, s, ofKind.filter((p) => p.subsystem === s)))];
  });
}

export interface NeedsWritingGroup<T> {
  kind: TunableKind;
  /** The kind's tunables to describe, by subsystem (a module parameter's module, a boot parameter's first letter). */
  subsystems: { subsystem: string; entries: T[] }[];
  count: number;
}

/**
 * The present tunables whose page describes nothing: no description from the kernel
 * (hasDescription) and no words of a writer's (`written`). Grouped by kind and subsystem,
 * each by name; the entries keep the order they come in.
 */
export function needsWriting<T extends { data: Page }>(entries: readonly T[], written: (entry: T) => boolean): NeedsWritingGroup<T>[] {
  const wanted = entries.filter((entry) => entry.data.status === 'present' && !hasDescription(entry.data) && !written(entry));
  const kinds = [...new Set(wanted.map(({ data }) => data.kind))].sort(compareText);
  return kinds.map((kind) => {
    const ofKind = wanted.filter(({ data }) => data.kind === kind);
    const subsystems = [...new Set(ofKind.map(({ data }) => data.subsystem))].sort(compareText);
    return { kind, count: ofKind.length, subsystems: subsystems.map((subsystem) => ({ subsystem, entries: ofKind.filter(({ data }) => data.subsystem === subsystem) })) };
  });
}

/** `87%`, rounded down so that 100% means every one. */
export function share(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.floor((100 * part) / whole)}%`;
}

/** Types whose values are numbers the kernel can bound. */
const NUMERIC: ReadonlySet<string> = new Set(['integer', 'unsigned integer', 'long', 'boolean', 'jiffies', 'centiseconds', 'milliseconds', 'integer vector']);

/**
 * Per kernel: its writable numeric sysctls (numeric by its own source's type, or measured
 * as numbers by the accepted-values probe), how many its source gives a range, how many
 * have measured accepted values, and how many have either.
 */
export interface RangeCoverage {
  /** Kernel id: `6.1`, `6.1-arm64`. */
  kernel: string;
  numeric: number;
  withRange: number;
  measured: number;
  either: number;
}

/** Each kernel's own statements and measurements counted: how near each is to a range for every writable numeric sysctl. Oldest kernel first. */
export function rangeCoverage(pages: readonly Page[]): RangeCoverage[] {
  const byKernel = new Map<string, RangeCoverage>();
  for (const page of pages) {
    if (page.kind !== 'sysctl' || page.status !== 'present') continue;
    for (const [kernel, facts] of Object.entries(page.kernels)) {
      const numericType = facts.upstream?.type ? NUMERIC.has(facts.upstream.type) : false;
      if (!facts.writable || !(numericType || facts.accepted)) continue;
      const row = byKernel.get(kernel) ?? { kernel, numeric: 0, withRange: 0, measured: 0, either: 0 };
      row.numeric++;
      if (facts.upstream?.range) row.withRange++;
      if (facts.accepted) row.measured++;
      if (facts.upstream?.range || facts.accepted) row.either++;
      byKernel.set(kernel, row);
    }
  }
  return [...byKernel.values()].sort((a, b) => compareKernelIds(a.kernel, b.kernel));
}
