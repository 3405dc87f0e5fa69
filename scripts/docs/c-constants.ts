/**
 * Just enough C to read constants out of kernel source without a compiler: blank
 * comments and preprocessor lines (keeping offsets, so line numbers stay true), collect
 * `#define`s and file-scope integer variables, and evaluate integer constant expressions.
 * Anything it cannot read exactly evaluates to null: a wrong number is worse than none.
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

/**
 * Limits with one value on every kernel we measure (Debian amd64: LP64, so long is 64-bit).
 * HZ and PAGE_SIZE are deliberately absent: they depend on the configuration.
 */
export const KNOWN_CONSTANTS: ReadonlyMap<string, bigint> = new Map([
  ['INT_MAX', 2n ** 31n - 1n], ['INT_MIN', -(2n ** 31n)], ['UINT_MAX', 2n ** 32n - 1n],
  ['LONG_MAX', 2n ** 63n - 1n], ['LONG_MIN', -(2n ** 63n)], ['ULONG_MAX', 2n ** 64n - 1n],
  ['SHRT_MAX', 2n ** 15n - 1n], ['USHRT_MAX', 2n ** 16n - 1n],
  ['U8_MAX', 255n], ['S8_MAX', 127n], ['U16_MAX', 2n ** 16n - 1n], ['S16_MAX', 2n ** 15n - 1n],
  ['U32_MAX', 2n ** 32n - 1n], ['S32_MAX', 2n ** 31n - 1n], ['U64_MAX', 2n ** 64n - 1n], ['S64_MAX', 2n ** 63n - 1n],
  ['NSEC_PER_SEC', 1_000_000_000n], ['NSEC_PER_MSEC', 1_000_000n], ['NSEC_PER_USEC', 1000n],
  ['USEC_PER_SEC', 1_000_000n], ['USEC_PER_MSEC', 1000n], ['MSEC_PER_SEC', 1000n],
]);

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

const INTEGER_TYPE_WORDS = 'const|volatile|unsigned|signed|long|int|short|u8|u16|u32|u64|s8|s16|s32|s64|__u32|__u64|bool|size_t';
const ATTRIBUTE = '(?:__\\w+(?:\\([^)]*\\))?\\s+)*';
const DECLARATION = new RegExp(`^(static\\s+)?${ATTRIBUTE}((?:(?:${INTEGER_TYPE_WORDS})\\s+${ATTRIBUTE})+)([^;]*);`, 'gm');
const DECLARATOR = /^(\w+)\s*(?:\[([^\]]*)\])?\s*(?:__\w+(?:\([^)]*\))?\s*)*(?:=\s*([\s\S]*))?$/;

/**
 * File-scope integer variables (declarations at column 0, as kernel style puts them;
 * `static int a = 0, b[] = {1};` declares two). A variable assigned anywhere but its
 * declaration is left out: its value is set at run time; so is a global that is neither
 * static nor const, which another file may assign. An uninitialised one is 0, as C
 * zero-initialises file-scope storage.
 */
export function parseVariables(text: string, lookup: (name: string) => bigint | null): Map<string, CVariable> {
  const variables = new Map<string, CVariable>();
  for (const declaration of text.matchAll(DECLARATION)) {
    if (declaration[1] === undefined && !/\bconst\b/.test(declaration[2] ?? '')) continue;
    for (const declarator of splitTopLevel(declaration[3] ?? '')) {
      const m = DECLARATOR.exec(declarator.text);
      if (m === null) continue;
      const name = m[1] ?? '';
      const init = m[3]?.trim();
      if (assignments(text, name) > (init === undefined ? 0 : 1)) continue;
      const isArray = m[2] !== undefined;
      const values = init !== undefined ? initialiserValues(init, isArray, lookup) : isArray ? zeros(m[2] ?? '', lookup) : [0n];
      variables.set(name, { values, isArray });
    }
  }
  return variables;
}

/** An uninitialised array of a size we can evaluate (and not absurdly large) is all zeros. */
function zeros(size: string, lookup: (name: string) => bigint | null): (bigint | null)[] {
  const n = evaluate(size, lookup);
  return n === null || n < 1n || n > 64n ? [] : Array.from({ length: Number(n) }, () => 0n);
}

