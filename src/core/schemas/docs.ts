/**
 * What one kernel's own Documentation and C source say about tunables:
 * `content/docs/<series>.json`, written by `npm run docs` from Debian's linux-source
 * package of that kernel, read by the generator. Text is already MDX-safe markdown.
 */
import { z } from 'zod';

export const DOCS_SCHEMA_VERSION = 1;

/** A file and line in the kernel tree, e.g. `Documentation/admin-guide/sysctl/vm.rst`:120. */
export const treeLocation = z.object({
  file: z.string(),
  line: z.number().int().positive(),
});

/**
 * Where a candidate description of a tunable comes from, exactly. The generator's
 * `DESCRIPTION_PRECEDENCE` (scripts/generate/upstream.ts) ranks them; nothing else does:
 * - `documentation`: a sysctl section of a kernel's Documentation (a heading or a
 *   `name - TYPE` definition), or the same text shared with another name of one tunable;
 * - `abi`: an entry of `Documentation/ABI/*`, for sysfs attributes (the `abi` list);
 * - `kernel-parameters`: an entry of `Documentation/admin-guide/kernel-parameters.txt`
 *   whose parameter the C source shows setting the sysctl's variable;
 * - `man-page`: the Linux man-pages (`content/docs/man-pages.json`);
 * - `variable-comment`: the comment on the variable a `ctl_table` entry stores into;
 * - `ctl-table-comment`: the comment on the `ctl_table` entry itself;
 * - `struct-field`: the comment on the struct field the entry's `.data` points into;
 * - `kconfig-help`: the help of a Kconfig option that names the sysctl.
 */
export const descriptionOrigin = z.enum(['documentation', 'abi', 'kernel-parameters', 'man-page', 'variable-comment', 'ctl-table-comment', 'struct-field', 'kconfig-help']);
export type DescriptionOrigin = z.infer<typeof descriptionOrigin>;

/**
 * The origins of `sysctls` entries: ABI entries and man pages have lists (and files) of
 * their own, so their origin is where they are.
 */
export const sysctlDocOrigin = descriptionOrigin.exclude(['abi', 'man-page']);
export type SysctlDocOrigin = z.infer<typeof sysctlDocOrigin>;

/**
 * One candidate description of sysctls: a Documentation section or boot parameter entry,
 * or the kernel's words elsewhere (a comment in the C source, a Kconfig help). Every
 * candidate is recorded, also for sysctls another one describes: the generator picks.
 */
export const sysctlDoc = treeLocation.extend({
  /**
   * Full dotted names the section documents, e.g. `vm.swappiness`,
   * `net.ipv4.tcp_fin_timeout`, `net.ipv4.conf.<interface>.rp_filter` (the placeholder
   * where the docs describe a per-interface or other per-instance directory).
   */
  names: z.array(z.string()).min(1),
  /** The type the docs state, as written (`INTEGER`, `BOOLEAN`, `STRING`, …), if any. */
  type: z.string().optional(),
  /** The default the docs state, as written (`60`, `128`, `1 (enabled)`), if any. */
  default: z.string().optional(),
  /** The section body as MDX-safe markdown. */
  markdown: z.string(),
  /** Where the text comes from (see `descriptionOrigin`). Files written before the field existed hold only documentation. */
  origin: sysctlDocOrigin.default('documentation'),
});
export type SysctlDoc = z.infer<typeof sysctlDoc>;

/**
 * What the `.proc_handler` of a `ctl_table` entry makes of the value. The time types name
 * the unit the reader writes in, each kept in jiffies: `jiffies` seconds (`proc_dointvec_jiffies`),
 * `centiseconds` USER_HZ ticks, 1/100 s (`proc_dointvec_userhz_jiffies`), `milliseconds`.
 */
export const valueType = z.enum(['integer', 'unsigned integer', 'long', 'boolean', 'string', 'jiffies', 'centiseconds', 'milliseconds', 'integer vector', 'bitmap', 'other']);
export type ValueType = z.infer<typeof valueType>;

/**
 * A bound boot code sets (scripts/docs/c-boot.ts): from `initial`, either raised to
 * `perPossibleCpu` × the possible CPUs (`max(initial, perPossibleCpu * possibleCpus)`), or
 * set to `parameter.value` when the kernel boots with that parameter. `file:line` is the
 * assignment.
 */
