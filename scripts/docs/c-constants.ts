/**
 * Just enough C to read constants out of kernel source without a compiler: blank
 * comments and preprocessor lines (keeping offsets, so line numbers stay true), collect
 * `#define`s (deciding `#if`s from the kernel configuration where it can), enumerations and
 * file-scope integer variables, and evaluate integer constant expressions with C's types
 * as GCC builds an amd64 kernel. Anything it cannot read exactly evaluates to null: a wrong
 * number is worse than none.
 */

/** A `#define`: `params` is null for object-like macros. */
export interface CDefine {
  params: string[] | null;
  body: string;
}

/** A file-scope integer variable: one value for a scalar, one per element for an array. */
export interface CVariable {
  values: (bigint | null)[];
  isArray: boolean;
}

/** An integer C type as amd64 (LP64) lays it out: char 8 bits, short 16, int 32, long and long long 64. */
export interface CType {
  bits: number;
  unsigned: boolean;
}

/** A value of an integer constant expression with its C type: C's conversions (`-1 < 0U` is false) depend on it. */
export interface CValue {
  value: bigint;
  type: CType;
}

const INT: CType = { bits: 32, unsigned: false };
const UINT: CType = { bits: 32, unsigned: true };
const LONG: CType = { bits: 64, unsigned: false };
const ULONG: CType = { bits: 64, unsigned: true };
/** `bool`: any non-zero value converts to 1. */
const BOOL: CType = { bits: 1, unsigned: true };

/**
 * Limits with one value on every kernel we measure (Debian amd64: LP64, so long is 64-bit),
 * typed as their definitions type them (include/linux/limits.h, include/vdso/time64.h).
 * HZ and PAGE_SIZE are deliberately absent: they depend on the configuration.
 */
export const KNOWN_CONSTANTS: ReadonlyMap<string, CValue> = new Map(([
  ['INT_MAX', 2n ** 31n - 1n, 'int'], ['INT_MIN', -(2n ** 31n), 'int'], ['UINT_MAX', 2n ** 32n - 1n, 'uint'],
  ['LONG_MAX', 2n ** 63n - 1n, 'long'], ['LONG_MIN', -(2n ** 63n), 'long'], ['ULONG_MAX', 2n ** 64n - 1n, 'ulong'],
  // Narrower than int: promoted to int wherever they are used.
  ['SHRT_MAX', 2n ** 15n - 1n, 'int'], ['USHRT_MAX', 2n ** 16n - 1n, 'int'],
  ['U8_MAX', 255n, 'int'], ['S8_MAX', 127n, 'int'], ['U16_MAX', 2n ** 16n - 1n, 'int'], ['S16_MAX', 2n ** 15n - 1n, 'int'],
  ['U32_MAX', 2n ** 32n - 1n, 'uint'], ['S32_MAX', 2n ** 31n - 1n, 'int'], ['U64_MAX', 2n ** 64n - 1n, 'ulong'], ['S64_MAX', 2n ** 63n - 1n, 'long'],
  ['NSEC_PER_SEC', 1_000_000_000n, 'long'], ['NSEC_PER_MSEC', 1_000_000n, 'long'], ['NSEC_PER_USEC', 1000n, 'long'],
  ['USEC_PER_SEC', 1_000_000n, 'long'], ['USEC_PER_MSEC', 1000n, 'long'], ['MSEC_PER_SEC', 1000n, 'long'],
] as const).map(([name, value, type]) => [name, { value, type: { int: INT, uint: UINT, long: LONG, ulong: ULONG }[type] }]));

/** A text piece and where it starts in its parent text. */
export interface Piece {
  text: string;
  start: number;
}

/** Index of the bracket closing the one at `open`, skipping string literals. */
export function matchingClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = literalEnd(text, i) - 1;
    else if (c === '{' || c === '(' || c === '[') depth++;
    else if ((c === '}' || c === ')' || c === ']') && --depth === 0) return i;
  }
  return text.length;
}

/** Splits at commas outside brackets and literals; pieces are trimmed, empty ones dropped. */
export function splitTopLevel(text: string, offset = 0): Piece[] {
  const pieces: Piece[] = [];
  let depth = 0;
  let from = 0;
  const push = (to: number) => {
    const raw = text.slice(from, to);
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim() !== '') pieces.push({ text: raw.trim(), start: offset + from + lead });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = literalEnd(text, i) - 1;
    else if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      from = i + 1;
    }
  }
  push(text.length);
  return pieces;
}

/** End (exclusive) of the string or char literal opening at `start`. */
export function literalEnd(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Comments become spaces; string literals are left alone (they may hold `/*`). */
export function stripComments(text: string): string {
  // Slices joined once: a char array of a 500 kB driver costs more than the rest of its reading.
  const out: string[] = [];
  let kept = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = literalEnd(text, i);
    } else if (c === '/' && (text[i + 1] === '*' || text[i + 1] === '/')) {
      const block = text[i + 1] === '*';
      const end = block ? text.indexOf('*/', i + 2) : text.indexOf('\n', i);
      const stop = end < 0 ? text.length : block ? end + 2 : end;
      out.push(text.slice(kept, i), text.slice(i, stop).replace(/[^\n]/g, ' '));
      kept = i = stop;
    } else {
      i++;
    }
  }
  out.push(text.slice(kept));
  return out.join('');
}

const DIRECTIVE = /^[ \t]*#(?:[^\n]*\\\n)*[^\n]*/gm;

