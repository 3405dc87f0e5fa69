/**
 * The whole set of tunable pages, grouped the ways the index, kernel and changes pages
 * need. Built once per site build (see site-data.ts) so each page costs the same however
 * many pages there are.
 */
import { tunableKind, type TunableKind } from './schemas/snapshot.ts';
import type { KernelFacts, TunableFrontmatter } from './schemas/tunable.ts';
import { compareText, measuredKernels, PRIMARY_ARCH, type KernelRelease } from './kernels.ts';
import { relatedTunables, subsystemNeighbours, type Neighbours, type RelatedTunable } from './navigation.ts';
import { pageId } from './paths.ts';
import { defaultText, readByBoot } from './values.ts';

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

export interface KernelGroup<T extends TunableEntry> extends KernelRelease {
  /** The tunables measured on this kernel, sorted by name. */
  tunables: T[];
  /** Every kind, present or not, as KindCounts shows them. */
  counts: { kind: TunableKind; count: number }[];
}

export interface DefaultChange<T extends TunableEntry> {
  entry: T;
  from: KernelFacts;
  to: KernelFacts;
}

/** What differs from one kernel to another; each list sorted by name. */
export interface KernelChanges<T extends TunableEntry> {
  from: KernelRelease;
  to: KernelRelease;
  added: T[];
  removed: T[];
  /** On both kernels, with a different default (as the pages show it). */
  changed: DefaultChange<T>[];
  /**
   * Scales with the machine on both kernels, with different values. Kept apart from
   * `changed`: the kernels' MemTotal differs on the same machine shape (the kernel itself
   * takes memory), so values that scale with memory differ even when nothing was changed.
   */
  rescaled: DefaultChange<T>[];
}

export interface ChangeCounts {
  added: number;
  removed: number;
  changed: number;
}

export interface Catalog<T extends TunableEntry> {
  /** Sorted by name. */
  tunables: T[];
  /** Every kind, present or not, so counts can say 0. */
  kinds: KindGroup<T>[];
  /** Every kernel measured, oldest first. */
  kernels: KernelGroup<T>[];
  /** From each kernel to the next of its architecture, oldest first: the pairs that get a changes page. */
  changes: KernelChanges<T>[];
  /**
   * Per series measured on the primary architecture and another, oldest first: what differs
   * from the primary's kernel (`from`) to the other's (`to`). `removed` are on the primary
   * architecture only, `added` on the other only; the arch differences page lists them.
   */
  archDifferences: KernelChanges<T>[];
  /** `changeCounts[i][j]`: from `kernels[i]` to `kernels[j]`; null where i = j. */
  changeCounts: (ChangeCounts | null)[][];
  /**
   * The page ids of the copies folded into a generic device-model attribute's page (every
   * place it appears, on any kernel) and of module parameters' sysfs pages, each with the
   * page that has them now: their addresses lead there.
   */
  moved: { from: string; entry: T }[];
  /** By page id: the previous and next tunable of its subsystem. */
  neighbours: Map<string, Neighbours<T>>;
  /** By page id: the tunables related to it, closest first (navigation.ts). */
  related: Map<string, RelatedTunable<T>[]>;
}

/** A module and how many of some module parameters are its, each module once, by name: the kernel pages list modules, not their thousands of parameters. */
export function modulesOf<T extends TunableEntry>(parameters: readonly T[], kernelId: string): { module: string; count: number; builtIn: boolean }[] {
  return Object.entries(Object.groupBy(parameters, (entry) => entry.data.subsystem))
    .map(([module, members]) => ({ module, count: members!.length, builtIn: members!.every((entry) => entry.data.kernels[kernelId]?.parameter?.presence === 'built-in') }))
    .sort((a, b) => compareText(a.module, b.module));
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
  const kernels = groupByKernel(tunables);
  const { changes, archDifferences, changeCounts } = compareAllKernels(tunables, kernels);
  const neighbours = subsystemNeighbours(kinds.flatMap((group) => group.subsystems));
  return { tunables, kinds, kernels, changes, archDifferences, changeCounts, moved: movedPages(tunables), neighbours, related: relatedTunables(tunables) };
}

