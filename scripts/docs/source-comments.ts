/**
 * The C source's own words about sysctls: the comment on the variable a `ctl_table` entry
 * stores into (origin `variable-comment`: `.data = &sysctl_sched_latency` → the block
 * above `unsigned int sysctl_sched_latency = …;` in kernel/sched/fair.c, or a comment
 * trailing that line), and a comment inside the entry itself (`ctl-table-comment`).
 * Each is a candidate; the generator shows one only where no Documentation describes the
 * sysctl.
 *
 * Precision over reach: a comment counts only when it touches the definition or entry
 * (it ends on the line right above, or trails on the same line), is prose (no licence
 * header, no commented-out code) and says more than the name does. A variable is looked
 * up only where it can be told apart: a `static` one in the entry's own file, a global one
 * where the tree defines it exactly once outside a macro.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlockContent, PhrasingContent, Root } from 'mdast';
import { sysctlDoc, type CtlTableEntry, type SysctlDoc } from '#core/schemas/docs.ts';
import { runText } from '../lib/run.ts';
import { entryKey, type DataVariable } from './ctl-join.ts';
import { serialise } from './rst.ts';

/** A comment as written, delimiters included, and the 1-based line it starts on. */
export interface SourceComment {
  line: number;
  text: string;
}

/** A block comment longer than this above a definition is a file or section header, not its note. */
const MAX_COMMENT_LINES = 60;

/** The comment ending on the line above `index` (0-based) and starting on a line of its own. */
export function commentAbove(lines: readonly string[], index: number): SourceComment | undefined {
  const last = index - 1;
  const end = lines[last]?.trim();
  if (end === undefined) return undefined;
  if (end.startsWith('//')) {
    let first = last;
    while (first > 0 && lines[first - 1]!.trim().startsWith('//')) first--;
    return { line: first + 1, text: lines.slice(first, last + 1).join('\n') };
  }
  if (!end.endsWith('*/')) return undefined;
  for (let first = last; first >= 0 && first > last - MAX_COMMENT_LINES; first--) {
    const line = lines[first]!;
    // Searching the closing line only before its `*/`, so `*/` alone is not taken for an opening.
    const open = (first === last ? line.slice(0, line.lastIndexOf('*/')) : line).lastIndexOf('/*');
    if (open < 0) {
      // Another comment's end: the one we are in never opened.
      if (first < last && line.includes('*/')) return undefined;
      continue;
    }
    // Code before the opening makes it that code's trailing comment, not ours.
    return line.slice(0, open).trim() === '' ? { line: first + 1, text: lines.slice(first, last + 1).join('\n') } : undefined;
  }
  return undefined;
}

