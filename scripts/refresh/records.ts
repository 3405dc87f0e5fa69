/**
 * Turns the record stream the in-VM walker writes (scripts/refresh/vm/walk.sh describes the
 * format) into a snapshot. Pure: text in, snapshot out, so it is tested on made-up streams.
 */
import { dirname, posix } from 'node:path';
import { kindOfPath, seriesOf } from '#core/paths.ts';
import { namespaceKind, SNAPSHOT_SCHEMA_VERSION, snapshot, type NamespaceKind, type Snapshot, type SnapshotEntry } from '#core/schemas/snapshot.ts';
import { countCpuList, memTotalKiB } from '../lib/walk/machine.ts';
import { DEVICE_LINK, encodeValue } from '../lib/walk/walk.ts';
import { LOADED_TOGETHER } from './credit.ts';
import { errnoName } from './errno.ts';

/** What one read of one file gave: its bytes, or why it gave none. */
export type FileRead = { bytes: Buffer } | { error: string };

export interface WalkRecords {
  release: string;
  arch: string;
  /** `/sys/devices/system/cpu/online`, e.g. `0-3`. */
  cpuList: string;
  /** `/sys/devices/system/cpu/possible`, e.g. `0-63`: CPUs that may come online, the booted ones among them. */
  possibleCpuList: string;
  /** The `MemTotal:` line of /proc/meminfo. */
  memTotal: string;
  /** With `module`: the file appeared when the VM loaded that module (LOADED_TOGETHER: all of them, credit.ts). */
  files: { path: string; mode: string; module?: string }[];
  /** Per pass (1, 2, …), each file's read by index; a file a pass left out (it blocked before) is undefined. */
  passes: Map<number, (FileRead | undefined)[]>;
  links: Record<string, string>;
  skipped: { path: string; reason: string }[];
  /** Namespace findings: `visible` (in a new network namespace), `namespaced`, `global` or `untested: why`. */
  namespaces: { namespace: NamespaceKind; path: string; verdict: string }[];
  /** Modules that did not load, with insmod's message. */
  moduleFailures: { module: string; file: string; message: string }[];
  /** Seconds since the kernel started, at the walk's start, after each stage, and at its end. */
  stages: { name: string; uptime: number }[];
}

export class RecordError extends Error {}

/** `/sys/x: Permission denied` style lines of head's stderr, by path (paths are known, messages are not). */
export function batchErrors(stderr: string, paths: readonly string[]): Map<string, string> {
  const errors = new Map<string, string>();
  const byLength = [...paths].sort((a, b) => b.length - a.length);
  for (const line of stderr.split('\n')) {
    if (line === '') continue;
    const rest = line.replace(/^head: /, '');
    const path = byLength.find((p) => rest.startsWith(`${p}: `));
    if (!path) throw new RecordError(`unexpected message from head: ${line}`);
    errors.set(path, rest.slice(path.length + 2));
  }
  return errors;
}

/** head's stdout for a batch: each file's bytes followed by the marker. */
export function splitAtMarker(stdout: Buffer, marker: Buffer, count: number): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = stdout.indexOf(marker, start);
    if (end < 0) throw new RecordError(`batch output holds ${i} markers, expected ${count}`);
    parts.push(stdout.subarray(start, end));
    start = end + marker.length;
  }
  if (start !== stdout.length) throw new RecordError(`batch output has ${stdout.length - start} bytes after its last marker`);
  return parts;
}

const TIMEOUT_STATUS = 137; // killed by SIGKILL from busybox timeout

/** One R record's files, read by one head process. */
export function batchReads(paths: readonly string[], status: number, stdout: Buffer, stderr: string, marker: Buffer): FileRead[] {
  if (status === TIMEOUT_STATUS) {
    if (paths.length !== 1) throw new RecordError(`a batch of ${paths.length} files was killed; the walker reads such batches file by file`);
    return [{ error: 'timeout' }];
  }
  const errors = batchErrors(stderr, paths);
  const parts = splitAtMarker(stdout, marker, paths.length);
  return paths.map((path, i) => {
    const message = errors.get(path);
    if (message === undefined) return { bytes: parts[i]! };
    return { error: errnoName(message) ?? `unknown read error: ${message}` };
  });
}

