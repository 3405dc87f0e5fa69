/**
 * What others recommend, joined to the tunables: which page a recommended setting is about
 * (a sysctl's instance, `net.ipv4.conf.all.rp_filter`, is the pattern's page with that
 * instance), and whether a value meets it. The one place that decides both: the pages, the
 * export and the operator tools read recommendations through it.
 */
import { collapsePath } from './patterns.ts';
import { bootParameterId, canonicalModuleName, moduleParameterId, pageId } from './paths.ts';
import type { RecommendationComparison, RecommendationReference, RecommendationsFile, RecommendationSource, RecommendationTarget } from './schemas/recommendations.ts';
import type { KernelFacts } from './schemas/tunable.ts';
import { compareKernelIds } from './kernels.ts';

/** How each source is named to a reader. */
export const SOURCE_NAMES: Readonly<Record<RecommendationSource, string>> = { tuned: 'TuneD', ssg: 'ComplianceAsCode' };

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

/**
 * The pages a recommendation's target may be about, likeliest first, and the instance of a
 * pattern it names; none for a target no page can be (a glob). A dotted word of the
 * command line sets a module's parameter (`rcupdate.rcu_normal_after_boot`), unless the
 * kernel documents it as a boot parameter of its own with no module behind it (`iommu.strict`).
 */
export function targetPages(target: RecommendationTarget): { ids: string[]; instance?: string } {
  if (/[*?[\]{}]/.test(target.name)) return { ids: [] };
  const dot = target.name.indexOf('.');
  const moduleParameter = dot > 0 ? [moduleParameterId(canonicalModuleName(target.name.slice(0, dot)), target.name.slice(dot + 1))] : [];
  if (target.kind === 'boot') return { ids: [...moduleParameter, bootParameterId(target.name)] };
  if (target.kind === 'module') return { ids: moduleParameter };
  const path = target.kind === 'sysctl' ? `/proc/sys/${target.name.replaceAll('.', '/')}` : target.name;
  if (!path.startsWith(target.kind === 'sysctl' ? '/proc/sys/' : '/sys/')) return { ids: [] };
  // A file of every device, named by its pattern: `/sys/block/<device>/queue/read_ahead_kb`.
  if (/<[a-z0-9_-]+>/.test(path)) return { ids: [pageId(target.kind, path)] };
  const { pattern, instance } = collapsePath(target.kind, path, new Map());
  return { ids: [pageId(target.kind, pattern)], ...(instance.length > 0 && { instance: instance.join('/') }) };
}

/** A setting no page fits: a name no reference kernel has (a profile's stale key), or a glob. */
export interface UnplacedRecommendation {
  source: RecommendationSource;
  profile: string;
  target: RecommendationTarget;
  comparison: RecommendationComparison;
  value: string;
  via: string;
}

/**
 * Every source's settings by the page they are about (the first of `targetPages` that is
 * one of `pages`), in source, profile and instance order; and the settings no page fits.
 */
