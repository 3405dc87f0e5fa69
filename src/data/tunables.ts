/**
 * The one reader of the tunable content: every page under `<root>/tunables` (a writer's
 * front matter and body) joined with its machine-owned facts from `<root>/facts`. The
 * site's content loader, the `kernel-tunables` CLI, coverage, the check data and the
 * export all read through it, so they can never disagree about a tunable.
 *
 * It also decides precedence between the two: the facts are the generator's, the body and
 * a writer's `summary` are the writer's, and a writer's summary wins.
 *
 * Bad input fails loudly: every problem found is reported with its file (and line where
 * it has one), all at once, and nothing is guessed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { join, sep } from 'node:path';
import { splitFrontmatter } from '#core/frontmatter.ts';
import { kernelsFile, type MeasuredKernel } from '#core/schemas/kernels.ts';
import { recommendationsFile, type RecommendationsFile } from '#core/schemas/recommendations.ts';
import { factsFile, pageFrontmatter, type PageFrontmatter, type TunableFrontmatter } from '#core/schemas/tunable.ts';
import { parseYamlWithLines } from '#core/yaml-lines.ts';
import { zodErrorMessages } from '#core/zod-error.ts';

/** The content root: `content/` of the repository, or `LKT_CONTENT_DIR` (the tests and the bench build other trees). */
export function contentRoot(): string {
  return process.env.LKT_CONTENT_DIR ?? './content';
}

export const pagesDir = (root: string) => join(root, 'tunables');
export const factsDir = (root: string) => join(root, 'facts');
/** What others recommend, one file per source (npm run recommendations writes them). */
export const recommendationsDir = (root: string) => join(root, 'recommendations');
/** Each measured kernel as a whole: release, emulated CPU, machine shapes (npm run generate writes it). */
export const kernelsPath = (root: string) => join(root, 'kernels.json');

export interface TunablePage {
  /** `sysctl/vm/swappiness`: the page's path below `tunables/`, without `.mdx`. */
  id: string;
  /** The page's file. */
  file: string;
  /** The facts with the writer's front matter applied. */
  data: TunableFrontmatter;
  /** The MDX body, exactly as in the file. */
  body: string;
  /** The line in the file of the body's first line, for messages about the body. */
  bodyLine: number;
}

/** Every problem found in the content, one `file:line: message` per line. */
export class ContentError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    const shown = problems.slice(0, 20);
    const more = problems.length - shown.length;
    super(`${problems.length} problem(s) in the tunable content:\n${shown.join('\n')}${more > 0 ? `\n… and ${more} more` : ''}`);
    this.problems = problems;
  }
}

/** Page ids are `/`-separated on every system. */
const idOf = (name: string) => name.replace(/\.mdx$/, '').split(sep).join('/');

function listFiles(dir: string, extension: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith(extension))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export interface ParsedFrontmatter {
  frontmatter: PageFrontmatter;
  body: string;
  bodyLine: number;
}

/** One page's own front matter and body; a problem is thrown as `file:line: message`. */
export function parsePageFile(file: string, text: string): ParsedFrontmatter {
  const split = splitFrontmatter(text);
  if (!split) throw new ContentError([`${file}:1: no front matter: the page must start with a --- block holding at least its title`]);
  // The YAML starts on the file's second line, after the opening ---.
  const yaml = parseYamlWithLines(split.yaml, 2);
  const error = yaml.document.errors[0];
  if (error) throw new ContentError([`${file}:${1 + (error.linePos?.[0]?.line ?? 1)}: front matter: ${error.message.split('\n')[0]}`]);
  const checked = pageFrontmatter.safeParse(yaml.value);
  if (!checked.success) {
    const unknownKey = checked.error.issues.some((issue) => issue.code === 'unrecognized_keys');
    const hint = unknownKey ? 'a page holds only title and summary; its facts are in content/facts, written by npm run generate' : undefined;
    throw new ContentError(zodErrorMessages(checked.error, file, { context: 'front matter', lineOf: (path) => yaml.lineOf(path.length > 0 ? path : unknownKeyPath(checked.error)), ...(hint && { hint }) }));
  }
  return { frontmatter: checked.data, body: split.body, bodyLine: split.bodyLine };
}

/** An unknown key is reported on the object, not the key: point at the key's own line. */
function unknownKeyPath(error: { issues: readonly { code: string; keys?: readonly string[] }[] }): string[] {
  const key = error.issues.find((issue) => issue.code === 'unrecognized_keys')?.keys?.[0];
  return key === undefined ? [] : [key];
}

