/**
 * How the kernel's own statements about a tunable read on its page: type with unit, range,
 * and where the documented default disagrees with what the kernels measure. Pure, so the
 * page and the tests agree on the wording.
 */
import type { ValueType } from './schemas/docs.ts';
import type { KernelUpstream, TunableFrontmatter, UpstreamFacts } from './schemas/tunable.ts';
import { acrossKernels, compareSeries } from './kernels.ts';

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

/** `0 – 200`, `at least 0`, `at most 100`. */
export function rangeText({ min, max }: NonNullable<UpstreamFacts['range']>): string {
  if (min !== null && max !== null) return `${min} – ${max}`;
  return min !== null ? `at least ${min}` : `at most ${max}`;
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

/** `5.10 – 7.2` for a run of the measured kernels, or a list when some are missing. */
export function kernelsText(series: string[], measured: readonly string[]): string {
  const first = measured.indexOf(series[0]!);
  const contiguous = series.every((s, i) => measured[first + i] === s);
  return series.length > 1 && contiguous ? `${series[0]} – ${series.at(-1)}` : series.join(', ');
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
  const measured = Object.keys(kernels).sort(compareSeries);
  const groups = acrossKernels(
    kernels,
    (facts) => (facts.upstream ? [pick(facts.upstream)] : []),
    (value) => (value === null ? 'null' : `=${keyOf(value)}`),
  );
  if (groups.length === 0) return null;
  const newestOf = (series: string[]) => pick(kernels[series.at(-1)!]!.upstream!);
  if (groups.length === 1) return [{ kernels: null, value: newestOf(groups[0]!.series) }];
  return groups.map(({ series }) => ({ kernels: kernelsText(series, measured), value: newestOf(series) }));
}

/** A group of kernels' statement as text; null where they state none. */
export interface StatedLine {
  kernels: string | null;
  text: string | null;
}

/** A fact as the kernels state it, as text: theirs where the facts carry it, else `newest` (the newest kernel's) as one line. */
export function statedLines<T>(kernels: TunableFrontmatter['kernels'], pick: (stated: KernelUpstream) => T | null, newest: T | null, text: (value: T) => string): StatedLine[] {
  return (statedAcrossKernels(kernels, pick) ?? [{ kernels: null, value: newest }]).map(({ kernels: label, value }) => ({ kernels: label, text: value === null ? null : text(value) }));
}

/** On one line: `0 – 200` where the kernels agree, `5.10: 0 – 100; 6.1 – 7.2: 0 – 200` where not. */
export function statedLine(lines: StatedLine[], none = 'not known'): string {
  return lines.length === 1 ? (lines[0]!.text ?? none) : lines.map(({ kernels, text }) => `${kernels}: ${text ?? 'not stated'}`).join('; ');
}

/**
 * "The documentation says 128; kernels 5.10 – 7.2 measure 4096." where no number the
 * documented default can mean is the constant default measured; null where they agree or
 * cannot be compared (no number stated, no constant integer default).
 */
export function defaultDisagreement(documented: string | null, kernels: TunableFrontmatter['kernels']): string | null {
  const said = documented === null ? [] : documentedNumbers(documented);
  if (said.length === 0) return null;
  const measured = Object.keys(kernels).sort(compareSeries);
  const byValue = new Map<string, string[]>();
  for (const series of measured) {
    const { default: value, defaultKind, upstream } = kernels[series]!;
    // A kernel whose own docs state another default is held to its own words, not these.
    if (defaultKind !== 'constant' || value === null || (upstream?.documentedDefault != null && upstream.documentedDefault !== documented)) continue;
    const number = measuredNumber(value);
    if (number === undefined || said.includes(number)) continue;
    byValue.set(value, [...(byValue.get(value) ?? []), series]);
  }
  if (byValue.size === 0) return null;
  const measuredText = [...byValue].map(([value, series]) => `${series.length > 1 ? 'kernels' : 'kernel'} ${kernelsText(series, measured)} measure${series.length > 1 ? '' : 's'} ${value}`);
  return `The documentation says ${documented}; ${measuredText.join('; ')}.`;
}
