/** Ordering of kernel series and the kernel releases a set of pages was measured on. */
import type { KernelFacts, TunableFrontmatter } from '../schemas/tunable.ts';

/** Numeric order of `major.minor` series: `6.1` < `6.6` < `6.18`. */
export function compareSeries(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The series of one page, oldest first. */
export function seriesOfPage(kernels: TunableFrontmatter['kernels']): string[] {
  return Object.keys(kernels).sort(compareSeries);
}

/** Facts from the newest kernel that measured this tunable. */
export function newestFacts(kernels: TunableFrontmatter['kernels']): { series: string; facts: KernelFacts } {
  const series = seriesOfPage(kernels).at(-1);
  if (series === undefined) throw new Error('a tunable page has no kernels');
  return { series, facts: kernels[series]! };
}

export interface KernelRelease {
  series: string;
  release: string;
  source: string;
}

/** Every distinct kernel the pages were measured on, oldest series first. */
export function kernelReleases(pages: Iterable<Pick<TunableFrontmatter, 'kernels'>>): KernelRelease[] {
  const seen = new Map<string, KernelRelease>();
  for (const { kernels } of pages) {
    for (const [series, { release, source }] of Object.entries(kernels)) {
      seen.set(`${series}\0${release}\0${source}`, { series, release, source });
    }
  }
  return [...seen.values()].sort(
    (a, b) => compareSeries(a.series, b.series) || compareText(a.release, b.release) || compareText(a.source, b.source),
  );
}
