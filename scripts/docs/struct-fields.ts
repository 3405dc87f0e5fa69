/**
 * The comment on the struct field a sysctl's `.data` points into (origin `struct-field`):
 * `.data = &init_net.sctp.max_autoclose` → `struct net`'s member `sctp` is a
 * `struct netns_sctp` → its field `max_autoclose` in include/net/netns/sctp.h; 5.10's
 * `set_table_entry(…, &sd->min_interval, …)` → `sd` is a `struct sched_domain *` → the
 * comment trailing `unsigned long min_interval;` ("Minimum balance interval ms").
 *
 * Precision over reach, as for variable comments: every step must be unambiguous (the root
 * variable defined once, a pointer declared with one struct type in the entry's file, each
 * struct defined once in the headers and that file, each member declared once in its
 * struct: an `#ifdef` with two layouts is not told apart), and the comment must
 * touch the field (trailing it, ending right above it, or heading its run of declarations
 * and naming it) and say more than the names do.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CtlTableEntry, SysctlDoc } from '#core/schemas/docs.ts';
import { runText } from '../lib/run.ts';
import { definesStatic, entryKey, type DataVariable } from './ctl-join.ts';
import {
  commentAbove, commentDoc, filesDefining, firstDescription, trailingComment, uniqueDefinition, type Definition, type SourceComment, type SourceFile,
} from './source-comments.ts';

/** `init_net.sctp.max_autoclose` → root `init_net`, members `sctp`, `max_autoclose`; `sd->min_interval` → root `sd`, a pointer. */
export interface FieldPath {
  root: string;
  pointer: boolean;
  members: string[];
}

/** A `.data` expression that reaches a struct field by names alone; none for indexing, calls or casts. */
export function fieldPath(expression: string): FieldPath | undefined {
  const match = /^(\w+)(->|\.)(\w+(?:\.\w+)*)$/.exec(expression);
  return match ? { root: match[1]!, pointer: match[2] === '->', members: match[3]!.split('.') } : undefined;
}

/** The struct a pointer points to when every declaration of that name in the file agrees (`struct sched_domain *sd`). */
export function pointerStruct(source: string, pointer: string): string | undefined {
  const types = new Set([...source.matchAll(new RegExp(`\\bstruct\\s+(\\w+)\\s*\\*\\s*(?:const\\s+)?${pointer}\\b(?!\\s*\\()`, 'g'))].map((m) => m[1]!));
  return types.size === 1 ? [...types][0] : undefined;
}

/** The struct type of a variable's definition line (`static struct dst_ops ipv4_dst_ops = {`). */
export function definedStruct(line: string, variable: string): string | undefined {
  return new RegExp(`^(?:static\\s+)?(?:const\\s+)?struct\\s+(\\w+)\\s+(?:__\\w+\\s+)*${variable}\\b`).exec(line)?.[1];
}

/** Lines (0-based) that open the definition of `struct name` at file scope. */
export function structLines(lines: readonly string[], name: string): number[] {
  const open = new RegExp(`^struct\\s+${name}\\s*\\{`);
  return lines.flatMap((line, i) => (open.test(line) ? [i] : []));
}

/**
 * Lines (0-based) of the struct opening on `open` that declare `member` directly in it
 * (brace depth one: not a member of a nested struct), comments and strings aside.
 */
export function memberLines(lines: readonly string[], open: number, member: string): number[] {
  const declares = new RegExp(`^\\s*[A-Za-z_][\\w\\s*]*?[\\s*]${member}\\s*(?:\\[[^\\]]*\\]\\s*)?(?::\\s*\\w+\\s*)?(?:__\\w+(?:\\([^)]*\\))?\\s*)*;`);
  const found: number[] = [];
  let depth = 0;
  let inComment = false;
  for (let i = open; i < lines.length; i++) {
    let code = lines[i]!;
    if (inComment) {
      const end = code.indexOf('*/');
      if (end < 0) continue;
      code = code.slice(end + 2);
      inComment = false;
    }
    code = code.replace(/\/\*.*?\*\/|\/\/.*$|"(?:[^"\\]|\\.)*"/g, ' ');
    const opens = code.indexOf('/*');
    if (opens >= 0) {
      code = code.slice(0, opens);
      inComment = true;
    }
    if (depth === 1 && declares.test(code)) found.push(i);
    for (const char of code) depth += char === '{' ? 1 : char === '}' ? -1 : 0;
    if (depth === 0 && i > open) break;
  }
  return found;
}

