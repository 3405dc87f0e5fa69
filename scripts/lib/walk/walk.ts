/**
 * Walks /proc/sys (every file) and /sys (every owner-writable attribute, and every module
 * parameter's file: a read-only one shows a setting made at load or boot) below a root
 * directory, reading each file through a BoundedReader. Never writes, never follows
 * symlinks, never enters the known hazards, never crosses into another filesystem
 * below /sys.
 */
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { SnapshotEntry, MeasuredKind } from '#core/schemas/snapshot.ts';
import { readAll, type ReadResult } from './bounded-reader.ts';
import { MODULE_PARAMETER_FILE } from '#core/paths.ts';
import { SYSFS_HAZARDS, sysfsFileHazard } from './hazards.ts';

export interface WalkOptions {
  /** `/` for the live machine, or a directory laid out like it. */
  root: string;
  maxBytes: number;
  timeoutMs: number;
  /** Read every file this many times (2 tells runtime state from settings). */
  reads: number;
  /** The trees to walk (default: both). */
  kinds?: readonly MeasuredKind[];
  onProgress?: (progress: WalkProgress) => void;
}

export interface WalkProgress {
  found: number;
  read: number;
  path: string;
}

export interface Skip {
  path: string;
  reason: string;
}

export interface WalkResult {
  entries: SnapshotEntry[];
  /** Hazards, other filesystems and unreadable directories: each one listed. */
  skipped: Skip[];
  /** Skipped by design, counted but not listed: symlinks, read-only sysfs attributes, … */
  passedOver: Record<string, number>;
  /** Device links by their path, e.g. `/sys/class/net/eth0` → `/sys/devices/…/net/eth0`. */
  links: Record<string, string>;
  errors: Record<string, number>;
  seconds: number;
}

const TREES: { kind: MeasuredKind; dir: string }[] = [
  { kind: 'sysctl', dir: 'proc/sys' },
  { kind: 'sysfs', dir: 'sys' },
];

