/**
 * The coverage report: per subsystem, the share of present tunables whose page has a
 * description (and the share of those from a man page, where no kernel documents the
 * tunable), type, range and definition site: the same figures as the site's "About the
 * data" page. `npm run coverage` is the CLI around run() (cli.ts).
 */
import { coverage, rangeCoverage, share, type CoverageRow, type RangeCoverage } from '#core/coverage.ts';
import { ContentError, readTunables } from '../../src/data/tunables.ts';
import { StageError } from '../lib/stage.ts';

export type { CoverageRow } from '#core/coverage.ts';

export interface CoverageOptions {
  /** The content folder: pages and facts (default content). */
  content?: string;
}

export interface CoverageReport {
  content: string;
  /** Pages read (every status; the rows count present ones). */
  pageCount: number;
  /** Each kind's total first, then its subsystems. */
  rows: CoverageRow[];
  /** Per kernel, writable numeric sysctls with a range in that kernel's source. */
  ranges: RangeCoverage[];
}

export const COVERAGE_DEFAULTS = { content: 'content' } as const;

export async function run(options: CoverageOptions = {}): Promise<CoverageReport> {
  const content = options.content ?? COVERAGE_DEFAULTS.content;
  let tunables;
  try {
    tunables = readTunables(content).map((page) => page.data);
  } catch (error) {
    if (error instanceof ContentError) throw new StageError(error.message);
    throw error;
  }
  return { content, pageCount: tunables.length, rows: coverage(tunables), ranges: rangeCoverage(tunables) };
}

/** The rows as the CLI prints them: a table, right-aligned figures. */
export function reportTable(report: CoverageReport): string[] {
  const header = ['', 'tunables', 'description', '(man-pages)', 'type', 'range', 'defined in'];
  const lines = report.rows.map((r) => [
    r.subsystem === null ? `${r.kind} (all)` : `  ${r.subsystem}`,
    String(r.tunables),
    share(r.description, r.tunables),
    share(r.manPages, r.tunables),
    share(r.type, r.tunables),
    share(r.range, r.tunables),
    share(r.definedIn, r.tunables),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...lines].map((cells) => cells[i]!.length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const ranges = report.ranges.map(
    ({ series, numeric, withRange, measured, either }) =>
      `  ${series}: ${either} of ${numeric} (${share(either, numeric)}): ${withRange} (${share(withRange, numeric)}) from the source, ${measured} (${share(measured, numeric)}) measured`,
  );
  return [...[header, ...lines].map(format), '', 'writable numeric sysctls with a range, from their kernel\'s source or measured by writing (target 90%):', ...ranges];
}
