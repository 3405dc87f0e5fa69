/**
 * The data model of one tunable page: the front matter the generator writes and the
 * Astro content collection validates. The export (`dist/tunables.json`) is derived from it.
 */
import { z } from 'zod';
import { abiStatus, openBound, registrationKind, treeLocation, valueType } from './docs.ts';
import { paramAccess } from './modules.ts';
import { namespaceKind, snapshotSource, tunableKind } from './snapshot.ts';

/**
 * What a value means as a default:
 * - constant: read the same on every read of this kernel;
 * - machine: scales with CPUs or memory (needs several machine shapes to tell);
 * - volatile: changed between reads: runtime state, never shown as a default;
 * - unreadable: the read failed (write-only, EIO, timeout, …);
 * - varies: a generic device-model attribute whose copies read differently (see `appearances`);
 * - unmeasured: no boot read it: a boot parameter, or a module parameter without a file
 *   (set at load time only) or whose module the reference boots did not load;
 * - source: no boot read it, and the value is read from the C source instead: a module
 *   parameter's variable's initialiser, where C fixes it exactly (`defaultSource` says where).
 *   Never measured: a reader must be able to tell the two apart.
 */
export const defaultKind = z.enum(['constant', 'machine', 'volatile', 'unreadable', 'varies', 'unmeasured', 'source']);
export type DefaultKind = z.infer<typeof defaultKind>;

export const instanceValue = z.object({
  instance: z.string(),
  value: z.string().nullable(),
  error: z.string().optional(),
});

/** A value that scales with the machine, as read on one machine shape. */
export const shapeValue = z.object({
  /** Online CPUs. */
  cpus: z.number().int().positive(),
  /** Possible CPUs, only where more than online (a shape booted with `-smp 1,maxcpus=64`). */
  possibleCpus: z.number().int().positive().optional(),
  /** MemTotal, as the kernel reports it. */
  memoryKiB: z.number().int().nonnegative(),
  value: z.string(),
});
export type ShapeValue = z.infer<typeof shapeValue>;

/** What a machine rule multiplies: possible CPUs, online CPUs, or MiB of memory (MemTotal). */
export const ruleInput = z.enum(['possible-cpu', 'online-cpu', 'memory-mib']);
export type RuleInput = z.infer<typeof ruleInput>;

/**
 * A machine-scaled default as the kernel computes it: `factor` × `per`, raised to `min`
 * and cut to `max` where a measured shape showed that bound (kernel.pid_max: 1024 per
 * possible CPU, at least 32768). Stated only where it reproduces every shape measured
 * and no other rule does (src/core/machine-rules.ts).
 */