function movedPages<T extends TunableEntry>(tunables: readonly T[]): { from: string; entry: T }[] {
  const moved = new Map<string, T>();
  for (const entry of tunables) {
    for (const facts of Object.values(entry.data.kernels)) {
      for (const { path } of facts.appearances ?? []) moved.set(pageId('sysfs', path), entry);
    }
    // A module (or unprefixed boot) parameter's file had a sysfs page while only writable sysfs files had pages.
    const { kind, path, kernels } = entry.data;
    const hadSysfsPage = (kind === 'module' || kind === 'boot') && path !== null && Object.values(kernels).some((facts) => readByBoot(facts.defaultKind) && facts.writable);
    if (hadSysfsPage) moved.set(pageId('sysfs', path), entry);
  }
  return [...moved].sort(([a], [b]) => compareText(a, b)).map(([from, entry]) => ({ from, entry }));
}

function groupByKernel<T extends TunableEntry>(tunables: readonly T[]): KernelGroup<T>[] {
  return measuredKernels(tunables.map((entry) => entry.data)).map((kernel) => {
    const members = tunables.filter(({ data }) => data.status === 'present' && data.kernels[kernel.id] !== undefined);
    const counts = tunableKind.options.map((kind) => ({ kind, count: members.filter(({ data }) => data.kind === kind).length }));
    return { ...kernel, tunables: members, counts };
  });
}

function compareKernels<T extends TunableEntry>(tunables: readonly T[], from: KernelRelease, to: KernelRelease): KernelChanges<T> {
  const changes: KernelChanges<T> = { from, to, added: [], removed: [], changed: [], rescaled: [] };
  for (const entry of tunables) {
    if (entry.data.status !== 'present') continue;
    const before = entry.data.kernels[from.id];
    const after = entry.data.kernels[to.id];
    if (!before && after) changes.added.push(entry);
    else if (before && !after) changes.removed.push(entry);
    else if (before && after && defaultText(before) !== defaultText(after)) {
      const both = before.defaultKind === 'machine' && after.defaultKind === 'machine';
      (both ? changes.rescaled : changes.changed).push({ entry, from: before, to: after });
    }
  }
  return changes;
}

/**
 * Every pair once: the way back has the same changes with added and removed swapped. A
 * changes page goes from one kernel to the next of the same architecture: the next id may
 * be another architecture's kernel of the same series (6.1 → 6.1-arm64), which is no
 * release's change but a difference between the architectures (the primary's kernel of a
 * series comes first in compareKernelIds order).
 */
function compareAllKernels<T extends TunableEntry>(tunables: readonly T[], kernels: readonly KernelRelease[]): Pick<Catalog<T>, 'changes' | 'archDifferences' | 'changeCounts'> {
  const changes: KernelChanges<T>[] = [];
  const archDifferences: KernelChanges<T>[] = [];
  const changeCounts = kernels.map(() => kernels.map((): ChangeCounts | null => null));
  kernels.forEach((from, i) => {
    kernels.forEach((to, j) => {
      if (j <= i) return;
      const pair = compareKernels(tunables, from, to);
      if (kernels.slice(i + 1).find((next) => next.arch === from.arch) === to) changes.push(pair);
      if (from.series === to.series && from.arch === PRIMARY_ARCH && to.arch !== PRIMARY_ARCH) archDifferences.push(pair);
      const changed = pair.changed.length;
      changeCounts[i]![j] = { added: pair.added.length, removed: pair.removed.length, changed };
      changeCounts[j]![i] = { added: pair.removed.length, removed: pair.added.length, changed };
    });
  });
  return { changes, archDifferences, changeCounts };
}
