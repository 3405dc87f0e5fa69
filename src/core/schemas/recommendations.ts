/**
 * What others recommend setting, with provenance. `npm run recommendations` reads the
 * profiles of TuneD (tuned.conf) and of ComplianceAsCode's SCAP content (XCCDF), both
 * fetched from Debian's archive, and writes `content/recommendations/<source>.json`: one
 * file per source, each setting naming the profile that makes it, the tunable it sets and
 * the value or comparison it asks for.
 */
import { z } from 'zod';

export const RECOMMENDATIONS_SCHEMA_VERSION = 1;

export const recommendationSource = z.enum(['tuned', 'ssg']);
export type RecommendationSource = z.infer<typeof recommendationSource>;

/**
 * The tunable a setting sets: a sysctl by its dotted name (`vm.swappiness`), a sysfs
 * attribute by its path (`/sys/kernel/mm/transparent_hugepage/enabled`), a boot parameter
 * by its name (`audit`), a module parameter as `module.parameter` (`nf_conntrack.hashsize`).
 */
export const recommendationTarget = z.object({
  kind: z.enum(['sysctl', 'sysfs', 'boot', 'module']),
  name: z.string().min(1),
});
export type RecommendationTarget = z.infer<typeof recommendationTarget>;

/** `equals` the value; TuneD's `>2048` is `at-least` 2048 and `<N` `at-most` N. */
export const recommendationComparison = z.enum(['equals', 'at-least', 'at-most']);
export type RecommendationComparison = z.infer<typeof recommendationComparison>;

export const recommendationReference = z.object({
  /** Whose identifier: `CIS`, `STIG`, `ANSSI`, `NIST 800-53`, … as the source names it. */
  scheme: z.string().min(1),
  id: z.string().min(1),
});
export type RecommendationReference = z.infer<typeof recommendationReference>;

export const recommendedSetting = z.object({
  /** The profile's id in `profiles`. */
  profile: z.string().min(1),
  target: recommendationTarget,
  comparison: recommendationComparison,
  value: z.string(),
  /** Where in the source it is set: `[sysctl]` of tuned.conf, or the XCCDF rule id. */
  via: z.string().min(1),
  /** TuneD: the profile whose tuned.conf sets it, where another one is included. */
  inheritedFrom: z.string().optional(),
  /** TuneD: a conditional section's `uname_regex` / `cpuinfo_regex`, as written. */
  condition: z.string().optional(),
  /** The source's own words on why, as plain text. */
  rationale: z.string().optional(),
  references: z.array(recommendationReference).optional(),
});
export type RecommendedSetting = z.infer<typeof recommendedSetting>;

export const recommendationProfile = z.object({
  /** `throughput-performance`; for SCAP content product and profile, `rhel9:cis_server_l1`. */
  id: z.string().min(1),
  title: z.string().min(1),
  description: z.string().optional(),
  /** TuneD: the profiles it includes, nearest first. */
  includes: z.array(z.string()).optional(),
});
export type RecommendationProfile = z.infer<typeof recommendationProfile>;

export const recommendationsFile = z.object({
  schemaVersion: z.literal(RECOMMENDATIONS_SCHEMA_VERSION),
  source: recommendationSource,
  /** The Debian packages read, each at the version fetched. */
  packages: z.array(z.object({ name: z.string().min(1), version: z.string().min(1) })).min(1),
  suite: z.string().min(1),
  /** SPDX licence expression of the source's content, and where the project lives. */
  licence: z.string().min(1),
  homepage: z.string().url(),
  profiles: z.array(recommendationProfile),
  settings: z.array(recommendedSetting),
});
export type RecommendationsFile = z.infer<typeof recommendationsFile>;
