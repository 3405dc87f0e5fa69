/**
 * The coverage report: per subsystem, the share of present tunables whose page has a
 * description (and the share of those from a man page, where no kernel documents the
 * tunable), type, range and definition site; per kernel, how often the source's
 * registration agrees with the network namespace scope the VM measured, and where not:
 * the same figures as the site's "About the data" page. `npm run coverage` is the CLI
 * around run() (cli.ts).
 */
import { coverage, rangeCoverage, share, type CoverageRow, type RangeCoverage } from '#core/coverage.ts';
import { compareText } from '#core/kernels.ts';
import { netnsAgreement, type NetnsAgreement } from '#core/netns-agreement.ts';
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
  /** Per kernel, sysctls under `net.` whose measured namespace scope the source's registration agrees with. */
  netns: NetnsAgreement[];
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
  return { content, pageCount: tunables.length, rows: coverage(tunables), ranges: rangeCoverage(tunables), netns: netnsAgreement(tunables) };
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
    ({ kernel, numeric, withRange, measured, either }) =>
      `  ${kernel}: ${either} of ${numeric} (${share(either, numeric)}): ${withRange} (${share(withRange, numeric)}) from the source, ${measured} (${share(measured, numeric)}) measured`,
  );
  return [...[header, ...lines].map(format), '', 'writable numeric sysctls with a range, from their kernel\'s source or measured by writing (target 90%):', ...ranges, '', ...netnsLines(report.netns)];
}

/**
 * Each kernel's agreement, then each disagreement once with the kernels it is on: one
 * reading that differs on every kernel is one line, not four.
 */
function netnsLines(netns: readonly NetnsAgreement[]): string[] {
  const kernels = new Map<string, string[]>();
  for (const { kernel, disagreements } of netns) {
    for (const { name, instance, registered, measured } of disagreements) {
      const shown = measured === 'net' ? 'a child network namespace shows it' : 'a child network namespace does not show it';
      const line = `  ${name}${instance === undefined ? '' : ` (${instance})`}: registered ${registered.join(', ')}; ${shown}`;
      kernels.set(line, [...(kernels.get(line) ?? []), kernel]);
    }
  }
  return [
    'sysctls under net. whose source registers a copy per network namespace exactly where a child namespace shows one:',
    ...netns.map(({ kernel, compared, agreeing }) => `  ${kernel}: ${agreeing} of ${compared} agree (${share(agreeing, compared)})`),
    ...(kernels.size === 0 ? [] : ['where they disagree:', ...[...kernels].sort(([a], [b]) => compareText(a, b)).map(([line, series]) => `${line} — ${series.join(', ')}`)]),
  ];
}
