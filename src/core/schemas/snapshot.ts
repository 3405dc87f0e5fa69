/**
 * A snapshot is one walk of /proc/sys and /sys on one kernel: what the scraper measured,
 * before any interpretation. The generator turns snapshots into tunable pages.
 */
import { z } from 'zod';

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** What a walk reads: the files under /proc/sys and under /sys. */
export const measuredKind = z.enum(['sysctl', 'sysfs']);
export type MeasuredKind = z.infer<typeof measuredKind>;

/**
 * Every kind of page: the two a walk reads, kernel command-line parameters (`boot`) and
 * module parameters (`module`: `nvme_core.io_timeout`, whose sysfs file is one of its faces).
 */
export const tunableKind = z.enum([...measuredKind.options, 'boot', 'module']);
export type TunableKind = z.infer<typeof tunableKind>;

/** Namespace types whose sysctls can be per namespace. */
export const namespaceKind = z.enum(['net', 'ipc', 'uts', 'user', 'mnt', 'pid', 'time', 'cgroup']);
export type NamespaceKind = z.infer<typeof namespaceKind>;

/** Where a snapshot's measurements came from. */
export const snapshotSource = z.enum(['live', 'fixture', 'qemu']);

/** Why a read produced no value: an errno name, or `timeout` when the read blocked. */
export const readError = z.string().regex(/^(E[A-Z0-9]+|timeout)$/);

export const snapshotEntry = z.object({
  /** Absolute path as seen on the measured kernel, e.g. `/proc/sys/vm/swappiness`. */
  path: z.string().startsWith('/'),
  kind: measuredKind,
  /** Permission bits in octal, e.g. `0644`. */
  mode: z.string().regex(/^0[0-7]{3}$/),
  /** The text read (UTF-8), or base64 of the raw bytes when they were not valid UTF-8. */
  value: z.string().optional(),
  encoding: z.literal('base64').optional(),
  /** The file held more than the size cap; `value` holds the first bytes only. */
  truncated: z.literal(true).optional(),
  /** Two reads in the same walk returned different text: runtime state, not a default. */
  changed: z.literal(true).optional(),
  error: readError.optional(),
  /** Measured per-namespace: a child namespace of this type has its own copy. */
  namespace: namespaceKind.optional(),
  /** Present only once this module was loaded (reference kernels load a curated list). */
  module: z.string().optional(),
});
export type SnapshotEntry = z.infer<typeof snapshotEntry>;

export const skippedEntry = z.object({ path: z.string(), reason: z.string() });

export const snapshot = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  /** This machine's own kernel, a test fixture tree, or a reference kernel booted under qemu. */
  source: snapshotSource,
  /** Boots of the same kernel and machine shape are numbered: values that differ between them are runtime state. */
  run: z.number().int().positive().optional(),
  kernel: z.object({
    /** `uname -r`, e.g. `6.1.0-27-amd64`. */
    release: z.string().min(1),
    /** Major.minor, e.g. `6.1`: the key pages and the export use. */
    series: z.string().regex(/^\d+\.\d+$/),
  }),
  machine: z.object({
    /** `uname -m`: `x86_64`, `aarch64` (`debianArch` in kernels.ts names it as Debian does). */
    arch: z.string(),
    /**
     * The CPU qemu emulated (`-cpu`), for a reference boot: some values follow it
     * (arm64's `abi.sve_default_vector_length` needs SVE). Absent on a live host or a fixture.
     */
    cpuModel: z.string().optional(),
    /** Online CPUs. */
    cpus: z.number().int().positive(),
    /**
     * Possible CPUs (/sys/devices/system/cpu/possible), which some defaults follow
     * (kernel.pid_max). Absent in snapshots from before it was recorded: as many as `cpus`.
     */
    possibleCpus: z.number().int().positive().optional(),
    memoryKiB: z.number().int().nonnegative(),
  }),
  entries: z.array(snapshotEntry),
  skipped: z.array(skippedEntry),
  /**
   * Where the named device links of /sys point (`/sys/class/net/eth0` →
   * `/sys/devices/…/net/eth0`), so attributes found under /sys/devices can be named by the
   * path operators use.
   */
  links: z.record(z.string(), z.string()),
});
export type Snapshot = z.infer<typeof snapshot>;
