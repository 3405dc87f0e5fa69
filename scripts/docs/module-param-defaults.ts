/**
 * Module parameters' defaults read from the C source: the initialiser of the variable a
 * `module_param*` declaration exposes, as its file under /sys/module would print it.
 * Only what C fixes exactly is recorded: a literal, a constant the file (or a header it
 * includes from its own folder) defines once, or no initialiser at all (file-scope
 * storage starts at zero). Anything else — an expression we cannot evaluate, a variable
 * defined once per configuration, one the code assigns or hands out by address, custom
 * get/set operations — is skipped with its reason: a wrong default is worse than none.
 *
 * A source file's module is the object its Makefile builds it into (`obj-m += nvme-core.o`,
 * `nvme-core-y += core.o` → `nvme_core`), the name modinfo gives the module's parameters
 * (for built-in code too, whose sysfs prefix may differ: the generator maps that).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import type { ModuleParamDefault } from '#core/schemas/docs.ts';
import { blankPreprocessor, evaluate, lineIndex, literalEnd, lookupThrough, matchingClose, splitTopLevel, stripComments, type Environment } from './c-constants.ts';

const exec = promisify(execFile);

/** Why a declaration got no default. */
export type SkipReason =
  | 'module unknown'
  | 'custom operations'
  | 'custom type'
  | 'not a plain variable'
  | 'not defined in its file'
  | 'defined more than once'
  | 'config-dependent initialiser'
  | 'initialiser not exact'
  | 'assigned at run time'
  | 'array not simple';

export interface Skipped {
  file: string;
  line: number;
  name: string;
  reason: SkipReason;
}

/** What one file declares, before its module is known. */
export type FileParamDefault = Omit<ModuleParamDefault, 'modules'>;

/** How each standard parameter type stores its value (bits, signed) and prints it. */
const INTEGER_TYPES: Readonly<Record<string, { bits: number; signed: boolean }>> = {
  byte: { bits: 8, signed: false },
  short: { bits: 16, signed: true },
  ushort: { bits: 16, signed: false },
  int: { bits: 32, signed: true },
  // The old `bint` is an int printed as one.
  bint: { bits: 32, signed: true },
  uint: { bits: 32, signed: false },
  long: { bits: 64, signed: true },
  ulong: { bits: 64, signed: false },
  ullong: { bits: 64, signed: false },
  hexint: { bits: 32, signed: false },
};
const BOOL_TYPES = new Set(['bool', 'invbool', 'bool_enable_only']);

/**
 * An integer (or bool) as kernel/params.c's getter prints it for `type`; null for a type
 * it has no standard getter for. hexint's `%#08x` of zero is left out: the kernel's
 * vsprintf and C's differ on the prefix there, and we do not guess which.
 */
export function formatInteger(type: string, value: bigint): string | null {
  if (BOOL_TYPES.has(type)) return (value !== 0n) !== (type === 'invbool') ? 'Y' : 'N';
  const spec = INTEGER_TYPES[type];
  if (!spec) return null;
  const stored = spec.signed ? BigInt.asIntN(spec.bits, value) : BigInt.asUintN(spec.bits, value);
  if (type === 'hexint') return stored === 0n ? null : `0x${stored.toString(16).padStart(6, '0')}`;
  return stored.toString();
}

const isStandardType = (type: string) => type in INTEGER_TYPES || BOOL_TYPES.has(type) || type === 'charp';

/** The value of a C string literal sequence (`"a" "b\n"`), null when it is anything else. */
export function stringValue(text: string): string | null {
  let out = '';
  let i = 0;
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
  for (;;) {
    while (/\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) return i === 0 ? null : out;
    if (text[i] !== '"') return null;
    const end = literalEnd(text, i);
    if (text[end - 1] !== '"' || end - 1 === i) return null;
    const body = text.slice(i + 1, end - 1);
    for (let j = 0; j < body.length; j++) {
      if (body[j] !== '\\') {
        out += body[j];
        continue;
      }
      const next = body[++j] ?? '';
      const octal = /^[0-7]{1,3}/.exec(body.slice(j));
      if (octal) {
        out += String.fromCharCode(Number.parseInt(octal[0], 8));
        j += octal[0].length - 1;
      } else if (next in escapes) {
        out += escapes[next];
      } else {
        return null;
      }
    }
    i = end;
  }
}

