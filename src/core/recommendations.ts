/**
 * What others recommend, joined to the tunables: which page a recommended setting is about
 * (a sysctl's instance, `net.ipv4.conf.all.rp_filter`, is the pattern's page with that
 * instance), and whether a value meets it. The one place that decides both: the pages, the
 * export and the operator tools read recommendations through it.
 */
import { collapsePath } from './patterns.ts';
import { bootParameterId, canonicalModuleName, moduleParameterId, pageId } from './paths.ts';
import type { RecommendationComparison, RecommendationReference, RecommendationsFile, RecommendationSource, RecommendationTarget } from './schemas/recommendations.ts';

/** One recommended setting as a tunable's page shows it. */
export interface TunableRecommendation {
  source: RecommendationSource;
  profile: string;
  profileTitle: string;
  /** For a pattern's page: the instance the setting names (`all`, `default`). */
  instance?: string;
  comparison: RecommendationComparison;
  value: string;
  via: string;
  condition?: string;
  inheritedFrom?: string;
  rationale?: string;
  references?: RecommendationReference[];
}

/** The page a recommendation's target is about, and the instance of a pattern it names; undefined for a target no page can be (a glob). */
export function targetPage(target: RecommendationTarget): { id: string; instance?: string } | undefined {
  if (/[*?[\]{}]/.test(target.name)) return undefined;
  if (target.kind === 'boot') return { id: bootParameterId(target.name) };
  if (target.kind === 'module') {
    const dot = target.name.indexOf('.');
    return dot > 0 ? { id: moduleParameterId(canonicalModuleName(target.name.slice(0, dot)), target.name.slice(dot + 1)) } : undefined;
  }
  const path = target.kind === 'sysctl' ? `/proc/sys/${target.name.replaceAll('.', '/')}` : target.name;
  if (!path.startsWith(target.kind === 'sysctl' ? '/proc/sys/' : '/sys/')) return undefined;
  const { pattern, instance } = collapsePath(target.kind, path, new Map());
  return { id: pageId(target.kind, pattern), ...(instance.length > 0 && { instance: instance.join('/') }) };
}

/** Every source's settings by the page they are about, in source, profile and instance order; and the settings no page name fits. */
export function recommendationsByPage(files: readonly RecommendationsFile[]): { byPage: Map<string, TunableRecommendation[]>; unplaced: { source: RecommendationSource; target: RecommendationTarget }[] } {
  const byPage = new Map<string, TunableRecommendation[]>();
  const unplaced: { source: RecommendationSource; target: RecommendationTarget }[] = [];
  for (const file of files) {
    const titles = new Map(file.profiles.map((profile) => [profile.id, profile.title]));
    for (const { profile, target, ...setting } of file.settings) {
      const page = targetPage(target);
      if (!page) {
        unplaced.push({ source: file.source, target });
        continue;
      }
      const list = byPage.get(page.id) ?? [];
      list.push({ source: file.source, profile, profileTitle: titles.get(profile) ?? profile, ...(page.instance !== undefined && { instance: page.instance }), ...setting });
      byPage.set(page.id, list);
    }
  }
  const order = (a: TunableRecommendation, b: TunableRecommendation) => a.source.localeCompare(b.source) || a.profile.localeCompare(b.profile) || (a.instance ?? '').localeCompare(b.instance ?? '');
  for (const list of byPage.values()) list.sort(order);
  return { byPage, unplaced };
}

/** A value as compared: whitespace runs as one space; a sysfs choice list (`always [madvise] never`) as its chosen word. */
function normalized(value: string): string {
  const text = value.trim().replace(/\s+/g, ' ');
  return /\[([^\]\s]+)\]/.exec(text)?.[1] ?? text;
}

const INTEGER = /^-?\d+$/;

/**
 * Whether `value` (a default or a machine's setting, as read) meets the recommendation:
 * equal after whitespace, or as a number at least / at most the one recommended; undefined
 * where that cannot be told (no value, or a comparison of text that is not a number).
 */
export function meetsRecommendation(value: string | null | undefined, recommendation: Pick<TunableRecommendation, 'comparison' | 'value'>): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  const have = normalized(value);
  const want = normalized(recommendation.value);
  if (recommendation.comparison === 'equals') return have === want || (INTEGER.test(have) && INTEGER.test(want) && BigInt(have) === BigInt(want));
  if (!INTEGER.test(have) || !INTEGER.test(want)) return undefined;
  return recommendation.comparison === 'at-least' ? BigInt(have) >= BigInt(want) : BigInt(have) <= BigInt(want);
}
