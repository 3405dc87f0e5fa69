/**
 * Accepted values, measured: for each writable numeric sysctl, the smallest and largest
 * value the running kernel accepts, found by writing and watching the write's result.
 * Pure logic against `SysctlIo`, so it runs the same on a fake tree in the tests and
 * through the in-VM agent (agent.ts) on a reference kernel.
 *
 * The search walks outward from the value the kernel booted with (which it accepts) over
 * the edges of the C types a handler can parse into (u8, u16, int, unsigned int, long,
 * unsigned long): the first edge refused bounds a binary search on the write's result.
 * A type's edge and the value past it are both tried, so an unbounded int costs a handful
 * of writes, and a bounded one at most 64 more. Every accepted write is undone at once
 * (the kernel runs briefly at an extreme, never stays there), and at the end the original
 * must read back, else the target says so. Numbers are BigInt: sysctls reach ULONG_MAX.
 * A vector (`net.ipv4.tcp_rmem`'s three numbers) is written with every element alike,
 * which measures the bound the handler applies to each element.
 */
import { collapsePath } from '#core/patterns.ts';
import { tunableName } from '#core/paths.ts';
import type { SnapshotEntry } from '#core/schemas/snapshot.ts';
export type ReadResult = { ok: true; value: string } | { ok: false; error: string };
export type WriteResult = { ok: true } | { ok: false; error: string };

/** Reads and writes of sysctl files: a read gives the first line. */
export interface SysctlIo {
  read(path: string): Promise<ReadResult>;
  write(path: string, text: string): Promise<WriteResult>;
}

const TWO = 2n;
/** Upper edges of the C types sysctl handlers parse into, ascending. */
const UPPER_EDGES = [TWO ** 8n - 1n, TWO ** 16n - 1n, TWO ** 31n - 1n, TWO ** 32n - 1n, TWO ** 63n - 1n, TWO ** 64n - 1n];
/** Lower edges, descending. */
const LOWER_EDGES = [0n, -1n, -(TWO ** 7n), -(TWO ** 15n), -(TWO ** 31n), -(TWO ** 63n)];
/** Beyond these no handler parses a number: writes there are refused without trying. */
const HIGHEST = TWO ** 64n - 1n;
const LOWEST = -(TWO ** 63n);

export interface AcceptedRange {
  /** The smallest and largest value accepted, as decimal text. */
  min: string;
  max: string;
  /** What reads back after writing `min` / `max`, when it is not the value written (clamped, rounded, a boolean kept as 1). */
  minReadsBack?: string;
  maxReadsBack?: string;
}

export interface ProbeResult extends AcceptedRange {
  path: string;
  /** The value before probing, as read. */
  original: string;
  /** Numbers in the value: more than 1 for a vector, written with every element alike. */
  elements: number;
  /** Writes made, restores included. */
  writes: number;
  /** The error of a refused write, the first one seen (`Invalid argument`). */
  refusal?: string;
  /** The original value did not read back after the probe: what did instead. */
  notRestored?: string;
}

const NUMBERS = /^-?\d+(?:\s+-?\d+)*$/;

/** The numbers of a value that is only integers (`4096\t131072\t6291456`), else undefined. */
export function numbersOf(value: string): bigint[] | undefined {
  const text = value.trim();
  if (!NUMBERS.test(text)) return undefined;
  return text.split(/\s+/).map((word) => BigInt(word));
}

/** The text written for `value` on a target of `elements` numbers: each element alike. */
const textOf = (value: bigint, elements: number) => Array.from({ length: elements }, () => String(value)).join(' ');

/** Tells whether writing `value` is accepted, and puts the original back when it was. */
type Accepts = (value: bigint) => Promise<boolean>;

/**
 * The largest value accepted, searching upward from `start` (accepted): over the type
 * edges first, then by halves between the last accepted and the first refused.
 */
