/**
 * How the kernel's own statements about a tunable read on its page and in `explain`: type
 * with unit and handler, range (a bound that is no constant in words), and where the
 * documented default disagrees with what the kernels measure. Pure, so the page, the CLI
 * and the tests agree on the wording.
 */
import type { ValueType } from './schemas/docs.ts';
import type { KernelLocation, KernelUpstream, StatedOpenBound, TunableFrontmatter, UpstreamFacts } from './schemas/tunable.ts';
import { acrossKernels, kernelIdsOfPage, parseKernelId, PRIMARY_ARCH } from './kernels.ts';

/**
 * A piece of how a fact reads: words, or what a page marks up and a terminal prints plain —
 * C text as code, another sysctl (linked to its page where it has one), a line of a kernel's
 * source at that kernel's version.
 */
export type Phrase = string | { code: string } | { sysctl: string; page?: string } | { source: Pick<KernelLocation, 'file' | 'line' | 'version'> };

/** As a terminal prints it: code in backticks, a sysctl by its name, a source line as `file:line`. */
export function plainText(phrases: readonly Phrase[]): string {
  return phrases
    .map((phrase) => {
      if (typeof phrase === 'string') return phrase;
      if ('code' in phrase) return `\`${phrase.code}\``;
      return 'sysctl' in phrase ? phrase.sysctl : `${phrase.source.file}:${phrase.source.line}`;
    })
    .join('');
}

const TYPE_LABELS: Record<ValueType, string> = {
  integer: 'integer',
  'unsigned integer': 'unsigned integer',
  long: 'long integer',
  boolean: 'boolean (0 or 1)',
  string: 'string',
  jiffies: 'integer, in seconds (kept in jiffies)',
  centiseconds: 'integer, in hundredths of a second (USER_HZ ticks: 100 is 1 s; kept in jiffies)',
  milliseconds: 'integer, in milliseconds (kept in jiffies)',
  'integer vector': 'several integers, separated by blanks',
  bitmap: 'bitmap (a list of numbers and ranges, e.g. 1,3-5)',
  other: 'parsed by a handler of its own',
};

export function typeText(type: ValueType): string {
  return TYPE_LABELS[type];
}

/** A kernel's type with the `ctl_table` handler that parses a write, where its source names one. */
interface TypeStatement {
  type: ValueType;
  handler?: string;
}

/**
 * Time units the kernel spells at the end of a sysctl's name. A handler of its own that
 * takes a plain integer leaves the unit to the name: `dirty_writeback_centisecs_handler`,
 * `proc_dohung_task_timeout_secs`, `sched_rr_handler` for `sched_rr_timeslice_ms`.
 */
const NAME_UNITS: readonly (readonly [RegExp, string])[] = [
  [/_centisecs$/, 'hundredths of a second'],
  [/_(?:secs?|seconds)$/, 'seconds'],
  [/_(?:ms|msecs)$/, 'milliseconds'],
  [/_(?:us|usecs)$/, 'microseconds'],
  [/_(?:ns|nsecs)$/, 'nanoseconds'],
];

/** Types whose handler reads the number as written, in no unit of its own: the name's unit stands. */
const UNITLESS_TYPES: ReadonlySet<ValueType> = new Set(['integer', 'unsigned integer', 'long']);

/** `milliseconds` for `kernel.sched_rr_timeslice_ms`; null where the name states no time unit. */
export function unitInName(name: string): string | null {
  return NAME_UNITS.find(([suffix]) => suffix.test(name))?.[1] ?? null;
}

/**
 * `integer, in milliseconds (kept in jiffies), parsed by proc_dointvec_ms_jiffies`: the
 * handler decides how a write is read and in which unit, so the reader can check the unit
 * against it. Where the handler reads a plain number, the unit the name states:
 * `integer, in hundredths of a second (as its name says), parsed by dirty_writeback_centisecs_handler`.
 */