/** Parses the stream; throws RecordError naming the line when it is not what the walker writes. */
export function parseRecords(text: string): WalkRecords {
  let begun = false;
  let ended = false;
  let marker: Buffer | undefined;
  const records: WalkRecords = { release: '', arch: '', cpuList: '', possibleCpuList: '', memTotal: '', files: [], passes: new Map(), links: {}, skipped: [], namespaces: [], moduleFailures: [], stages: [] };
  const lines = text.split('\n');
  lines.forEach((raw, n) => {
    // The serial port runs raw; a stray \r (a tty left cooked) must not end up in a value.
    const line = raw.replace(/\r$/, '');
    if (line === '') return;
    const [type, ...rest] = line.split('\t');
    const fail = (why: string) => new RecordError(`record line ${n + 1} (${type}): ${why}`);
    if (!begun && type !== 'BEGIN') throw fail('the stream does not start with BEGIN');
    if (ended) throw fail('record after END');
    switch (type) {
      case 'BEGIN': {
        if (begun) throw fail('second BEGIN: the VM started the walk twice');
        if (rest.length !== 6) throw fail(`expected 6 fields, got ${rest.length}`);
        [records.release, records.arch, records.cpuList, records.possibleCpuList, records.memTotal] = rest as [string, string, string, string, string];
        if (countCpuList(records.possibleCpuList) < countCpuList(records.cpuList)) throw fail(`fewer possible CPUs (${records.possibleCpuList}) than online (${records.cpuList})`);
        records.stages.push({ name: 'begin', uptime: Number(rest[5]) });
        begun = true;
        break;
      }
      case 'M':
        marker = Buffer.from(rest[0] ?? '', 'base64');
        if (marker.length === 0) throw fail('empty marker');
        break;
      case 'P': {
        const [mode, path, module] = rest as [string, string | undefined, string | undefined];
        if (rest.length < 2 || rest.length > 3 || !/^[0-7]{1,4}$/.test(mode)) throw fail('expected mode, path and maybe a module');
        records.files.push({ mode, path: path!, ...(module && { module }) });
        break;
      }
      case 'X': {
        if (rest.length !== 3) throw fail('expected module, file and message');
        const [module, file, message] = rest as [string, string, string];
        records.moduleFailures.push({ module, file, message });
        break;
      }
      case 'N': {
        const namespace = namespaceKind.safeParse(rest[0]);
        if (rest.length !== 3 || !namespace.success) throw fail('expected a namespace kind, path and verdict');
        records.namespaces.push({ namespace: namespace.data, path: rest[1]!, verdict: rest[2]! });
        break;
      }
      case 'R': {
        if (rest.length !== 6) throw fail(`expected 6 fields, got ${rest.length}`);
        if (!marker) throw fail('read before marker');
        const [pass, first, count, status] = rest.slice(0, 4).map(Number) as [number, number, number, number];
        const paths = records.files.slice(first - 1, first - 1 + count).map((f) => f.path);
        if (paths.length !== count || first < 1) throw fail(`files ${first}…${first + count - 1} were not listed`);
        const reads = records.passes.get(pass) ?? [];
        records.passes.set(pass, reads);
        try {
          batchReads(paths, status, Buffer.from(rest[4]!, 'base64'), Buffer.from(rest[5]!, 'base64').toString('utf8'), marker).forEach(
            (read, i) => (reads[first - 1 + i] = read),
          );
        } catch (error) {
          throw error instanceof RecordError ? fail(error.message) : error;
        }
        break;
      }
      case 'L': {
        const [path, described] = rest as [string, string | undefined];
        const prefix = `'${path}' -> '`;
        if (!described?.startsWith(prefix) || !described.endsWith("'")) throw fail(`not a symlink description: ${described}`);
        if (DEVICE_LINK.test(path)) records.links[path] = posix.resolve(dirname(path), described.slice(prefix.length, -1));
        break;
      }
      case 'S':
        if (rest.length !== 2) throw fail('expected path and reason');
        records.skipped.push({ path: rest[0]!, reason: rest[1]! });
        break;
      case 'T':
        records.stages.push({ name: rest[0] ?? '', uptime: Number(rest[1]) });
        break;
      case 'END':
        if (Number(rest[0]) !== records.files.length) throw fail(`END counts ${rest[0]} files, ${records.files.length} were listed`);
        records.stages.push({ name: 'end', uptime: Number(rest[1]) });
        ended = true;
        break;
      default:
        throw fail('unknown record type');
    }
  });
  if (!begun) throw new RecordError('no records: the walker never started');
  if (!ended) throw new RecordError(`the stream ends before END (last stage: ${records.stages.at(-1)?.name})`);
  return records;
}

function sameRead(a: FileRead, b: FileRead): boolean {
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b && a.error === b.error;
  return a.bytes.equals(b.bytes);
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export interface SnapshotOptions {
  maxBytes: number;
  /** Boot number of this kernel and machine shape. */
  run: number;
  /** The CPU qemu emulated (`-cpu`). */
  cpuModel?: string;
}

/** The snapshot the records describe, in the live scraper's shape; validated by the schema. */
export function recordsToSnapshot(records: WalkRecords, options: SnapshotOptions): Snapshot {
  const scoped = new Map(records.namespaces.filter((n) => n.verdict === 'visible' || n.verdict === 'namespaced').map((n) => [n.path, n.namespace]));
  const first = records.passes.get(1) ?? [];
  const later = [...records.passes.entries()].filter(([pass]) => pass > 1).map(([, reads]) => reads);
  const skipped = [...records.skipped];
  const entries: SnapshotEntry[] = [];
  records.files.forEach((file, i) => {
    const read = first[i];
    if (!read) throw new RecordError(`${file.path} was listed but never read`);
    const entry: SnapshotEntry = { path: file.path, kind: kindOfPath(file.path), mode: `0${(parseInt(file.mode, 8) & 0o777).toString(8).padStart(3, '0')}` };
    if ('error' in read) {
      // A message busybox printed that is no strerror text cannot be an errno name: say so instead.
      if (!/^(E[A-Z0-9]+|timeout)$/.test(read.error)) return skipped.push({ path: file.path, reason: read.error });
      entry.error = read.error;
    } else {
      Object.assign(entry, encodeValue(read.bytes, options.maxBytes));
    }
    if (later.some((reads) => reads[i] && !sameRead(read, reads[i]))) entry.changed = true;
    const namespace = scoped.get(file.path);
    if (namespace) entry.namespace = namespace;
    if (file.module === LOADED_TOGETHER) throw new RecordError(`${file.path} came with the modules loaded together: credit it from the kernel's full walk first (credit.ts)`);
    if (file.module) entry.module = file.module;
    entries.push(entry);
  });
  return snapshot.parse({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    source: 'qemu',
    run: options.run,
    kernel: { release: records.release, series: seriesOf(records.release) },
    machine: { arch: records.arch, ...(options.cpuModel ? { cpuModel: options.cpuModel } : {}), cpus: countCpuList(records.cpuList), possibleCpus: countCpuList(records.possibleCpuList), memoryKiB: memTotalKiB(records.memTotal) },
    entries: entries.sort(byPath),
    skipped: skipped.sort(byPath),
    links: records.links,
  });
}