async function edge(accepts: Accepts, start: bigint, direction: 1n | -1n): Promise<bigint> {
  const beyond = direction === 1n ? (v: bigint, w: bigint) => v > w : (v: bigint, w: bigint) => v < w;
  const edges = direction === 1n ? UPPER_EDGES : LOWER_EDGES;
  let accepted = start;
  let refused = direction === 1n ? HIGHEST + 1n : LOWEST - 1n;
  for (const limit of edges) {
    if (!beyond(limit, accepted)) continue;
    if (await accepts(limit)) {
      accepted = limit;
      const past = limit + direction;
      if (beyond(past, direction === 1n ? HIGHEST : LOWEST)) break;
      if (!(await accepts(past))) {
        refused = past;
        break;
      }
      accepted = past;
    } else {
      refused = limit;
      break;
    }
  }
  // Invariant: `accepted` was accepted, `refused` refused (or beyond every type).
  while ((refused - accepted) * direction > 1n) {
    const middle = accepted + (refused - accepted) / 2n;
    if (await accepts(middle)) accepted = middle;
    else refused = middle;
  }
  return accepted;
}

/** Probes one target. Throws only when the I/O does (the VM died): the caller records that. */
export async function probeTarget(io: SysctlIo, path: string): Promise<ProbeResult | { path: string; skipped: string }> {
  const before = await io.read(path);
  if (!before.ok) return { path, skipped: `cannot read it: ${before.error}` };
  const numbers = numbersOf(before.value);
  if (!numbers || numbers.length === 0) return { path, skipped: `not numeric: "${before.value}"` };
  const original = before.value;
  const elements = numbers.length;
  // Written alike, a vector's elements start from its first one; the original goes back as read.
  const start = numbers[0]!;
  const written = (value: bigint) => textOf(value, elements);
  let writes = 0;
  let refusal: string | undefined;
  const write = async (text: string) => {
    writes++;
    const result = await io.write(path, text);
    if (!result.ok) refusal ??= result.error;
    return result.ok;
  };
  const restore = () => write(original.trim().split(/\s+/).join(' '));
  const accepts: Accepts = async (value) => {
    if (!(await write(written(value)))) return false;
    await restore();
    return true;
  };
  /** What reads back after writing `value` (accepted), when that is not `value` itself. */
  const readBack = async (value: bigint): Promise<string | undefined> => {
    await write(written(value));
    const back = await io.read(path);
    await restore();
    const text = back.ok ? back.value.trim().split(/\s+/).join(' ') : `unreadable: ${back.error}`;
    return text === written(value) ? undefined : text;
  };
  // The start must be accepted for the search's invariant: write it once.
  if (!(await accepts(start))) return { path, skipped: `the kernel refuses "${written(start)}", its own first value written alike: ${refusal}` };
  const max = await edge(accepts, start, 1n);
  const min = await edge(accepts, start, -1n);
  const maxReadsBack = await readBack(max);
  const minReadsBack = min === max ? maxReadsBack : await readBack(min);
  const after = await io.read(path);
  return {
    path,
    original,
    elements,
    min: String(min),
    max: String(max),
    ...(minReadsBack === undefined ? {} : { minReadsBack }),
    ...(maxReadsBack === undefined ? {} : { maxReadsBack }),
    writes,
    ...(refusal === undefined ? {} : { refusal }),
    ...(after.ok && after.value === original ? {} : { notRestored: after.ok ? after.value : `unreadable: ${after.error}` }),
  };
}

export interface DenyRule {
  /** A sysctl name, `*` for any run of characters: `kernel.kexec_load_limit_*`. */
  name: string;
  reason: string;
}

const nameMatcher = (glob: string) => new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** The rule that keeps `name` from being probed, if any. */
export function denyRuleOf(name: string, deny: readonly DenyRule[]): DenyRule | undefined {
  return deny.find((rule) => nameMatcher(rule.name).test(name));
}

/** Why a file is not probed: denied by a rule, or runtime state. */
export interface Left {
  path: string;
  reason: string;
}

/** The pattern's instance to probe: `lo` before `default` before any other; never `all`, which writes through to every interface. */
const instanceRank = (instance: readonly string[]) =>
  instance.includes('all') ? Infinity : instance.every((part) => part === 'lo') ? 0 : instance.every((part) => part === 'default') ? 1 : 2;

/**
 * The files to probe from a walk of the same kernel: writable sysctls whose value is only
 * integers, one instance per pattern (`net.ipv4.conf.<interface>.rp_filter` once), minus
 * the denied names and the files whose value moved between two reads (runtime state: it
 * would never read back as restored). With `only` (names, `*` for any run of characters),
 * just those.
 */
