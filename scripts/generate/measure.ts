/**
 * From snapshots to the machine-owned facts of each tunable page (its front matter).
 */
import type { Snapshot, SnapshotEntry } from '../../src/schemas/snapshot.ts';
import type { DefaultKind, KernelFacts, TunableFrontmatter } from '../../src/schemas/tunable.ts';
import { compareSeries, newestFacts } from '../../src/lib/kernels.ts';
import { pageId, placeholdersOf, subsystemOf, tunableName } from '../../src/lib/paths.ts';
import { collapsePath, deviceAliases } from './patterns.ts';

/** Longest value kept in a page; longer ones end in `…` and are marked truncated. */
export const MAX_SHOWN_VALUE = 512;

/** Printable ASCII kept, every other byte as `\xNN`: binary attributes stay readable. */
function escapeBinary(bytes: Buffer): string {
  return [...bytes].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

/** The value as pages show it: the text read, whitespace collapsed. */
export function shownValue(entry: SnapshotEntry): { value: string | null; binary: boolean; truncated: boolean } {
  if (entry.value === undefined) return { value: null, binary: false, truncated: false };
  const binary = entry.encoding === 'base64';
  const text = (binary ? escapeBinary(Buffer.from(entry.value, 'base64')) : entry.value).replace(/\s+/g, ' ').trim();
  const truncated = Boolean(entry.truncated) || text.length > MAX_SHOWN_VALUE;
  return { value: text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}…` : text, binary, truncated };
}

function mostCommon<T>(values: T[]): T {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

interface Instance {
  name: string;
  entry: SnapshotEntry;
}

/**
 * One kernel's facts for a tunable. For a pattern, the default is the `default`
 * instance's value where the kernel has one (net.ipv4.conf.default.*: what a new
 * interface gets), else the value most instances show.
 */
function kernelFacts(snapshot: Snapshot, instances: Instance[], isPattern: boolean): KernelFacts {
  const readable = instances.filter((i) => !i.entry.error);
  const shown = readable.map((i) => shownValue(i.entry));
  const preferred = readable.findIndex((i) => i.name === 'default');
  const defaultKind: DefaultKind = readable.length === 0 ? 'unreadable' : readable.some((i) => i.entry.changed) ? 'volatile' : 'constant';
  const facts: KernelFacts = {
    release: snapshot.kernel.release,
    source: snapshot.source,
    mode: mostCommon(instances.map((i) => i.entry.mode)),
    writable: instances.some((i) => (Number.parseInt(i.entry.mode, 8) & 0o200) !== 0),
    default: defaultKind !== 'constant' ? null : preferred >= 0 ? shown[preferred]!.value : mostCommon(shown.map((s) => s.value)),
    defaultKind,
  };
  if (defaultKind === 'unreadable') facts.error = instances[0]!.entry.error!;
  if (shown.some((s) => s.binary)) facts.binary = true;
  if (shown.some((s) => s.truncated)) facts.truncated = true;
  if (isPattern) {
    facts.instances = instances.map(({ name, entry }) => ({
      instance: name,
      value: shownValue(entry).value,
      ...(entry.error && { error: entry.error }),
    }));
  }
  return facts;
}

function summaryOf(facts: Omit<TunableFrontmatter, 'summary'>): string {
  const { facts: newest } = newestFacts(facts.kernels);
  const what = `${facts.writable ? 'Writable' : 'Read-only'} ${facts.kind} in ${facts.subsystem}`;
  const seen =
    newest.defaultKind === 'unreadable'
      ? `unreadable (${newest.error}) on ${newest.release}`
      : newest.defaultKind === 'volatile'
        ? `runtime state that changes between reads on ${newest.release}`
        : `reads ${newest.default === '' ? 'empty' : `"${clip(newest.default ?? '', 60)}"`} on ${newest.release}`;
  return `${what}; ${seen}.`;
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** Every tunable measured in the snapshots, by page id. */
export function measureTunables(snapshots: Snapshot[]): Map<string, TunableFrontmatter> {
  const grouped = new Map<string, { kind: SnapshotEntry['kind']; pattern: string; perSeries: Map<string, { snapshot: Snapshot; instances: Instance[] }> }>();
  for (const snapshot of snapshots) {
    const aliases = deviceAliases(snapshot.links);
    for (const entry of snapshot.entries) {
      const { pattern, instance } = collapsePath(entry.kind, entry.path, aliases);
      const id = pageId(entry.kind, pattern);
      const group = grouped.get(id) ?? { kind: entry.kind, pattern, perSeries: new Map() };
      grouped.set(id, group);
      const series = group.perSeries.get(snapshot.kernel.series) ?? { snapshot, instances: [] };
      group.perSeries.set(snapshot.kernel.series, series);
      series.instances.push({ name: instance.join(' / '), entry });
    }
  }
  const tunables = new Map<string, TunableFrontmatter>();
  for (const [id, { kind, pattern, perSeries }] of [...grouped].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const placeholders = placeholdersOf(pattern);
    const kernels: Record<string, KernelFacts> = {};
    for (const series of [...perSeries.keys()].sort(compareSeries)) {
      const { snapshot, instances } = perSeries.get(series)!;
      instances.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      kernels[series] = kernelFacts(snapshot, instances, placeholders.length > 0);
    }
    const facts = {
      title: tunableName(kind, pattern),
      kind,
      path: pattern,
      subsystem: subsystemOf(kind, pattern),
      placeholders,
      writable: Object.values(kernels).some((k) => k.writable),
      status: 'present' as const,
      kernels,
    };
    const { title, path, subsystem, writable, status } = facts;
    // Key order is the order the page's front matter shows.
    tunables.set(id, { title, kind, path, subsystem, placeholders, summary: summaryOf(facts), writable, status, kernels });
  }
  return tunables;
}

/** One snapshot per kernel series: reference kernels with several machine shapes come later. */
export function checkOneSnapshotPerSeries(snapshots: { file: string; snapshot: Snapshot }[]): void {
  const seen = new Map<string, string>();
  for (const { file, snapshot } of snapshots) {
    const other = seen.get(snapshot.kernel.series);
    if (other) throw new Error(`${other} and ${file} both measure kernel series ${snapshot.kernel.series}; keep one of them`);
    seen.set(snapshot.kernel.series, file);
  }
}
