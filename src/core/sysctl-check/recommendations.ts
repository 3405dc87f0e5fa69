/**
 * Settings checked against one profile of what others recommend (`lint --profile`): each
 * line that sets a tunable the profile sets is a `meets-recommendation` or a
 * `differs-from-recommendation` finding, naming the value the profile asks for and whose
 * profile it is. Profiles are named `source:profile`: `tuned:throughput-performance`,
 * `ssg:debian13:cis_level1_server`; any unique tail of that name will do.
 */
import { meetsRecommendation, recommendationText, SOURCE_NAMES } from '../recommendations.ts';
import type { Finding } from '../schemas/check.ts';
import type { TunablesExport } from '../schemas/export.ts';
import { dottedName, parseSources, type SysctlSource } from './parse.ts';
import type { ParsedParameters } from './parameters-parse.ts';

type ExportedTunable = TunablesExport['tunables'][number];
type Recommendation = NonNullable<ExportedTunable['recommendations']>[number];

/** `tuned:throughput-performance`, as `--profile` takes it. */
export const profileName = ({ source, profile }: Pick<Recommendation, 'source' | 'profile'>) => `${source}:${profile}`;

/** Every profile the tunables' recommendations come from, sorted. */
export function profileNames(tunables: readonly Pick<ExportedTunable, 'recommendations'>[]): string[] {
  return [...new Set(tunables.flatMap((tunable) => (tunable.recommendations ?? []).map(profileName)))].sort();
}

/** The profile a name means: itself, or the one profile whose name ends in `:name`; an Error lists the candidates otherwise. */
export function resolveProfile(name: string, names: readonly string[]): string {
  if (names.includes(name)) return name;
  const tails = names.filter((candidate) => candidate.endsWith(`:${name}`));
  if (tails.length === 1) return tails[0]!;
  if (tails.length > 1) throw new Error(`profile "${name}" could be ${tails.join(', ')}: give one of them`);
  throw new Error(`no profile named "${name}"; known profiles: ${names.join(', ')}`);
}

/** The concrete name a recommendation sets: the tunable's, with a pattern's placeholders filled by its instance. */
function targetName(tunable: Pick<ExportedTunable, 'name'>, recommendation: Pick<Recommendation, 'instance'>): string {
  if (recommendation.instance === undefined) return tunable.name;
  const parts = recommendation.instance.split('/');
  return tunable.name.replace(/<[a-z0-9-]+>/g, (placeholder) => parts.shift() ?? placeholder);
}

/** Findings for every sysctl line, and every boot or module parameter, that sets what `profile` recommends. */
export function recommendationFindings(
  sysctlSources: readonly SysctlSource[],
  parameters: readonly ParsedParameters[],
  tunables: readonly Pick<ExportedTunable, 'name' | 'kind' | 'url' | 'recommendations'>[],
  profile: string,
): Finding[] {
  const wanted = new Map<string, { tunable: (typeof tunables)[number]; recommendation: Recommendation }[]>();
  for (const tunable of tunables) {
    for (const recommendation of tunable.recommendations ?? []) {
      if (profileName(recommendation) !== profile) continue;
      const key = `${tunable.kind === 'sysctl' ? 'sysctl' : 'parameter'} ${targetName(tunable, recommendation)}`;
      wanted.set(key, [...(wanted.get(key) ?? []), { tunable, recommendation }]);
    }
  }
  const findings: Finding[] = [];
  const judge = (base: Pick<Finding, 'file' | 'line' | 'key'>, key: string, value: string) => {
    for (const { tunable, recommendation } of wanted.get(key) ?? []) {
      const meets = meetsRecommendation(value, recommendation);
      if (meets === undefined) continue;
      const asks = `${profile} (${SOURCE_NAMES[recommendation.source]}) recommends ${recommendationText(recommendation)}${recommendation.condition ? ` where ${recommendation.condition}` : ''}`;
      findings.push({ ...base, kind: meets ? 'meets-recommendation' : 'differs-from-recommendation', message: meets ? asks : `${asks}; this sets ${value === '' ? 'it (a flag)' : value}`, tunables: [{ name: tunable.name, url: tunable.url }] });
    }
  };
  for (const assignment of parseSources(sysctlSources).assignments) {
    if (assignment.glob || assignment.exclusion) continue;
    judge({ file: assignment.file, line: assignment.line, key: assignment.written }, `sysctl ${dottedName(assignment.segments)}`, assignment.value);
  }
  for (const setting of parameters.flatMap((parsed) => parsed.settings)) {
    judge({ file: setting.file, line: setting.line, key: setting.written }, `parameter ${setting.module ? `${setting.module}.${setting.name}` : setting.name}`, setting.value ?? '');
  }
  return findings;
}
