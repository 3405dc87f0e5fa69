/**
 * Matching our sysfs page paths to the Documentation/ABI entries that document them. Pure:
 * the docs stage uses it to check its parse, the generator to join entries to pages.
 */
import type { AbiEntry } from './schemas/docs.ts';

type AbiStatus = AbiEntry['status'];

/** One segment of a What pattern; `literal` is its text when it has no variable part. */
type PatternSegment =
  | { kind: 'many' }
  | { kind: 'one'; re: RegExp; variable: boolean; score: number; literal: string | null };

/** One segment of a page path (or of a path we derive from it). */
type PageSegment =
  | { kind: 'literal'; text: string; synthetic: boolean }
  /** `strict`: stands for a device we only know by its class link, so `pciX` is not it. */
  | { kind: 'placeholder'; strict: boolean }
  /** Any run of ABI variable segments: the unknown path under /sys/devices to a device. */
  | { kind: 'devicePath' };

interface Pattern<T> {
  entry: T;
  order: number;
  segments: PatternSegment[];
}

/** A page word matched by a literal segment weighs most; by `cpuX` (part literal) less; by `*` nothing. */
const SCORE = { literal: 2, mixed: 1, variable: 0 };

/**
 * A segment's parts, in the notations ABI files use: `<name>`, `(hub interface)`, `{a,b}`,
 * `[0-9]+`, `*`, and `#` or runs of X, Y, Z or N standing for a number (`cpuX`, `decoderX.Y`,
 * `0000:XX:XX.X`) but not inside words (`LNXSYSTM`, `wNtb`); anything else is literal.
 */