interface FoundFile {
  kind: MeasuredKind;
  path: string;
  mode: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Turns raw bytes into the snapshot's value fields. */
export function encodeValue(bytes: Buffer, maxBytes: number): Pick<SnapshotEntry, 'value' | 'encoding' | 'truncated'> {
  const truncated = bytes.length > maxBytes;
  const kept = truncated ? bytes.subarray(0, maxBytes) : bytes;
  try {
    return { value: UTF8.decode(kept), ...(truncated && { truncated: true as const }) };
  } catch {
    return { value: kept.toString('base64'), encoding: 'base64', ...(truncated && { truncated: true as const }) };
  }
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

function count(tally: Record<string, number>, key: string): void {
  tally[key] = (tally[key] ?? 0) + 1;
}

/** The links that name devices: /sys/block/X, /sys/class/C/X, /sys/bus/B/devices/X. */
export const DEVICE_LINK = /^\/sys\/(block|class\/[^/]+|bus\/[^/]+\/devices)\/[^/]+$/;

interface Found {
  files: FoundFile[];
  skipped: Skip[];
  passedOver: Record<string, number>;
  links: Record<string, string>;
}

async function findFiles(root: string, kinds: readonly MeasuredKind[]): Promise<Found> {
  const skipped: Skip[] = [];
  const passedOver: Record<string, number> = {};
  const links: Record<string, string> = {};
  const found: FoundFile[] = [];
  for (const { kind, dir } of TREES.filter((tree) => kinds.includes(tree.kind))) {
    const top = join(root, dir);
    let topDevice: number;
    try {
      topDevice = (await lstat(top)).dev;
    } catch (error) {
      skipped.push({ path: `/${dir}`, reason: `cannot open: ${(error as NodeJS.ErrnoException).code}` });
      continue;
    }
    const stack = [''];
    while (stack.length > 0) {
      const rel = stack.pop()!;
      const absolute = rel ? join(top, rel) : top;
      const shown = `/${dir}${rel ? `/${rel}` : ''}`;
      let names: string[];
      try {
        names = (await readdir(absolute)).sort();
      } catch (error) {
        skipped.push({ path: shown, reason: `cannot list: ${(error as NodeJS.ErrnoException).code}` });
        continue;
      }
      for (const name of names.reverse()) {
        const childRel = rel ? `${rel}/${name}` : name;
        const childPath = join(absolute, name);
        let stats;
        try {
          stats = await lstat(childPath);
        } catch (error) {
          skipped.push({ path: `${shown}/${name}`, reason: `cannot stat: ${(error as NodeJS.ErrnoException).code}` });
          continue;
        }
        const childShown = `${shown}/${name}`;
        if (stats.isSymbolicLink()) {
          count(passedOver, 'symlink (not followed)');
          if (DEVICE_LINK.test(childShown)) links[childShown] = posix.resolve(shown, await readlink(childPath));
        } else if (stats.isDirectory()) {
          const hazard = kind === 'sysfs' ? SYSFS_HAZARDS.get(childRel) : undefined;
          if (hazard) {
            skipped.push({ path: childShown, reason: hazard });
          } else if (kind === 'sysfs' && stats.dev !== topDevice) {
            // /proc/sys/fs/binfmt_misc is its own filesystem too but holds sysctls: only /sys is checked.
            skipped.push({ path: childShown, reason: 'another filesystem mounted below /sys' });
          } else {
            stack.push(childRel);
          }
        } else if (stats.isFile() || stats.isFIFO()) {
          const hazard = kind === 'sysfs' ? sysfsFileHazard(name) : undefined;
          if (hazard) {
            skipped.push({ path: childShown, reason: hazard });
          } else if (kind === 'sysfs' && (stats.mode & 0o200) === 0 && !MODULE_PARAMETER_FILE.test(childShown)) {
            count(passedOver, 'read-only sysfs attribute (not a tunable)');
          } else {
            found.push({ kind, path: `/${dir}/${childRel}`, mode: stats.mode });
          }
        } else {
          count(passedOver, 'device or socket');
        }
      }
    }
  }
  return { files: found, skipped, passedOver, links };
}

const isTimeout = (result: ReadResult) => 'error' in result && result.error === 'timeout';

function sameRead(a: ReadResult, b: ReadResult): boolean {
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b && a.error === b.error;
  return a.bytes.equals(b.bytes);
}

export async function walk(options: WalkOptions): Promise<WalkResult> {
  const started = performance.now();
  const errors: Record<string, number> = {};
  const { files, skipped, passedOver, links } = await findFiles(options.root, options.kinds ?? TREES.map(({ kind }) => kind));
  const paths = files.map((file) => join(options.root, file.path));
  const bounds = { maxBytes: options.maxBytes, timeoutMs: options.timeoutMs };
  const report = (done: number, pass: number) =>
    options.onProgress?.({ found: files.length * options.reads, read: files.length * pass + done, path: files[done - 1]?.path ?? '' });
  const first = await readAll(paths, bounds, (done) => report(done, 0));
  const changed = new Set<number>();
  for (let pass = 1; pass < options.reads; pass++) {
    // A read that blocked once is not tried again: it would only block again.
    const retried = paths.flatMap((_, i) => (isTimeout(first[i]!) ? [] : [i]));
    const again = await readAll(retried.map((i) => paths[i]!), bounds, (done) => report(done, pass));
    again.forEach((result, k) => !sameRead(first[retried[k]!]!, result) && changed.add(retried[k]!));
  }
  const entries = files.map((file, i): SnapshotEntry => {
    const result = first[i]!;
    const entry: SnapshotEntry = { path: file.path, kind: file.kind, mode: octal(file.mode) };
    if ('error' in result) {
      entry.error = result.error;
      count(errors, result.error);
    } else {
      Object.assign(entry, encodeValue(result.bytes, options.maxBytes));
    }
    if (changed.has(i)) entry.changed = true;
    return entry;
  });
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { entries, skipped, passedOver, links, errors, seconds: (performance.now() - started) / 1000 };
}
