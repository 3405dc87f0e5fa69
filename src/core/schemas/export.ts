/**
 * `dist/tunables.json`: the data for tools. Derived from the tunable front matter.
 */
import { z } from 'zod';
import { openBound, valueType } from './docs.ts';
import { acceptedFacts, defaultKind, machineRule, parameterFacts, scalingFactor, shapeValue, valueRange } from './tunable.ts';
import { namespaceKind, tunableKind } from './snapshot.ts';
import { recommendationComparison, recommendationSource } from './recommendations.ts';
import { PRIMARY_ARCH } from '../kernels.ts';

export const EXPORT_SCHEMA_VERSION = 1;

/** One kernel's facts of a tunable. */
export const exportedKernelFacts = z.object({
  default: z.string().nullable(),
  defaultKind,
  /** For a `source` default: the variable's definition it was read from, in this kernel's tree. */
  defaultSource: z.object({ file: z.string(), line: z.number().int().positive() }).optional(),
  /** Null where there is no file (a boot parameter, a module parameter set at load time only). */
  mode: z.string().nullable(),
  namespace: namespaceKind.nullable(),
  /** For path patterns: the instances whose scope is not `namespace`, with theirs (null: global). */
  instanceNamespaces: z.record(z.string(), namespaceKind.nullable()).optional(),
  module: z.string().nullable(),
  shapes: z.array(shapeValue).optional(),
  scalesWith: z.array(scalingFactor).optional(),
  /** For a machine-scaled default: what the kernel computes it from, where every shape measured agrees on one rule. */
  rule: machineRule.optional(),
  /** For a generic device-model attribute: the places (path patterns) it appears on this kernel. */
  appearances: z.array(z.string()).optional(),
  /** For boot and module parameters: how this kernel has it, when it can be set, its type and tags. */
  parameter: parameterFacts.optional(),
  /** For a boot or module parameter probed: the word booted with and each tunable it moved (`name`, value on plain boots and with it; null: absent). */
  bootProbe: z.object({ word: z.string(), moved: z.array(z.object({ name: z.string(), from: z.string().nullable(), to: z.string().nullable() })) }).optional(),
  /** The boot or module parameters seen to set this tunable at boot on this kernel, with the word booted with. */
  setAtBoot: z.array(z.object({ parameter: z.string(), word: z.string() })).optional(),
  /** For a sysctl, what this kernel's own source and Documentation state (the top-level fields are the newest kernel's). */
  type: valueType.nullable().optional(),
  /** The `ctl_table` handler, which decides how a write is parsed and in which unit (`proc_dointvec_ms_jiffies`: milliseconds). */
  handler: z.string().optional(),
  range: valueRange.nullable().optional(),
  /** For a side of `range` given as no constant: the sysctl whose value bounds it, the boot rule that sets it (`boot`), or just its C text (`written`). */
  openBounds: z.object({ min: openBound.optional(), max: openBound.optional() }).optional(),
  /** This kernel's `ctl_table` entry, in its own tree. */
  definedIn: z.object({ file: z.string(), line: z.number().int().positive() }).nullable().optional(),
  documentedDefault: z.string().nullable().optional(),
  /** For a writable numeric sysctl: the smallest and largest value this kernel accepted when written (measured). */
  accepted: acceptedFacts.optional(),
  /** Why the accepted values were not measured on this kernel. */
  acceptedNotMeasured: z.string().optional(),
});
export type ExportedKernelFacts = z.infer<typeof exportedKernelFacts>;

export const exportedRecommendation = z.object({
  source: recommendationSource,
  profile: z.string(),
  instance: z.string().optional(),
  comparison: recommendationComparison,
  value: z.string(),
  /** Where the source sets it: `[sysctl] vm.swappiness` of tuned.conf, or the XCCDF rule. */
  via: z.string(),
  condition: z.string().optional(),
  inheritedFrom: z.string().optional(),
});

export const exportedTunable = z.object({
  name: z.string(),
  kind: tunableKind,
  /** The file; a module parameter's under /sys/module; null for a boot parameter. */
  path: z.string().nullable(),
  url: z.string(),
  subsystem: z.string(),
  writable: z.boolean(),
  summary: z.string(),
  status: z.enum(['present', 'vanished']),
  /** Namespace type with its own copy on the newest kernel (null: global). */
  namespace: namespaceKind.nullable(),
  /** Module that provides it on the newest kernel (null: built in). */
  module: z.string().nullable(),
  /** From the `ctl_table` handler, else the documented type. */
  type: valueType.nullable(),
  range: valueRange.nullable(),
  /** The default kernel-parameters.txt states for a boot or module parameter, or a sysctl's documentation, as written. */
  documentedDefault: z.string().nullable(),
  /** The file whose text the page shows: in the kernel tree, or a man page (`man5/proc_sys_kernel.5`). */
  docSource: z.string().nullable(),
  /** Which tree `docSource` is in: the kernel's, or the Linux man-pages project's. */
  docOrigin: z.enum(['kernel', 'man-pages']).nullable(),
  /** The `ctl_table` entry, in the tree of the named kernel series (every architecture's kernel of a series reads one tree). */
  definedIn: z.object({ file: z.string(), line: z.number().int().positive(), kernel: z.string() }).nullable(),
  /** By kernel id (`kernels[].id`): `6.1` for amd64, `6.1-arm64`. */
  kernels: z.record(z.string(), exportedKernelFacts),
  /**
   * What others recommend setting it to (content/recommendations/): each source's profile,
   * for a pattern the instance it names, and the value or comparison. Rationale and
   * references are on the page and in the source's own file. Absent in an older export.
   */
  recommendations: z.array(exportedRecommendation).optional(),
});

/**
 * One measured kernel. An export written before a second architecture lists its kernels
 * without `id` and `arch`: they were all amd64's, keyed by series, and read as such, so
 * `compare-export` can still compare an old build with a new one.
 */
const exportedKernel = z.preprocess(
  (kernel) => (kernel !== null && typeof kernel === 'object' && !('id' in kernel) && 'series' in kernel && typeof kernel.series === 'string' ? { id: kernel.series, arch: PRIMARY_ARCH, ...kernel } : kernel),
  z.object({ id: z.string(), series: z.string(), arch: z.string(), release: z.string(), source: z.string() }),
);

export const tunablesExport = z.object({
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  /**
   * The kernels measured, by series then amd64 first. `id` keys each tunable's `kernels`: an
   * amd64 kernel's is its series (`6.1`, as before there was a second architecture), another
   * architecture's is `series-arch` (`6.1-arm64`). `arch` is Debian's name (`amd64`, `arm64`).
   */
  kernels: z.array(exportedKernel),
  tunables: z.array(exportedTunable),
});
export type TunablesExport = z.infer<typeof tunablesExport>;