const TOKEN = /(?<name><[^>]*>|\([^)]*\))|\{(?<alternatives>[^}]*)\}|(?<range>\[[^\]]*\][+*]?)|(?<star>\*)|(?<number>#|(?<![A-Z])[XYZN]+(?![A-Za-z]))|(?<literal>[^<({[*#XYZN]+|.)/g;

interface Part {
  source: string;
  variable: boolean;
  literal: string | null;
}

function tokenPart(groups: Record<string, string | undefined>): Part {
  if (groups['name'] !== undefined || groups['number'] !== undefined) {
    // A number-like run only ever stands for digits (`cpuX`), so `cpufreq` is not `cpuX`.
    return { source: groups['name'] !== undefined ? '[^/]+' : '[0-9a-fA-F]+', variable: true, literal: null };
  }
  if (groups['range'] !== undefined) return { source: groups['range'], variable: true, literal: null };
  if (groups['star'] !== undefined) return { source: '[^/]*', variable: true, literal: null };
  if (groups['alternatives'] !== undefined) {
    // Alternatives of literals (`{start,size}`) name files exactly: not variable.
    const options = groups['alternatives'].split(',').map((a) => escape(a.trim()));
    return { source: `(?:${options.join('|')})`, variable: false, literal: null };
  }
  const text = groups['literal']!;
  return { source: escape(text), variable: false, literal: text };
}

function compileSegment(text: string): PatternSegment {
  if (text === '...') return { kind: 'many' };
  const parts = [...text.matchAll(TOKEN)].map((m) => tokenPart(m.groups ?? {}));
  const variable = parts.some((p) => p.variable);
  const literal = parts.every((p) => p.literal !== null) ? text : null;
  const hasLiteral = parts.some((p) => !p.variable);
  const re = safeRegExp(`^${parts.map((p) => p.source).join('')}$`);
  // A segment whose notation we cannot read still stands for one segment.
  if (!re) return { kind: 'one', re: /^/, variable: true, score: SCORE.variable, literal: null };
  const score = !variable ? SCORE.literal : hasLiteral ? SCORE.mixed : SCORE.variable;
  return { kind: 'one', re, variable, score, literal };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function safeRegExp(source: string): RegExp | null {
  try {
    return new RegExp(source);
  } catch {
    return null;
  }
}

/**
 * A What line as path segments, or null when it is no /sys path (`Audit Login UID`,
 * `$(readlink …)/…`). Words after the path (`… = "name"`) and a trailing `/` are dropped.
 */
function whatSegments(what: string): string[] | null {
  const path = /^(?:[^\s<(]|<[^>]*>|\([^)]*\))*/.exec(what.trim())![0].replace(/,$/, '');
  if (!path.startsWith('/sys/')) return null;
  return path.split('/').filter((s) => s !== '');
}

const PLACEHOLDER = /^<[^>]+>$/;

/** `sys`, the first segment of every path, says nothing about a match: it scores nothing. */
function pageSegments(path: string): PageSegment[] {
  return path.split('/').filter((s) => s !== '').map((text, i) =>
    PLACEHOLDER.test(text) ? { kind: 'placeholder', strict: false } : { kind: 'literal', text, synthetic: i === 0 });
}

const synthetic = (text: string): PageSegment => ({ kind: 'literal', text, synthetic: true });

/**
 * Other spellings of a page path. Our pages name a device by its /sys/block, /sys/class or
 * /sys/bus link, while ABI files often document the attribute where it lives:
 * `/sys/devices/…/<device>/power/async`. And `/sys/block/<disk>` is `/sys/class/block/<disk>`.
 */
function pageVariants(segments: PageSegment[]): PageSegment[][] {
  const texts = segments.map((s) => (s.kind === 'literal' ? s.text : '<>'));
  const device = devicePosition(texts);
  if (device === null || segments[device]?.kind !== 'placeholder') return [segments];
  const tail = [{ kind: 'placeholder', strict: true } as PageSegment, ...segments.slice(device + 1)];
  const variants = [segments, [synthetic('sys'), synthetic('devices'), { kind: 'devicePath' } as PageSegment, ...tail]];
  if (texts[1] === 'block') variants.push([synthetic('sys'), synthetic('class'), synthetic('block'), ...tail]);
  return variants;
}

/** Where the device segment is in `/sys/block/X`, `/sys/class/C/X`, `/sys/bus/B/devices/X`. */
function devicePosition(texts: string[]): number | null {
  if (texts[0] !== 'sys') return null;
  if (texts[1] === 'block') return 2;
  if (texts[1] === 'class' && texts[2] !== '<>') return 3;
  if (texts[1] === 'bus' && texts[3] === 'devices') return 4;
  return null;
}

/**
 * The best score with which the pattern matches the page, or null. Recursive because
 * `...` (and the derived device path) span any number of segments; paths are short.
 */
function matchScore(pattern: PatternSegment[], pi: number, page: PageSegment[], qi: number): number | null {
  if (pi === pattern.length || qi === page.length) return pi === pattern.length && qi === page.length ? 0 : null;
  const p = pattern[pi]!;
  const q = page[qi]!;
  const options: (number | null)[] = [];
  // The file's own name must be written out: `/sys/.../<device>/<UUID>` documents no file of ours.
  if (qi === page.length - 1 && q.kind === 'literal' && (p.kind === 'many' || p.score === SCORE.variable)) return null;
  if (p.kind === 'many') {
    options.push(matchScore(pattern, pi + 1, page, qi + 1), matchScore(pattern, pi, page, qi + 1));
  } else if (q.kind === 'devicePath') {
    options.push(matchScore(pattern, pi, page, qi + 1));
    if (p.score === SCORE.variable) options.push(matchScore(pattern, pi + 1, page, qi));
  } else if (q.kind === 'placeholder' ? p.variable && (!q.strict || p.score === SCORE.variable) : p.re.test(q.text)) {
    const rest = matchScore(pattern, pi + 1, page, qi + 1);
    // Only the page's own words count: a placeholder matching `cpuX` is no evidence.
    const own = q.kind === 'literal' && !q.synthetic ? p.score : 0;
    options.push(rest === null ? null : rest + own);
  }
  const scores = options.filter((s): s is number => s !== null);
  return scores.length ? Math.max(...scores) : null;
}

const STATUS_RANK: Record<AbiStatus, number> = { stable: 0, testing: 1, obsolete: 2, removed: 3 };

/** Patterns ending in a plain name are looked up by it; the rest are tried for every page. */
function lastLiteral(segments: PatternSegment[]): string | null {
  const last = segments.at(-1);
  return last?.kind === 'one' ? last.literal : null;
}

interface PatternIndex<T> {
  /** Patterns ending in a plain name, by that name: most pages need only their own. */
  byLast: Map<string, Pattern<T>[]>;
  /** Patterns ending in a variable segment, tried for every page. */
  open: Pattern<T>[];
  /** Patterns written as a directory (`/sys/kernel/mm/transparent_hugepage/`). */
  directories: Pattern<T>[];
}

/** A directory this shallow (`/sys/class/`) documents nothing about the files below it. */
const MIN_DIRECTORY_DEPTH = 3;
/** Further up (`/sys/devices/system/cpu/` for `…/<cpu>/hotplug/fail`) it is too general to help. */
const MAX_DIRECTORY_LEVELS = 2;

function indexPatterns<T extends Pick<AbiEntry, 'what'>>(entries: readonly T[]): PatternIndex<T> {
  const index: PatternIndex<T> = { byLast: new Map(), open: [], directories: [] };
  entries.forEach((entry, order) => {
    for (const what of entry.what) {
      const texts = whatSegments(what);
      if (!texts) continue;
      const pattern = { entry, order, segments: texts.map(compileSegment) };
      const key = lastLiteral(pattern.segments);
      if (key === null) index.open.push(pattern);
      else if (index.byLast.has(key)) index.byLast.get(key)!.push(pattern);
      else index.byLast.set(key, [pattern]);
      if (/\/\s*$/.test(what) && texts.length >= MIN_DIRECTORY_DEPTH) index.directories.push(pattern);
    }
  });
  return index;
}

function candidates<T>(index: PatternIndex<T>, page: PageSegment[]): Pattern<T>[] {
  const last = page.at(-1);
  if (last?.kind !== 'literal') return [...index.byLast.values()].flat().concat(index.open);
  return (index.byLast.get(last.text) ?? []).concat(index.open);
}

/**
 * Builds a lookup from our sysfs page paths (`/sys/block/<device>/queue/scheduler`) to the
 * ABI entry that documents them: the match with the most literal segments, then the most
 * stable status, then the first in file order. A page no entry names gets the entry of its
 * nearest documented directory, if any: `/sys/kernel/mm/transparent_hugepage/` lists and
 * explains `enabled`, `defrag`, … in its Description.
 */
export function abiMatcher<T extends Pick<AbiEntry, 'what' | 'status'>>(entries: readonly T[]): (pagePath: string) => T | undefined {
  const index = indexPatterns(entries);
  return (pagePath) => {
    const page = pageSegments(pagePath);
    const exact = bestMatch(candidates(index, page), pageVariants(page));
    if (exact) return exact.entry;
    const top = Math.max(MIN_DIRECTORY_DEPTH, page.length - MAX_DIRECTORY_LEVELS);
    for (let depth = page.length - 1; depth >= top; depth--) {
      const directory = bestMatch(index.directories, pageVariants(page.slice(0, depth)));
      if (directory) return directory.entry;
    }
    return undefined;
  };
}

function bestMatch<T extends Pick<AbiEntry, 'status'>>(candidates: Pattern<T>[], variants: PageSegment[][]): Pattern<T> | undefined {
  let best: { pattern: Pattern<T>; score: number } | undefined;
  for (const pattern of candidates) {
    const scores = variants.map((v) => matchScore(pattern.segments, 0, v, 0)).filter((s): s is number => s !== null);
    if (scores.length === 0) continue;
    const score = Math.max(...scores);
    // A match must name something beyond `/sys`: `/sys/.../in_fooY_bar` is not `/sys/class/gpio/<gpio>`.
    if (score === 0) continue;
    if (!best || better(score, pattern, best.score, best.pattern)) best = { pattern, score };
  }
  return best?.pattern;
}

function better<T extends Pick<AbiEntry, 'status'>>(score: number, a: Pattern<T>, bestScore: number, b: Pattern<T>): boolean {
  if (score !== bestScore) return score > bestScore;
  const rank = STATUS_RANK[a.entry.status] - STATUS_RANK[b.entry.status];
  return rank !== 0 ? rank < 0 : a.order < b.order;
}