export const bootBound = treeLocation.extend({
  initial: z.string(),
  perPossibleCpu: z.string().optional(),
  parameter: z.object({ name: z.string(), value: z.string() }).optional(),
});
export type BootBound = z.infer<typeof bootBound>;

/** A bound the source gives as no constant (its `min` or `max` is null), and what it is instead where the source says. */
export const openBound = z.object({
  /** As the `ctl_table` writes it, casts dropped: `&pid_max_min`, `&init_net.sctp.rto_max`. */
  written: z.string(),
  /** The sysctl whose current value it is (`net.sctp.rto_max` for `&init_net.sctp.rto_max`). */
  sysctl: z.string().optional(),
  boot: bootBound.optional(),
});
export type OpenBound = z.infer<typeof openBound>;

/**
 * How a registration call places its table among network namespaces, read from the call:
 * - `per-net`: `register_net_sysctl(net, …)` with a namespace other than `&init_net`
 *   registers a copy in every network namespace: a child namespace has its own;
 * - `init-net`: `register_net_sysctl(&init_net, …)`: the initial namespace only, a child
 *   namespace does not show it;
 * - `global`: `register_sysctl*` and the others: one table every network namespace shows
 *   and shares (an ipc or user namespace's set is no network namespace's either).
 */
export const registrationKind = z.enum(['per-net', 'init-net', 'global']);
export type RegistrationKind = z.infer<typeof registrationKind>;

/** One `struct ctl_table` entry. */
export const ctlTableEntry = treeLocation.extend({
  /**
   * Full dotted name where the registration path could be resolved (`vm.swappiness`,
   * `net.ipv4.conf.<interface>.rp_filter` for `%s` paths), else null: the generator then
   * matches on `procname` alone when that is unambiguous.
   */
  name: z.string().nullable(),
  procname: z.string(),
  /** Octal as in the source, e.g. `0644`; null when not a literal. */
  mode: z.string().nullable(),
  handler: z.string(),
  type: valueType,
  /** Resolved `.extra1` / `.extra2` as decimal text, null when absent or unresolvable. */
  min: z.string().nullable(),
  max: z.string().nullable(),
  /** For a null `min` / `max` that the entry does give: what it is instead, where the source says. */
  openBounds: z.object({ min: openBound.optional(), max: openBound.optional() }).optional(),
  /**
   * The variable it stores into (`nf_conntrack_max`, `init_user_ns.ucount_max[UCOUNT_INOTIFY_INSTANCES]`,
   * prefixed with its file when `static`), where it can be read: two names that store into
   * one variable are one tunable.
   */
  data: z.string().optional(),
  /**
   * How the registrations that give it `name` place it (`registrationKind`), sorted: more
   * than one where the name is registered several ways. Absent where `name` is null, and
   * in docs written before it was read.
   */
  registered: z.array(registrationKind).min(1).optional(),
  /**
   * Instances of the name's `<interface>` the source registers otherwise than `registered`,
   * each with its kinds: `{ "default": ["init-net"] }` for the neighbour tables' own
   * parameters, registered for the initial namespace only.
   */
  instancesRegistered: z.record(z.string(), z.array(registrationKind).min(1)).optional(),
});
export type CtlTableEntry = z.infer<typeof ctlTableEntry>;

export const abiStatus = z.enum(['stable', 'testing', 'obsolete', 'removed']);

/** One entry of `Documentation/ABI/<status>/*`. */
export const abiEntry = treeLocation.extend({
  /** Every `What:` path, as written (may hold `<placeholders>`, `*`, `X`, `{a,b}`). */
  what: z.array(z.string()).min(1),
  status: abiStatus,
  date: z.string().optional(),
  kernelVersion: z.string().optional(),
  contact: z.string().optional(),
  /** The Description as MDX-safe markdown. */
  markdown: z.string(),
});
export type AbiEntry = z.infer<typeof abiEntry>;

/**
 * An entry of `Documentation/admin-guide/kernel-parameters.txt`: the boot parameters it
 * documents and what it says of them (scripts/docs/kernel-parameters.ts reads it).
 */