function typeWording(name: string): (statement: TypeStatement) => Phrase[] {
  const nameUnit = unitInName(name);
  return ({ type, handler }) => {
    const typed = nameUnit !== null && UNITLESS_TYPES.has(type) ? `${typeText(type)}, in ${nameUnit} (as its name says)` : typeText(type);
    if (handler === undefined) return [typed];
    // `other` already says the handler is one of its own: name it.
    return [`${typed}${type === 'other' ? ': ' : ', parsed by '}`, { code: handler }];
  };
}

/** `0 – 200`, `at least 0`, `at most 100`. */
export function rangeText({ min, max }: NonNullable<UpstreamFacts['range']>): string {
  if (min !== null && max !== null) return `${min} – ${max}`;
  return min !== null ? `at least ${min}` : `at most ${max}`;
}

/** A kernel's valid range: its constant bounds, what its source gives instead of a constant, and the version its source links pin. */
interface RangeStatement {
  range: UpstreamFacts['range'];
  openBounds?: KernelUpstream['openBounds'];
  /** The kernel's upstream version, for a boot rule's link into its tree; null where the facts name no definition. */
  version: string | null;
}

/**
 * What bounds a side instead of a constant: another sysctl's current value, the value boot
 * code computes or a boot parameter sets, or C text the docs stage could not evaluate.
 */
function openBoundWording({ written, sysctl, sysctlPage, boot }: StatedOpenBound, version: string | null): Phrase[] {
  if (sysctl !== undefined) return ['the value of ', { sysctl, ...(sysctlPage && { page: sysctlPage }) }];
  if (boot !== undefined) {
    const at: Phrase = version === null ? { code: `${boot.file}:${boot.line}` } : { source: { file: boot.file, line: boot.line, version } };
    if (boot.parameter) return [`${boot.initial}, or ${boot.parameter.value} when the kernel boots with `, { code: boot.parameter.name }, ' (', at, ')'];
    const value = boot.perPossibleCpu ? `max(${boot.initial}, ${boot.perPossibleCpu} × possible CPUs)` : boot.initial;
    return [`${value}, set at boot (`, at, ')'];
  }
  // `.extra1 = &x` points at the bound: its value is `x`'s.
  return [{ code: written.replace(/^&\s*/, '') }, ' (C expression not evaluated)'];
}

/**
 * `0 – 200`; where a side is no constant, each side in words: `at least max(301, 8 × possible
 * CPUs), set at boot (kernel/pid.c:827) and at most 4194304`, `at least 1 and at most the
 * value of net.sctp.rto_max`. A side neither bounds is left out.
 */
function rangeWording({ range, openBounds, version }: RangeStatement): Phrase[] {
  const min = range?.min ?? null;
  const max = range?.max ?? null;
  if (min !== null && max !== null) return [rangeText({ min, max })];
  const side = (words: string, constant: string | null, open: StatedOpenBound | undefined): Phrase[] => {
    if (constant !== null) return [`${words} ${constant}`];
    return open ? [`${words} `, ...openBoundWording(open, version)] : [];
  };
  const sides = [side('at least', min, openBounds?.min), side('at most', max, openBounds?.max)].filter((phrases) => phrases.length > 0);
  return sides.flatMap((phrases, i) => (i === 0 ? phrases : [' and ', ...phrases]));
}

/** One kernel's range statement, null where its source states no bound at all. */
function rangeStatement({ range, openBounds, definedIn }: KernelUpstream): RangeStatement | null {
  if (range === null && openBounds === undefined) return null;
  return { range, ...(openBounds && { openBounds }), version: definedIn?.version ?? null };
}

/** Kernels agree on a range when their bounds mean the same: a boot rule's line and the version move with every release. */
function rangeKey({ range, openBounds }: RangeStatement): string {
  const meaning = (bound: StatedOpenBound | undefined) => bound && { ...bound, ...(bound.boot && { boot: { ...bound.boot, line: undefined } }) };
  return JSON.stringify([range, meaning(openBounds?.min), meaning(openBounds?.max)]);
}