/** Constants of one text by name; null where it gives a name two values. */
export type Constants = ReadonlyMap<string, string | null>;

/** Adds one value to constants: a name given two different values gets null. */
function addConstant(into: Map<string, string | null>, name: string, value: string | null): void {
  const before = into.get(name);
  into.set(name, before === undefined || before === value ? value : null);
}

/**
 * Object-like `#define`s of one C text and the members of its enums. A name given two
 * different values (per configuration) or overridable (`#ifndef X` / `#define X 5`: the
 * build may pass -DX) is null: which value a build used is not in the source alone.
 */
export function constantsIn(raw: string): Constants {
  const code = stripComments(raw);
  return constantsOf(code, blankPreprocessor(code));
}

/** `constantsIn` of a text already stripped of comments (`code`) and of preprocessor lines (`text`): the costly steps done once. */
function constantsOf(code: string, text: string): Constants {
  const constants = new Map<string, string | null>();
  const overridable = new Set([...code.matchAll(/^[ \t]*#[ \t]*(?:ifndef[ \t]+|if[ \t]+!\s*defined\s*\(?\s*)(\w+)/gm)].map((m) => m[1] ?? ''));
  // Every definition, not only the last one parseDefines keeps.
  for (const m of code.matchAll(/^[ \t]*#[ \t]*define[ \t]+(\w+)(?!\()((?:[^\n]*\\\n)*[^\n]*)/gm)) {
    const name = m[1] ?? '';
    addConstant(constants, name, overridable.has(name) ? null : (m[2] ?? '').replace(/\\\n/g, ' ').trim());
  }
  for (const [name, value] of enumMembers(text)) addConstant(constants, name, value);
  return constants;
}

/** The constants of a file and the local headers it includes, together; names with two values left out. */
export function mergeConstants(parts: readonly Constants[]): Map<string, string> {
  const merged = new Map<string, string | null>();
  for (const part of parts) for (const [name, value] of part) addConstant(merged, name, value);
  return new Map([...merged].filter((e): e is [string, string] => e[1] !== null));
}

/** `enum { A, B = 4, C }` → A: 0, B: 4, C: (4) + 1, as expressions for `evaluate`. */
function enumMembers(text: string): [string, string][] {
  const members: [string, string][] = [];
  for (const m of text.matchAll(/\benum\s*\w*\s*\{/g)) {
    const open = m.index + m[0].length - 1;
    let previous = '-1';
    for (const piece of splitTopLevel(text.slice(open + 1, matchingClose(text, open)))) {
      const member = /^(\w+)\s*(?:=\s*([\s\S]+))?$/.exec(piece.text);
      if (!member) break;
      previous = member[2] !== undefined ? `(${member[2]})` : `(${previous}) + 1`;
      members.push([member[1] ?? '', previous]);
    }
  }
  return members;
}

/** Names resolve through known limits, `true`/`false`, then the file's constants. */
const lookupIn = (constants: ReadonlyMap<string, string>) => lookupThrough((name) => (name === 'true' ? '1' : name === 'false' ? '0' : constants.get(name)));

/** One `module_param*` call, its arguments read into what the default needs. */
interface Declaration {
  name: string;
  /** The variable (or array) exposed, as written. */
  variable: string;
  /** A standard type name; `string` for module_param_string. */
  type: string;
  array?: { count: string };
  offset: number;
}

const PARAM_CALL = /\b(module_param(?:_named_unsafe|_named|_unsafe|_cb_unsafe|_cb|_call|_string|_array_named|_array|_hw_named|_hw_array|_hw)?)\s*\(/g;

/** Reads a call's arguments into a declaration, or says why the default cannot be read. */
function declarationOf(macro: string, args: string[], offset: number): Declaration | { name: string; reason: SkipReason } {
  const name = args[0] ?? '';
  switch (macro) {
    case 'module_param':
    case 'module_param_unsafe':
      return { name, variable: name, type: args[1] ?? '', offset };
    case 'module_param_hw':
      return { name, variable: name, type: args[1] ?? '', offset };
    case 'module_param_named':
    case 'module_param_named_unsafe':
    case 'module_param_hw_named':
      return { name, variable: args[1] ?? '', type: args[2] ?? '', offset };
    case 'module_param_cb':
    case 'module_param_cb_unsafe': {
      // Standard operations on a plain variable read as module_param_named; any other get is code.
      const ops = /^&\s*param_ops_(\w+)$/.exec(args[1] ?? '');
      const variable = /^&\s*(\w+)$/.exec(args[2] ?? '');
      if (!ops || !isStandardType(ops[1] ?? '')) return { name, reason: 'custom operations' };
      return variable ? { name, variable: variable[1] ?? '', type: ops[1] ?? '', offset } : { name, reason: 'not a plain variable' };
    }
    case 'module_param_call':
      return { name, reason: 'custom operations' };
    case 'module_param_string':
      return { name, variable: args[1] ?? '', type: 'string', offset };
    case 'module_param_array':
      return { name, variable: name, type: args[1] ?? '', array: { count: args[2] ?? '' }, offset };
    case 'module_param_array_named':
      return { name, variable: args[1] ?? '', type: args[2] ?? '', array: { count: args[3] ?? '' }, offset };
    case 'module_param_hw_array':
      return { name, variable: name, type: args[1] ?? '', array: { count: args[3] ?? '' }, offset };
    default:
      return { name, reason: 'custom operations' };
  }
}

/** A file-scope definition of a variable: its declarator's initialiser (undefined: none) and array size. */
interface Definition {
  offset: number;
  /** Where its statement ends (its `;`). */
  end: number;
  init: string | undefined;
  /** The text in `[...]`, for arrays. */
  size: string | undefined;
}

/**
 * The statements at file scope, as [start, end) with end at their `;`. A function body
 * (a `{` after `)`) ends a statement too; a struct, enum or initialiser brace does not.
 */
function fileScopeStatements(text: string): [number, number][] {
  const statements: [number, number][] = [];
  let depth = 0;
  let start = 0;
  let inFunction = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = literalEnd(text, i) - 1;
    else if (c === '{' || c === '(' || c === '[') {
      if (c === '{' && depth === 0) inFunction = text.slice(0, i).trimEnd().endsWith(')');
      depth++;
    } else if (c === ')' || c === ']') depth--;
    else if (c === '}' && --depth === 0 && inFunction) start = i + 1;
    else if (c === ';' && depth === 0) {
      statements.push([start, i]);
      start = i + 1;
    }
  }
  return statements;
}

/**
 * The code with only the first branch of every `#if`/`#ifdef` kept (`#elif`/`#else`
 * branches blanked, offsets kept): brackets opened differently per branch
 * (`#ifdef X` / `pr_warn(` / `#else` / `pr_err(`) would otherwise leave the rest of the
 * file looking like the inside of a function.
 */
export function firstBranches(code: string): string {
  /** Per open conditional: whether its current branch is blanked. */
  const blanked: boolean[] = [];
  return code
    .split('\n')
    .map((line) => {
      const directive = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b/.exec(line)?.[1];
      if (directive?.startsWith('if')) blanked.push(false);
      else if (directive === 'endif') blanked.pop();
      else if (directive !== undefined && blanked.length > 0) blanked[blanked.length - 1] = true;
      return blanked.some(Boolean) ? ' '.repeat(line.length) : line;
    })
    .join('\n');
}

/** How many lines start (at column 0) a definition of `variable`: `static int x = 1;`, `bool y;`, `int a, x;`. */
function columnZeroDefinitions(text: string, variable: string): number {
  const definition = new RegExp(`^(?!extern\\b|typedef\\b)[A-Za-z_][^;(){}=\\n]*[\\s*,]${variable}\\s*(?:\\[[^\\]\\n]*\\]\\s*)?(?:__\\w+(?:\\([^)\\n]*\\))?\\s*)*[=;,]`, 'gm');
  return text.match(definition)?.length ?? 0;
}

/** Index of the first `=` outside brackets, or the text's length. */
function initialiserAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = literalEnd(text, i) - 1;
    else if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === '=' && depth === 0) return i;
  }
  return text.length;
}

/** `x[4] __read_mostly` → name `x`, size `4`; null for what is no variable's declarator (a prototype, a macro call). */
function declaratorName(head: string): { name: string; size: string | undefined } | null {
  const m = /(\w+)\s*(?:\[([^\]]*)\])?\s*(?:__\w+(?:\([^)]*\))?\s*)*$/.exec(head.trimEnd());
  if (!m || /^__/.test(m[1] ?? '')) return null;
  return { name: m[1] ?? '', size: m[2] };
}

