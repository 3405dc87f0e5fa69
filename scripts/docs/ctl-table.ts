/**
 * Every `struct ctl_table` entry of a kernel tree: where it is defined, what its handler
 * makes of the value, its bounds, and — where the registration can be followed — its full
 * sysctl name and whether each network namespace has its own copy. One file is parsed on
 * its own (`parseCtlFile`); names need the whole tree, because a table may be registered,
 * or hung under a parent table, from another file (`linkNames`). No compiler: the C is read with regular expressions and bracket matching,
 * and whatever cannot be read exactly is left null.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CtlTableEntry, OpenBound, RegistrationKind, ValueType } from '#core/schemas/docs.ts';
import {
  blankPreprocessor, declaredVariables, evaluate, expandDefine, KNOWN_CONSTANTS, lineIndex, lookupThrough, matchingClose, parseDefines, parseVariables, readConstants, splitTopLevel, stripComments,
} from './c-constants.ts';
import type { CDefine, CVariable, Environment, FileConstants, KernelConfig, Piece } from './c-constants.ts';
import { bootBound } from './c-boot.ts';
import { definitionsElsewhere, type Definition } from './c-globals.ts';
import { HeaderTree, namesSeenBy, type HeaderNames } from './c-headers.ts';

/** What the whole tree lends each file. */
export interface TreeContext {
  /** `SYSCTL_ZERO` → `0`, read from this tree's include/linux/sysctl.h and sysctl_vals[]. */
  bounds: ReadonlyMap<string, string>;
  /** Names declared as numeric arrays anywhere we looked (struct fields included): `sizeof` of one is a vector. */
  arrayNames: ReadonlySet<string>;
  /** Object-like `#define`s of shared headers (`MAX_TCP_SYNCNT`), for names neither a file nor the headers it includes define. */
  defines: ReadonlyMap<string, string>;
  /** The kernel's configuration (`CONFIG_HZ`, …): without it, whatever depends on one is unknown. */
  config?: KernelConfig;
}

/**
 * An entry before its table's place in /proc/sys is known, and before its type is: a
 * custom handler's type comes from the standard handler it calls, possibly in another file.
 */
export type RawEntry = Omit<CtlTableEntry, 'name' | 'type'> & {
  table: string;
  vector: boolean;
  /** Bounds naming a variable another file may define (`&pid_max_max`), for the whole tree to work out. */
  elsewhere?: { min?: string; max?: string };
};

/** `{ .procname = "kernel", .child = kern_table }`: `child` hangs below `table` as `procname`. */
export interface ChildLink {
  table: string;
  procname: string;
  child: string;
}

/**
 * A registration call. `tables` are the local (or extern) tables it may register, `helpers`
 * functions whose kmemdup'd copy it registers; `prefixes` are the path segments it puts
 * them under (several when a path component is a parameter), null when unresolvable;
 * `kind` is which network namespaces have them.
 */
export interface Registration {
  tables: string[];
  helpers: string[];
  prefixes: string[][] | null;
  kind: RegistrationKind;
  /** Instances of a `<interface>` path part the call also names, placed otherwise than `kind` (`namedInstances`). */
  instances?: Record<string, RegistrationKind>;
}

export interface FileScan {
  file: string;
  tables: string[];
  entries: RawEntry[];
  children: ChildLink[];
  registrations: Registration[];
  /** Function name → local tables it kmemdups (register_net_sysctl often registers a copy). */
  copies: Map<string, string[]>;
  /** Function name → the functions it calls (`proc_watchdog` → proc_watchdog_common → proc_dointvec_minmax). */
  calls: Map<string, string[]>;
}

/** Everything about one file a parse step needs. */
interface Scope {
  text: string;
  /** Every `#define` of the file, whichever `#if` branch: entry macros expand to what any configuration can have. */
  defines: Map<string, CDefine>;
  /** Constant expressions' names: the file's macros where the configuration compiles, its headers', known limits. */
  constants: Environment;
  variables: Map<string, CVariable>;
  /** File-scope integer variables declared here → whether each declaration is static. */
  declared: Map<string, boolean[]>;
  /** `static const char x[] = "flush";`: procnames given by name (ipv4 route.c). */
  strings: Map<string, string>;
  tree: TreeContext;
  lineAt: (offset: number) => number;
  /** Whether the configuration compiles the code at an offset (true where it cannot tell, or none is known). */
  compiledAt: (offset: number) => boolean;
}

const exec = promisify(execFile);

/**
 * Scans a kernel tree (e.g. `.cache/linux-source/6.1/linux-source-6.1`), with its
 * configuration where known. A file under `arch/<dir>/` of an architecture in `archConfigs`
 * (`arm64` → arm64's kernel configuration) is read as that architecture builds it: its
 * configuration decides its `#if`s and its `<asm/…>` headers are that architecture's.
 */