/**
 * Preprocessor lines become spaces, so `#ifdef` blocks inside a table leave both branches'
 * entries in place (we document what any configuration can have).
 */
export function blankPreprocessor(text: string): string {
  return text.replace(DIRECTIVE, (line) => line.replace(/[^\n]/g, ' '));
}

const DEFINE = /^[ \t]*#[ \t]*define[ \t]+(\w+)(\([^)]*\))?((?:[^\n]*\\\n)*[^\n]*)/gm;

/** Every `#define` of a comment-free text, continuation lines joined. */
export function parseDefines(text: string): Map<string, CDefine> {
  const defines = new Map<string, CDefine>();
  for (const m of text.matchAll(DEFINE)) {
    const params = m[2] === undefined ? null : m[2].slice(1, -1).split(',').map((p) => p.trim()).filter((p) => p !== '');
    defines.set(m[1] ?? '', { params, body: (m[3] ?? '').replace(/\\\n/g, ' ').trim() });
  }
  return defines;
}

/** Two definitions C accepts as one: the same parameters and body. */
export function sameDefine(a: CDefine, b: CDefine): boolean {
  const tokens = (body: string) => body.replace(/\s+/g, ' ');
  return tokens(a.body) === tokens(b.body) && String(a.params) === String(b.params);
}

/** What one file defines for constant expressions, read with a configuration. */
export interface FileConstants {
  /**
   * Macros defined where the configuration compiles, or where we cannot tell; null for a
   * name whose definition we cannot know (two that disagree, an `#undef` we cannot place).
   */
  defines: Map<string, CDefine | null>;
  /** Enumeration constants → their value as an expression (`(A) + 1`); null where an `#if` we cannot decide may change it. */
  enums: Map<string, string | null>;
  /** `#include`s where the configuration compiles or we cannot tell, as written: `linux/mm.h`, and whether in `<>`. */
  includes: { path: string; system: boolean }[];
  /** The text with its directives, and the code the configuration does not compile, blanked (offsets kept). */
  compiled: string;
}

/**
 * Names the compiler of a Debian amd64 kernel (GCC, -D__KERNEL__) defines, with their value
 * where fixed (null: defined, value unknown), or never defines (false). Any other name not
 * defined in the file itself is unknown to a file read alone.
 */
const PREDEFINED: ReadonlyMap<string, bigint | null | false> = new Map<string, bigint | null | false>([
  ['__KERNEL__', 1n], ['__x86_64__', 1n], ['__GNUC__', null],
  ['__ASSEMBLY__', false], ['__ASSEMBLER__', false], ['__GENKSYMS__', false], ['__CHECKER__', false],
  ['__cplusplus', false], ['__i386__', false], ['__clang__', false], ['BUILD_VDSO', false], ['BUILD_VDSO32', false],
]);

type Region = 'on' | 'off' | 'unknown';

/** One `#if` … `#endif`: the state of the branch we are in, and whether an earlier branch was (or may have been) taken. */
interface Conditional {
  parent: Region;
  state: Region;
  taken: 'yes' | 'no' | 'maybe';
}

/**
 * Reads `#define`, `#undef` and `#include` under `#if`/`#ifdef`/`#elif`/`#else` of a
 * comment-free text, deciding conditions from the configuration and the file's own macros,
 * and the enumerations of the code those conditions compile. Without a configuration,
 * `CONFIG_*` conditions are unknown: both branches count, and a name they define
 * differently is null.
 */