export interface FactsEntry {
  facts: TunableFrontmatter;
  /** The facts file it came from. */
  file: string;
}

/** A JSON file checked against its schema; undefined, with what is wrong added to `problems`, when it is not valid. */
function readChecked<T>(file: string, schema: z.ZodType<T>, problems: string[]): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${file}: not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  const checked = schema.safeParse(json);
  if (checked.success) return checked.data;
  problems.push(...zodErrorMessages(checked.error, file, { all: true, max: 5 }));
  return undefined;
}

/** Every facts file below `dir`, by page id. Problems are collected, not thrown one by one. */
export function readFacts(dir: string, problems: string[] = []): Map<string, FactsEntry> {
  const byId = new Map<string, FactsEntry>();
  for (const name of listFiles(dir, '.json')) {
    const file = join(dir, name);
    const data = readChecked(file, factsFile, problems);
    if (!data) continue;
    for (const [id, facts] of Object.entries(data.tunables)) {
      const before = byId.get(id);
      if (before) problems.push(`${file}: ${id} is also in ${before.file}`);
      else byId.set(id, { facts, file });
    }
  }
  return byId;
}

/** Every tunable page under `root`, joined with its facts, sorted by id. */
export function readTunables(root: string = contentRoot()): TunablePage[] {
  const problems: string[] = [];
  const facts = readFacts(factsDir(root), problems);
  const pagesRoot = pagesDir(root);
  const names = listFiles(pagesRoot, '.mdx');
  if (names.length === 0) problems.push(`${pagesRoot}: no tunable pages (*.mdx): run npm run generate, or set LKT_CONTENT_DIR to a content folder`);
  const pages: TunablePage[] = [];
  for (const name of names) {
    const file = join(pagesRoot, name);
    const id = idOf(name);
    try {
      pages.push(joinPage(id, file, parsePageFile(file, readFileSync(file, 'utf8')), facts.get(id), factsDir(root)));
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      problems.push(...error.problems);
    }
    facts.delete(id);
  }
  for (const [id, { file }] of facts) problems.push(`${file}: facts for ${id}, but there is no page ${join(pagesRoot, `${id}.mdx`)}: run npm run generate`);
  if (problems.length > 0) throw new ContentError(problems);
  return pages;
}

/** The precedence of page over facts: identity must agree; a writer's summary wins. */
function joinPage(id: string, file: string, page: ParsedFrontmatter, entry: FactsEntry | undefined, facts: string): TunablePage {
  if (!entry) throw new ContentError([`${file}:1: no facts for ${id} in ${facts}: run npm run generate`]);
  if (page.frontmatter.title !== entry.facts.title) {
    throw new ContentError([`${file}:2: title "${page.frontmatter.title}" is not the tunable's name "${entry.facts.title}" (${entry.file}): the title names the tunable; write your own wording in the body or in summary`]);
  }
  const data = page.frontmatter.summary === undefined ? entry.facts : { ...entry.facts, summary: page.frontmatter.summary };
  return { id, file, data, body: page.body, bodyLine: page.bodyLine };
}

/**
 * How each kernel was measured (`kernels.json`), by kernel id: empty where the content has
 * no such file (a live scrape's or a test's content from before it was written), so a page
 * then says nothing about the machine rather than something made up.
 */
export function readMeasuredKernels(root: string = contentRoot()): Map<string, MeasuredKernel> {
  const file = kernelsPath(root);
  if (!existsSync(file)) return new Map();
  const problems: string[] = [];
  const data = readChecked(file, kernelsFile, problems);
  if (!data) throw new ContentError(problems);
  return new Map(Object.entries(data.kernels));
}

/**
 * What others recommend (`recommendations/<source>.json`), every source's file checked;
 * none where the content has no such folder (a test's content, a live scrape's).
 */
export function readRecommendations(root: string = contentRoot()): RecommendationsFile[] {
  const dir = recommendationsDir(root);
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  const problems: string[] = [];
  const files = names.flatMap((name) => {
    const file = join(dir, name);
    const data = readChecked(file, recommendationsFile, problems);
    if (!data) return [];
    if (`${data.source}.json` !== name) problems.push(`${file}: holds source "${data.source}", so it must be named ${data.source}.json`);
    return [data];
  });
  if (problems.length > 0) throw new ContentError(problems);
  return files;
}