/** Every variable definition at file scope (not `extern` declarations, not prototypes), by name. */
function fileDefinitions(text: string, statements: readonly [number, number][]): Map<string, Definition[]> {
  const found = new Map<string, Definition[]>();
  for (const [start, end] of statements) {
    const statement = text.slice(start, end);
    const trimmed = statement.trimStart();
    if (/^(?:extern|typedef)\b/.test(trimmed) || !/^[A-Za-z_]/.test(trimmed)) continue;
    for (const piece of splitTopLevel(trimmed, start + statement.length - trimmed.length)) {
      const at = initialiserAt(piece.text);
      const declarator = declaratorName(piece.text.slice(0, at));
      if (!declarator) continue;
      const definition = { offset: piece.start, end, init: at < piece.text.length ? piece.text.slice(at + 1).trim() : undefined, size: declarator.size };
      found.set(declarator.name, [...(found.get(declarator.name) ?? []), definition]);
    }
  }
  return found;
}

/**
 * Whether the file may change the variable after its initialiser: an assignment
 * (`x =`, `x +=`, `x[i] =`, `x++`, `WRITE_ONCE(x, …)`, `strncpy(x, …)`), or its address handed to code
 * (`&x`: kstrtoint, a custom parameter's `.arg`). Matches inside `ignored` spans (the
 * definition itself, the module_param* calls) do not count.
 */
