/**
 * What the operator tools report: the "Check my system" page and `kernel-tunables lint`
 * share one checker (src/core/sysctl-check/), and `lint --json` prints these findings.
 */
import { z } from 'zod';
import { exportedKernelFacts, exportedRecommendation, exportedTunable, tunablesExport } from './export.ts';

/** Kinds of finding. Errors (ERROR_KINDS in src/core/sysctl-check/lint.ts) make `lint` exit 1; the rest inform. */
export const findingKind = z.enum([
  'syntax',
  'unknown-key',
  'not-on-kernel',
  'out-of-range',
  'not-writable',
  'same-as-default',
  'differs-from-default',
  'namespaced',
  'overridden',
  // Boot and module parameters (src/core/sysctl-check/parameters.ts):
  'built-in',
  'blacklisted',
  'runtime-settable',
  'for-init',
  // Against a profile of what others recommend (src/core/sysctl-check/recommendations.ts):
  'meets-recommendation',
  'differs-from-recommendation',
]);
export type FindingKind = z.infer<typeof findingKind>;

export const finding = z.object({
  /** The file (or pasted text) the line is in. */
  file: z.string(),
  /** 1-based. */
  line: z.number().int().positive(),
  /** The key as written (a glob stays a glob); empty for a line that is not an assignment. */
  key: z.string(),
  kind: findingKind,
  message: z.string(),
  /** Site paths of the tunables the finding is about (a glob can name several). */
  tunables: z.array(z.object({ name: z.string(), url: z.string() })).default([]),
});
export type Finding = z.infer<typeof finding>;

export const lintReport = z.object({ findings: z.array(finding) });

/** The part of the export the checker reads: the "Check my system" page loads it as a script. */
export const checkData = tunablesExport.pick({ kernels: true }).extend({
  tunables: z.array(
    exportedTunable.pick({ name: true, kind: true, path: true, url: true, type: true, range: true }).extend({
      // Only what the checkers read of each kernel: parsing drops the rest (probes, sources), which the pages show.
      kernels: z.record(
        z.string(),
        exportedKernelFacts.pick({ default: true, defaultKind: true, mode: true, namespace: true, module: true, shapes: true, scalesWith: true, rule: true, parameter: true, setAtBoot: true, type: true, range: true, openBounds: true, accepted: true }),
      ),
    }),
  ),
});
export type CheckData = z.infer<typeof checkData>;

/** The global the page's data script assigns (a classic script loads from file://, a fetch does not). */
export const CHECK_DATA_GLOBAL = 'lktCheckData';

/** The same for the boot and module parameters, loaded only when a modprobe.d file or a command line is checked. */
export const CHECK_PARAMETERS_GLOBAL = 'lktCheckParameters';

/** What the page checks against a profile: the tunables some profile sets, with their recommendations. */
export const checkRecommendations = z.object({
  tunables: z.array(exportedTunable.pick({ name: true, kind: true, url: true }).extend({ recommendations: z.array(exportedRecommendation) })),
});
export type CheckRecommendations = z.infer<typeof checkRecommendations>;

/** The same for the recommendations, loaded only when a profile is chosen. */
export const CHECK_RECOMMENDATIONS_GLOBAL = 'lktCheckRecommendations';