export function recommendationsByPage(
  files: readonly RecommendationsFile[],
  pages: ReadonlySet<string>,
): { byPage: Map<string, TunableRecommendation[]>; unplaced: UnplacedRecommendation[] } {
  const byPage = new Map<string, TunableRecommendation[]>();
  const unplaced: UnplacedRecommendation[] = [];
  for (const file of files) {
    const titles = new Map(file.profiles.map((profile) => [profile.id, profile.title]));
    for (const { profile, target, ...setting } of file.settings) {
      const { ids, instance } = targetPages(target);
      const id = ids.find((candidate) => pages.has(candidate));
      if (!id) {
        unplaced.push({ source: file.source, profile, target, comparison: setting.comparison, value: setting.value, via: setting.via });
        continue;
      }
      const list = byPage.get(id) ?? [];
      list.push({ source: file.source, profile, profileTitle: titles.get(profile) ?? profile, ...(instance !== undefined && { instance }), ...setting });
      byPage.set(id, list);
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

/** Recommendations that say the same thing (source, where it sets it, value, instance, condition), with every profile that says it. */
export interface RecommendationGroup {
  source: RecommendationSource;
  via: string;
  comparison: RecommendationComparison;
  value: string;
  instance?: string;
  condition?: string;
  profiles: { id: string; title: string; inheritedFrom?: string }[];
  /** The first profile's rationale, and where it is written: the profile's own file, or the rule. */
  rationale?: string;
  references: RecommendationReference[];
}

/** Groups a page's recommendations, in their order, so that one rule or one option shared by many profiles is one row. */
export function groupRecommendations(recommendations: readonly TunableRecommendation[]): RecommendationGroup[] {
  const groups = new Map<string, RecommendationGroup>();
  for (const r of recommendations) {
    const key = JSON.stringify([r.source, r.via, r.comparison, r.value, r.instance ?? '', r.condition ?? '']);
    let group = groups.get(key);
    if (!group) {
      group = { source: r.source, via: r.via, comparison: r.comparison, value: r.value, ...(r.instance !== undefined && { instance: r.instance }), ...(r.condition && { condition: r.condition }), profiles: [], references: [] };
      groups.set(key, group);
    }
    group.profiles.push({ id: r.profile, title: r.profileTitle, ...(r.inheritedFrom && { inheritedFrom: r.inheritedFrom }) });
    if (!group.rationale && r.rationale) group.rationale = r.rationale;
    for (const reference of r.references ?? []) if (!group.references.some((known) => known.scheme === reference.scheme && known.id === reference.id)) group.references.push(reference);
  }
  return [...groups.values()];
}

/** `= 10`, `≥ 2048`, `≤ 24000000`; an empty value (a boot flag) is the word alone. */
export function recommendationText({ comparison, value }: Pick<TunableRecommendation, 'comparison' | 'value'>): string {
  return `${{ equals: '=', 'at-least': '≥', 'at-most': '≤' }[comparison]} ${value === '' ? '(set)' : value}`;
}

/**
 * Whether one kernel's default meets a recommendation, in words: `meets it`, `differs`, or
 * why it cannot be told (a machine-scaled default, runtime state). For a pattern the
 * instance named is compared (`all` of `net.ipv4.conf.<interface>.rp_filter`).
 */
export function defaultVerdict(facts: Pick<KernelFacts, 'default' | 'defaultKind' | 'instances'>, recommendation: Pick<TunableRecommendation, 'comparison' | 'value' | 'instance'>): { text: string; meets?: boolean } {
  const value = recommendation.instance === undefined ? facts.default : (facts.instances?.find((i) => i.instance === recommendation.instance)?.value ?? null);
  const meets = facts.defaultKind === 'constant' || facts.defaultKind === 'source' ? meetsRecommendation(value, recommendation) : undefined;
  if (meets !== undefined) return { text: meets ? 'meets it' : 'differs', meets };
  return { text: facts.defaultKind === 'machine' ? 'depends on the machine' : facts.defaultKind === 'volatile' ? 'runtime state' : 'not known' };
}

/**
 * Every kernel's verdict on a recommendation, kernels of one verdict together (oldest
 * first): one entry where all agree, else one per verdict (`differs` on 5.10 and 6.1,
 * `meets it` on 6.12 and 7.2).
 */
export function kernelVerdicts(kernels: Readonly<Record<string, Pick<KernelFacts, 'default' | 'defaultKind' | 'instances'>>>, recommendation: Pick<TunableRecommendation, 'comparison' | 'value' | 'instance'>): { text: string; meets?: boolean; kernels: string[] }[] {
  const byText = new Map<string, { text: string; meets?: boolean; kernels: string[] }>();
  for (const id of Object.keys(kernels).sort(compareKernelIds)) {
    const verdict = defaultVerdict(kernels[id]!, recommendation);
    const seen = byText.get(verdict.text);
    if (seen) seen.kernels.push(id);
    else byText.set(verdict.text, { ...verdict, kernels: [id] });
  }
  return [...byText.values()];
}