export function changedAtRunTime(text: string, variable: string, ignored: readonly [number, number][]): boolean {
  const v = variable;
  const change = new RegExp(
    [
      `(?<![\\w.>])${v}\\s*(?:\\[[^\\]]*\\]\\s*)?(?:[-+*/|&^%]|<<|>>)?=(?!=)`,
      `(?<![\\w.>])${v}\\s*(?:\\+\\+|--)`,
      `(?:\\+\\+|--)\\s*${v}\\b`,
      `&\\s*${v}\\b`,
      // Calls that write their first argument: strncpy(x, …), memset(x, …), snprintf(x, …), WRITE_ONCE(x, …).
      `\\b(?:WRITE_ONCE|\\w*xchg|str\\w*(?:cpy|cat)|mem(?:cpy|move|set)|\\w*printf)\\s*\\(\\s*${v}\\b`,
    ].join('|'),
    'g',
  );
  return [...text.matchAll(change)].some((m) => !ignored.some(([from, to]) => from <= m.index && m.index < to));
}

/** The elements of a simple array initialiser `{ a, b }`, null for designators or anything else. */
function arrayElements(init: string): string[] | null {
  if (!init.startsWith('{') || matchingClose(init, 0) !== init.length - 1) return null;
  const elements = splitTopLevel(init.slice(1, -1)).map((p) => p.text);
  return elements.some((e) => e.startsWith('[') || e.startsWith('.')) ? null : elements;
}

