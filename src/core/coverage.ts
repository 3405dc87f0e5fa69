/**
 * How much of the measured tunables the kernel's own documentation and source explain:
 * what `npm run coverage` prints and the "About the data" page shows. Present pages only.
 */
import type { TunableKind } from './schemas/snapshot.ts';
import type { TunableFrontmatter } from './schemas/tunable.ts';
import { compareSeries, compareText } from './kernels.ts';

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

function tally(kind: TunableKind, subsystem: string | null, pages: readonly Page[]): CoverageRow {
  const count = (has: (page: Page) => boolean) => pages.filter(has).length;
  return {
    kind,
    subsystem,
    tunables: pages.length,
    description: count((p) => p.upstream.docSource !== null || parameterHas(p, 'description')),
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
  series: string;
  numeric: number;
  withRange: number;
  measured: number;
  either: number;
}

/** Each kernel's own statements and measurements counted: how near each is to a range for every writable numeric sysctl. Oldest kernel first. */
export function rangeCoverage(pages: readonly Page[]): RangeCoverage[] {
  const bySeries = new Map<string, RangeCoverage>();
  for (const page of pages) {
    if (page.kind !== 'sysctl' || page.status !== 'present') continue;
    for (const [series, facts] of Object.entries(page.kernels)) {
      const numericType = facts.upstream?.type ? NUMERIC.has(facts.upstream.type) : false;
      if (!facts.writable || !(numericType || facts.accepted)) continue;
      const row = bySeries.get(series) ?? { series, numeric: 0, withRange: 0, measured: 0, either: 0 };
      row.numeric++;
      if (facts.upstream?.range) row.withRange++;
      if (facts.accepted) row.measured++;
      if (facts.upstream?.range || facts.accepted) row.either++;
      bySeries.set(series, row);
    }
  }
  return [...bySeries.values()].sort((a, b) => compareSeries(a.series, b.series));
}