/** Multipliers of the units the docs write after a number: sizes (`128 KB`, `4K`) and times (`2hours`). */
const UNITS: Record<string, bigint[]> = {
  k: [1024n, 1000n],
  kb: [1024n, 1000n],
  kib: [1024n],
  m: [1048576n, 1000000n],
  mb: [1048576n, 1000000n],
  mib: [1048576n],
  g: [1073741824n],
  gb: [1073741824n],
  minutes: [60n],
  min: [60n],
  hours: [3600n],
  hour: [3600n],
  days: [86400n],
};

/**
 * Every number a documented default can mean: `0xffff`, `120,000`, `128 KB`, `2hours`,
 * `IP6_RT_PRIO_USER i.e. 1024`. Empty when it states none (`enabled`) or a value beyond
 * comparing (`~0`, whose width the text does not say).
 */
export function documentedNumbers(text: string): bigint[] {
  if (/~\s*0/.test(text)) return [];
  const numbers: bigint[] = [];
  for (const [, sign, digits, unit] of text.matchAll(/(-?)\b(0x[0-9a-f]+|\d{1,3}(?:,\d{3})+|\d+)\s*([a-z]+)?/gi)) {
    const value = BigInt(digits!.replaceAll(',', '')) * (sign ? -1n : 1n);
    numbers.push(value, ...(UNITS[unit?.toLowerCase() ?? ''] ?? []).map((factor) => value * factor));
  }
  return numbers;
}

/** The measured value as one integer, or undefined when it is not one (a vector, a word). */
function measuredNumber(value: string): bigint | undefined {
  return /^-?\d+$/.test(value.trim()) ? BigInt(value.trim()) : undefined;
}

/**
 * `5.10 – 7.2` for a run of the measured kernels, or a list when some are missing. A run
 * stays within one architecture: in id order the architectures interleave, and `6.1 – 6.12`
 * must not silently take in 6.1-arm64. Where the measured kernels span more than amd64,
 * each run names its architectures, and arches with the same run share it:
 * `5.10 – 7.2 (amd64 and arm64)`, `6.12 – 7.2 (amd64), 6.1 – 7.2 (arm64)`.
 */
export function kernelsText(ids: readonly string[], measured: readonly string[]): string {
  const archOf = (id: string) => parseKernelId(id).arch;
  const arches = [...new Set(ids.map(archOf))];
  const runs = new Map<string, string[]>();
  for (const arch of arches) {
    const [some, all] = [ids.filter((id) => archOf(id) === arch), measured.filter((id) => archOf(id) === arch)];
    const first = all.indexOf(some[0]!);
    const contiguous = some.every((id, i) => all[first + i] === id);
    const series = some.map((id) => parseKernelId(id).series);
    const run = series.length > 1 && contiguous ? `${series[0]} – ${series.at(-1)}` : series.join(', ');
    runs.set(run, [...(runs.get(run) ?? []), arch]);
  }
  const labelled = new Set(measured.map(archOf)).size > 1 || arches.some((arch) => arch !== PRIMARY_ARCH);
  return [...runs].map(([run, of]) => (labelled ? `${run} (${of.join(' and ')})` : run)).join(', ');
}

/** One statement of the kernels that say the same: the kernels (null where all agree) and the value, the newest of them's. */
export interface Stated<T> {
  kernels: string | null;
  value: T | null;
}

/**
 * What the kernels say of one fact in their own source and docs: one entry where they agree,
 * else one per distinct value (by `keyOf`), oldest kernels first, each labelled with its
 * kernels (`5.10 – 6.12`). Null where no kernel carries its own statements (the page then
 * shows the newest kernel's, from `upstream`).
 */
export function statedAcrossKernels<T>(kernels: TunableFrontmatter['kernels'], pick: (stated: KernelUpstream) => T | null, keyOf: (value: T) => string = (value) => JSON.stringify(value)): Stated<T>[] | null {
  const measured = kernelIdsOfPage(kernels);
  const groups = acrossKernels(
    kernels,
    (facts) => (facts.upstream ? [pick(facts.upstream)] : []),
    (value) => (value === null ? 'null' : `=${keyOf(value)}`),
  );
  if (groups.length === 0) return null;
  const newestOf = (ids: string[]) => pick(kernels[ids.at(-1)!]!.upstream!);
  if (groups.length === 1) return [{ kernels: null, value: newestOf(groups[0]!.ids) }];
  return groups.map(({ ids }) => ({ kernels: kernelsText(ids, measured), value: newestOf(ids) }));
}