export async function scanCtlTables(root: string, config?: KernelConfig, archConfigs: ReadonlyMap<string, KernelConfig> = new Map()): Promise<CtlTableEntry[]> {
  const files = await filesMentioning(root, 'ctl_table');
  const texts = await Promise.all(files.map(async (file) => ({ file, text: await readFile(join(root, file), 'utf8') })));
  const headers = await numericHeaders(root);
  const tree: TreeContext = {
    bounds: await sysctlBounds(root),
    arrayNames: arrayNames([...headers, ...texts.map((t) => t.text)]),
    defines: sharedDefines(headers, config),
    ...(config === undefined ? {} : { config }),
  };
  const included = new HeaderTree(root, config);
  const byArch = new Map([...archConfigs].map(([arch, archConfig]) => [arch, { tree: { ...tree, config: archConfig }, included: new HeaderTree(root, archConfig, arch) }]));
  const builtAs = (file: string) => byArch.get(/^arch\/([^/]+)\//.exec(file)?.[1] ?? '') ?? { tree, included };
  const scans = await Promise.all(texts.map(async ({ file, text }) => {
    const code = stripComments(text);
    const as = builtAs(file);
    return parseCtlFile(text, file, as.tree, await as.included.namesFor(file, readConstants(code, as.tree.config)), code);
  }));
  const wanted = scans.flatMap((scan) => scan.entries.flatMap((entry) => Object.values(entry.elsewhere ?? {}).map(boundVariable)));
  const definitions = await definitionsElsewhere(root, new Set(wanted.filter((name) => name !== null)), included, config);
  return linkNames(scans.map((scan) => ({ ...scan, entries: scan.entries.map((entry) => boundsFromElsewhere(entry, scan.file, definitions, tree)) })));
}

/**
 * An entry's bounds from variables other files define (or its own globals, which they
 * might write): their value, or what boot code makes of them. A static of another file
 * is another variable.
 */
function boundsFromElsewhere(entry: RawEntry, file: string, definitions: ReadonlyMap<string, Definition>, tree: TreeContext): RawEntry {
  const side = (expr: string | undefined, resolved: string | null, open: OpenBound | undefined): { value: string | null; open?: OpenBound } => {
    const name = expr === undefined ? null : boundVariable(expr);
    const found = name === null ? undefined : definitions.get(name);
    if (name === null) return { value: resolved, open };
    // No integer of that name (devinet's `.extra1 = &ipv4_devconf` is a struct its handler reads): no bound at all.
    if (found === undefined || (found.isStatic && found.file !== file)) return { value: resolved };
    const value = found.variable === undefined ? null : resolveBound(expr, { variables: new Map([[name, found.variable]]), tree });
    if (value !== null) return { value };
    return { value, open: open === undefined || found.boot === undefined ? open : { ...open, boot: found.boot } };
  };
  const min = side(entry.elsewhere?.min, entry.min, entry.openBounds?.min);
  const max = side(entry.elsewhere?.max, entry.max, entry.openBounds?.max);
  const { openBounds: _before, ...rest } = entry;
  const openBounds = sides(min.open, max.open);
  return { ...rest, min: min.value, max: max.value, ...(Object.keys(openBounds).length > 0 ? { openBounds } : {}) };
}

/** `{ min, max }` without the sides that are undefined. */
function sides<T>(min: T | undefined, max: T | undefined): { min?: T; max?: T } {
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

/** C files (and headers: some tables live in kernel/*.h) under root holding `needle`, relative to root; grep is much faster than reading all 30k files. */
async function filesMentioning(root: string, needle: string): Promise<string[]> {
  try {
    const { stdout } = await exec('grep', ['-rlF', '--include=*.c', '--include=*.h', needle, '.'], { cwd: root, maxBuffer: 64 << 20 });
    return stdout.split('\n').filter((f) => f !== '').map((f) => f.replace(/^\.\//, '')).sort();
  } catch (error) {
    if ((error as { code?: number }).code === 1) return [];
    throw error;
  }
}

/**
 * Headers that declare the per-namespace sysctl arrays (`int sysctl_tcp_rmem[3]`) and the
 * limits tables use as bounds (`MAX_TCP_SYNCNT`, `NGROUPS_MAX`).
 */
async function numericHeaders(root: string): Promise<string[]> {
  const dirs = ['include/net', 'include/net/netns', 'include/uapi/linux'].map((d) => join(root, d));
  const lists = await Promise.all(dirs.map(async (dir) => (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.h')).map((f) => join(dir, f))));
  return Promise.all(lists.flat().map((f) => readFile(f, 'utf8')));
}

/** SYSCTL_* bound macros: their meaning moved between kernels (5.10's sysctl_vals[0] is -1, 6.1's is 0). */
async function sysctlBounds(root: string): Promise<Map<string, string>> {
  const read = (f: string) => readFile(join(root, f), 'utf8').catch(() => '');
  const header = await read('include/linux/sysctl.h');
  const arrays = (await Promise.all(['kernel/sysctl.c', 'fs/proc/proc_sysctl.c'].map(read))).join('\n');
  return boundsFrom(header, arrays);
}

/** Pure half of `sysctlBounds`: macro definitions plus the arrays they index. */
export function boundsFrom(header: string, arraysSource: string): Map<string, string> {
  const arrays = parseVariables(blankPreprocessor(stripComments(arraysSource)), (n) => KNOWN_CONSTANTS.get(n) ?? null);
  const bounds = new Map<string, string>();
  for (const [name, define] of parseDefines(stripComments(header))) {
    const m = /&\s*(sysctl_(?:long_)?vals)\s*\[\s*(\d+)\s*\]/.exec(define.body);
    const value = m === null ? undefined : arrays.get(m[1] ?? '')?.values[Number(m[2])];
    if (name.startsWith('SYSCTL_') && value !== undefined && value !== null) bounds.set(name, value.toString());
  }
  return bounds;
}

const NUMERIC_ARRAY = /\b(?:int|long|u8|u16|u32|u64|s32|s64|__u32|__u64)\s+(\w+)\s*\[[^\]]+\]\s*[;=]/g;

/** Names declared as numeric arrays in these texts (char arrays are strings, not vectors). */
export function arrayNames(texts: string[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(NUMERIC_ARRAY)) names.add(m[1] ?? '');
  return names;
}

/**
 * Object-like defines of these headers where the configuration compiles them; one defined
 * differently in two places (per config or arch), or under an `#if` we cannot decide
 * against another, is dropped.
 */
export function sharedDefines(headers: string[], config?: KernelConfig): Map<string, string> {
  const defines = new Map<string, string | null>();
  for (const header of headers) {
    for (const [name, define] of readConstants(stripComments(header), config).defines) {
      if (define !== null && define.params !== null) continue;
      const seen = defines.get(name);
      defines.set(name, define !== null && (seen === undefined || seen === define.body) ? define.body : null);
    }
  }
  return new Map([...defines].filter((e): e is [string, string] => e[1] !== null));
}


/**
 * Parses one C file: its tables' entries, child links and registration calls. `headers`
 * gives what the file's `#include`s define; `code` is the source with comments blanked.
 */
export function parseCtlFile(source: string, file: string, tree: TreeContext, headers?: HeaderNames, code = stripComments(source)): FileScan {
  const defines = parseDefines(code);
  const text = blankPreprocessor(code);
  const fileConstants = readConstants(code, tree.config);
  const constants = constantLookup(fileConstants, headers, tree);
  const variables = parseVariables(text, constants);
  // Code the configuration leaves out is blanked in `compiled`, offsets kept.
  const compiledAt = (offset: number) => fileConstants.compiled[offset] === text[offset];
  const scope: Scope = { text, defines, constants, variables, declared: declaredVariables(text), strings: stringConstants(text), tree, lineAt: lineIndex(text), compiledAt };
  const bodies = tableBodies(text);
  const scan: FileScan = { file, tables: [...bodies.keys()], entries: [], children: [], registrations: [], copies: tableCopies(text, bodies), calls: functionCalls(text) };
  for (const [table, pieces] of bodies) {
    for (const piece of pieces) collectElements(piece, table, scope, scan);
  }
  scan.registrations = registrations(scope, bodies, ctlPaths(text));
  collectSetTableEntries(scope, scan);
  collectAssignedEntries(scope, scan, ctlPaths(text));
  return scan;
}

const STRING_CONSTANT = /^(?:static\s+)?(?:const\s+)?char\s+(?:const\s+)?(?:\*\s*(?:const\s+)?)?(\w+)\s*(?:\[\s*\])?\s*=\s*("(?:[^"\\\n]|\\.)*")\s*;/gm;

/** File-scope string constants. */
function stringConstants(text: string): Map<string, string> {
  return new Map([...text.matchAll(STRING_CONSTANT)].map((m) => [m[1] ?? '', stringLiteral(m[2] ?? '') ?? '']));
}

/** Names resolve through known limits and the configuration, then what the file sees (`namesSeenBy`), then the shared headers' macros. */
function constantLookup(own: FileConstants, headers: HeaderNames | undefined, tree: TreeContext): Environment {
  return lookupThrough(namesSeenBy(own, headers, (name) => tree.defines.get(name)), tree.config);
}

/** The inside of the brace block opening at `open`, as a piece. */
function braceInside(text: string, open: number): Piece {
  return { text: text.slice(open + 1, matchingClose(text, open)), start: open + 1 };
}

const STANDALONE_TABLE = /\bstruct\s+ctl_table\s+(?:__\w+\s+)*(\w+)\s*\[[^\]]*\]\s*(?:__\w+\s*)*=\s*\{/g;
const TABLE_FIELD = /\bstruct\s+ctl_table\s+(\w+)\s*\[[^\]]*\]\s*;/g;

/**
 * Table name → its initialiser bodies. Standalone arrays, plus arrays inside a struct
 * template (`.devinet_vars = { ... }`), named by the field: registrations pass `t->devinet_vars`.
 */
function tableBodies(text: string): Map<string, Piece[]> {
  const bodies = new Map<string, Piece[]>();
  const add = (name: string, piece: Piece) => bodies.set(name, [...(bodies.get(name) ?? []), piece]);
  for (const m of text.matchAll(STANDALONE_TABLE)) add(m[1] ?? '', braceInside(text, m.index + m[0].length - 1));
  for (const field of new Set([...text.matchAll(TABLE_FIELD)].map((m) => m[1] ?? ''))) {
    for (const m of text.matchAll(new RegExp(`\\.${field}\\s*=\\s*\\{`, 'g'))) add(field, braceInside(text, m.index + m[0].length - 1));
  }
  return bodies;
}

/** Walks a table body's elements, expanding the file's entry macros (`DEVINET_SYSCTL_RW_ENTRY(...)`). */
function collectElements(body: Piece, table: string, scope: Scope, scan: FileScan, macroLine: number | null = null, depth = 0): void {
  for (const element of splitTopLevel(body.text, body.start)) {
    const inner = element.text.replace(/^\[[^\]]*\]\s*=\s*/, '');
    const innerStart = element.start + element.text.length - inner.length;
    if (inner.startsWith('{')) {
      const fields = fieldsOf({ text: inner.slice(1, matchingClose(inner, 0)), start: innerStart + 1 });
      for (const procname of fields.get('procname') ?? []) {
        addInitialiser(procname, fields, macroLine ?? scope.lineAt(procname.start), table, scope, scan);
      }
      continue;
    }
    const expansion = depth < 6 ? expandMacro(inner, scope.defines) : null;
    if (expansion !== null) collectElements({ text: expansion, start: 0 }, table, scope, scan, macroLine ?? scope.lineAt(element.start), depth + 1);
  }
}

/**
 * `.name = value` pairs of a designated initialiser. A field given twice comes from
 * `#if`/`#else` branches (both kept, as preprocessor lines are blanked): all values are kept.
 */
function fieldsOf(inside: Piece): Map<string, Piece[]> {
  const fields = new Map<string, Piece[]>();
  for (const part of splitTopLevel(inside.text, inside.start)) {
    const m = /^\.(\w+)\s*=\s*/.exec(part.text);
    if (m !== null) fields.set(m[1] ?? '', [...(fields.get(m[1] ?? '') ?? []), { text: part.text.slice(m[0].length).trim(), start: part.start }]);
  }
  return fields;
}

/** Expands a function-like macro call (`#`, `##` included), or null if it is not one of the file's. */
export function expandMacro(call: string, defines: ReadonlyMap<string, CDefine>): string | null {
  const m = /^(\w+)\s*\(/.exec(call);
  const define = m === null ? undefined : defines.get(m[1] ?? '');
  if (m === null || define === undefined) return null;
  const open = m[0].length - 1;
  if (matchingClose(call, open) !== call.length - 1) return null;
  return expandDefine(define, splitTopLevel(call.slice(open + 1, -1)).map((a) => a.text));
}

/** Concatenated string literals → their text; anything else → null. */
function stringLiteral(expr: string): string | null {
  if (!/^(?:"(?:[^"\\]|\\.)*"\s*)+$/.test(expr)) return null;
  return [...expr.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('');
}

/** The name an expression ends with: `&init_net.ipv4.sysctl_tcp_rmem` → `sysctl_tcp_rmem`. */
function lastIdentifier(expr: string): string | null {
  return /(\w+)\s*\)*\s*$/.exec(expr)?.[1] ?? null;
}

/** Turns one initialiser (for one of its procnames) into an entry (a leaf with a handler) or a child link (a directory). */
function addInitialiser(procnameField: Piece, fields: Map<string, Piece[]>, line: number, table: string, scope: Scope, scan: FileScan): void {
  // A field given in each branch of an `#ifdef` (bpf_jit_enable's bounds under CONFIG_BPF_JIT_ALWAYS_ON): the branch this kernel compiles.
  const field = (name: string) => {
    const pieces = fields.get(name);
    return (pieces?.find((piece) => scope.compiledAt(piece.start)) ?? pieces?.[0])?.text;
  };
  const procname = stringLiteral(procnameField.text) ?? scope.strings.get(procnameField.text) ?? null;
  if (procname === null) return;
  const child = field('child');
  if (child !== undefined) {
    const name = lastIdentifier(child);
    if (name !== null) scan.children.push({ table, procname, child: name });
    return;
  }
  const handlerText = field('proc_handler');
  if (handlerText === undefined) return;
  const handler = lastIdentifier(handlerText) ?? handlerText;
  const extra = { min: field('extra1'), max: field('extra2') };
  const min = resolveBound(extra.min, scope);
  const max = resolveBound(extra.max, scope);
  const elsewhere = sides(min === null && definedElsewhere(extra.min, scope) ? extra.min : undefined, max === null && definedElsewhere(extra.max, scope) ? extra.max : undefined);
  const openBounds = sides(min === null ? openBound(extra.min, scan.file, scope) : undefined, max === null ? openBound(extra.max, scan.file, scope) : undefined);
  scan.entries.push({
    file: scan.file, line, table, procname, mode: octalMode(field('mode'), scope), handler,
    vector: isVector(field('maxlen'), scope), min, max,
    ...(Object.keys(openBounds).length > 0 ? { openBounds } : {}),
    ...(Object.keys(elsewhere).length > 0 ? { elsewhere } : {}),
  });
}

/** A bound that is no constant, as written, and what boot code makes of a static of this file. */
function openBound(expr: string | undefined, file: string, scope: Pick<Scope, 'text' | 'constants' | 'declared'>): OpenBound | undefined {
  const written = expr === undefined ? undefined : stripCasts(expr);
  if (written === undefined || written === 'NULL') return undefined;
  const name = boundVariable(written);
  const boot = name !== null && scope.declared.get(name)?.every((isStatic) => isStatic) === true ? bootBound(scope.text, name, scope.constants) : null;
  return { written, ...(boot === null ? {} : { boot: { file, ...boot } }) };
}

/**
 * Does a bound name a variable this file does not define as a constant it can read: not
 * at all (an `extern`), or as a global another file might write? A static this file
 * changes at run time is its own, and no constant anywhere.
 */
function definedElsewhere(expr: string | undefined, scope: Pick<Scope, 'variables' | 'declared'>): boolean {
  const name = expr === undefined ? null : boundVariable(expr);
  return name !== null && !scope.variables.has(name) && !(scope.declared.get(name)?.every((isStatic) => isStatic) ?? false);
}

/** The permission macros of include/linux/stat.h and uapi/linux/stat.h, fixed by POSIX. */
const MODE_BITS: ReadonlyMap<string, bigint> = new Map([
  ['S_IRWXU', 0o700n], ['S_IRUSR', 0o400n], ['S_IWUSR', 0o200n], ['S_IXUSR', 0o100n],
  ['S_IRWXG', 0o070n], ['S_IRGRP', 0o040n], ['S_IWGRP', 0o020n], ['S_IXGRP', 0o010n],
  ['S_IRWXO', 0o007n], ['S_IROTH', 0o004n], ['S_IWOTH', 0o002n], ['S_IXOTH', 0o001n],
  ['S_IRWXUGO', 0o777n], ['S_IRUGO', 0o444n], ['S_IWUGO', 0o222n], ['S_IXUGO', 0o111n],
]);

/** `.mode` as four octal digits: a literal as written, or `S_IRUGO | S_IWUSR` worked out. */
function octalMode(expr: string | undefined, scope: Scope): string | null {
  if (expr === undefined) return null;
  if (/^0[0-7]{3}$/.test(expr)) return expr;
  const value = evaluate(expr, { ...scope.constants, value: (name) => MODE_BITS.get(name) ?? scope.constants.value(name) });
  return value === null || value < 0n || value > 0o777n ? null : `0${value.toString(8).padStart(3, '0')}`;
}

/** `(void *)&x`, `((int *)&x)` → `&x`. */
function stripCasts(expr: string): string {
  let e = expr.trim();
  for (;;) {
    const next = e.replace(/^\(\s*(?:const\s+)?\w+(?:\s+\w+)*\s*\*+\s*\)\s*/, '').replace(/^\((.*)\)$/s, '$1').trim();
    if (next === e) return e;
    e = next;
  }
}

const BOUND_VARIABLE = /^(&?)\s*(\w+)\s*(?:\[\s*(\d+)\s*\])?$/;

/** The variable a bound names (`(void *)&pid_max_max` → `pid_max_max`), null for a SYSCTL_* macro or anything else. */
function boundVariable(expr: string): string | null {
  const e = stripCasts(expr);
  return /^SYSCTL_\w+$/.test(e) ? null : BOUND_VARIABLE.exec(e)?.[2] ?? null;
}

/**
 * `.extra1` / `.extra2` as decimal text: SYSCTL_* macros of this tree, `&var` / `&arr[i]`
 * of a file-scope integer, or an array whose elements all agree (per-element bounds of a vector).
 */
export function resolveBound(expr: string | undefined, scope: Pick<Scope, 'variables' | 'tree'>): string | null {
  if (expr === undefined) return null;
  const e = stripCasts(expr);
  if (/^SYSCTL_\w+$/.test(e)) return scope.tree.bounds.get(e) ?? null;
  const m = BOUND_VARIABLE.exec(e);
  const variable = m === null ? undefined : scope.variables.get(m[2] ?? '');
  if (m === null || variable === undefined) return null;
  const values = m[3] !== undefined ? [variable.values[Number(m[3])]] : m[1] === '&' || variable.isArray ? variable.values : [];
  const first = values[0];
  if (first === undefined || first === null || values.some((v) => v !== first)) return null;
  return first.toString();
}

/** Does `.maxlen` cover more than one element? `sizeof(int) * 3`, or `sizeof(x)` of an array. */
function isVector(maxlen: string | undefined, scope: Scope): boolean {
  if (maxlen === undefined || !/\bsizeof\b/.test(maxlen)) return false;
  const sizeofs = [...maxlen.matchAll(/\bsizeof\s*\(([^()]*(?:\([^()]*\))?[^()]*)\)/g)];
  const rest = maxlen.replace(/\bsizeof\s*\(([^()]*(?:\([^()]*\))?[^()]*)\)/g, '1');
  if (/\*/.test(rest)) return evaluate(rest, scope.constants) !== 1n;
  const target = sizeofs.length === 1 ? lastIdentifier(sizeofs[0]?.[1] ?? '') : null;
  return target !== null && (scope.variables.get(target)?.isArray === true || scope.tree.arrayNames.has(target));
}

const HANDLER_TYPES: ReadonlyMap<string, ValueType> = new Map([
  ['proc_dointvec', 'integer'], ['proc_dointvec_minmax', 'integer'],
  ['proc_douintvec', 'unsigned integer'], ['proc_douintvec_minmax', 'unsigned integer'],
  ['proc_doulongvec_minmax', 'long'],
  ['proc_dobool', 'boolean'],
  // A static key is on or off: the handler itself bounds it to SYSCTL_ZERO..SYSCTL_ONE.
  ['proc_do_static_key', 'boolean'],
  ['proc_dostring', 'string'],
  ['proc_dointvec_jiffies', 'jiffies'], ['proc_dointvec_userhz_jiffies', 'centiseconds'],
  ['proc_dointvec_ms_jiffies', 'milliseconds'], ['proc_dointvec_ms_jiffies_minmax', 'milliseconds'],
  ['proc_doulongvec_ms_jiffies_minmax', 'milliseconds'],
  ['proc_do_large_bitmap', 'bitmap'],
]);

/** What the handler makes of the value; thin wrappers (`proc_dointvec_minmax_sysadmin`) count as what they wrap. */
export function valueTypeOf(handler: string, vector: boolean, min: string | null, max: string | null): ValueType {
  if (handler === 'proc_dou8vec_minmax') return min === '0' && max === '1' ? 'boolean' : 'integer';
  const type = HANDLER_TYPES.get(handler)
    ?? (handler.startsWith('proc_dointvec_minmax_') ? 'integer' : undefined)
    ?? (handler.startsWith('proc_dostring_') ? 'string' : undefined)
    ?? (/^proc_do(?:u)?longvec/.test(handler) ? 'long' : 'other');
  return vector && (type === 'integer' || type === 'unsigned integer' || type === 'long') ? 'integer vector' : type;
}

/**
 * 5.10 builds kernel.sched_domain.cpuN.domainM at run time with
 * `set_table_entry(&table[i], "name", data, maxlen, mode, handler)`: a pseudo-table
 * registered under the page placeholders stands for it.
 */
const SCHED_DOMAIN_TABLE = 'set_table_entry';
const SCHED_DOMAIN_PREFIX = ['kernel', 'sched_domain', '<cpu>', '<domain>'];

function collectSetTableEntries(scope: Scope, scan: FileScan): void {
  let found = false;
  for (const call of calls(scope.text, ['set_table_entry'])) {
    const [, nameArg, , maxlen, mode, handlerArg] = call.args;
    const procname = stringLiteral(nameArg?.text ?? '');
    const handler = lastIdentifier(handlerArg?.text ?? '');
    if (procname === null || handler === null) continue;
    found = true;
    scan.entries.push({
      file: scan.file, line: scope.lineAt(call.start), table: SCHED_DOMAIN_TABLE, procname, mode: octalMode(mode?.text, scope),
      handler, vector: isVector(maxlen?.text, scope), min: null, max: null,
    });
  }
  // sd_sysctl_header = register_sysctl_table(sd_ctl_dir): one table for the whole system.
  if (found) scan.registrations.push({ tables: [SCHED_DOMAIN_TABLE], helpers: [], prefixes: [SCHED_DOMAIN_PREFIX], kind: 'global' });
}

/**
 * A table built at run time, one entry per object of a struct (arm64's armv8_deprecated.c:
 * `sysctl->procname = insn->name; … register_sysctl("abi", sysctl)`, one per emulated
 * instruction). The function that assigns the entry's fields and registers it stands for
 * the table; its procnames are the string literals the file's static objects of that struct
 * give the field (`static struct insn_emulation insn_swp = { .name = "swp", … }`), each
 * object an entry at its definition's line, where the configuration compiles it. Mode, handler and
 * bounds are the function's assignments, the same for every entry.
 */
function collectAssignedEntries(scope: Scope, scan: FileScan, paths: Map<string, string[]>): void {
  for (const call of calls(scope.text, Object.keys(REGISTER_ARGS))) {
    const spec = REGISTER_ARGS[call.callee];
    const tableArg = spec === undefined ? undefined : lastIdentifier(call.args[spec.table]?.text ?? '');
    const pathArg = spec?.path === null || spec === undefined ? undefined : call.args[spec.path]?.text;
    if (tableArg === null || tableArg === undefined || pathArg === undefined || spec?.net !== undefined) continue;
    const fn = enclosingFunction(scope.text, call.start);
    if (fn.name === null || scan.tables.includes(fn.name)) continue;
    const body = scope.text.slice(fn.start, call.start);
    // The entry the function fills: the table argument itself, or an element of it (`sysctl = &insns_sysctl[i]`).
    const entryVar = [...body.matchAll(/\b(\w+)\s*->\s*procname\s*=(?!=)/g)].at(-1)?.[1];
    if (entryVar === undefined) continue;
    const fillsTable = entryVar === tableArg || new RegExp(`\\b${entryVar}\\s*=\\s*&\\s*${tableArg}\\s*\\[`).test(body);
    if (!fillsTable) continue;
    const assigned = (field: string) => new RegExp(`\\b${entryVar}\\s*->\\s*${field}\\s*=(?!=)\\s*([^;]+);`).exec(body)?.[1]?.trim();
    const source = /^(\w+)((?:\s*->\s*\w+)+)$/.exec(assigned('procname') ?? '');
    const handlerText = assigned('proc_handler');
    const prefixes = resolvePath(pathArg, call.start, scope, paths);
    if (source === null || handlerText === undefined || prefixes === null) continue;
    const chain = source[2]!.split('->').map((part) => part.trim()).filter(Boolean);
    const struct = structTypeAlong(scope.text, fn.start, call.start, source[1]!, chain.slice(0, -1));
    if (struct === null) continue;
    const handler = lastIdentifier(handlerText) ?? handlerText;
    const extra = { min: assigned('extra1'), max: assigned('extra2') };
    const min = resolveBound(extra.min, scope);
    const max = resolveBound(extra.max, scope);
    const openBounds = sides(min === null ? openBound(extra.min, scan.file, scope) : undefined, max === null ? openBound(extra.max, scan.file, scope) : undefined);
    const objects = structObjects(scope.text, struct, chain.at(-1)!).filter((object) => scope.compiledAt(object.start));
    if (objects.length === 0) continue;
    for (const object of objects) {
      scan.entries.push({
        file: scan.file, line: scope.lineAt(object.start), table: fn.name, procname: object.value, mode: octalMode(assigned('mode'), scope), handler,
        vector: isVector(assigned('maxlen'), scope), min, max,
        ...(Object.keys(openBounds).length > 0 ? { openBounds } : {}),
      });
    }
    scan.tables.push(fn.name);
    scan.registrations.push({ tables: [fn.name], helpers: [], prefixes, kind: registrationKind(undefined, call.start, scope.text) });
  }
}

/** The struct a member chain ends in: `insn` declared `struct insn_emulation *insn` in the function, then each field's declared struct (`->ops`: `struct insn_emulation_ops *ops`). */
function structTypeAlong(text: string, from: number, to: number, variable: string, fields: readonly string[]): string | null {
  let struct = new RegExp(`\\bstruct\\s+(\\w+)\\s*\\*\\s*(?:const\\s+)?${variable}\\b`).exec(text.slice(from, to))?.[1] ?? null;
  for (const field of fields) {
    if (struct === null) return null;
    const definition = new RegExp(`\\bstruct\\s+${struct}\\s*\\{`).exec(text);
    const inside = definition === null ? '' : braceInside(text, definition.index + definition[0].length - 1).text;
    struct = new RegExp(`\\bstruct\\s+(\\w+)\\s*\\*\\s*${field}\\s*;`).exec(inside)?.[1] ?? null;
  }
  return struct;
}

/** Static objects of a struct whose initialiser gives `field` a string literal: each value, at the object's definition. */
function structObjects(text: string, struct: string, field: string): { value: string; start: number }[] {
  return [...text.matchAll(new RegExp(`\\bstruct\\s+${struct}\\s+\\w+\\s*(?:__\\w+\\s*)*=\\s*\\{`, 'g'))].flatMap((m) => {
    const fields = fieldsOf(braceInside(text, m.index + m[0].length - 1));
    return (fields.get(field) ?? []).flatMap((piece) => {
      const value = stringLiteral(piece.text);
      return value === null ? [] : [{ value, start: m.index }];
    });
  });
}

interface Call {
  callee: string;
  start: number;
  args: Piece[];
}

/** Calls of the named functions, with their top-level arguments. */
function calls(text: string, names: string[]): Call[] {
  const found: Call[] = [];
  for (const m of text.matchAll(new RegExp(`\\b(${names.join('|')})\\s*\\(`, 'g'))) {
    const open = m.index + m[0].length - 1;
    found.push({ callee: m[1] ?? '', start: m.index, args: splitTopLevel(text.slice(open + 1, matchingClose(text, open)), open + 1) });
  }
  return found;
}

/**
 * Which argument is the path and which the table, per registration function. `bare`: the
 * path is a word the macro stringifies (6.1's `DECLARE_SYSCTL_BASE(kernel, kern_table)`).
 * `net`: the network namespace the table is registered in; a function without one
 * registers a table every network namespace shares.
 */
const REGISTER_ARGS: Record<string, { path: number | null; table: number; bare?: boolean; net?: number }> = {
  register_sysctl: { path: 0, table: 1 },
  register_sysctl_init: { path: 0, table: 1 },
  register_sysctl_sz: { path: 0, table: 1 },
  register_sysctl_paths: { path: 0, table: 1 },
  register_net_sysctl: { path: 1, table: 2, net: 0 },
  register_net_sysctl_sz: { path: 1, table: 2, net: 0 },
  register_sysctl_table: { path: null, table: 0 },
  // Per-namespace sets (ipc, mqueue, user): the set is the first argument.
  __register_sysctl_table: { path: 1, table: 2 },
  DECLARE_SYSCTL_BASE: { path: 0, table: 1, bare: true },
};

function registrations(scope: Scope, bodies: Map<string, Piece[]>, paths: Map<string, string[]>): Registration[] {
  const found: Registration[] = [];
  for (const call of calls(scope.text, Object.keys(REGISTER_ARGS))) {
    const spec = REGISTER_ARGS[call.callee];
    const tableArg = spec === undefined ? undefined : call.args[spec.table];
    if (spec === undefined || tableArg === undefined) continue;
    const pathArg = spec.path === null ? null : call.args[spec.path]?.text;
    const prefixes = pathArg === null ? [[]]
      : pathArg === undefined ? null
      : spec.bare === true ? [[pathArg]]
      : resolvePath(pathArg, call.start, scope, paths);
    const net = spec.net === undefined ? undefined : call.args[spec.net]?.text;
    const kind = registrationKind(net, call.start, scope.text);
    const instances = pathArg === null || pathArg === undefined ? undefined : namedInstances(pathArg, net, kind, call.start, scope.text);
    found.push({ ...tableRefs(tableArg.text, call.start, scope.text, bodies), prefixes, kind, ...(instances && { instances }) });
  }
  return found;
}

/**
 * The instances a `<interface>` path part also takes by name, where they are placed otherwise
 * than the registration's devices. neighbour.c fills its path's last part with `dev->name`, or
 * with `"default"` where no device is given: then it registers a table's own parameters
 * (`neigh_sysctl_register(NULL, &arp_tbl.parms, …)`). The namespace argument reads the
 * parameters' namespace (`neigh_parms_net(p)`), and the file gives a table's own parameters
 * the initial namespace (neigh_table_init: `write_pnet(&tbl->parms.net, &init_net)`): so
 * `default` is the initial namespace's only, while every device's copy is per namespace.
 */
function namedInstances(pathArg: string, net: string | undefined, kind: RegistrationKind, at: number, text: string): Record<string, RegistrationKind> | undefined {
  const format = /^\w+$/.test(pathArg) ? formatFor(pathArg, at, text) : null;
  const named = (format?.args ?? []).flatMap((arg) => partlyLiteral(arg.trim(), text));
  const readsParametersNamespace = net !== undefined && /^\w+_parms_net\s*\(\s*\w+\s*\)$/.test(net.trim());
  const ownParametersInitial = /\bwrite_pnet\s*\(\s*&\s*\w+->parms\.net\s*,\s*&\s*init_net\s*\)/.test(text);
  if (named.length === 0 || kind !== 'per-net' || !readsParametersNamespace || !ownParametersInitial) return undefined;
  return Object.fromEntries(named.map((instance) => [instance, 'init-net' as const]));
}

/** The string literals a variable is assigned where it is also assigned something else (`dev->name`). */
function partlyLiteral(name: string, text: string): string[] {
  const values = assignedLiterals(name, text);
  return values.includes(null) ? [...new Set(values.filter((v) => v !== null))] : [];
}

/**
 * No namespace argument: one table every namespace shares. `&init_net`, or a namespace
 * the call is reached with only when it is the initial one: that namespace's table only.
 * Any other (`net`, `neigh_parms_net(p)`) is the namespace a per-namespace init function
 * is setting up, which runs for every namespace: each has its copy.
 */
function registrationKind(net: string | undefined, at: number, text: string): RegistrationKind {
  if (net === undefined) return 'global';
  return /^\(*\s*&\s*init_net\s*\)*$/.test(net) || inInitialNamespaceBranch(text, at, net.trim()) ? 'init-net' : 'per-net';
}

/**
 * Is `at` in a branch taken for the initial namespace only: `if (net_eq(net, &init_net)) { … }`,
 * or the `else { … }` of `if (!net_eq(net, &init_net))`? nf_log.c's per-namespace init
 * registers `net.netfilter.nf_log_all_netns` with `net` there, once.
 */
function inInitialNamespaceBranch(text: string, at: number, net: string): boolean {
  if (!/^\w+$/.test(net)) return false;
  const { start } = enclosingFunction(text, at);
  const test = new RegExp(`\\bif\\s*\\(\\s*(!?)\\s*net_eq\\s*\\(\\s*(?:${net}\\s*,\\s*&\\s*init_net|&\\s*init_net\\s*,\\s*${net})\\s*\\)\\s*\\)\\s*\\{`, 'g');
  return [...text.slice(start, at).matchAll(test)].some((m) => {
    const open = start + m.index + m[0].length - 1;
    const close = matchingClose(text, open);
    if (m[1] === '') return at < close;
    const elseOpen = /^\s*else\s*\{/.exec(text.slice(close + 1));
    return elseOpen !== null && close < at && at < matchingClose(text, close + elseOpen[0].length);
  });
}

/** `static struct ctl_path x[] = { { .procname = "kernel" }, { .procname = "seccomp" }, {} }` (5.10). */
function ctlPaths(text: string): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  for (const m of text.matchAll(/\bstruct\s+ctl_path\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{/g)) {
    const body = braceInside(text, m.index + m[0].length - 1).text;
    paths.set(m[1] ?? '', [...body.matchAll(/\.procname\s*=\s*"([^"]*)"/g)].map((p) => p[1] ?? ''));
  }
  return paths;
}

/**
 * A registration path as segment lists: a literal, a `#define`d literal, a ctl_path array,
 * or a buffer filled by snprintf/kasprintf whose `%s` parts become alternatives or placeholders.
 */
function resolvePath(arg: string, at: number, scope: Scope, paths: Map<string, string[]>): string[][] | null {
  const name = /^\w+$/.test(arg) ? arg : null;
  const literal = stringLiteral(arg) ?? (name === null ? null : stringLiteral(scope.defines.get(name)?.body ?? ''));
  if (literal !== null) return [segments(literal)];
  if (name === null) return null;
  const ctlPath = paths.get(name);
  if (ctlPath !== undefined) return [ctlPath];
  const format = formatFor(name, at, scope.text);
  return format === null ? null : expandFormat(format.format, format.args, scope.text);
}

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** The last `snprintf(name, size, "fmt", ...)` or `name = kasprintf(gfp, "fmt", ...)` before `at`. */
function formatFor(name: string, at: number, text: string): { format: string; args: string[] } | null {
  let found: { format: string; args: string[] } | null = null;
  for (const call of calls(text.slice(0, at), ['snprintf', 'sprintf', 'kasprintf'])) {
    const args = call.args.map((a) => a.text);
    const assigned = new RegExp(`\\b${name}\\s*=\\s*$`).test(text.slice(0, call.start));
    const formatIndex = call.callee === 'kasprintf' ? (assigned ? 1 : -1) : args[0] === name ? (call.callee === 'snprintf' ? 2 : 1) : -1;
    const format = formatIndex < 0 ? null : stringLiteral(args[formatIndex] ?? '');
    if (format !== null) found = { format, args: args.slice(formatIndex + 1) };
  }
  return found;
}

/** Directory names after which a `%s` is a network interface, spelled as our page titles spell it. */
const INTERFACE_PARENTS = new Set(['conf', 'neigh', 'ax25']);

/**
 * `net/%s/neigh/%s` with p_name ∈ {"ipv4","ipv6"} and dev_name a parameter →
 * [net,ipv4,neigh,<interface>], [net,ipv6,neigh,<interface>]. A `%` we cannot place → null.
 */
export function expandFormat(format: string, args: string[], text: string): string[][] | null {
  let results: string[][] = [[]];
  let argIndex = 0;
  for (const segment of segments(format)) {
    let options: string[] | null = [segment];
    if (segment.includes('%')) {
      const arg = /^%[sd]$/.test(segment) ? args[argIndex] : undefined;
      argIndex += (segment.match(/%[a-z]/g) ?? []).length;
      const previous = results[0]?.at(-1) ?? '';
      options = arg === undefined ? null : literalValues(arg, text) ?? (INTERFACE_PARENTS.has(previous) ? ['<interface>'] : null);
    }
    if (options === null) return null;
    const choices = options;
    results = results.flatMap((r) => choices.map((o) => [...r, o]));
  }
  return results;
}

/** The string literals a variable is assigned, when every assignment is one (else null). */
function literalValues(name: string, text: string): string[] | null {
  const values = assignedLiterals(name, text);
  if (values.length === 0 || values.includes(null)) return null;
  return [...new Set(values as string[])];
}

/** What a variable is assigned, in order: each a string literal, or null for anything else. */
function assignedLiterals(name: string, text: string): (string | null)[] {
  if (!/^\w+$/.test(name)) return [];
  return [...text.matchAll(new RegExp(`(?<![\\w.>])${name}\\s*=(?!=)\\s*([^;]*);`, 'g'))].map((m) => stringLiteral((m[1] ?? '').trim()));
}

/** Start offset and name of the function whose body holds `at` (kernel style: `}` at column 0 ends one). */
function enclosingFunction(text: string, at: number): { start: number; name: string | null } {
  const start = text.lastIndexOf('\n}', at) + 1;
  const headers = [...text.slice(start, at).matchAll(/^(?:[\w*]+[ \t*]+)*(\w+)\s*\(/gm)];
  return { start, name: headers.at(-1)?.[1] ?? null };
}

/**
 * What a registration's table argument stands for: a local table; a variable the same
 * function assigned a table or its kmemdup to; a helper function's return value; or,
 * failing all, the bare name (an extern table defined in another file).
 */
function tableRefs(arg: string, at: number, text: string, bodies: Map<string, Piece[]>): { tables: string[]; helpers: string[] } {
  const name = lastIdentifier(arg);
  if (name === null) return { tables: [], helpers: [] };
  if (bodies.has(name)) return { tables: [name], helpers: [] };
  const { start } = enclosingFunction(text, at);
  const assignment = new RegExp(`(?<!\\w)${name}\\s*=(?!=)\\s*(?:\\([^()]*\\)\\s*)?(?:kmemdup\\s*\\(\\s*)?&?\\s*(\\w+)\\s*(\\()?`, 'g');
  const tables = new Set<string>();
  const helpers = new Set<string>();
  for (const m of text.slice(start, at).matchAll(assignment)) {
    const target = m[1] ?? '';
    if (bodies.has(target)) tables.add(target);
    else if (m[2] !== undefined && target !== 'kmemdup') helpers.add(target);
  }
  if (tables.size === 0 && helpers.size === 0) tables.add(name);
  return { tables: [...tables], helpers: [...helpers] };
}

/** Function → local tables it kmemdups: lets another file's `table = ipv6_route_sysctl_init(net)` be followed. */
function tableCopies(text: string, bodies: Map<string, Piece[]>): Map<string, string[]> {
  const copies = new Map<string, string[]>();
  for (const m of text.matchAll(/\bkmemdup\s*\(\s*&?\s*(\w+)/g)) {
    const fn = enclosingFunction(text, m.index).name;
    if (fn !== null && bodies.has(m[1] ?? '')) copies.set(fn, [...new Set([...(copies.get(fn) ?? []), m[1] ?? ''])]);
  }
  return copies;
}

/** Handlers whose type we know: the ones every custom handler ends up calling. */
function isStandardHandler(name: string): boolean {
  return name === 'proc_dou8vec_minmax' || valueTypeOf(name, false, null, null) !== 'other';
}

/** Words followed by `(` that call no function. */
const NOT_CALLS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', 'defined']);

/** Function → the functions its body calls (kernel style: a body's `{` and `}` at column 0). */
function functionCalls(text: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let previous = 0;
  for (const open of text.matchAll(/^\{/gm)) {
    const close = text.indexOf('\n}', open.index);
    const end = close < 0 ? text.length : close;
    const name = [...text.slice(previous, open.index).matchAll(/^(?:[\w*]+[ \t*]+)*(\w+)\s*\(/gm)].at(-1)?.[1];
    previous = end;
    if (name === undefined) continue;
    const called = [...text.slice(open.index, end).matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1] ?? '').filter((c) => c !== name && !NOT_CALLS.has(c));
    found.set(name, [...new Set([...(found.get(name) ?? []), ...called])]);
  }
  return found;
}

/** One place a table is registered: the path above it, and which network namespaces have it there. */
interface Placement {
  path: string[];
  kind: RegistrationKind;
  instances?: Record<string, RegistrationKind>;
}

/** How many calls deep a custom handler is followed to the standard handler that reads the value. */
const WRAPPER_DEPTH = 4;

/**
 * Gives every entry its full name(s), following registrations and `.child` links across
 * files, and for each name how its registrations place it among network namespaces.
 */
export function linkNames(scans: FileScan[]): CtlTableEntry[] {
  const id = (file: string, table: string) => `${file}\0${table}`;
  const byName = new Map<string, string[]>();
  const helperCopies = new Map<string, string[]>();
  for (const scan of scans) {
    for (const table of scan.tables) byName.set(table, [...(byName.get(table) ?? []), id(scan.file, table)]);
    for (const [fn, tables] of scan.copies) helperCopies.set(fn, [...(helperCopies.get(fn) ?? []), ...tables.map((t) => id(scan.file, t))]);
  }
  // A local table wins; another file's only if its name is unique in the tree.
  const resolve = (scan: FileScan, table: string): string[] => {
    if (scan.tables.includes(table) || table === SCHED_DOMAIN_TABLE) return [id(scan.file, table)];
    const global = byName.get(table) ?? [];
    return global.length === 1 ? global : [];
  };
  const registered = new Map<string, Placement[]>();
  const parents = new Map<string, { parent: string; procname: string }[]>();
  for (const scan of scans) {
    for (const reg of scan.registrations) {
      const targets = [...reg.tables.flatMap((t) => resolve(scan, t)), ...reg.helpers.flatMap((h) => helperCopies.get(h) ?? [])];
      const placements = (reg.prefixes ?? []).map((path) => ({ path, kind: reg.kind, ...(reg.instances && { instances: reg.instances }) }));
      for (const target of targets) registered.set(target, [...(registered.get(target) ?? []), ...placements]);
    }
    for (const link of scan.children) {
      for (const child of resolve(scan, link.child)) {
        parents.set(child, [...(parents.get(child) ?? []), { parent: id(scan.file, link.table), procname: link.procname }]);
      }
    }
  }
  const definitions = new Map<string, { file: string; calls: string[] }[]>();
  for (const scan of scans) {
    for (const [fn, calls] of scan.calls) definitions.set(fn, [...(definitions.get(fn) ?? []), { file: scan.file, calls }]);
  }
  /** The standard handlers `fn` reaches within `depth` calls; a static helper of the caller's file comes first. */
  const reached = (file: string, fn: string, depth: number, visiting: ReadonlySet<string>): Set<string> => {
    if (isStandardHandler(fn)) return new Set([fn]);
    const local = definitions.get(fn)?.filter((d) => d.file === file) ?? [];
    const callees = local.length > 0 ? local : definitions.get(fn) ?? [];
    if (depth === 0 || visiting.has(fn)) return new Set();
    const inside = new Set([...visiting, fn]);
    return new Set(callees.flatMap((d) => d.calls.flatMap((c) => [...reached(d.file, c, depth - 1, inside)])));
  };
  // A custom handler types as the one standard handler it reaches through its helpers.
  const typingHandler = (scan: FileScan, handler: string): string => {
    const standard = [...reached(scan.file, handler, WRAPPER_DEPTH, new Set())];
    return standard.length === 1 ? (standard[0] ?? handler) : handler;
  };
  const memo = new Map<string, Placement[]>();
  // A child table is where its parent is, registered as its parent is.
  const placementsOf = (table: string, visiting: Set<string>): Placement[] => {
    const known = memo.get(table);
    if (known !== undefined) return known;
    if (visiting.has(table)) return [];
    visiting.add(table);
    const inherited = (parents.get(table) ?? []).flatMap(({ parent, procname }) => placementsOf(parent, visiting).map((placement) => ({ ...placement, path: [...placement.path, procname] })));
    const all = [...(registered.get(table) ?? []), ...inherited];
    visiting.delete(table);
    memo.set(table, all);
    return all;
  };
  return scans.flatMap((scan) => scan.entries.flatMap((entry): CtlTableEntry[] => {
    const { table, vector, elsewhere: _elsewhere, ...rest } = entry;
    const typed = { ...rest, type: valueTypeOf(typingHandler(scan, entry.handler), vector, entry.min, entry.max) };
    const kindsByName = new Map<string, Set<RegistrationKind>>();
    const instancesByName = new Map<string, Map<string, Set<RegistrationKind>>>();
    for (const { path, kind, instances } of placementsOf(id(scan.file, table), new Set())) {
      const name = [...path, entry.procname].join('.');
      kindsByName.set(name, (kindsByName.get(name) ?? new Set()).add(kind));
      for (const [instance, instanceKind] of Object.entries(instances ?? {})) {
        const byInstance = instancesByName.get(name) ?? new Map<string, Set<RegistrationKind>>();
        instancesByName.set(name, byInstance.set(instance, (byInstance.get(instance) ?? new Set()).add(instanceKind)));
      }
    }
    const names = [...kindsByName.keys()].sort();
    const sortedKinds = (kinds: Set<RegistrationKind> | undefined) => [...(kinds ?? [])].sort();
    return names.length === 0 ? [{ ...typed, name: null }] : names.map((name) => {
      const instances = instancesByName.get(name);
      return {
        ...typed, name, registered: sortedKinds(kindsByName.get(name)),
        ...(instances && { instancesRegistered: Object.fromEntries([...instances].sort(([a], [b]) => a.localeCompare(b)).map(([i, k]) => [i, sortedKinds(k)])) }),
      };
    });
  }));
}