/** How many `name =` (or `name[i] =`, `name +=`) the file holds, a declaration's initialiser included. */
function assignments(text: string, name: string): number {
  return text.match(new RegExp(`(?<![\\w.>])${name}\\s*(?:\\[[^\\]]*\\]\\s*)?[-+*/|&]?=(?!=)`, 'g'))?.length ?? 0;
}

function initialiserValues(init: string, isArray: boolean, lookup: (name: string) => bigint | null): (bigint | null)[] {
  if (!isArray) return [evaluate(init, lookup)];
  if (!init.startsWith('{') || !init.endsWith('}')) return [null];
  return init.slice(1, -1).split(',').map((v) => v.trim()).filter((v) => v !== '').map((v) => evaluate(v, lookup));
}

type Token = { kind: 'number'; value: bigint } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

const TOKEN = /\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|(<<|>>|[-+*/%&|^~()]))/y;

function tokenize(expr: string): Token[] | null {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    if (/^\s*$/.test(expr.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(expr);
    if (m === null) return null;
    if (m[1] !== undefined) tokens.push({ kind: 'number', value: parseIntegerLiteral(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', value: m[2] });
    else tokens.push({ kind: 'op', value: m[3] ?? '' });
  }
  return tokens;
}

/** C reads a leading 0 as octal. */
function parseIntegerLiteral(text: string): bigint {
  if (/^0[0-7]+$/.test(text)) return BigInt(`0o${text.slice(1)}`);
  return BigInt(text);
}

const CAST_WORDS = new Set(['int', 'long', 'unsigned', 'signed', 'short', 'char', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'size_t']);

const BINARY_PRECEDENCE: Record<string, number> = { '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

/** Evaluates an integer constant expression; names go through `lookup`. */
export function evaluate(expr: string, lookup: (name: string) => bigint | null): bigint | null {
  const tokens = tokenize(expr);
  if (tokens === null || tokens.length === 0) return null;
  let pos = 0;
  const peekOp = (): string | null => {
    const t = tokens[pos];
    return t?.kind === 'op' ? t.value : null;
  };
  // Called just past a '(': is it `(unsigned long)` rather than a parenthesised expression?
  const isCast = (): boolean => {
    let i = pos;
    while (tokens[i]?.kind === 'name' && CAST_WORDS.has(tokens[i]?.value as string)) i++;
    return i > pos && tokens[i]?.kind === 'op' && tokens[i]?.value === ')';
  };
  const unary = (): bigint | null => {
    const t = tokens[pos];
    if (t === undefined) return null;
    pos++;
    if (t.kind === 'number') return t.value;
    if (t.kind === 'name') return lookup(t.value);
    if (t.value === '-' || t.value === '+' || t.value === '~') {
      const v = unary();
      if (v === null) return null;
      return t.value === '-' ? -v : t.value === '~' ? ~v : v;
    }
    if (t.value !== '(') return null;
    if (isCast()) {
      while (peekOp() !== ')') pos++;
      pos++;
      return unary();
    }
    const v = binary(0);
    if (peekOp() !== ')') return null;
    pos++;
    return v;
  };
  const binary = (minPrecedence: number): bigint | null => {
    let left = unary();
    for (;;) {
      const op = peekOp();
      const precedence = op === null ? undefined : BINARY_PRECEDENCE[op];
      if (op === null || precedence === undefined || precedence <= minPrecedence) return left;
      pos++;
      const right = binary(precedence);
      if (left === null || right === null) return null;
      left = applyBinary(op, left, right);
    }
  };
  const value = binary(0);
  return pos === tokens.length ? value : null;
}

function applyBinary(op: string, a: bigint, b: bigint): bigint | null {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? null : a / b;
    case '%': return b === 0n ? null : a % b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    default: return null;
  }
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

/** Names resolve through known limits, then the C text `bodyOf` gives them (depth-limited against cycles). */
export function lookupThrough(bodyOf: (name: string) => string | undefined): (name: string) => bigint | null {
  const lookup = (name: string, depth: number): bigint | null => {
    const known = KNOWN_CONSTANTS.get(name);
    if (known !== undefined) return known;
    const body = bodyOf(name);
    if (body === undefined || depth > 8) return null;
    return evaluate(body, (n) => lookup(n, depth + 1));
  };
  return (name) => lookup(name, 0);
}