/** Everything one file needs to read values: its code and constants. */
interface FileScope {
  /** Comments blanked, preprocessor lines kept: to see `#if` inside a definition. */
  code: string;
  /** Comments and preprocessor lines blanked. */
  text: string;
  /** Definitions read with the first branch of every `#if` only, then with all of them (see `firstBranches`). */
  definitions: readonly ReadonlyMap<string, readonly Definition[]>[];
  lookup: Environment;
  constants: ReadonlyMap<string, string>;
  /** Spans of every module_param* call: their `&x` is not code taking x's address. */
  calls: [number, number][];
}

type Read<T> = T | { reason: SkipReason };
const failed = <T extends object>(read: Read<T>): read is { reason: SkipReason } => 'reason' in read;

/** One scalar value of `type` from an initialiser (undefined: none, so zero), or why not. */
function scalarValue(type: string, init: string | undefined, scope: FileScope): Read<{ value: string }> {
  const inexact = { reason: 'initialiser not exact' as const };
  if (type === 'charp') {
    if (init === undefined || init === 'NULL' || init === '0') return { value: '(null)' };
    const literal = stringValue(init) ?? stringValue(scope.constants.get(init) ?? '');
    return literal === null ? inexact : { value: literal };
  }
  const number = init === undefined ? 0n : evaluate(init, scope.lookup);
  const value = number === null ? null : formatInteger(type, number);
  return value === null ? inexact : { value };
}

