/**
 * What boot parameters move. `content/boot-probes.json` is the curated list of parameters
 * to try, each with a value that is valid and differs from the default;
 * `npm run refresh -- --probes` boots each reference kernel with batches of them and
 * diffs the walks against two plain boots, writing `content/boot-probes/<kernel id>.json`;
 * the generator links each boot or module parameter page to the tunables it moved.
 */
import { z } from 'zod';

export const BOOT_PROBES_SCHEMA_VERSION = 1;

/** A command-line word: `panic=7`, `nowatchdog`, `nf_conntrack.hashsize=32768`. */
export const bootProbe = z.object({
  /** As on the command line, before any `=`. */
  parameter: z.string().regex(/^[A-Za-z0-9_.-]+$/),
  /** The value given, or null for a bare flag. */
  value: z.string().regex(/^\S+$/).nullable(),
  /** Why this value: the default it differs from and why it is safe to boot with. */
  why: z.string().min(1),
});
export type BootProbe = z.infer<typeof bootProbe>;

export const bootProbeList = z.object({
  schemaVersion: z.literal(BOOT_PROBES_SCHEMA_VERSION),
  /**
   * Parameters left out on purpose, and why (they need several CPUs, could panic the
   * walk, or would change everything at once): the reader of the list sees the choice.
   */
  leftOut: z.array(z.object({ parameter: z.string(), why: z.string() })),
  probes: z.array(bootProbe).min(1),
});
export type BootProbeList = z.infer<typeof bootProbeList>;

/** One tunable file a probe moved: its value on the plain boots and on the probe's boots (null: absent). */
export const movedFile = z.object({
  path: z.string().startsWith('/'),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type MovedFile = z.infer<typeof movedFile>;

export const probeOutcome = z.object({
  /** The word booted with: `panic=7`. */
  word: z.string(),
  parameter: z.string(),
  /** The 1-based batch boots that carried it: exactly the boots in which its files moved. */
  boots: z.array(z.number().int().positive()),
  moved: z.array(movedFile),
});
export type ProbeOutcome = z.infer<typeof probeOutcome>;

export const bootProbeResults = z.object({
  schemaVersion: z.literal(BOOT_PROBES_SCHEMA_VERSION),
  series: z.string().regex(/^\d+\.\d+$/),
  /** Debian's architecture (`arm64`); absent for amd64, whose files came first. The file is `<kernel id>.json` (kernelIdOfFile). */
  arch: z.string().optional(),
  release: z.string(),
  /** The machine shape of every boot compared. */
  shape: z.object({ cpus: z.number().int().positive(), memoryMiB: z.number().int().positive() }),
  /** The plain boots (snapshot files of content/snapshots) the batches are compared with. */
  baselines: z.array(z.string()).min(2),
  /** Each batch boot's extra command-line words, in boot order. */
  batches: z.array(z.array(z.string())),
  probes: z.array(probeOutcome),
  /**
   * Files that moved in a set of boots no single probe had: two probes moving the same
   * file, or runtime state the plain boots did not show. Kept to be read, never credited.
   */
  unattributed: z.array(z.object({ path: z.string(), boots: z.array(z.number().int().positive()) })),
  /** Files left out because they differ between the plain boots or between two reads of one walk. */
  volatile: z.number().int().nonnegative(),
});
export type BootProbeResults = z.infer<typeof bootProbeResults>;