export const bootParameterEntry = treeLocation.extend({
  /** The names, as documented without `=`: `isolcpus`; `sunrpc.min_resvport`, `sunrpc.max_resvport`. */
  names: z.array(z.string()).min(1),
  /** For each name, whether it is written `name=` (takes a value) rather than as a bare flag. */
  takesValue: z.array(z.boolean()).min(1),
  /** The tags in its brackets, as written: `KNL`, `X86-64`, `EARLY`, `BUGS=X86-32`. */
  tags: z.array(z.string()),
  /** Its `Format:` text, on one line. */
  format: z.string().optional(),
  /** What its `default:` line says, as written. */
  documentedDefault: z.string().optional(),
  /** The entry as written, as an MDX-safe literal block. */
  markdown: z.string(),
});
export type BootParameterEntry = z.infer<typeof bootParameterEntry>;

/**
 * A module parameter's default read from the C source (scripts/docs/module-param-defaults.ts):
 * the initialiser of the variable its `module_param*` declaration exposes — or none, as
 * file-scope storage starts at zero — where C fixes it exactly. `file`/`line` is the
 * variable's definition.
 */
export const moduleParamDefault = treeLocation.extend({
  /**
   * The modules its file is built into, as their Makefiles name the objects
   * (`nvme-core.o` → `nvme_core`): the name modinfo and content/modules give a module,
   * built-in ones included (whose parameters may show under another prefix).
   */
  modules: z.array(z.string()).min(1),
  /** The parameter's name: `io_timeout`. */
  name: z.string(),
  /** As modinfo's `parmtype` shows it: `int`, `bool`, `charp`, `string`, `array of int`. */
  type: z.string(),
  /** What its file under /sys/module would read before anything sets it: `30`, `Y`, `(null)`, `1,2`. */
  value: z.string(),
});
export type ModuleParamDefault = z.infer<typeof moduleParamDefault>;

export const kernelDocs = z.object({
  schemaVersion: z.literal(DOCS_SCHEMA_VERSION),
  /** `6.1` */
  series: z.string(),
  /** The Debian source version the text comes from, e.g. `6.1.192-2`. */
  sourceVersion: z.string(),
  /** The upstream version the tree is based on, e.g. `6.1.192`: links to a source browser use it. */
  upstreamVersion: z.string(),
  sysctls: z.array(sysctlDoc),
  ctlTables: z.array(ctlTableEntry),
  abi: z.array(abiEntry),
  /** Docs written before these were read have none. */
  bootParameters: z.array(bootParameterEntry).default([]),
  /** What each tag of the boot parameters means, from the legend (`KNL` → `Is a kernel start-up parameter.`). */
  bootTags: z.record(z.string(), z.string()).default({}),
  /** Docs written before these were read have none. */
  moduleParamDefaults: z.array(moduleParamDefault).default([]),
});
export type KernelDocs = z.infer<typeof kernelDocs>;

/**
 * A sysctl as the Linux man-pages project describes it (`proc_sys_kernel(5)`, `arp(7)`):
 * the fallback where no kernel documents it. `file` is the page in the man tree,
 * e.g. `man5/proc_sys_kernel.5`.
 */
export const manPageDoc = treeLocation.extend({
  names: z.array(z.string()).min(1),
  /** The page's SPDX licence: man pages are licensed page by page. */
  license: z.string(),
  markdown: z.string(),
});
export type ManPageDoc = z.infer<typeof manPageDoc>;

/** The file in the docs folder beside the kernels' `<series>.json`. */
export const MAN_PAGES_FILE = 'man-pages.json';

/** `content/docs/man-pages.json`, written by `npm run docs` from Debian's `manpages` package. */
export const manPagesDocs = z.object({
  schemaVersion: z.literal(DOCS_SCHEMA_VERSION),
  /** The Debian version of the package, e.g. `6.20-2`. */
  sourceVersion: z.string(),
  /** The man-pages release it packages, e.g. `6.20`. */
  upstreamVersion: z.string(),
  sysctls: z.array(manPageDoc),
});
export type ManPagesDocs = z.infer<typeof manPagesDocs>;