/** The single exact definition of a variable, or why there is none. */
function soleDefinition(variable: string, scope: FileScope): Read<Definition> {
  if (!/^\w+$/.test(variable)) return { reason: 'not a plain variable' };
  const definitions = scope.definitions.map((all) => all.get(variable) ?? []).find((found) => found.length > 0) ?? [];
  if (definitions.length === 0) return { reason: 'not defined in its file' };
  // Kernel style starts a file-scope definition at column 0: one in another `#if` branch shows there too.
  if (definitions.length > 1 || columnZeroDefinitions(scope.text, variable) > 1) return { reason: 'defined more than once' };
  const definition = definitions[0]!;
  // `static int x =` / `#ifdef` / `1;` / `#else` / `0;`: blanking the directives would leave both.
  if (/^[ \t]*#/m.test(scope.code.slice(definition.offset, definition.end))) return { reason: 'config-dependent initialiser' };
  if (changedAtRunTime(scope.text, variable, [...scope.calls, [definition.offset, definition.end]])) return { reason: 'assigned at run time' };
  return definition;
}

/** The default of one declaration as sysfs prints it, or why it cannot be read. */
function valueOf(declaration: Declaration, scope: FileScope): Read<{ value: string; definition: Definition }> {
  const { type, array } = declaration;
  if (type !== 'string' && !isStandardType(type)) return { reason: 'custom type' };
  const definition = soleDefinition(declaration.variable, scope);
  if (failed(definition)) return definition;
  if (type === 'string') {
    const value = definition.init === undefined ? '' : stringValue(definition.init);
    return value === null ? { reason: 'initialiser not exact' } : { value, definition };
  }
  if (!array) {
    const read = scalarValue(type, definition.init, scope);
    return failed(read) ? read : { value: read.value, definition };
  }
  // param_array_get prints *nump elements (all of the array when nump is NULL), joined by commas.
  const notSimple = { reason: 'array not simple' as const };
  const elements = definition.init === undefined ? [] : arrayElements(definition.init);
  if (elements === null) return notSimple;
  let count: bigint | null;
  if (array.count === 'NULL') {
    count = definition.size === undefined || definition.size.trim() === '' ? BigInt(elements.length) : evaluate(definition.size, scope.lookup);
  } else {
    const counter = /^&\s*(\w+)$/.exec(array.count);
    if (!counter) return notSimple;
    const counted = soleDefinition(counter[1] ?? '', scope);
    if (failed(counted)) return counted;
    count = counted.init === undefined ? 0n : evaluate(counted.init, scope.lookup);
  }
  if (count === null || count < 0n || count > 64n) return notSimple;
  const values: string[] = [];
  for (let i = 0; i < Number(count); i++) {
    const read = scalarValue(type, elements[i], scope);
    if (failed(read)) return read;
    values.push(read.value);
  }
  return { value: values.join(','), definition };
}

/** The `type` modinfo shows for a declaration: `int`, `charp`, `string`, `array of int`. */
const modinfoType = ({ type, array }: Declaration) => (array ? `array of ${type}` : type);

/**
 * Every module_param* declaration of one C file with the default its variable starts with,
 * and the ones skipped with why. `headers` are the constants of the local headers it includes
 * (for their constants).
 */
export function readParamDefaults(source: string, file: string, headers: readonly Constants[] = []): { defaults: FileParamDefault[]; skipped: Omit<Skipped, 'file'>[] } {
  const code = stripComments(source);
  const text = blankPreprocessor(code);
  const constants = mergeConstants([constantsOf(code, text), ...headers]);
  const lineOf = lineIndex(text);
  const calls: [number, number][] = [];
  const found: { macro: string; args: string[]; offset: number }[] = [];
  for (const m of text.matchAll(PARAM_CALL)) {
    const open = m.index + m[0].length - 1;
    const close = matchingClose(text, open);
    calls.push([m.index, close + 1]);
    found.push({ macro: m[1] ?? '', args: splitTopLevel(text.slice(open + 1, close)).map((p) => p.text), offset: m.index });
  }
  const oneBranch = blankPreprocessor(firstBranches(code));
  const definitions = [fileDefinitions(oneBranch, fileScopeStatements(oneBranch)), fileDefinitions(text, fileScopeStatements(text))];
  const scope: FileScope = { code, text, definitions, lookup: lookupIn(constants), constants, calls };
  const defaults: FileParamDefault[] = [];
  const skipped: Omit<Skipped, 'file'>[] = [];
  for (const { macro, args, offset } of found) {
    const declaration = declarationOf(macro, args, offset);
    if ('reason' in declaration) {
      skipped.push({ name: declaration.name, line: lineOf(offset), reason: declaration.reason });
      continue;
    }
    const read = valueOf(declaration, scope);
    if (failed(read)) skipped.push({ name: declaration.name, line: lineOf(offset), reason: read.reason });
    else defaults.push({ file, line: lineOf(read.definition.offset), name: declaration.name, type: modinfoType(declaration), value: read.value });
  }
  return { defaults, skipped };
}

/**
 * Object file (tree-relative, `drivers/nvme/host/core.o`) → the modules built of it, from
 * one Makefile or Kbuild file in `dir`: an object listed in `obj-*` is a module of its own
 * name unless `<name>-y`/`<name>-objs`/`<name>-$(CONFIG_…)` make it a composite of others.
 */
export function modulesOfMakefile(makefile: string, dir: string): Map<string, string[]> {
  const lines = makefile.replace(/\\\n/g, ' ').split('\n').map((line) => line.replace(/#.*/, ''));
  const objects = new Set<string>();
  const parts = new Map<string, string[]>();
  for (const line of lines) {
    const m = /^\s*([\w./-]+?)-(?:y|m|objs|\$\(CONFIG_\w+(?::m=y)?\))\s*[:+]?=\s*(.*)$/.exec(line);
    if (!m) continue;
    const words = (m[2] ?? '').split(/\s+/).filter((w) => w.endsWith('.o') && !w.includes('$'));
    if (m[1] === 'obj') for (const word of words) objects.add(word.slice(0, -2));
    else parts.set(m[1] ?? '', [...(parts.get(m[1] ?? '') ?? []), ...words.map((w) => w.slice(0, -2))]);
  }
  const modules = new Map<string, string[]>();
  const add = (object: string, module: string) => {
    const path = `${posix.join(dir, object)}.o`;
    const list = modules.get(path) ?? [];
    if (!list.includes(module)) modules.set(path, [...list, module]);
  };
  for (const object of objects) {
    const module = posix.basename(object).replaceAll('-', '_');
    const members = parts.get(object);
    if (members) for (const member of members) add(posix.join(posix.dirname(object), member), module);
    else add(object, module);
  }
  return modules;
}

/** Tree-relative files under root matching `find` arguments. */
async function findFiles(root: string, args: string[]): Promise<string[]> {
  const { stdout } = await exec('find', ['.', ...args], { cwd: root, maxBuffer: 64 << 20 });
  return stdout.split('\n').filter((f) => f !== '').map((f) => f.replace(/^\.\//, '')).sort();
}

/** C files under root that mention `module_param`. */
async function filesDeclaringParams(root: string): Promise<string[]> {
  try {
    const { stdout } = await exec('grep', ['-rlE', '--include=*.c', '\\bmodule_param', '.'], { cwd: root, maxBuffer: 64 << 20 });
    return stdout.split('\n').filter((f) => f !== '').map((f) => f.replace(/^\.\//, '')).sort();
  } catch (error) {
    if ((error as { code?: number }).code === 1) return [];
    throw error;
  }
}

/** Local headers a file includes (`#include "foo.h"`), relative to the tree: their constants are the file's. */
function localIncludes(source: string, file: string): string[] {
  return [...source.matchAll(/^[ \t]*#[ \t]*include[ \t]+"([^"]+\.h)"/gm)].map((m) => posix.normalize(posix.join(posix.dirname(file), m[1] ?? '')));
}

export interface ModuleParamScan {
  defaults: ModuleParamDefault[];
  skipped: Skipped[];
}

/**
 * Reads every module parameter default of a kernel tree (e.g.
 * `.cache/linux-source/7.2/linux-source-7.2`), with its Makefiles from `kbuild` (the same
 * tree's, unpacked apart).
 */
export async function scanModuleParamDefaults(root: string, kbuild: string): Promise<ModuleParamScan> {
  const makefiles = await findFiles(kbuild, ['(', '-name', 'Makefile', '-o', '-name', 'Kbuild', ')', '-type', 'f']);
  const modules = new Map<string, string[]>();
  for (const makefile of makefiles) {
    const text = await readFile(join(kbuild, makefile), 'utf8');
    for (const [object, names] of modulesOfMakefile(text, posix.dirname(makefile))) modules.set(object, [...new Set([...(modules.get(object) ?? []), ...names])]);
  }
  const scan: ModuleParamScan = { defaults: [], skipped: [] };
  // A driver's files include the same few headers: each is read once.
  const headers = new Map<string, Promise<Constants>>();
  const headerConstants = (file: string) => {
    let constants = headers.get(file);
    if (!constants) headers.set(file, (constants = readFile(join(root, file), 'utf8').then(constantsIn, () => new Map())));
    return constants;
  };
  const readOne = async (file: string) => {
    const source = await readFile(join(root, file), 'utf8');
    return { file, source, headers: await Promise.all(localIncludes(source, file).map(headerConstants)) };
  };
  const files = await filesDeclaringParams(root);
  // Reads a few files ahead while the CPU parses: the tree is too big for the page cache to hold.
  for (let i = 0; i < files.length; i += READ_AHEAD) {
    for (const { file, source, headers: included } of await Promise.all(files.slice(i, i + READ_AHEAD).map(readOne))) {
      const { defaults, skipped } = readParamDefaults(source, file, included);
      const owners = modules.get(file.replace(/\.c$/, '.o'));
      if (!owners) {
        scan.skipped.push(...defaults.map(({ line, name }) => ({ file, line, name, reason: 'module unknown' as const })), ...skipped.map((s) => ({ ...s, file })));
        continue;
      }
      scan.defaults.push(...defaults.map((d) => ({ modules: [...owners].sort(), ...d })));
      scan.skipped.push(...skipped.map((s) => ({ ...s, file })));
    }
  }
  return scan;
}

const READ_AHEAD = 32;

/** Skips per reason, most frequent first. */
export function countReasons(skipped: readonly Pick<Skipped, 'reason'>[]): [SkipReason, number][] {
  const counts = new Map<SkipReason, number>();
  for (const { reason } of skipped) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}