export function readConstants(code: string, config?: KernelConfig): FileConstants {
  const matches = [...code.matchAll(DIRECTIVE)];
  const lines = matches.map((m) => m[0].replace(/\\\n/g, ' ').trim().replace(/^#\s*/, ''));
  const defines = new Map<string, CDefine | null>();
  const known = new Map<string, boolean | null>();
  const includes: FileConstants['includes'] = [];
  const stack: Conditional[] = [];
  // The code between directives, blanked where not compiled; spans where we cannot tell.
  const compiled: string[] = [];
  const unknown: [number, number][] = [];
  const span = (from: number, to: number) => {
    const state = region();
    compiled.push(state === 'off' ? code.slice(from, to).replace(/[^\n]/g, ' ') : code.slice(from, to));
    if (state === 'unknown') unknown.push([from, to]);
  };
  const region = (): Region => stack.at(-1)?.state ?? 'on';
  const definedOf = (name: string): boolean | null => {
    // A string option is defined too: its value is no number (null), but not 0.
    if (name.startsWith('CONFIG_')) return config === undefined ? null : configValue(config, name, true) !== 0n;
    const predefined = PREDEFINED.get(name);
    if (predefined !== undefined) return predefined !== false;
    return known.get(name) ?? null;
  };
  const env = environment({ define: (name) => defines.get(name) }, config, definedOf);
  const condition = (directive: string, rest: string, index: number): boolean | null => {
    if (directive === 'if' || directive === 'elif') {
      const v = evaluateTyped(rest, env);
      return v === null ? null : v.value !== 0n;
    }
    const name = /^\w+/.exec(rest)?.[0] ?? '';
    const is = definedOf(name);
    if (directive.endsWith('ndef')) {
      // An include guard: the file's first directive, its `#define` right after.
      if (index === 0 && new RegExp(`^define\\s+${name}\\b`).test(lines[1] ?? '')) return true;
      return is === null ? null : !is;
    }
    return is;
  };
  const branch = (frame: Conditional, truth: boolean | null): void => {
    if (frame.parent === 'off' || frame.taken === 'yes' || truth === false) {
      frame.state = 'off';
      return;
    }
    frame.state = truth === null || frame.taken === 'maybe' ? 'unknown' : frame.parent;
    if (truth === true) frame.taken = 'yes';
    else frame.taken = 'maybe';
  };
  const apply = (index: number, line: string): void => {
    const m = /^(\w+)\s*([\s\S]*)$/.exec(line);
    const directive = m?.[1] ?? '';
    const rest = (m?.[2] ?? '').trim();
    if (directive === 'if' || directive === 'ifdef' || directive === 'ifndef') {
      const frame: Conditional = { parent: region(), state: 'off', taken: 'no' };
      branch(frame, frame.parent === 'off' ? false : condition(directive, rest, index));
      stack.push(frame);
    } else if (directive === 'elif' || directive === 'elifdef' || directive === 'elifndef' || directive === 'else') {
      const frame = stack.at(-1);
      if (frame === undefined) return;
      const skip = frame.parent === 'off' || frame.taken === 'yes';
      branch(frame, skip ? false : directive === 'else' ? true : condition(directive.slice(2), rest, index));
    } else if (directive === 'endif') {
      stack.pop();
    } else if (region() !== 'off') {
      const certain = region() === 'on';
      if (directive === 'define') {
        const [define] = parseDefines(`#define ${rest}`);
        if (define === undefined) return;
        const [name, value] = define;
        const seen = defines.get(name);
        defines.set(name, certain || seen === undefined || (seen !== null && sameDefine(seen, value)) ? value : null);
        known.set(name, certain || known.get(name) === true ? true : null);
      } else if (directive === 'undef') {
        const name = /^\w+/.exec(rest)?.[0] ?? '';
        if (certain) defines.delete(name);
        else defines.set(name, null);
        known.set(name, certain ? false : null);
      } else if (directive === 'include') {
        const target = /^(?:<([^>]+)>|"([^"]+)")/.exec(rest);
        if (target !== null) includes.push({ path: target[1] ?? target[2] ?? '', system: target[1] !== undefined });
      }
    }
  };
  span(0, matches[0]?.index ?? code.length);
  for (const [index, line] of lines.entries()) {
    apply(index, line);
    const match = matches[index];
    const end = (match?.index ?? 0) + (match?.[0].length ?? 0);
    // The directive itself becomes blanks, as blankPreprocessor makes it.
    compiled.push(code.slice(match?.index ?? 0, end).replace(/[^\n]/g, ' '));
    span(end, matches[index + 1]?.index ?? code.length);
  }
  const text = compiled.join('');
  return { defines, enums: enumerators(text, unknown), includes, compiled: text };
}

/**
 * `enum { A, B = 4, C }` → A: `0`, B: `(4)`, C: `((4)) + 1`, as expressions; every constant of
 * an enumeration an undecided `#if` cuts through is null, as is one two enumerations give differently.
 */
function enumerators(text: string, unknown: readonly [number, number][]): Map<string, string | null> {
  const found = new Map<string, string | null>();
  for (const m of text.matchAll(/\benum\s*\w*\s*\{/g)) {
    const open = m.index + m[0].length - 1;
    const close = matchingClose(text, open);
    const uncertain = unknown.some(([from, to]) => from < close && to > open);
    let previous = '-1';
    for (const piece of splitTopLevel(text.slice(open + 1, close))) {
      const member = /^(\w+)\s*(?:=\s*([\s\S]+))?$/.exec(piece.text);
      if (member === null) break;
      previous = member[2] !== undefined ? `(${member[2]})` : `(${previous}) + 1`;
      const name = member[1] ?? '';
      const seen = found.get(name);
      found.set(name, uncertain || (seen !== undefined && seen !== previous) ? null : previous);
    }
  }
  return found;
}

/**
 * An option's value (autoconf.h): `=y` defines it as 1, a number as itself; `=m` defines
 * CONFIG_X_MODULE as 1 instead. In `#if`, an option not defined is 0; in C code it would
 * not compile, so it is unknown.
 */
function configValue(config: KernelConfig, name: string, inIf: boolean): bigint | null {
  const base = name.endsWith('_MODULE') ? name.slice(0, -'_MODULE'.length) : null;
  if (base !== null && config.get(base) === 'm') return 1n;
  const option = config.get(name);
  if (option === undefined || option === 'm') return inIf ? 0n : null;
  if (option === 'y') return 1n;
  return /^(-?\d+|0x[0-9a-fA-F]+)$/.test(option) ? BigInt(option) : null;
}

const INTEGER_TYPE_WORDS = 'const|volatile|unsigned|signed|long|int|short|u8|u16|u32|u64|s8|s16|s32|s64|__u32|__u64|bool|size_t';
const ATTRIBUTE = '(?:__\\w+(?:\\([^)]*\\))?\\s+)*';
const DECLARATION = new RegExp(`^(static\\s+)?${ATTRIBUTE}((?:(?:${INTEGER_TYPE_WORDS})\\s+${ATTRIBUTE})+)([^;]*);`, 'gm');
const DECLARATOR = /^(\w+)\s*(?:\[([^\]]*)\])?\s*(?:__\w+(?:\([^)]*\))?\s*)*(?:=\s*([\s\S]*))?$/;

