/**
 * How the kernel's own statements about a tunable read on its page: type with unit, range,
 * and where the documented default disagrees with what the kernels measure. Pure, so the
 * page and the tests agree on the wording.
 */
import type { ValueType } from '../schemas/docs.ts';
import type { TunableFrontmatter, UpstreamFacts } from '../schemas/tunable.ts';
import { compareSeries } from './kernels.ts';

const TYPE_LABELS: Record<ValueType, string> = {
  integer: 'integer',
  'unsigned integer': 'unsigned integer',
  long: 'long integer',
  boolean: 'boolean (0 or 1)',
  string: 'string',
  jiffies: 'integer, in seconds (kept in jiffies)',
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

const firstNumber = (text: string) => /-?\d+/.exec(text)?.[0];

/** `5.10 – 7.2` for a run of the measured kernels, or a list when some are missing. */
function kernelsText(series: string[], measured: readonly string[]): string {
  const first = measured.indexOf(series[0]!);
  const contiguous = series.every((s, i) => measured[first + i] === s);
  return series.length > 1 && contiguous ? `${series[0]} – ${series.at(-1)}` : series.join(', ');
}

/**
 * "The documentation says 128; kernels 5.10 – 7.2 measure 4096." where the number the
 * documentation states differs from a constant default measured; null where they agree or
 * cannot be compared (no number stated, no constant default).
 */
export function defaultDisagreement(documented: string | null, kernels: TunableFrontmatter['kernels']): string | null {
  const said = documented === null ? undefined : firstNumber(documented);
  if (said === undefined) return null;
  const measured = Object.keys(kernels).sort(compareSeries);
  const byValue = new Map<string, string[]>();
  for (const series of measured) {
    const { default: value, defaultKind } = kernels[series]!;
    if (defaultKind !== 'constant' || value === null || value.split(/\s+/).length > 1) continue;
    if (firstNumber(value) === said) continue;
    byValue.set(value, [...(byValue.get(value) ?? []), series]);
  }
  if (byValue.size === 0) return null;
  const measuredText = [...byValue].map(([value, series]) => `${series.length > 1 ? 'kernels' : 'kernel'} ${kernelsText(series, measured)} measure${series.length > 1 ? '' : 's'} ${value}`);
  return `The documentation says ${documented}; ${measuredText.join('; ')}.`;
}