export function planTargets(entries: readonly SnapshotEntry[], deny: readonly DenyRule[], only?: readonly string[]): { targets: string[]; left: Left[] } {
  const chosen = new Map<string, { path: string; rank: number }>();
  const left: Left[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'sysctl' || (parseInt(entry.mode, 8) & 0o200) === 0 || entry.value === undefined || entry.encoding) continue;
    if (numbersOf(entry.value) === undefined) continue;
    const { pattern, instance } = collapsePath('sysctl', entry.path, new Map());
    const rank = instanceRank(instance);
    if (rank === Infinity) continue;
    const current = chosen.get(pattern);
    if (!current || rank < current.rank) chosen.set(pattern, { path: entry.path, rank });
  }
  const targets: string[] = [];
  const changed = new Set(entries.filter((entry) => entry.changed).map((entry) => entry.path));
  const wanted = only?.map((name) => ({ name, reason: 'asked for' }));
  for (const [pattern, { path }] of [...chosen].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const name = tunableName('sysctl', pattern);
    if (wanted && !denyRuleOf(name, wanted)) continue;
    const rule = denyRuleOf(name, deny);
    if (rule) left.push({ path, reason: `denied: ${rule.reason}` });
    else if (changed.has(path)) left.push({ path, reason: 'runtime state: two reads of one walk differed' });
    else targets.push(path);
  }
  return { targets, left };
}

/** A VM the probe can use, and lose. */
export interface ProbeVm extends SysctlIo {
  close(): Promise<void>;
}

export interface ProbeRun {
  results: ProbeResult[];
  /** Targets the probe passed over, with why (unreadable, not numeric, refuses its own value). */
  skipped: Left[];
  /** Targets during which the VM died or stopped answering: the run went on in a fresh VM after each. */
  killed: Left[];
  /** Targets probed in the last VM whose value, read again at its end, is not what it was before their probe: a later probe's side effect, or runtime state. */
  changedAfter: { path: string; from: string; to: string }[];
  /** VMs booted. */
  boots: number;
}

/**
 * Probes every target in order. When the VM dies (`boot()`'s I/O throws), the target is
 * recorded as killed and the run goes on after it in a fresh VM; after `maxKills` deaths it
 * stops, the remaining targets recorded as killed too, so nothing measured is lost.
 */
export async function probeTargets(
  targets: readonly string[],
  boot: () => Promise<ProbeVm>,
  options: { maxKills?: number; onTarget?: (index: number, path: string) => void; onProbed?: (path: string, seconds: number) => void } = {},
): Promise<ProbeRun> {
  const run: ProbeRun = { results: [], skipped: [], killed: [], changedAfter: [], boots: 0 };
  // Values as read before their probe, in the current VM only: a fresh VM starts from its defaults again.
  let originals = new Map<string, string>();
  const maxKills = options.maxKills ?? 5;
  let vm: ProbeVm | undefined;
  for (let i = 0; i < targets.length; i++) {
    const path = targets[i]!;
    options.onTarget?.(i, path);
    try {
      if (!vm) {
        run.boots++;
        originals = new Map();
        vm = await boot();
      }
      const started = performance.now();
      const outcome = await probeTarget(vm, path);
      options.onProbed?.(path, (performance.now() - started) / 1000);
      if ('skipped' in outcome) run.skipped.push({ path, reason: outcome.skipped });
      else {
        run.results.push(outcome);
        originals.set(path, outcome.original);
      }
    } catch (error) {
      run.killed.push({ path, reason: (error as Error).message });
      await vm?.close().catch(() => undefined);
      vm = undefined;
      if (run.killed.length >= maxKills) {
        for (const rest of targets.slice(i + 1)) run.killed.push({ path: rest, reason: `not probed: the VM died ${maxKills} times` });
        return run;
      }
    }
  }
  try {
    for (const [path, from] of vm ? originals : []) {
      const now = await vm!.read(path);
      const to = now.ok ? now.value : `unreadable: ${now.error}`;
      if (to !== from) run.changedAfter.push({ path, from, to });
    }
  } finally {
    await vm?.close();
  }
  return run;
}
