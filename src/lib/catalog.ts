/**
 * The whole set of tunable pages, grouped the ways the index pages need. Built once per
 * site build (see site-data.ts) so each page costs the same however many pages there are.
 */
import { tunableKind, type TunableKind } from '../schemas/snapshot.ts';
import type { TunableFrontmatter } from '../schemas/tunable.ts';
import { compareText, kernelReleases, type KernelRelease } from './kernels.ts';

export interface TunableEntry {
  id: string;
  data: TunableFrontmatter;
}

export interface SubsystemGroup<T extends TunableEntry> {
  kind: TunableKind;
  subsystem: string;
  /** Sorted by name. */
  tunables: T[];
}

export interface KindGroup<T extends TunableEntry> {
  kind: TunableKind;
  count: number;
  /** Sorted by subsystem name. */
  subsystems: SubsystemGroup<T>[];
}

export interface Catalog<T extends TunableEntry> {
  /** Sorted by name. */
  tunables: T[];
  /** Every kind, present or not, so counts can say 0. */
  kinds: KindGroup<T>[];
  releases: KernelRelease[];
}

export function byName(a: TunableEntry, b: TunableEntry): number {
  return compareText(a.data.title, b.data.title) || compareText(a.id, b.id);
}

export function buildCatalog<T extends TunableEntry>(entries: readonly T[]): Catalog<T> {
  const tunables = [...entries].sort(byName);
  const kinds = tunableKind.options.map((kind) => {
    const groups = new Map<string, T[]>();
    for (const entry of tunables) {
      if (entry.data.kind !== kind) continue;
      const group = groups.get(entry.data.subsystem);
      if (group) group.push(entry);
      else groups.set(entry.data.subsystem, [entry]);
    }
    const subsystems = [...groups]
      .sort(([a], [b]) => compareText(a, b))
      .map(([subsystem, members]) => ({ kind, subsystem, tunables: members }));
    return { kind, count: subsystems.reduce((sum, group) => sum + group.tunables.length, 0), subsystems };
  });
  return { tunables, kinds, releases: kernelReleases(tunables.map((entry) => entry.data)) };
}
