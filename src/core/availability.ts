/**
 * Which of the measured kernels have a tunable, in the words a reader scans for:
 * `5.10 – 7.2`, `since 6.12`, `6.1 – 6.12, removed in 7.2`. Always relative to the kernels
 * the site measured: "since 6.12" means "not on the older kernels measured here".
 */
import { parseKernelId } from './kernels.ts';

/** `5.10 – 6.1`, or `6.1` for a single kernel. */
function span(first: string, last: string): string {
  return first === last ? first : `${first} – ${last}`;
}

/**
 * Per architecture where the site measured more than one (`amd64: since 6.12; arm64: 6.1 –
 * 7.2`; `arm64: 6.1 – 7.2` for a tunable amd64 has on none): a run of kernels never crosses
 * from one architecture into another.
 * @param measured every kernel id the site measured, oldest first (compareKernelIds)
 * @param present the ids of the kernels that have the tunable
 */
export function availability(measured: readonly string[], present: Iterable<string>): string {
  const has = new Set(present);
  const arches = Object.groupBy(measured, (id) => parseKernelId(id).arch);
  const entries = Object.entries(arches);
  if (entries.length <= 1) return availabilityOf(measured, has);
  const seriesOf = (ids: readonly string[]) => ids.map((id) => parseKernelId(id).series);
  // An architecture with none of them goes unsaid: the page's "arm64 only" badge says it.
  const on = entries.filter(([, ids]) => ids!.some((id) => has.has(id)));
  if (on.length === 0) return availabilityOf(measured, has);
  return on.map(([arch, ids]) => `${arch}: ${availabilityOf(seriesOf(ids!), new Set(seriesOf(ids!.filter((id) => has.has(id)))))}`).join('; ');
}

/** One architecture's kernels, named as `measured` names them. */
function availabilityOf(measured: readonly string[], has: ReadonlySet<string>): string {
  // Runs of consecutive measured kernels that have it, as [first, last] indices.
  const runs: [number, number][] = [];
  measured.forEach((series, i) => {
    if (!has.has(series)) return;
    const last = runs.at(-1);
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  });
  const end = measured.length - 1;
  const [run, ...more] = runs;
  if (!run) return 'on none of the measured kernels';
  if (more.length > 0) {
    const missing = measured.filter((series) => !has.has(series));
    return `${runs.map(([a, b]) => span(measured[a]!, measured[b]!)).join(', ')} (not in ${missing.join(', ')})`;
  }
  const [first, last] = run;
  if (last < end) return `${span(measured[first]!, measured[last]!)}, removed in ${measured[last + 1]}`;
  if (first > 0) return `since ${measured[first]}`;
  return span(measured[0]!, measured[end]!);
}