/**
 * File-scope integer variables (declarations at column 0, as kernel style puts them;
 * `static int a = 0, b[] = {1};` declares two). A variable changed anywhere but its
 * declaration is left out: its value is set at run time (`changes`); so is a global that
 * is neither static nor const, which another file may assign, unless `globals` says the
 * caller checks the other files. An uninitialised one is 0, as C zero-initialises
 * file-scope storage.
 */
export function parseVariables(text: string, lookup: Lookup, options: { globals?: boolean } = {}): Map<string, CVariable> {
  const variables = new Map<string, CVariable>();
  for (const d of declarators(text)) {
    if (!d.isStatic && !d.constant && options.globals !== true) continue;
    if (changes(text, d.name, d.constant) > (d.init === undefined ? 0 : 1)) continue;
    variables.set(d.name, { values: initialValues(d, lookup), isArray: d.size !== undefined });
  }
  return variables;
}

/** A declarator's values before any code runs. C converts each initialiser to the declared type: `static unsigned int x = -1;` holds 4294967295. */
export function initialValues(d: Declarator, lookup: Lookup): (bigint | null)[] {
  const values = d.init !== undefined ? initialiserValues(d.init, d.size !== undefined, lookup) : d.size !== undefined ? zeros(d.size, lookup) : [0n];
  return values.map((v) => (v === null || d.type === null ? null : convert(v, d.type)));
}

/** One variable of a file-scope declaration. */
export interface Declarator {
  name: string;
  isStatic: boolean;
  constant: boolean;
  type: CType | null;
  /** The array size as written (`''` for `[]`), undefined for a scalar. */
  size: string | undefined;
  init: string | undefined;
}

/** The variables of a text's file-scope integer declarations, in order (`extern` ones are no declaration here). */
export function* declarators(text: string): Generator<Declarator> {
  for (const declaration of text.matchAll(DECLARATION)) {
    const words = declaration[2] ?? '';
    const type = typeOfWords(words.split(/\s+/).filter((w) => BASIC_WORDS.has(w) || FIXED_TYPES.has(w)));
    for (const declarator of splitTopLevel(declaration[3] ?? '')) {
      const m = DECLARATOR.exec(declarator.text);
      if (m === null) continue;
      yield { name: m[1] ?? '', isStatic: declaration[1] !== undefined, constant: /\bconst\b/.test(words), type, size: m[2], init: m[3]?.trim() };
    }
  }
}

/** The file-scope integer variables a text declares (`extern` ones are no declaration here) → whether each declaration is static. */
export function declaredVariables(text: string): Map<string, boolean[]> {
  const declared = new Map<string, boolean[]>();
  for (const d of declarators(text)) declared.set(d.name, [...(declared.get(d.name) ?? []), d.isStatic]);
  return declared;
}

/** An uninitialised array of a size we can evaluate (and not absurdly large) is all zeros. */
function zeros(size: string, lookup: Lookup): (bigint | null)[] {
  const n = evaluate(size, lookup);
  return n === null || n < 1n || n > 64n ? [] : Array.from({ length: Number(n) }, () => 0n);
}

const LOCAL_TYPE = `(?:(?:const|static|volatile|unsigned|signed|long|short|int|char|bool|size_t|[us](?:8|16|32|64)|__[us](?:8|16|32|64)|struct\\s+\\w+)\\s+)+`;

/**
 * Places a file's code may change the file-scope variable `name` at run time, its
 * declaration's initialiser included: `name =` (or `name[i] =`, `name +=`), `++`/`--`,
 * `WRITE_ONCE(name, …)`, and, unless it is const, taking its address other than as a
 * `ctl_table` bound (`.data = &name` lets a sysctl write it; a function given `&name` may).
 * Function bodies that declare a local of the same name are skipped: that is another variable.
 */
export function changes(text: string, name: string, constant = false): number {
  return changeSites(text, name, constant).length;
}

/** Where `changes` finds them: their offsets. */
export function changeSites(text: string, name: string, constant = false): number[] {
  const shadowed = [...text.matchAll(new RegExp(`^[ \\t]+${LOCAL_TYPE}\\**\\s*${name}\\s*(?:\\[[^\\]]*\\]\\s*)?[=;,]`, 'gm'))].map((m) => {
    const start = text.lastIndexOf('\n{', m.index);
    const end = text.indexOf('\n}', m.index);
    return [start, end < 0 ? text.length : end] as const;
  });
  const kinds = [
    `(?<![\\w.>])${name}\\s*(?:\\[[^\\]]*\\]\\s*)?(?:<<|>>|[-+*/%|&^])?=(?!=)`,
    `(?<![\\w.>])${name}\\s*(?:\\[[^\\]]*\\]\\s*)?(?:\\+\\+|--)`,
    `(?:\\+\\+|--)\\s*${name}\\b`,
    `\\bWRITE_ONCE\\s*\\(\\s*${name}\\b`,
    ...(constant ? [] : [`(?<!\\.extra[12]\\s*=\\s*(?:\\([^()]*\\)\\s*)*)(?<![&\\w])&\\s*${name}\\b`]),
  ];
  const changed = text.matchAll(new RegExp(kinds.join('|'), 'g'));
  return [...changed].filter((m) => !shadowed.some(([start, end]) => m.index > start && m.index < end)).map((m) => m.index);
}

function initialiserValues(init: string, isArray: boolean, lookup: Lookup): (bigint | null)[] {
  if (!isArray) return [evaluate(init, lookup)];
  if (!init.startsWith('{') || !init.endsWith('}')) return [null];
  return splitTopLevel(init.slice(1, -1)).map((v) => evaluate(v.text, lookup));
}