export const machineRule = z.object({
  per: ruleInput,
  factor: z.number().int().positive(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
});
export type MachineRule = z.infer<typeof machineRule>;

/** What a `machine` default was seen to follow: the number of CPUs, the memory, or both. */
export const scalingFactor = z.enum(['cpus', 'memory']);
export type ScalingFactor = z.infer<typeof scalingFactor>;

/**
 * When a boot or module parameter can be set on one kernel: at runtime (a writable file
 * under /sys/module), only at load or boot time with its file read-only or absent (see
 * `paramAccess`), or on the kernel command line only (a boot parameter).
 */
export const settableAt = z.enum([...paramAccess.options, 'boot']);
export type SettableAt = z.infer<typeof settableAt>;

/** How one kernel takes a boot or module parameter. */
export const parameterFacts = z.object({
  /**
   * `module`: a loadable module of this kernel has it; `built-in`: the kernel image has it;
   * `documented`: only kernel-parameters.txt names it (its code may be for another architecture).
   */
  presence: z.enum(['module', 'built-in', 'documented']),
  /** Null where this kernel's files do not say (a built-in parameter no boot showed). */
  settable: settableAt.nullable(),
  /** modinfo's `parmtype` (`int`, `bool`, `charp`, `array of uint`…); null for boot parameters. */
  type: z.string().nullable(),
  /** modinfo's `parm` text. */
  description: z.string().nullable(),
  /** kernel-parameters.txt's tags on this kernel (`KNL`, `X86`, `EARLY`); empty when it does not list it. */
  tags: z.array(z.string()),
});
export type ParameterFacts = z.infer<typeof parameterFacts>;

/** A place in one kernel's tree, with the upstream version its source browser link pins. */
export const kernelLocation = treeLocation.extend({
  /** The kernel series, e.g. `7.2`. */
  kernel: z.string(),
  /** The upstream version of that kernel's tree, e.g. `7.2.13`. */
  version: z.string(),
});
export type KernelLocation = z.infer<typeof kernelLocation>;

/** A tunable a boot or module parameter moved: its value on plain boots and with the parameter (null: absent). */
export const bootMove = z.object({
  /** Its page; null for a file no page measures (it appeared only with the parameter). */
  id: z.string().nullable(),
  /** Its name, or the file's path where it has no page. */
  title: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type BootMove = z.infer<typeof bootMove>;

/** What booting with a parameter moved on one kernel (`npm run refresh -- --probes`). */
export const bootProbeFacts = z.object({
  /** The command-line word booted with: `panic=7`. */
  word: z.string(),
  moved: z.array(bootMove),
});
export type BootProbeFacts = z.infer<typeof bootProbeFacts>;

/** A bound pair from a `ctl_table`'s `.extra1` / `.extra2`, as decimal text; a null side is unbounded or unknown. */
export const valueRange = z.object({ min: z.string().nullable(), max: z.string().nullable() });
export type ValueRange = z.infer<typeof valueRange>;

/** A bound one kernel's source gives as no constant (the docs' `openBound`), with the page of the sysctl it names. */
export const statedOpenBound = openBound.extend({
  /** The page id of `sysctl`, where there is a page of it: the page links it. */
  sysctlPage: z.string().optional(),
});
export type StatedOpenBound = z.infer<typeof statedOpenBound>;

/**
 * What one kernel's own C source and Documentation state about a sysctl (its
 * content/docs/<series>.json): kernels differ, and lint and the page use each kernel's own.
 */
export const kernelUpstream = z.object({
  /** From this kernel's `ctl_table` handler, else from the type its docs state. */
  type: valueType.nullable(),
  /** This kernel's `ctl_table` handler (`proc_dointvec_userhz_jiffies`): how it parses a write, in which unit. Absent without an entry. */
  handler: z.string().optional(),
  /** This kernel's `.extra1` / `.extra2`; null when neither bound is known. */
  range: valueRange.nullable(),
  /** For a side of `range` the entry bounds with no constant: what bounds it instead (another sysctl, a boot rule, or C text). */
  openBounds: z.object({ min: statedOpenBound.optional(), max: statedOpenBound.optional() }).optional(),
  /** This kernel's `ctl_table` entry. */
  definedIn: kernelLocation.nullable(),
  /** The default this kernel's Documentation states, as written. */
  documentedDefault: z.string().nullable(),
  /**
   * How this kernel's source registers the entry under this very name (the docs'
   * `registered`: `per-net`, `init-net`, `global`), to hold against the measured `namespace`.
   * Absent where the entry was found by its procname alone.
   */
  registered: z.array(registrationKind).min(1).optional(),
  /** The docs' `instancesRegistered`: instances the source registers otherwise (`default`: `init-net`). */
  instancesRegistered: z.record(z.string(), z.array(registrationKind).min(1)).optional(),
});
export type KernelUpstream = z.infer<typeof kernelUpstream>;

/**
 * The values this kernel accepted when written (`npm run refresh -- --accepted`): the
 * smallest and largest, as decimal text. A vector's elements were written alike.
 */
export const acceptedFacts = z.object({
  min: z.string(),
  max: z.string(),
  /** What read back after writing `min` / `max`, where not the value written: clamped, rounded, or kept as 1. */
  minReadsBack: z.string().optional(),
  maxReadsBack: z.string().optional(),
  /** Numbers in the value, when more than one. */
  elements: z.number().int().min(2).optional(),
});
export type AcceptedFacts = z.infer<typeof acceptedFacts>;

export const kernelFacts = z.object({
  release: z.string(),
  /** Where this kernel was measured (a module parameter's facts may come from its files alone: see `defaultKind`). */
  source: snapshotSource,
  /** Permission bits of its file; null where there is no file (a boot parameter, a module parameter set at load time only). */
  mode: z.string().nullable(),
  writable: z.boolean(),
  /** The text read, whitespace collapsed; null when there is no meaningful default. */
  default: z.string().nullable(),
  defaultKind,
  /** For a `source` default: the definition of the variable it was read from, in this kernel's tree. */
  defaultSource: kernelLocation.optional(),
  /** The errno or `timeout` when unreadable. */
  error: z.string().optional(),
  /** Raw bytes were not UTF-8: `default` shows them with U+FFFD replacements. */
  binary: z.boolean().optional(),
  truncated: z.boolean().optional(),
  /** For path patterns: each instance measured, e.g. `eth0`, `all`, `default`. */
  instances: z.array(instanceValue).optional(),
  /** For `machine` defaults: the value on each machine shape booted. */
  shapes: z.array(shapeValue).optional(),
  /**
   * For `machine` defaults: what the value follows, from pairs of shapes that differ in
   * one of CPUs or memory only; empty when the shapes booted cannot tell.
   */
  scalesWith: z.array(scalingFactor).optional(),
  /** For `machine` defaults: the rule every shape measured agrees on, where there is exactly one. */
  rule: machineRule.optional(),
  /**
   * For a generic device-model attribute (src/core/generic-attributes.ts): each place it
   * appears on this kernel, as a path pattern, with the default read there.
   */
  appearances: z.array(z.object({ path: z.string().startsWith('/'), value: z.string() })).optional(),
  /** The namespace type that has its own copy on this kernel, or null when global (a pattern's: that of any instance). */
  namespace: namespaceKind.nullable(),
  /** For path patterns: the instances whose scope is not `namespace` (`default` of `neigh.<interface>`: global), with theirs. */
  instanceNamespaces: z.record(z.string(), namespaceKind.nullable()).optional(),
  /** The module that provides it on this kernel, or null when built in. */
  module: z.string().nullable(),
  /** For boot and module parameters. */
  parameter: parameterFacts.optional(),
  /** For a boot or module parameter probed: what booting with it moved. */
  bootProbe: bootProbeFacts.optional(),
  /** The boot or module parameters seen to move this tunable on this kernel (their pages), with the word booted with. */
  setAtBoot: z.array(z.object({ id: z.string(), title: z.string(), word: z.string() })).optional(),
  /** For a sysctl: what this kernel's source and Documentation state (absent where its docs were not read). */
  upstream: kernelUpstream.optional(),
  /** For a writable numeric sysctl: the values this kernel accepted, measured by writing them. */
  accepted: acceptedFacts.optional(),
  /** For a writable numeric sysctl the accepted-values probe passed over: why (denied, runtime state, the VM died). */
  acceptedNotMeasured: z.string().optional(),
});
export type KernelFacts = z.infer<typeof kernelFacts>;

export const tunableStatus = z.enum(['present', 'vanished']);

/** Where a tunable's description comes from: a kernel's Documentation (or ABI), or a man page. */
export const docLocation = z.discriminatedUnion('origin', [
  kernelLocation.extend({ origin: z.literal('kernel') }),
  treeLocation.extend({
    /** The Linux man-pages project: the fallback where no kernel documents the tunable. */
    origin: z.literal('man-pages'),
    /** The man-pages release, e.g. `6.20`. */
    version: z.string(),
    /** The page's SPDX licence, shown where its text is quoted. */
    license: z.string(),
  }),
]);
export type DocLocation = z.infer<typeof docLocation>;

/**
 * What the kernel's own Documentation and C source say, from the newest reference kernel
 * that says it (`npm run docs`). Null where nothing was found. Each kernel's own statements
 * are in its facts (`kernels[series].upstream`).
 */
export const upstreamFacts = z.object({
  /** From the `ctl_table` handler, else from the type the docs state. */
  type: valueType.nullable(),
  /** From `.extra1` / `.extra2`; null when neither bound is known. */
  range: valueRange.nullable(),
  /** The `ctl_table` entry. */
  definedIn: kernelLocation.nullable(),
  /** The Documentation section, ABI entry or man page whose text the page shows. */
  docSource: docLocation.nullable(),
  /** The default the documentation states, as written. */
  documentedDefault: z.string().nullable(),
  /** For sysfs: the ABI entry's metadata. */
  abi: z.object({ status: abiStatus, date: z.string().nullable(), kernelVersion: z.string().nullable() }).nullable(),
});
export type UpstreamFacts = z.infer<typeof upstreamFacts>;

export const tunableFrontmatter = z.object({
  /** `vm.swappiness`, `net.ipv4.conf.<interface>.rp_filter`, the sysfs path pattern, `isolcpus`, `nvme_core.io_timeout`. */
  title: z.string().min(1),
  kind: tunableKind,
  /** The file path pattern, e.g. `/proc/sys/vm/swappiness`; a module parameter's file under /sys/module; null for a boot parameter. */
  path: z.string().startsWith('/').nullable(),
  /**
   * First path component below /proc/sys or /sys: `vm`, `net`, `kernel`, `block`, …; a
   * module parameter's module; a boot parameter's first letter.
   */
  subsystem: z.string().min(1),
  /** Names of the `<placeholders>` in the path, in order. */
  placeholders: z.array(z.string()),
  summary: z.string().min(1),
  writable: z.boolean(),
  /** `vanished`: no snapshot has it any more; kept so no writer's words are lost. */
  status: tunableStatus,
  /** Namespace scope on the newest kernel that has it (null: global). */
  namespace: namespaceKind.nullable(),
  /** Providing module on the newest kernel that has it (null: built in). */
  module: z.string().nullable(),
  /** Facts per kernel series (`6.1`, `6.18`, …). */
  kernels: z.record(z.string(), kernelFacts),
  upstream: upstreamFacts,
});
export type TunableFrontmatter = z.infer<typeof tunableFrontmatter>;

/** What the snapshots alone give, before the kernel's documentation and source are joined. */
export const measuredTunable = tunableFrontmatter.omit({ upstream: true });
export type MeasuredTunable = z.infer<typeof measuredTunable>;

/**
 * What a page's own front matter holds: only what a writer owns or needs to know which
 * tunable the page is. The facts are in the kind/subsystem facts file (`factsFile`).
 */
export const pageFrontmatter = z.strictObject({
  /** The tunable's name, as the facts file names it: identifies the page to a reader of the file. */
  title: z.string().min(1),
  /** A writer's one-line summary; when set, it replaces the one the generator takes from the docs. */
  summary: z.string().min(1).optional(),
});
export type PageFrontmatter = z.infer<typeof pageFrontmatter>;

export const FACTS_SCHEMA_VERSION = 1;

/**
 * `content/facts/<kind>/<subsystem>.json`: the machine-owned facts of every page of one
 * kind and subsystem, by page id, written by `npm run generate`. Kept out of the pages so
 * a page holds only a writer's words, and one file per subsystem keeps diffs readable.
 */
export const factsFile = z.object({
  schemaVersion: z.literal(FACTS_SCHEMA_VERSION),
  kind: tunableKind,
  subsystem: z.string().min(1),
  tunables: z.record(z.string(), tunableFrontmatter),
});
export type FactsFile = z.infer<typeof factsFile>;
