/**
 * `content/kernels.json`: each measured kernel as a whole, written by `npm run generate`
 * from the snapshots: its release, how it was measured (qemu's emulated CPU) and the machine
 * shapes booted. Per-tunable facts carry none of this: it is the same for every page of a
 * kernel, and the kernel's own page says it.
 */
import { z } from 'zod';
import { snapshotSource } from './snapshot.ts';

export const KERNELS_SCHEMA_VERSION = 1;

/** One machine shape a kernel was booted in, and how many boots it had. */
export const bootedShape = z.object({
  /** Online CPUs. */
  cpus: z.number().int().positive(),
  /** Possible CPUs, only where more than online (the `1/64x4096` shape). */
  possibleCpus: z.number().int().positive().optional(),
  /** MemTotal of its first boot, as the kernel reports it. */
  memoryKiB: z.number().int().nonnegative(),
  boots: z.number().int().positive(),
});
export type BootedShape = z.infer<typeof bootedShape>;

export const measuredKernel = z.object({
  release: z.string().min(1),
  source: snapshotSource,
  /** The CPU qemu emulated (`-cpu`), as the snapshots record it; absent on a live host or a fixture. */
  cpuModel: z.string().optional(),
  /** Fewest CPUs first, then least memory. */
  shapes: z.array(bootedShape).min(1),
});
export type MeasuredKernel = z.infer<typeof measuredKernel>;

export const kernelsFile = z
  .object({
    schemaVersion: z.literal(KERNELS_SCHEMA_VERSION),
    /** By kernel id (`6.1`, `6.1-arm64`: kernelId in kernels.ts). */
    kernels: z.record(z.string().regex(/^\d+\.\d+(-[a-z0-9_]+)?$/), measuredKernel),
  })
  .strict();
export type KernelsFile = z.infer<typeof kernelsFile>;