/** `CONFIG_HZ` → `250`, `CONFIG_SMP` → `y`, as the kernel's `.config` writes them; options not set are absent. */
export type KernelConfig = ReadonlyMap<string, string>;

/** What the names of an expression stand for. */
export interface Environment {
  /** An object-like name: a limit, a macro; null when unknown. A bare bigint is typed as a decimal literal of it would be. */
  value(name: string): CValue | bigint | null;
  /** A function-like macro's value for these argument texts; null when unknown. */
  call?(name: string, args: string[]): CValue | null;
  /** The configuration `IS_ENABLED(CONFIG_X)` asks; without one it is unknown. */
  config?: KernelConfig;
  /** In `#if` only: whether a name is a defined macro, null when we cannot tell. */
  defined?(name: string): boolean | null;
}

/** A plain name lookup, or a whole environment. */
export type Lookup = ((name: string) => CValue | bigint | null) | Environment;

const FIXED_TYPES: ReadonlyMap<string, CType> = new Map([
  ['u8', { bits: 8, unsigned: true }], ['s8', { bits: 8, unsigned: false }], ['__u8', { bits: 8, unsigned: true }], ['__s8', { bits: 8, unsigned: false }],
  ['u16', { bits: 16, unsigned: true }], ['s16', { bits: 16, unsigned: false }], ['__u16', { bits: 16, unsigned: true }], ['__s16', { bits: 16, unsigned: false }],
  ['u32', UINT], ['s32', INT], ['__u32', UINT], ['__s32', INT],
  ['u64', ULONG], ['s64', LONG], ['__u64', ULONG], ['__s64', LONG],
  ['size_t', ULONG], ['ssize_t', LONG], ['bool', BOOL], ['_Bool', BOOL],
]);
const BASIC_WORDS = new Set(['unsigned', 'signed', 'char', 'short', 'int', 'long']);
const QUALIFIERS = new Set(['const', 'volatile', '__force']);

/** `unsigned long`, `u32`, `size_t` → its type; null for anything else (a struct, a typedef we do not know). */
export function typeOfWords(words: readonly string[]): CType | null {
  const w = words.filter((word) => !QUALIFIERS.has(word));
  if (w.length === 1) {
    const fixed = FIXED_TYPES.get(w[0] ?? '');
    if (fixed !== undefined) return fixed;
  }
  if (w.length === 0 || w.some((word) => !BASIC_WORDS.has(word))) return null;
  const longs = w.filter((word) => word === 'long').length;
  const unsigned = w.includes('unsigned');
  if (unsigned && w.includes('signed')) return null;
  // x86 compiles plain char as signed.
  const bits = w.includes('char') ? 8 : w.includes('short') ? 16 : longs > 0 ? 64 : 32;
  return longs > 2 || (bits !== 64 && longs > 0) || (bits === 8 && w.includes('short')) ? null : { bits, unsigned };
}

/** The value a conversion to `type` gives (GCC wraps out-of-range values into signed types too). */
function convert(value: bigint, type: CType): bigint {
  if (type === BOOL) return value === 0n ? 0n : 1n;
  return type.unsigned ? BigInt.asUintN(type.bits, value) : BigInt.asIntN(type.bits, value);
}

function fits(value: bigint, type: CType): boolean {
  return convert(value, type) === value;
}

/** Integer promotion: anything narrower than int computes as int. */
function promote(type: CType): CType {
  return type.bits < 32 ? INT : type;
}

/** The usual arithmetic conversions of two operands (LP64: long holds every unsigned int). */
function common(a: CType, b: CType): CType {
  const x = promote(a);
  const y = promote(b);
  if (x.unsigned === y.unsigned) return x.bits >= y.bits ? x : y;
  const [u, s] = x.unsigned ? [x, y] : [y, x];
  return u.bits >= s.bits ? u : s;
}

/**
 * A result in its type. Unsigned arithmetic wraps in C; signed overflow is undefined there,
 * but the kernel builds with -fno-strict-overflow (its Makefile, every series we read), under
 * which GCC wraps it too: `1 << 31` is INT_MIN.
 */
function wrapped(value: bigint, type: CType): CValue {
  return { value: convert(value, type), type };
}

/** The type C gives an integer literal: the first of its candidates that holds it. */
function literal(text: string): CValue | null {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)([uUlL]*)$/.exec(text);
  if (m === null) return null;
  const digits = m[1] ?? '';
  const suffix = (m[2] ?? '').toLowerCase();
  if (!/^(u?l{0,2}|l{1,2}u)$/.test(suffix)) return null;
  const value = digits.length > 1 && digits.startsWith('0') && !/^0[xX]/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  const decimal = !digits.startsWith('0');
  const unsigned = suffix.includes('u');
  const long = suffix.includes('l');
  const candidates = long
    ? unsigned ? [ULONG] : decimal ? [LONG] : [LONG, ULONG]
    : unsigned ? [UINT, ULONG] : decimal ? [INT, LONG] : [INT, UINT, LONG, ULONG];
  const type = candidates.find((t) => fits(value, t));
  return type === undefined ? null : { value, type };
}

/** A bare number from a lookup, typed as its decimal literal would be. */
function typed(value: CValue | bigint | null): CValue | null {
  if (typeof value !== 'bigint') return value;
  const type = [INT, LONG, ULONG].find((t) => fits(value, t));
  return type === undefined ? null : { value, type };
}

