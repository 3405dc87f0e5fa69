/**
 * The data `kernel-tunables` answers from: every tunable page's front matter under the
 * content directory (contentDir(), so LKT_CONTENT_DIR points it at another tree), and the
 * export the site publishes as dist/tunables.json, built from it the same way. Only the
 * YAML between the `---` lines is read: the MDX bodies are the site's business.
 *
 * The `yaml` package reads the 3 MB of front matter in about two seconds, so what it
 * parsed is cached by a hash of each page's front matter text (a changed page is parsed
 * again; nothing depends on file times). The cache holds YAML parse results only: every
 * run still checks them against the current schema. It lives in
 * node_modules/.cache/kernel-tunables, or in LKT_CACHE_DIR; LKT_CACHE_DIR= (empty) turns it off.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { TunableEntry } from '#core/catalog.ts';
import { contentDir } from '../../src/lib/content-dir.ts';
import { buildExport } from '#core/export.ts';
import { compareSeries } from '#core/kernels.ts';
import type { TunablesExport } from '#core/schemas/export.ts';
import { tunableFrontmatter } from '#core/schemas/tunable.ts';
import { DataError } from './style.ts';


export interface CliData {
  /** Where the pages were read from. */
  dir: string;
  /** Every page, by page id (`sysctl/vm/swappiness`). */
  entries: Map<string, TunableEntry>;
  /** The site's dist/tunables.json, built from the same pages. */
  export: TunablesExport;
  /** The reference kernel series measured, oldest first. */
  series: string[];
}

const FRONT_MATTER = /^---\r?\n([^]*?\r?\n)---\r?\n/;
const CACHE_VERSION = 1;

interface Cache {
  version: number;
  /** YAML parse result by hash of the front matter text. */
  parsed: Record<string, unknown>;
}

function cacheFile(): string | undefined {
  const configured = process.env.LKT_CACHE_DIR;
  if (configured === '') return undefined;
  const dir = configured ?? fileURLToPath(new URL('../../node_modules/.cache/kernel-tunables/', import.meta.url));
  return join(dir, 'frontmatter.json');
}

function readCache(file: string | undefined): Map<string, unknown> {
  if (!file) return new Map();
  try {
    const cache = JSON.parse(readFileSync(file, 'utf8')) as Cache;
    return cache.version === CACHE_VERSION ? new Map(Object.entries(cache.parsed)) : new Map();
  } catch {
    return new Map();
  }
}

/** Best effort: a cache that cannot be written only makes the next run slower. Written whole, then renamed, so a concurrent run never reads half a file. */
function writeCache(file: string | undefined, parsed: Map<string, unknown>): void {
  if (!file) return;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, JSON.stringify({ version: CACHE_VERSION, parsed: Object.fromEntries(parsed) } satisfies Cache));
    renameSync(temporary, file);
  } catch {
    // Read-only checkout, full disk: run without a cache.
  }
}

/** One page's front matter text (between the --- lines). */
export function frontmatterText(file: string, text: string): string {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new DataError(`${file}: no front matter (the page must start with a --- block)`);
  return match[1]!;
}

function parseYaml(file: string, yaml: string): unknown {
  try {
    return parse(yaml);
  } catch (error) {
    throw new DataError(`${file}: front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

function checked(file: string, yaml: unknown): TunableEntry['data'] {
  const result = tunableFrontmatter.safeParse(yaml);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DataError(`${file}: front matter ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

function listPages(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.mdx'))
      .sort();
  } catch (error) {
    throw new DataError(`cannot read the tunable pages in ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Reads every page below `dir` (default: the content directory) and builds the export. */
export function loadData(dir: string = contentDir()): CliData {
  const names = listPages(dir);
  if (names.length === 0) throw new DataError(`no tunable pages (*.mdx) in ${dir}: run from the repository or set LKT_CONTENT_DIR`);
  const file = cacheFile();
  const cached = readCache(file);
  const used = new Map<string, unknown>();
  let parsedNow = 0;
  const entries = names.map((name): TunableEntry => {
    const path = join(dir, name);
    const yaml = frontmatterText(path, readFileSync(path, 'utf8'));
    const hash = createHash('sha256').update(yaml).digest('base64url');
    let value = used.get(hash) ?? cached.get(hash);
    if (value === undefined) {
      value = parseYaml(path, yaml);
      parsedNow++;
    }
    used.set(hash, value);
    return { id: name.replace(/\.mdx$/, '').split('\\').join('/'), data: checked(path, value) };
  });
  if (parsedNow > 0 || used.size !== cached.size) writeCache(file, used);
  let exported: TunablesExport;
  try {
    exported = buildExport(entries);
  } catch (error) {
    throw new DataError(`the pages in ${dir} do not make a valid export: ${(error as Error).message.split('\n')[0]}`);
  }
  return {
    dir,
    entries: new Map(entries.map((entry) => [entry.id, entry])),
    export: exported,
    series: exported.kernels.map(({ series }) => series).sort(compareSeries),
  };
}