/** A struct member declared as an embedded struct (`struct netns_sctp	sctp;`): its struct, else none (pointers, typedefs). */
export function memberStruct(line: string, member: string): string | undefined {
  return new RegExp(`^\\s*struct\\s+(\\w+)\\s+(?:__\\w+\\s+)*${member}\\s*;`).exec(line)?.[1];
}

/** One struct field, found: where it is declared and in which struct. */
export interface StructField extends Definition {
  struct: string;
  field: string;
}

/** The definitions of `struct <name> { … }` one file can use; undefined: not looked up yet. */
export type StructDefinitions = (name: string) => readonly Definition[] | undefined;

/**
 * Follows `members` from `struct start`, each struct defined and each member declared
 * exactly once: the field, or the struct to look up before going on, or undefined where
 * the chain breaks (no or several definitions, a pointer or typedef member).
 */
export function resolveField(start: string, members: readonly string[], structs: StructDefinitions): { field: StructField } | { unknown: string } | undefined {
  let struct = start;
  for (const [i, member] of members.entries()) {
    const definitions = structs(struct);
    if (!definitions) return { unknown: struct };
    const [definition, ...others] = definitions;
    if (!definition || others.length > 0) return undefined;
    const [index, ...again] = memberLines(definition.lines, definition.index, member);
    if (index === undefined || again.length > 0) return undefined;
    if (i === members.length - 1) return { field: { ...definition, index, struct, field: member } };
    const next = memberStruct(definition.lines[index]!, member);
    if (!next) return undefined;
    struct = next;
  }
  return undefined;
}

/** A line of a run of member declarations: code ending in `;`, perhaps with a comment after it. */
const DECLARATION = /^\s*[A-Za-z_][^/]*;\s*(?:\/\*.*\*\/|\/\/.*)?$/;

/**
 * The comments on a field's declaration, nearest first: the one trailing it (its own,
 * however the fields around it are laid out), then the one ending right above its run of
 * declarations — when the run is the field alone, or when the comment names it (`Note:
 * rto_alpha and rto_beta are …` above `int rto_alpha; int rto_beta;`). A comment above
 * several fields that does not name this one is about the run (`next fields are set
 * through sysctl`).
 */
export function fieldComments(lines: readonly string[], index: number, field: string): SourceComment[] {
  let first = index;
  while (first > 0 && DECLARATION.test(lines[first - 1]!)) first--;
  let last = index;
  while (last + 1 < lines.length && DECLARATION.test(lines[last + 1]!)) last++;
  const above = commentAbove(lines, first);
  const own = first === last || new RegExp(`\\b${field}\\b`).test(above?.text ?? '');
  return [trailingComment(lines, index), own ? above : undefined].filter((c): c is SourceComment => c !== undefined);
}

/** The doc for an entry's names from the comment on its field; `file`/`line` are the comment's first line. */
export function structFieldDoc(names: readonly string[], at: StructField): SysctlDoc | undefined {
  // A comment that only repeats these (file names, the field) says nothing new.
  const subjectNames = [...names.map((name) => name.split('.').at(-1)!), at.field];
  const found = firstDescription(fieldComments(at.lines, at.index, at.field), subjectNames);
  if (!found) return undefined;
  return commentDoc(names, found.paragraphs, { origin: 'struct-field', field: at.field, struct: at.struct }, { file: at.file, line: found.comment.line });
}

/**
 * Headers of the tree that open a definition of one of the structs; grep is much faster
 * than reading 25k headers. A struct defined in a .c file is that file's own: it is looked
 * up only in the file the chain starts from.
 */