type Token = { kind: 'number'; value: CValue | null; start: number; end: number }
  | { kind: 'name' | 'op'; value: string; start: number; end: number };

const TOKEN = /\s*(?:((?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*)(?![\w.])|([A-Za-z_]\w*)|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!()<>?:,]))/y;

function tokenize(expr: string): Token[] | null {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    if (/^\s*$/.test(expr.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(expr);
    if (m === null) return null;
    const start = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? '').length;
    const end = m.index + m[0].length;
    if (m[1] !== undefined) tokens.push({ kind: 'number', value: literal(m[1]), start, end });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', value: m[2], start, end });
    else tokens.push({ kind: 'op', value: m[3] ?? '', start, end });
  }
  return tokens;
}

/** Words that can start a type name in a cast or `sizeof`. */
const TYPE_START = new Set([...BASIC_WORDS, ...FIXED_TYPES.keys(), ...QUALIFIERS, 'struct', 'union', 'enum', 'void']);

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

/** Thrown on text that is not an expression we read: the whole expression is then unknown. */
const NOT_AN_EXPRESSION = Symbol('not an expression');

/** Evaluates an integer constant expression; names go through `lookup`. Null when anything in it is unknown. */
export function evaluate(expr: string, lookup: Lookup): bigint | null {
  return evaluateTyped(expr, lookup)?.value ?? null;
}

/** `evaluate`, keeping the C type. */
export function evaluateTyped(expr: string, lookup: Lookup): CValue | null {
  const env: Environment = typeof lookup === 'function' ? { value: lookup } : lookup;
  const tokens = tokenize(expr);
  if (tokens === null || tokens.length === 0) return null;
  let pos = 0;
  const fail = (): never => {
    throw NOT_AN_EXPRESSION;
  };
  const isOp = (value: string, at = pos): boolean => tokens[at]?.kind === 'op' && tokens[at]?.value === value;
  const expect = (value: string): void => {
    if (!isOp(value)) fail();
    pos++;
  };
  /** Index of the `)` closing the `(` at `open`. */
  const closing = (open: number): number => {
    let depth = 0;
    for (let i = open; i < tokens.length; i++) {
      if (isOp('(', i)) depth++;
      else if (isOp(')', i) && --depth === 0) return i;
    }
    return fail();
  };
  /** A type name from `from` up to a `)`: its words, and whether it is a pointer; null if it is not a type name. */
  const typeName = (from: number): { words: string[]; pointer: boolean; end: number } | null => {
    if (tokens[from]?.kind !== 'name' || !TYPE_START.has(tokens[from]?.value as string)) return null;
    const words: string[] = [];
    let pointer = false;
    let i = from;
    for (; !isOp(')', i); i++) {
      const t = tokens[i];
      if (t === undefined) return null;
      if (t.kind === 'name' && !pointer) words.push(t.value);
      else if (t.kind === 'op' && t.value === '*') pointer = true;
      else return null;
    }
    return { words, pointer, end: i };
  };
  const conditional = (): CValue | null => {
    const condition = binary(0);
    if (!isOp('?')) return condition;
    pos++;
    const whenTrue = conditional();
    expect(':');
    const whenFalse = conditional();
    if (condition === null) return null;
    const [chosen, other] = condition.value !== 0n ? [whenTrue, whenFalse] : [whenFalse, whenTrue];
    if (chosen === null) return null;
    // The branch not taken may name what this configuration lacks (PAGE_SIZE under BASE_SMALL): then only a
    // small non-negative result, which no conversion changes, is certain.
    if (other === null) return chosen.value >= 0n && fits(chosen.value, INT) ? chosen : null;
    const type = common(chosen.type, other.type);
    return { value: convert(chosen.value, type), type };
  };
  const binary = (minPrecedence: number): CValue | null => {
    let left = unary();
    for (;;) {
      const t = tokens[pos];
      const op = t?.kind === 'op' ? t.value : null;
      const precedence = op === null ? undefined : BINARY_PRECEDENCE[op];
      if (op === null || precedence === undefined || precedence <= minPrecedence) return left;
      pos++;
      left = combine(op, left, binary(precedence));
    }
  };
  const unary = (): CValue | null => {
    const t = tokens[pos++];
    if (t === undefined) return fail();
    if (t.kind === 'number') return t.value;
    if (t.kind === 'name') {
      if (t.value === 'sizeof') return sizeOf();
      if (t.value === 'defined' && env.defined !== undefined) return definedOf(env.defined);
      if (isOp('(')) return call(t.value);
      return typed(env.value(t.value));
    }
    if (t.value === '-' || t.value === '+' || t.value === '~' || t.value === '!') {
      const v = unary();
      return v === null ? null : applyUnary(t.value, v);
    }
    if (t.value !== '(') return fail();
    const cast = typeName(pos);
    if (cast !== null) {
      pos = cast.end + 1;
      const v = unary();
      const type = cast.pointer ? null : typeOfWords(cast.words);
      return v === null || type === null ? null : { value: convert(v.value, type), type: promote(type) };
    }
    const v = conditional();
    expect(')');
    return v;
  };
  /** `sizeof(type)` of a basic type or a pointer; of a struct or an object, unknown. */
  const sizeOf = (): CValue | null => {
    if (!isOp('(')) return fail();
    const close = closing(pos);
    const type = typeName(pos + 1);
    pos = close + 1;
    if (type === null || type.end !== close) return null;
    const size = type.pointer ? 64 : typeOfWords(type.words)?.bits;
    return size === undefined ? null : { value: BigInt(Math.max(1, size / 8)), type: ULONG };
  };
  const definedOf = (defined: (name: string) => boolean | null): CValue | null => {
    const parenthesised = isOp('(');
    if (parenthesised) pos++;
    const t = tokens[pos++];
    if (t?.kind !== 'name') return fail();
    if (parenthesised) expect(')');
    const is = defined(t.value);
    return is === null ? null : { value: is ? 1n : 0n, type: INT };
  };
  const call = (name: string): CValue | null => {
    const open = pos;
    const close = closing(open);
    pos = close + 1;
    const args = splitTopLevel(expr.slice(tokens[open]?.end, tokens[close]?.start)).map((a) => a.text);
    return builtinCall(name, args, env) ?? (BUILTINS.has(name) ? null : env.call?.(name, args) ?? null);
  };
  try {
    const value = conditional();
    return pos === tokens.length ? value : null;
  } catch (error) {
    if (error === NOT_AN_EXPRESSION) return null;
    throw error;
  }
}

