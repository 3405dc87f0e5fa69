/**
 * The bench's output: one table of figures, each next to the baseline it was measured
 * against in the same run, printed and written to RESULTS.md with what is needed to read
 * it later (when, on what machine, with which versions, and how each figure is taken).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { Phase } from './phases.ts';

export type Row = [figure: string, value: string, baseline: string, ratio: number];

export interface Report {
  rows: Row[];
  /** Our build's phases, by corpus label (e.g. `2,019 pages`). */
  phases: Map<string, { phases: Phase[]; totalSeconds: number }>;
  versions: Record<string, string>;
  /** What a reader of the table must know to read it right, printed under it. */
  notes: string[];
  method: string;
}

const HEADER = ['figure', 'value', 'baseline (same run)', 'ratio'];

/** A figure without its baseline (a partial run) has no ratio. */
const cells = (rows: Row[]) => rows.map(([figure, value, baseline, ratio]) => [figure, value, baseline, Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—']);

/** The phase table: one column of seconds and share per corpus. */
function phaseCells(report: Report): string[][] {
  const labels = [...report.phases.keys()];
  const names = report.phases.get(labels[0]!)!.phases.map((phase) => phase.name);
  const header = ['phase of our build', ...labels];
  const body = names.map((name, i) => [
    name,
    ...labels.map((label) => {
      const { phases, totalSeconds } = report.phases.get(label)!;
      const seconds = phases[i]!.seconds;
      return `${seconds.toFixed(1)} s (${((seconds / totalSeconds) * 100).toFixed(0)} %)`;
    }),
  ]);
  const total = ['whole build', ...labels.map((label) => `${report.phases.get(label)!.totalSeconds.toFixed(1)} s`)];
  return [header, ...body, total];
}

function plainTable(table: string[][]): string {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  return table.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')).join('\n');
}

function markdownTable(table: string[][]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const [header, ...body] = table;
  return [header!, header!.map(() => '---'), ...body].map((row) => `| ${row.map(escape).join(' | ')} |`).join('\n');
}

export function printReport(report: Report): void {
  console.log(plainTable([HEADER, ...cells(report.rows)]));
  for (const note of report.notes) console.log(`- ${note}`);
  if (report.phases.size === 0) return;
  console.log();
  console.log(plainTable(phaseCells(report)));
}

const machine = () => `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory`;

export function writeReport(file: string, report: Report): void {
  const versions = Object.entries(report.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  const text = `# npm run bench: results

Written by \`npm run bench\` (scripts/bench/cli.ts) on ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}.

- Machine: ${machine()}; shared with other work, so seconds are noisy: read the ratios, each taken against a baseline measured in the same run.
- Versions: ${versions}.

${markdownTable([HEADER, ...cells(report.rows)])}

${report.notes.map((note) => `- ${note}`).join('\n')}

Where the time of our build goes (from its log; see scripts/bench/phases.ts):

${markdownTable(phaseCells(report))}

## How each figure is measured

${report.method}
`;
  writeFileSync(file, text);
}