async function headersDefining(root: string, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  // grep exits 1, saying nothing, when nothing matches; any other failure is one.
  const stdout = await runText('grep', ['-rlE', '--include=*.h', `^struct[[:space:]]+(${names.join('|')})[[:space:]]*\\{`, '.'], { cwd: root }).catch((error: Error) => {
    if (error.message.endsWith('failed: exit 1')) return '';
    throw error;
  });
  return stdout.split('\n').filter(Boolean).map((f) => f.replace(/^\.\//, ''));
}

/** Where a chain of members starts: the struct of its root, and the file whose own structs it can also use. */
interface Start {
  struct: string;
  file: SourceFile;
}

/**
 * `structFieldDoc` for every named entry of a tree whose `.data` is a struct field, one
 * doc per entry (with all its names).
 */
export async function scanStructFields(root: string, entries: readonly CtlTableEntry[], data: ReadonlyMap<string, DataVariable>): Promise<SysctlDoc[]> {
  const texts = new Map<string, Promise<string>>();
  const read = (file: string) => {
    if (!texts.has(file)) texts.set(file, readFile(join(root, file), 'utf8').catch(() => ''));
    return texts.get(file)!;
  };
  const pending = new Map<string, { entry: CtlTableEntry; names: string[]; path: FieldPath }>();
  for (const entry of entries) {
    const variable = data.get(entryKey(entry));
    const path = variable && fieldPath(variable.expression);
    if (entry.name === null || !path) continue;
    const group = pending.get(entryKey(entry)) ?? { entry, names: [], path };
    group.names.push(entry.name);
    pending.set(entryKey(entry), group);
  }
  // The root's struct: a pointer's from its declarations in the entry's file, a variable's from its one definition.
  const globals = [...new Set([...pending.values()].flatMap(({ path }) => (path.pointer ? [] : [path.root])))];
  const mayDefine: SourceFile[] = await Promise.all((await filesDefining(root, globals)).map(async (file) => ({ file, lines: (await read(file)).split('\n') })));
  const starts = new Map<string, Start>();
  for (const [key, { entry, path }] of pending) {
    const source = await read(entry.file);
    const own: SourceFile = { file: entry.file, lines: source.split('\n') };
    if (path.pointer) {
      const struct = pointerStruct(source, path.root);
      if (struct) starts.set(key, { struct, file: own });
      continue;
    }
    const variable: DataVariable = definesStatic(source, path.root) ? { expression: path.root, staticIn: entry.file } : { expression: path.root };
    const definition = uniqueDefinition(variable, entry.file, [own, ...mayDefine.filter((f) => f.file !== entry.file)]);
    const struct = definition && definedStruct(definition.lines[definition.index]!, path.root);
    if (struct) starts.set(key, { struct, file: definition });
  }
  const inHeaders = new Map<string, Definition[]>();
  const structsFor = ({ file }: Start): StructDefinitions => (name) => {
    const found = inHeaders.get(name);
    return found && [...found, ...structLines(file.lines, name).map((index) => ({ ...file, index }))];
  };
  const resolve = () => [...pending].map(([key, { names, path }]) => {
    const start = starts.get(key);
    return { names, resolved: start && resolveField(start.struct, path.members, structsFor(start)) };
  });
  // Each level of members may name structs not looked up yet: one grep per level, a chain is a few levels deep.
  for (let wanted = [...new Set([...starts.values()].map((start) => start.struct))]; wanted.length > 0; ) {
    for (const name of wanted) inHeaders.set(name, []);
    for (const file of await headersDefining(root, wanted)) {
      const lines = (await read(file)).split('\n');
      for (const name of wanted) for (const index of structLines(lines, name)) inHeaders.get(name)!.push({ file, lines, index });
    }
    wanted = [...new Set(resolve().flatMap(({ resolved }) => (resolved && 'unknown' in resolved ? [resolved.unknown] : [])))];
  }
  return resolve().flatMap(({ names, resolved }) => {
    const doc = resolved && 'field' in resolved && structFieldDoc(names, resolved.field);
    return doc ? [doc] : [];
  });
}