function applyUnary(op: string, v: CValue): CValue | null {
  const type = promote(v.type);
  if (op === '!') return { value: v.value === 0n ? 1n : 0n, type: INT };
  if (op === '+') return { value: v.value, type };
  return wrapped(op === '-' ? -v.value : ~v.value, type);
}

function combine(op: string, a: CValue | null, b: CValue | null): CValue | null {
  // C never evaluates the right of `0 &&` or `1 ||`, so an unknown there does not matter; nor does one on the left.
  if (op === '&&' || op === '||') {
    const decisive = op === '&&' ? (v: CValue | null) => v?.value === 0n : (v: CValue | null) => v !== null && v.value !== 0n;
    if (decisive(a) || decisive(b)) return { value: op === '&&' ? 0n : 1n, type: INT };
    return a === null || b === null ? null : { value: op === '&&' ? 1n : 0n, type: INT };
  }
  if (a === null || b === null) return null;
  if (op === '<<' || op === '>>') {
    const type = promote(a.type);
    if (b.value < 0n || b.value >= BigInt(type.bits)) return null;
    return wrapped(op === '>>' ? a.value >> b.value : a.value << b.value, type);
  }
  const type = common(a.type, b.type);
  const x = convert(a.value, type);
  const y = convert(b.value, type);
  const truth = (t: boolean): CValue => ({ value: t ? 1n : 0n, type: INT });
  switch (op) {
    case '+': return wrapped(x + y, type);
    case '-': return wrapped(x - y, type);
    case '*': return wrapped(x * y, type);
    case '/': return y === 0n ? null : wrapped(x / y, type);
    case '%': return y === 0n ? null : wrapped(x % y, type);
    case '&': return wrapped(x & y, type);
    case '|': return wrapped(x | y, type);
    case '^': return wrapped(x ^ y, type);
    case '==': return truth(x === y);
    case '!=': return truth(x !== y);
    case '<': return truth(x < y);
    case '>': return truth(x > y);
    case '<=': return truth(x <= y);
    case '>=': return truth(x >= y);
    default: return null;
  }
}

/**
 * Kernel helpers whose macro bodies are type-checking tricks we cannot expand
 * (include/linux/minmax.h, kconfig.h, vdso/bits.h): their meaning, built in.
 */
const BUILTINS = new Set(['min', 'max', 'min_t', 'max_t', 'BIT', 'BIT_ULL', 'IS_ENABLED', 'IS_BUILTIN', 'IS_MODULE', 'GENMASK', 'GENMASK_ULL', 'GENMASK_U8', 'GENMASK_U16', 'GENMASK_U32', 'GENMASK_U64']);

/** `GENMASK(h, l)`: bits l to h set, of the type its name says (include/linux/bits.h). */
const GENMASK_TYPES: ReadonlyMap<string, CType> = new Map([
  ['GENMASK', ULONG], ['GENMASK_ULL', ULONG], ['GENMASK_U8', { bits: 8, unsigned: true }], ['GENMASK_U16', { bits: 16, unsigned: true }],
  ['GENMASK_U32', UINT], ['GENMASK_U64', ULONG],
]);

function builtinCall(name: string, args: string[], env: Environment): CValue | null {
  if (!BUILTINS.has(name)) return null;
  const arg = (i: number) => evaluateTyped(args[i] ?? '', env);
  const mask = GENMASK_TYPES.get(name);
  if (mask !== undefined) {
    const [high, low] = [arg(0), arg(1)];
    // Out of order or too wide does not compile (GENMASK_INPUT_CHECK).
    if (args.length !== 2 || high === null || low === null || low.value < 0n || high.value < low.value || high.value >= BigInt(mask.bits)) return null;
    return { value: (1n << (high.value + 1n)) - (1n << low.value), type: promote(mask) };
  }
  if (name === 'IS_ENABLED' || name === 'IS_BUILTIN' || name === 'IS_MODULE') {
    const option = args.length === 1 ? args[0] ?? '' : '';
    if (env.config === undefined || !/^CONFIG_\w+$/.test(option)) return null;
    // kconfig.h: built in when the option's macro is 1 (`=y`), a module when CONFIG_X_MODULE is (`=m`).
    const state = env.config.get(option);
    const builtin = state === 'y' || state === '1';
    const module = state === 'm';
    const on = name === 'IS_BUILTIN' ? builtin : name === 'IS_MODULE' ? module : builtin || module;
    return { value: on ? 1n : 0n, type: INT };
  }
  if (name === 'BIT' || name === 'BIT_ULL') return args.length === 1 ? combine('<<', { value: 1n, type: ULONG }, arg(0)) : null;
  const typedArgs = name.endsWith('_t');
  if (args.length !== (typedArgs ? 3 : 2)) return null;
  const a = arg(typedArgs ? 1 : 0);
  const b = arg(typedArgs ? 2 : 1);
  if (a === null || b === null) return null;
  const type = typedArgs ? typeOfWords((args[0] ?? '').split(/\s+/)) : common(a.type, b.type);
  if (type === null) return null;
  const [x, y] = [convert(a.value, type), convert(b.value, type)];
  const smaller = x < y ? x : y;
  const larger = x < y ? y : x;
  return { value: name.startsWith('min') ? smaller : larger, type: promote(type) };
}

