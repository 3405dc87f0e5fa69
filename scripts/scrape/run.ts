/**
 * The scrape stage: walks /proc/sys and /sys below a root (this machine's own, or a
 * directory laid out like /) and writes one snapshot JSON. Import run() to scrape from
 * code; `npm run scrape` is the CLI around it (cli.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SNAPSHOT_SCHEMA_VERSION, snapshot, type Snapshot } from '#core/schemas/snapshot.ts';
import { OptionsError, requirePositiveInt, StageError } from '../lib/stage.ts';
import { describeKernel } from '../lib/walk/machine.ts';
import { walk, type Skip, type WalkProgress } from '../lib/walk/walk.ts';

export type { WalkProgress } from '../lib/walk/walk.ts';

export interface ScrapeOptions {
  /** Walk this machine's own /proc/sys and /sys (source `live`). Exactly one of `live` and `root`. */
  live?: boolean;
  /** Walk a directory laid out like / (source `fixture`). */
  root?: string;
  /** The snapshot file (default: content/snapshots/<source>-<release>.json). */
  out?: string;
  /** Bytes kept of each value (default 16384). */
  maxBytes?: number;
  /** Abandon a read that blocks this long, in ms (default 2000). */
  timeoutMs?: number;
  /** Read each file this many times; values that change are runtime state (default 2). */
  reads?: number;
  /** Told once which kernel and machine the walk reads, before it starts. */
  onStart?: (start: ScrapeStart) => void;
  /** Told as files are found and read. */
  onProgress?: (progress: WalkProgress) => void;
}

export interface ScrapeStart {
  source: Snapshot['source'];
  release: string;
  machine: Snapshot['machine'];
}

export interface ScrapeReport {
  source: Snapshot['source'];
  /** The root walked: `/` for live. */
  root: string;
  kernel: Snapshot['kernel'];
  machine: Snapshot['machine'];
  /** The snapshot file written. */
  out: string;
  /** Files read (each one an entry in the snapshot), by kind. */
  read: { total: number; sysctl: number; sysfs: number };
  seconds: number;
  /** Hazards, other filesystems, unreadable directories, each with its reason. */
  skipped: Skip[];
  /** Counted, not listed: symlinks, read-only sysfs attributes, … by reason. */
  passedOver: Record<string, number>;
  /** Files whose read failed, by errno (or `timeout`). */
  unreadable: Record<string, number>;
}

export const SCRAPE_DEFAULTS = { maxBytes: 16384, timeoutMs: 2000, reads: 2 } as const;

export async function run(options: ScrapeOptions): Promise<ScrapeReport> {
  if (Boolean(options.live) === Boolean(options.root)) throw new OptionsError('give exactly one of --live or --root DIR');
  const maxBytes = requirePositiveInt('maxBytes', options.maxBytes ?? SCRAPE_DEFAULTS.maxBytes);
  const timeoutMs = requirePositiveInt('timeoutMs', options.timeoutMs ?? SCRAPE_DEFAULTS.timeoutMs);
  const reads = requirePositiveInt('reads', options.reads ?? SCRAPE_DEFAULTS.reads);
  const root = options.live ? '/' : options.root!;
  const source = options.live ? 'live' : 'fixture';

  const described = await describeKernel(root).catch((error: unknown) => {
    throw new StageError((error as Error).message, { cause: error });
  });
  options.onStart?.({ source, release: described.kernel.release, machine: described.machine });

  const result = await walk({ root, maxBytes, timeoutMs, reads, onProgress: options.onProgress });

  const output: Snapshot = snapshot.parse({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    source,
    ...described,
    entries: result.entries,
    skipped: result.skipped,
    links: result.links,
  });
  const out = options.out ?? join('content/snapshots', `${source}-${described.kernel.release}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(output, null, 1)}\n`);

  const byKind = (kind: string) => result.entries.filter((e) => e.kind === kind).length;
  return {
    source,
    root,
    kernel: described.kernel,
    machine: described.machine,
    out,
    read: { total: result.entries.length, sysctl: byKind('sysctl'), sysfs: byKind('sysfs') },
    seconds: result.seconds,
    skipped: result.skipped,
    passedOver: result.passedOver,
    unreadable: result.errors,
  };
}

/** The report as the CLI prints it, a line each. */
export function reportLines(report: ScrapeReport): string[] {
  return [
    `read ${report.read.total} files (${report.read.sysctl} sysctl, ${report.read.sysfs} sysfs) in ${report.seconds.toFixed(1)} s`,
    ...report.skipped.map((s) => `skipped ${s.path}: ${s.reason}`),
    ...Object.entries(report.passedOver).map(([reason, n]) => `passed over ${n}: ${reason}`),
    ...Object.entries(report.unreadable).sort().map(([errno, n]) => `unreadable ${n}: ${errno}`),
    `wrote ${report.out}`,
  ];
}