/** A group of kernels' statement in words; null where they state none. */
export interface StatedLine {
  kernels: string | null;
  phrases: Phrase[] | null;
}

/**
 * A fact as the kernels state it, in words: theirs where the facts carry it (grouped by
 * `keyOf`), else `newest` (the newest kernel's) as one line.
 */
export function statedLines<T>(
  kernels: TunableFrontmatter['kernels'],
  pick: (stated: KernelUpstream) => T | null,
  newest: T | null,
  wording: (value: T) => Phrase[],
  keyOf?: (value: T) => string,
): StatedLine[] {
  return (statedAcrossKernels(kernels, pick, keyOf) ?? [{ kernels: null, value: newest }]).map(({ kernels: label, value }) => ({ kernels: label, phrases: value === null ? null : wording(value) }));
}

type StatingPage = Pick<TunableFrontmatter, 'kernels' | 'upstream'>;

/** The Type line of a page and of `explain`: each kernel's type, with its handler, and the unit its name states. */
export function typeLines({ title, kernels, upstream }: StatingPage & Pick<TunableFrontmatter, 'title'>): StatedLine[] {
  return statedLines(kernels, ({ type, handler }) => (type === null ? null : { type, ...(handler && { handler }) }), upstream.type && { type: upstream.type }, typeWording(title));
}

/** The Valid range line of a page and of `explain`: each kernel's bounds, an open one in words. */
export function rangeLines({ kernels, upstream }: StatingPage): StatedLine[] {
  return statedLines(kernels, rangeStatement, upstream.range && { range: upstream.range, version: null }, rangeWording, rangeKey);
}

/**
 * The Defined in line of a page and of `explain`: each kernel's definition site. Lines move
 * with every release, so a definition is the same while its file is: one line per file,
 * the newest of its kernels' line.
 */
export function definitionLines({ kernels, upstream }: StatingPage): StatedLine[] {
  return statedLines(kernels, (stated) => stated.definedIn, upstream.definedIn, (at) => [{ source: at }, ` (Linux ${at.version})`], (at) => at.file);
}

/** On one line: `0 – 200` where the kernels agree, `5.10: 0 – 100; 6.1 – 7.2: 0 – 200` where not. */
export function statedLine(lines: StatedLine[], none = 'not known'): string {
  const text = (phrases: Phrase[] | null, missing: string) => (phrases === null ? missing : plainText(phrases));
  return lines.length === 1 ? text(lines[0]!.phrases, none) : lines.map(({ kernels, phrases }) => `${kernels}: ${text(phrases, 'not stated')}`).join('; ');
}

/**
 * "The documentation says 128; kernels 5.10 – 7.2 measure 4096." where no number the
 * documented default can mean is the constant default measured; null where they agree or
 * cannot be compared (no number stated, no constant integer default).
 */
export function defaultDisagreement(documented: string | null, kernels: TunableFrontmatter['kernels']): string | null {
  const said = documented === null ? [] : documentedNumbers(documented);
  if (said.length === 0) return null;
  const measured = kernelIdsOfPage(kernels);
  const byValue = new Map<string, string[]>();
  for (const id of measured) {
    const { default: value, defaultKind, upstream } = kernels[id]!;
    // A kernel whose own docs state another default is held to its own words, not these.
    if (defaultKind !== 'constant' || value === null || (upstream?.documentedDefault != null && upstream.documentedDefault !== documented)) continue;
    const number = measuredNumber(value);
    if (number === undefined || said.includes(number)) continue;
    byValue.set(value, [...(byValue.get(value) ?? []), id]);
  }
  if (byValue.size === 0) return null;
  const measuredText = [...byValue].map(([value, ids]) => `${ids.length > 1 ? 'kernels' : 'kernel'} ${kernelsText(ids, measured)} measure${ids.length > 1 ? '' : 's'} ${value}`);
  return `The documentation says ${documented}; ${measuredText.join('; ')}.`;
}
