/**
 * Accepted values, measured. `content/accepted-probes.json` names the sysctls never to
 * probe and why; `npm run refresh -- --accepted` boots each reference kernel with the
 * probe's agent, finds the smallest and largest value each writable numeric sysctl
 * accepts (scripts/refresh/accepted.ts) and writes `content/accepted/<kernel id>.json`; the
 * generator puts each range on its tunable as `kernels[id].accepted`.
 */
import { z } from 'zod';

export const ACCEPTED_SCHEMA_VERSION = 1;

export const acceptedProbeList = z.object({
  schemaVersion: z.literal(ACCEPTED_SCHEMA_VERSION),
  /** Sysctl names (`*` for any run of characters) whose writes act, cannot be undone, or starve the VM. */
  deny: z.array(z.object({ name: z.string().min(1), reason: z.string().min(1) })).min(1),
});
export type AcceptedProbeList = z.infer<typeof acceptedProbeList>;

const integerText = z.string().regex(/^-?\d+$/);
const left = z.object({ path: z.string().startsWith('/proc/sys/'), reason: z.string() });

export const acceptedResult = z.object({
  path: z.string().startsWith('/proc/sys/'),
  /** The value before probing, as read. */
  original: z.string(),
  /** Numbers in the value; a vector's elements were written alike. */
  elements: z.number().int().positive(),
  min: integerText,
  max: integerText,
  /** What read back after writing min / max, where it was not the value written (clamped, rounded, kept as 1). */
  minReadsBack: z.string().optional(),
  maxReadsBack: z.string().optional(),
  writes: z.number().int().positive(),
  /** The error of the first refused write. */
  refusal: z.string().optional(),
  /** After the probe, this read back instead of the original. */
  notRestored: z.string().optional(),
});
export type AcceptedResult = z.infer<typeof acceptedResult>;

export const acceptedResults = z.object({
  schemaVersion: z.literal(ACCEPTED_SCHEMA_VERSION),
  series: z.string().regex(/^\d+\.\d+$/),
  /** Debian's architecture (`arm64`); absent for amd64, whose files came first. The file is `<kernel id>.json` (kernelIdOfFile). */
  arch: z.string().optional(),
  release: z.string(),
  shape: z.object({ cpus: z.number().int().positive(), memoryMiB: z.number().int().positive() }),
  /** The walk whose writable numeric sysctls were the targets (a snapshot file of content/snapshots). */
  targetsFrom: z.string(),
  boots: z.number().int().nonnegative(),
  seconds: z.number().nonnegative(),
  results: z.array(acceptedResult),
  /** Denied by the list, or runtime state. */
  left: z.array(left),
  /** Unreadable, not numeric after all, or refusing its own value. */
  skipped: z.array(left),
  /** The VM died or stopped answering while probing these. */
  killed: z.array(left),
  /** Read again after every probe, these were not what they were before: a probe's side effect, or runtime state. */
  changedAfter: z.array(z.object({ path: z.string(), from: z.string(), to: z.string() })),
});
export type AcceptedResults = z.infer<typeof acceptedResults>;
