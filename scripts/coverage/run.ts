/**
 * The coverage report: per subsystem, the share of present tunables whose page has a
 * description (and the share of those from a man page, where no kernel documents the
 * tunable), type, range and definition site: the same figures as the site's "About the
 * data" page. `npm run coverage` is the CLI around run() (cli.ts).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { coverage, share, type CoverageRow } from '#core/coverage.ts';
import { tunableFrontmatter, type TunableFrontmatter } from '#core/schemas/tunable.ts';
import { parseYamlWithLines } from '#core/yaml-lines.ts';
import { checked } from '#core/zod-error.ts';
import { StageError } from '../lib/stage.ts';

export type { CoverageRow } from '#core/coverage.ts';

export interface CoverageOptions {
  /** The tunable pages (default content/tunables). */
  pages?: string;
}

export interface CoverageReport {
  pages: string;
  /** Pages read (every status; the rows count present ones). */
  pageCount: number;
  /** Each kind's total first, then its subsystems. */
  rows: CoverageRow[];
}

export const COVERAGE_DEFAULTS = { pages: 'content/tunables' } as const;

const FRONT_MATTER = /^---\r?\n([^]*?\r?\n)---\r?\n/;

/** A page's front matter, checked; problems name the file and the line of the field. */
export function pageFrontmatter(file: string, text: string): TunableFrontmatter {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new StageError(`${file}:1: no front matter: the page must start with a --- block`);
  // The YAML starts on the file's second line, after the opening ---.
  const yaml = parseYamlWithLines(match[1]!, 2);
  const error = yaml.document.errors[0];
  if (error) throw new StageError(`${file}:${1 + (error.linePos?.[0]?.line ?? 1)}: front matter: ${error.message.split('\n')[0]} (run npm run generate)`);
  return checked(tunableFrontmatter, yaml.value, file, { context: 'front matter', hint: 'run npm run generate', lineOf: yaml.lineOf });
}

async function readPages(dir: string): Promise<TunableFrontmatter[]> {
  const files = (await readdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new StageError(`cannot read the tunable pages in ${dir}: ${error.code ?? error.message}`);
  })).filter((f) => f.endsWith('.mdx')).sort();
  return Promise.all(files.map(async (name) => pageFrontmatter(join(dir, name), await readFile(join(dir, name), 'utf8'))));
}

export async function run(options: CoverageOptions = {}): Promise<CoverageReport> {
  const pages = options.pages ?? COVERAGE_DEFAULTS.pages;
  const frontmatter = await readPages(pages);
  return { pages, pageCount: frontmatter.length, rows: coverage(frontmatter) };
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
  return [header, ...lines].map(format);
}