/** The comment trailing code on line `index` (0-based), continued over the next lines until it closes. */
export function trailingComment(lines: readonly string[], index: number): SourceComment | undefined {
  const line = lines[index] ?? '';
  const match = /^(\s*[^\s/][^/]*?)(\/\*|\/\/)/.exec(line);
  // An odd number of quotes before it: the `/*` is inside a string literal.
  if (!match || (match[1]!.match(/"/g)?.length ?? 0) % 2 === 1) return undefined;
  const parts = [line.slice(match[1]!.length)];
  if (match[2] === '/*') {
    for (let next = index + 1; !parts.at(-1)!.includes('*/'); next++) {
      if (next >= lines.length || next > index + MAX_COMMENT_LINES) return undefined;
      parts.push(lines[next]!);
    }
  }
  return { line: index + 1, text: parts.join('\n') };
}

/**
 * A comment's lines without delimiters and ` * ` gutters, in paragraphs split at blank
 * lines; each line keeps its indentation relative to the comment's.
 */
export function commentParagraphs(text: string): string[][] {
  const lines = text.startsWith('//')
    ? text.split('\n').map((line) => line.trim().replace(/^\/\/+ ?/, ''))
    : text
        .replace(/^\s*\/\*+/, '')
        .replace(/\*+\/\s*$/, '')
        .split('\n')
        .map((line, i) => (i === 0 ? line.replace(/^ /, '') : line.replace(/^\s*\*(?!\/) ?/, '')).replace(/\t/g, '        ').trimEnd());
  const indents = lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  const paragraphs: string[][] = [[]];
  for (const line of lines.map((l) => l.slice(common))) {
    if (line.trim() === '') paragraphs.push([]);
    else paragraphs.at(-1)!.push(line);
  }
  return paragraphs.filter((p) => p.length > 0);
}

const LICENCE = /SPDX-License-Identifier|Copyright|GNU General Public License|Free Software Foundation|under the terms of/i;
/** A line of C rather than prose: a preprocessor line, or one ending a statement or block. */
const CODE_LINE = /^\s*#\s*(?:if|ifdef|ifndef|else|elif|endif|define|include)\b|[;{}]\s*$/;
/** Fewer letters of prose than this and a comment labels its subject rather than describing it ("Local NSM state"). */
const MIN_PROSE = 25;
/** Words that add nothing to a name: `Maximum number of user watches` only spells out `max_user_watches`. */
const FILLER = new Set(['a', 'an', 'the', 'of', 'for', 'in', 'on', 'to', 'per', 'is', 'and', 'or', 'number', 'value', 'maximum', 'minimum', 'sysctl']);
/** What a name's abbreviations stand for, so the spelled-out word counts as the name's. */
const SPELLED_OUT: Record<string, string> = { max: 'maximum', min: 'minimum', nr: 'number', num: 'number' };

/**
 * The prose words of a comment: identifiers (`proc_dointvec_minmax`), dotted names,
 * paths and numbers are the code's vocabulary and say nothing a reader of the name lacks.
 */
function proseWords(text: string): string[] {
  return text
    .split(/\s+/)
    .filter((token) => !/[_/]|\w\.\w/.test(token))
    .map((token) => token.replace(/^[^A-Za-z]+|[^A-Za-z]+$/g, ''))
    .filter((word) => /^[A-Za-z][A-Za-z'-]*$/.test(word));
}

/**
 * Whether a comment's paragraphs are prose that says something about `names` (sysctl file
 * names and the variable) beyond what the names say: enough prose, and at least two words
 * that are neither filler nor the names' own parts.
 */
export function isDescription(paragraphs: readonly string[][], names: readonly string[]): boolean {
  const lines = paragraphs.flat();
  if (lines.length === 0 || lines.some((line) => LICENCE.test(line) || CODE_LINE.test(line))) return false;
  const words = proseWords(lines.join(' '));
  if (words.join(' ').length < MIN_PROSE) return false;
  const parts = new Set(names.flatMap((name) => name.toLowerCase().split(/[_\-.]+/)).flatMap((part) => [part, SPELLED_OUT[part] ?? part]));
  return words.filter((word) => !FILLER.has(word.toLowerCase()) && !parts.has(word.toLowerCase())).length >= 2;
}

/**
 * A list item (`- x`, `* x`, `1) x`, `0: off`), an indented line or a path alone on its line
 * (a listing of files, as Kconfig help lists sysctls) keeps its own line; prose lines run on.
 */
const OWN_LINE = /^(?:\s+\S|[-*+o]\s|\(?\w{1,3}[.):]\s|\/\S+$)/;

/** One paragraph's lines as text, with hard breaks where the comment lays lines out. */
function paragraphContent(lines: readonly string[]): PhrasingContent[] {
  const words = (line: string) => line.trim().replace(/\s+/g, ' ');
  const content: PhrasingContent[] = [{ type: 'text', value: words(lines[0]!) }];
  for (const line of lines.slice(1)) {
    const last = content.at(-1) as { type: 'text'; value: string };
    if (OWN_LINE.test(line)) content.push({ type: 'break' }, { type: 'text', value: words(line) });
    else last.value += ` ${words(line)}`;
  }
  return content;
}

/**
 * What the quoted words are, by their exact origin, with what the lead-in names: the
 * comment on the variable, on the `ctl_table` entry or on a struct field `.data` points
 * into, or a Kconfig option's help. The doc's `origin` is this one's, so the two never disagree.
 */
export type CommentLead =
  | { origin: 'variable-comment'; variable: string }
  | { origin: 'ctl-table-comment' }
  | { origin: 'struct-field'; field: string; struct: string }
  | { origin: 'kconfig-help'; option: string };

const text = (value: string): PhrasingContent => ({ type: 'text', value });
const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value });

/** The lead-in's words for each origin of the kernel's words outside its Documentation. */
function leadWords(lead: CommentLead): PhrasingContent[] {
  switch (lead.origin) {
    case 'variable-comment':
      return [text('the comment on '), code(lead.variable)];
    case 'ctl-table-comment':
      return [text('the comment on its '), code('ctl_table'), text(' entry')];
    case 'struct-field':
      return [text('the comment on the field '), code(lead.field), text(' of '), code(`struct ${lead.struct}`)];
    case 'kconfig-help':
      return [text('the help of the '), code(`CONFIG_${lead.option}`), text(' option')];
  }
}

/**
 * The page text: a lead-in saying where the words come from, then the comment's (or
 * help text's) paragraphs quoted. Built as an mdast tree, so `{`, `<` and backticks in the
 * kernel's text are escaped by the serialiser, never passed through. The lead-in says no
 * Documentation describes the sysctl: the generator shows these words only then.
 */
export function commentMarkdown(paragraphs: readonly string[][], lead: CommentLead, file: string): string {
  const leadIn: PhrasingContent[] = [
    text("The kernel's documentation does not describe it; "),
    ...leadWords(lead),
    text(' in '),
    code(file),
    text(' says:'),
  ];
  const quoted: BlockContent[] = paragraphs.map((lines) => ({ type: 'paragraph', children: paragraphContent(lines) }));
  const tree: Root = { type: 'root', children: [{ type: 'paragraph', children: leadIn }, { type: 'blockquote', children: quoted }] };
  return serialise(tree);
}

/** The doc of quoted kernel words: its origin is the lead-in's. `file`/`line` are where the words start. */
export function commentDoc(names: readonly string[], paragraphs: readonly string[][], lead: CommentLead, at: { file: string; line: number }): SysctlDoc {
  return sysctlDoc.parse({ file: at.file, line: at.line, names, markdown: commentMarkdown(paragraphs, lead, at.file), origin: lead.origin });
}

/** Lines (0-based) that define `variable` at file scope: types, the name, then `=`, `;` or `[`; never `extern`. */
export function definitionLines(lines: readonly string[], variable: string): number[] {
  const definition = new RegExp(`^(?!extern\\b|return\\b|typedef\\b)(?:[A-Za-z_]\\w*[\\s*]+)+${variable}\\s*(?:__\\w+(?:\\([^)]*\\))?\\s*)*[=;[]`);
  return lines.flatMap((line, i) => (definition.test(line) ? [i] : []));
}

/** A C file of the tree, split into lines. */
export interface SourceFile {
  file: string;
  lines: readonly string[];
}

/** A variable's definition: its file and 0-based line. */
export interface Definition extends SourceFile {
  index: number;
}

/**
 * Where a variable is defined, when that is one place: a `static` only in its own file
 * (`staticIn`), a global in `entryFile` or any file that does not make it `static` there.
 * Several definitions (per architecture, per `#ifdef` branch) are not told apart: none.
 */
export function uniqueDefinition(variable: DataVariable, entryFile: string, files: readonly SourceFile[]): Definition | undefined {
  if (!/^\w+$/.test(variable.expression)) return undefined;
  const found = files.flatMap(({ file, lines }) => {
    if (variable.staticIn && file !== variable.staticIn) return [];
    // Another file's `static` of the same name is another variable.
    const own = variable.staticIn !== undefined || file === entryFile;
    return definitionLines(lines, variable.expression).flatMap((index) => (own || !/^static\b/.test(lines[index]!) ? [{ file, lines, index }] : []));
  });
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The comments on a `ctl_table` entry whose `.procname` (or entry macro) is on `line`
 * (1-based), nearest first: between its `{` and the `.procname`, or trailing the `{`, the
 * `.procname` or the macro. Not one above the `{`: in the kernels' tables those label the
 * run of entries below (`Values measured in milliseconds`, `… will set the values after
 * this to readonly`), and not one on another field (`.extra2 = &max, // 10000`).
 */
export function entryComments(lines: readonly string[], line: number): SourceComment[] {
  const at = line - 1;
  const procname = /^\s*\.procname\b/.test(lines[at] ?? '');
  const inside = procname ? commentAbove(lines, at) : undefined;
  const brace = (inside ? inside.line - 1 : at) - 1;
  const opens = procname && /\{\s*(?:\/[*/].*)?$/.test(lines[brace] ?? '');
  return [opens ? inside : undefined, opens ? trailingComment(lines, brace) : undefined, trailingComment(lines, at)].filter((c): c is SourceComment => c !== undefined);
}

/** The first of `comments` that describes its subject, with its paragraphs. */
export function firstDescription(comments: readonly (SourceComment | undefined)[], names: readonly string[]): { comment: SourceComment; paragraphs: string[][] } | undefined {
  for (const comment of comments) {
    if (!comment) continue;
    const paragraphs = commentParagraphs(comment.text);
    if (isDescription(paragraphs, names)) return { comment, paragraphs };
  }
  return undefined;
}

/** One `ctl_table` entry with what its comments could be read from. */
export interface CommentedEntry {
  /** The sysctls the entry is registered as, e.g. `kernel.sched_latency_ns`. */
  names: string[];
  /** Its file, with `line` the entry's as `ctl_table` scanning gives it. */
  entry: SourceFile & { line: number };
  /** What `.data` stores into, if anything. */
  variable?: string | undefined;
  /** Where that variable is defined, when `uniqueDefinition` found one place. */
  definition?: Definition | undefined;
}

/**
 * The docs for one entry: from the comment on its variable's definition (above it, else
 * trailing it) and from the comment on the entry, each where it describes the sysctl.
 * `file`/`line` are the comment's first line.
 */
export function sourceCommentDocs({ names, entry, variable, definition }: CommentedEntry): SysctlDoc[] {
  // A comment that only repeats these (file names, the variable) says nothing new.
  const subjectNames = [...names.map((name) => name.split('.').at(-1)!), ...(variable ? [variable] : [])];
  const onVariable = definition && variable ? firstDescription([commentAbove(definition.lines, definition.index), trailingComment(definition.lines, definition.index)], subjectNames) : undefined;
  const onEntry = firstDescription(entryComments(entry.lines, entry.line), subjectNames);
  return [
    ...(onVariable ? [commentDoc(names, onVariable.paragraphs, { origin: 'variable-comment', variable: variable! }, { file: definition!.file, line: onVariable.comment.line })] : []),
    ...(onEntry ? [commentDoc(names, onEntry.paragraphs, { origin: 'ctl-table-comment' }, { file: entry.file, line: onEntry.comment.line })] : []),
  ];
}

/**
 * C files under root with a line that may define one of the variables (`definitionLines`
 * decides): grep is much faster than reading 30k files, and a name a test function uses
 * as a local (`.data = data` in kernel/sysctl-test.c) is in thousands of files but at
 * file scope in few.
 */
export async function filesDefining(root: string, variables: readonly string[]): Promise<string[]> {
  if (variables.length === 0) return [];
  const pattern = `^[A-Za-z_][A-Za-z0-9_[:space:]*]*[[:space:]*](${variables.join('|')})[[:space:]]*(__[A-Za-z0-9_]+(\\([^)]*\\))?[[:space:]]*)*[=;[]`;
  // grep exits 1, saying nothing, when nothing matches; any other failure is one.
  const stdout = await runText('grep', ['-rlE', '--include=*.c', pattern, '.'], { cwd: root }).catch((error: Error) => {
    if (error.message.endsWith('failed: exit 1')) return '';
    throw error;
  });
  return stdout.split('\n').filter(Boolean).map((f) => f.replace(/^\.\//, ''));
}

/** `sourceCommentDocs` for every named entry of a tree, one doc per entry and origin (with all its names); each file is read once. */
export async function scanSourceComments(root: string, entries: readonly CtlTableEntry[], data: ReadonlyMap<string, DataVariable>): Promise<SysctlDoc[]> {
  const byEntry = new Map<string, { entry: CtlTableEntry; names: string[] }>();
  for (const entry of entries) {
    if (entry.name === null) continue;
    const group = byEntry.get(entryKey(entry)) ?? { entry, names: [] };
    group.names.push(entry.name);
    byEntry.set(entryKey(entry), group);
  }
  const globals = new Set([...byEntry.keys()].flatMap((key) => {
    const variable = data.get(key);
    return variable && !variable.staticIn && /^\w+$/.test(variable.expression) ? [variable.expression] : [];
  }));
  const texts = new Map<string, Promise<string>>();
  const read = (file: string) => {
    if (!texts.has(file)) texts.set(file, readFile(join(root, file), 'utf8').catch(() => ''));
    return texts.get(file)!;
  };
  // A global's definition can be in any file.
  const mayDefine = new Map<string, SourceFile[]>();
  for (const file of await filesDefining(root, [...globals])) {
    const text = await read(file);
    const source = { file, lines: text.split('\n') };
    for (const variable of globals) if (text.includes(variable)) mayDefine.set(variable, [...(mayDefine.get(variable) ?? []), source]);
  }
  const docs: SysctlDoc[] = [];
  for (const [key, { entry, names }] of byEntry) {
    const own: SourceFile = { file: entry.file, lines: (await read(entry.file)).split('\n') };
    const variable = data.get(key);
    const others = (variable && !variable.staticIn && mayDefine.get(variable.expression)) || [];
    const definition = variable && uniqueDefinition(variable, entry.file, [own, ...others.filter((f) => f.file !== entry.file)]);
    docs.push(...sourceCommentDocs({ names, entry: { ...own, line: entry.line }, variable: variable?.expression, definition }));
  }
  return docs;
}