/** A function-like macro's body with these arguments put in (`#`, `##` included); null if it takes none, or not that many. */
export function expandDefine(define: CDefine, args: readonly string[]): string | null {
  if (define.params === null) return null;
  const named = define.params.filter((p) => /^\w+$/.test(p));
  const variadic = define.params.at(-1)?.endsWith('...') === true;
  // `F()` passes one empty argument to a one-parameter macro.
  const given = args.length === 0 && named.length === 1 ? [''] : args;
  if (variadic ? given.length < named.length : given.length !== named.length) return null;
  if (named.length === 0) return define.body;
  // One pass, so an argument's text is never substituted again.
  // A lone `#` before a parameter stringifies it; `##` pastes, so it is no `#`.
  const params = new RegExp(`((?<!#)#(?!#)\\s*)?\\b(${named.join('|')})\\b`, 'g');
  const body = define.body.replace(params, (_, hash: string | undefined, param: string) => {
    const arg = given[named.indexOf(param)] ?? '';
    return hash === undefined ? arg : JSON.stringify(arg);
  });
  return body.replace(/\s*##\s*/g, '');
}

/** 1-based line of each offset, by binary search over line starts. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Facts of amd64 that headers state in a way we do not follow: `HZ` is `CONFIG_HZ`
 * (include/asm-generic/param.h, which x86's generated <asm/param.h> includes; the uapi
 * header's fallback `#define HZ 100` is not the kernel's).
 */
const CONFIG_FACTS: ReadonlyMap<string, string> = new Map([['HZ', 'CONFIG_HZ']]);

/** How deep macros may refer to macros: a guard against runaway expansions, far above what kernel constants need. */
const MACRO_DEPTH = 16;

/** Where the names of an expression get their meaning, as one file sees them: undefined when not there, null when unknown. */
export interface Names {
  /** A macro; a string is an object-like body. */
  define(name: string): CDefine | string | null | undefined;
  /** An enumeration constant's value, as an expression. */
  enumerator?(name: string): string | null | undefined;
}

/**
 * The environment of constant expressions in C code: known limits, then (with a
 * configuration) `CONFIG_*` options and what follows from them, then macros, object-like
 * and function-like, then enumeration constants. A function gives macros only.
 */
export function lookupThrough(names: Names | ((name: string) => CDefine | string | undefined), config?: KernelConfig): Environment {
  return environment(typeof names === 'function' ? { define: names } : names, config, null);
}

/**
 * C code's environment, or with `defined` that of `#if`: there a name no one defines is 0,
 * so an option not set is 0, where C code would not compile.
 */
function environment(names: Names, config: KernelConfig | undefined, defined: ((name: string) => boolean | null) | null): Environment {
  // A macro is not expanded again inside its own expansion (`#define IPPROTO_IP IPPROTO_IP` names the enumerator).
  const at = (expanding: ReadonlySet<string>): Environment => {
    const inner = (name: string) => at(new Set([...expanding, name]));
    const macro = (name: string) => (expanding.has(name) || expanding.size > MACRO_DEPTH ? undefined : names.define(name));
    return {
      value: (name) => {
        const known = KNOWN_CONSTANTS.get(name);
        if (known !== undefined) return known;
        if (config !== undefined && name.startsWith('CONFIG_')) return configValue(config, name, defined !== null);
        if (defined !== null) {
          const predefined = PREDEFINED.get(name);
          if (predefined !== undefined) return predefined === false ? 0n : predefined;
        }
        const fact = config === undefined ? undefined : CONFIG_FACTS.get(name);
        if (fact !== undefined) return evaluateTyped(fact, inner(name));
        const define = macro(name);
        if (define !== undefined) {
          const body = typeof define === 'string' ? define : define?.params === null ? define.body : null;
          return body === null ? null : evaluateTyped(body, inner(name));
        }
        // `#if` sees macros only: an enumerator there is an undefined name.
        const enumerator = defined === null ? names.enumerator?.(name) : undefined;
        return enumerator === undefined || enumerator === null ? null : evaluateTyped(enumerator, inner(name));
      },
      call: (name, args) => {
        const define = macro(name);
        const expansion = define === undefined || define === null || typeof define === 'string' ? null : expandDefine(define, args);
        return expansion === null ? null : evaluateTyped(expansion, inner(name));
      },
      ...(config === undefined ? {} : { config }),
      ...(defined === null ? {} : { defined }),
    };
  };
  return at(new Set());
}
