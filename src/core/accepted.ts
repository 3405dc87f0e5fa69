/**
 * How the values a kernel accepted when written (`kernels[id].accepted`, measured by
 * `npm run refresh -- --accepted`) read on a page and in `explain`: the range, what read
 * back where the kernel kept something else, and where the measurement and the source's
 * stated range disagree. Pure, so the page, the CLI and the tests agree on the wording.
 */
import type { AcceptedFacts, TunableFrontmatter } from './schemas/tunable.ts';
import { acrossKernels, kernelIdsOfPage } from './kernels.ts';
import { kernelsText, type StatedLine } from './upstream.ts';

/** The full span of each C type a handler parses into: a range that is one of these has no bound but the type. */
const C_TYPE_SPANS: readonly { min: string; max: string; c: string }[] = [
  { min: String(-(2n ** 31n)), max: String(2n ** 31n - 1n), c: 'int' },
  { min: '0', max: String(2n ** 32n - 1n), c: 'unsigned int' },
  { min: String(-(2n ** 63n)), max: String(2n ** 63n - 1n), c: 'long' },
  { min: '0', max: String(2n ** 64n - 1n), c: 'unsigned long' },
  // Every number the probe writes: a handler that parses none of them (the write is taken, and ignored or kept as something else).
  { min: String(-(2n ** 63n)), max: String(2n ** 64n - 1n), c: 'number' },
];

/**
 * `0 – 200`; `any int (-2147483648 – 2147483647)`; `4096 – 2147483647, each of its 3
 * numbers`; `0 – 2147483647 (2147483647 reads back as 1)`.
 */
export function acceptedText(accepted: AcceptedFacts): string {
  const span = C_TYPE_SPANS.find(({ min, max }) => min === accepted.min && max === accepted.max);
  const range = span ? `any ${span.c} (${accepted.min} – ${accepted.max})` : `${accepted.min} – ${accepted.max}`;
  const notes = [
    ...(accepted.minReadsBack === undefined ? [] : [`${accepted.min} reads back as ${accepted.minReadsBack}`]),
    ...(accepted.maxReadsBack === undefined ? [] : [`${accepted.max} reads back as ${accepted.maxReadsBack}`]),
  ];
  return `${range}${accepted.elements ? `, each of its ${accepted.elements} numbers` : ''}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/**
 * The accepted values as the kernels measured them: one line where every kernel agrees,
 * else one per group of kernels, including why a kernel's were not measured (a denied
 * write says why it is never made). Empty where the probe never considered it.
 */
export function acceptedLines(kernels: TunableFrontmatter['kernels']): StatedLine[] {
  const measured = kernelIdsOfPage(kernels);
  const groups = acrossKernels(
    kernels,
    (facts) => (facts.accepted ? [acceptedText(facts.accepted)] : facts.acceptedNotMeasured ? [`not measured (${facts.acceptedNotMeasured})`] : []),
    (text) => text,
  );
  if (groups.length === 0) return [];
  if (groups.length === 1 && groups[0]!.ids.length === measured.length) return [{ kernels: null, phrases: [groups[0]!.item] }];
  return groups.map(({ item, ids }) => ({ kernels: kernelsText(ids, measured), phrases: [item] }));
}

/**
 * Where a kernel accepted other values than its source's stated bound: "On 6.1 the kernel
 * accepted up to 255, where its source states at most 100." Null where they agree or
 * either is missing. A side the source leaves open is no disagreement.
 */
export function acceptedDisagreement(kernels: TunableFrontmatter['kernels']): string | null {
  const groups = acrossKernels(
    kernels,
    (facts) => {
      const { accepted } = facts;
      const range = facts.upstream?.range;
      if (!accepted || !range) return [];
      const sides = [
        ...(range.min !== null && range.min !== accepted.min ? [`down to ${accepted.min}, where its source states at least ${range.min}`] : []),
        ...(range.max !== null && range.max !== accepted.max ? [`up to ${accepted.max}, where its source states at most ${range.max}`] : []),
      ];
      return sides.length > 0 ? [sides.join(', and ')] : [];
    },
    (text) => text,
  );
  if (groups.length === 0) return null;
  const measured = kernelIdsOfPage(kernels);
  return groups.map(({ item, ids }) => `On ${kernelsText(ids, measured)} the kernel accepted ${item}.`).join(' ');
}
