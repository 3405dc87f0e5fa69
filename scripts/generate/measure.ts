/**
 * From snapshots to the machine-owned facts of each tunable page (its front matter).
 * Several snapshots of one kernel (its series and architecture: machine shapes, repeated boots) are compared to
 * tell a constant default from one that scales with the machine or is runtime state.
 */
import type { Snapshot, SnapshotEntry } from '#core/schemas/snapshot.ts';
import { scalingFactor, type DefaultKind, type KernelFacts, type MeasuredTunable, type ScalingFactor, type ShapeValue, type TunableFrontmatter } from '#core/schemas/tunable.ts';
import type { MeasuredKind } from '#core/schemas/snapshot.ts';
import type { BootedShape, KernelsFile } from '#core/schemas/kernels.ts';
import { compareKernelIds, kernelIdOf, newestFacts } from '#core/kernels.ts';
import { findMachineRule, sameCpus, sameMemory } from '#core/machine-rules.ts';
import { defaultText, scalingDetail, shownValue } from '#core/values.ts';
import { kindOfPath, pageId, placeholdersOf, subsystemOf, tunableName } from '#core/paths.ts';
import { collapsePath, deviceAliases } from '#core/patterns.ts';
import { GENERIC_SUBSYSTEM, genericAttribute, type GenericAttribute } from '#core/generic-attributes.ts';

function mostCommon<T>(values: T[]): T {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Instance {
  name: string;
  entry: SnapshotEntry;
}

/** One snapshot's view of one tunable: its instances on that boot. */
interface Observation {
  snapshot: Snapshot;
  instances: Instance[];
}

/**
 * What one boot read. For a pattern, the `default` instance's value where the kernel has
 * one (net.ipv4.conf.default.*: what a new interface gets), else the value most instances show.
 */
function reading(instances: Instance[]): string | null {
  const readable = instances.filter((i) => !i.entry.error);
  if (readable.length === 0) return null;
  const preferred = readable.find((i) => i.name === 'default') ?? (readable.length === 1 ? readable[0] : undefined);
  return preferred ? shownValue(preferred.entry).value : mostCommon(readable.map((i) => shownValue(i.entry).value));
}


/**
 * constant: every boot read the same; volatile: a value changed between two reads, or
 * between boots of the same machine shape; machine: boots of different shapes read
 * different values, boots of one shape agree; unreadable: no boot could read it.
 */
export function classify(observations: { shape: string; value: string | null; changed: boolean }[]): DefaultKind {
  const readable = observations.filter((o) => o.value !== null);
  if (readable.length === 0) return 'unreadable';
  if (readable.some((o) => o.changed)) return 'volatile';
  const byShape = new Map<string, Set<string | null>>();
  for (const { shape, value } of readable) byShape.set(shape, (byShape.get(shape) ?? new Set()).add(value));
  if ([...byShape.values()].some((values) => values.size > 1)) return 'volatile';
  return new Set(readable.map((o) => o.value)).size === 1 ? 'constant' : 'machine';
}


/**
 * A value that follows CPUs or memory moves far when they grow fourfold (fs.file-max ×4,
 * vm.min_free_kbytes ×1.5). Smaller moves are side effects, not scaling: adding CPUs takes
 * a little memory (fs.file-max moves well under 1% between 1 and 4 CPUs), and runtime
 * counters such as fs.dentry-state differ by a few percent between any two shapes. Below
 * this relative change a factor is not credited.
 */
const EFFECT = 0.1;

/** How far apart two values are: the largest relative change of their numbers, 1 when they are not numbers alike. */
function relativeChange(a: string, b: string): number {
  if (a === b) return 0;
  const numbers = (text: string) => text.split(/\s+/).map(Number);
  const [x, y] = [numbers(a), numbers(b)];
  if (x.length !== y.length || [...x, ...y].some((n) => !Number.isFinite(n))) return 1;
  return Math.max(...x.map((n, i) => (n === y[i] ? 0 : Math.abs(n - y[i]!) / Math.max(Math.abs(n), Math.abs(y[i]!)))));
}

/**
 * What a machine-scaled value follows, judged only from pairs of shapes that differ in
 * one thing: the same CPUs (online and possible) and different memory, or the same memory
 * and different CPUs. The default shapes pair so: 1x4096 with 1x1024 and 1x16384 (memory),
 * with 4x4096 (online CPUs) and with 1/64x4096 (possible CPUs).
 */
export function scalingFactors(shapes: readonly ShapeValue[]): ScalingFactor[] {
  const found = new Set<ScalingFactor>();
  shapes.forEach((a, i) =>
    shapes.slice(i + 1).forEach((b) => {
      if (relativeChange(a.value, b.value) < EFFECT) return;
      if (sameCpus(a, b) && !sameMemory(a, b)) found.add('memory');
      if (!sameCpus(a, b) && sameMemory(a, b)) found.add('cpus');
    }),
  );
  return scalingFactor.options.filter((factor) => found.has(factor));
}

/** Possible CPUs; a snapshot from before they were recorded had as many as online. */
const possibleOf = (machine: Pick<Snapshot['machine'], 'cpus' | 'possibleCpus'>) => machine.possibleCpus ?? machine.cpus;

/**
 * The machine shape a boot had: its CPUs (online and possible) and memory. Memory is the
 * kernel's MemTotal, which moves by a few KiB between boots of one shape, so boots of the
 * same memory (`sameMemory`) and as many CPUs are one shape, named after the first of them.
 */
export function shapeKeys(machines: readonly Pick<Snapshot['machine'], 'cpus' | 'possibleCpus' | 'memoryKiB'>[]): string[] {
  const shapes: { cpus: number; possible: number; memoryKiB: number }[] = [];
  return machines.map((machine) => {
    const { cpus, memoryKiB } = machine;
    const possible = possibleOf(machine);
    let shape = shapes.find((s) => s.cpus === cpus && s.possible === possible && sameMemory(s, machine));
    if (!shape) shapes.push((shape = { cpus, possible, memoryKiB }));
    return `${shape.cpus}/${shape.possible}/${shape.memoryKiB}`;
  });
}

function kernelFacts(observations: Observation[], isPattern: boolean): KernelFacts {
  const shapes = shapeKeys(observations.map(({ snapshot }) => snapshot.machine));
  const readings = observations.map(({ snapshot, instances }, i) => ({
    snapshot,
    shape: shapes[i]!,
    value: reading(instances),
    changed: instances.some((i) => i.entry.changed),
  }));
  const defaultKind = classify(readings);
  const first = observations[0]!;
  const entries = observations.flatMap((o) => o.instances.map((i) => i.entry));
  const shown = entries.filter((e) => !e.error).map(shownValue);
  const facts: KernelFacts = {
    release: first.snapshot.kernel.release,
    source: first.snapshot.source,
    mode: mostCommon(entries.map((e) => e.mode)),
    writable: entries.some((e) => (Number.parseInt(e.mode, 8) & 0o200) !== 0),
    default: defaultKind === 'constant' ? readings.find((r) => r.value !== null)!.value : null,
    defaultKind,
    namespace: entries.find((e) => e.namespace)?.namespace ?? null,
    module: entries.find((e) => e.module)?.module ?? null,
  };
  if (defaultKind === 'unreadable') facts.error = entries[0]!.error!;
  if (shown.some((s) => s.binary)) facts.binary = true;
  if (shown.some((s) => s.truncated)) facts.truncated = true;
  if (defaultKind === 'machine') {
    // The first boot of each shape speaks for it (run 1: observations come in boot order).
    const perShape = new Map<string, (typeof readings)[number]>();
    for (const r of readings) if (r.value !== null && !perShape.has(r.shape)) perShape.set(r.shape, r);
    facts.shapes = [...perShape.values()]
      .map(({ snapshot: { machine }, value }) => ({
        cpus: machine.cpus,
        // Only where it tells something: a shape with as many possible CPUs as online ones reads as before.
        ...(possibleOf(machine) > machine.cpus && { possibleCpus: possibleOf(machine) }),
        memoryKiB: machine.memoryKiB,
        value: value!,
      }))
      .sort((a, b) => a.cpus - b.cpus || (a.possibleCpus ?? a.cpus) - (b.possibleCpus ?? b.cpus) || a.memoryKiB - b.memoryKiB);
    facts.scalesWith = scalingFactors(facts.shapes);
    const rule = findMachineRule(facts.shapes);
    if (rule) facts.rule = rule;
  }
  if (isPattern) {
    // `neigh.default.*` lives in the initial network namespace only, `neigh.lo.*` in each: the pattern's scope is not every instance's.
    const otherScope = first.instances.filter(({ entry }) => (entry.namespace ?? null) !== facts.namespace);
    if (otherScope.length > 0) facts.instanceNamespaces = Object.fromEntries(otherScope.map(({ name, entry }) => [name, entry.namespace ?? null]));
    facts.instances = first.instances.map(({ name, entry }) => ({
      instance: name,
      value: shownValue(entry).value,
      ...(entry.error && { error: entry.error }),
    }));
  }
  return facts;
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function measuredSummary(facts: Pick<TunableFrontmatter, 'kind' | 'subsystem' | 'writable' | 'kernels'>): string {
  const { facts: newest } = newestFacts(facts.kernels);
  const what = `${facts.writable ? 'Writable' : 'Read-only'} ${facts.kind} in ${facts.subsystem}`;
  const seen = {
    unreadable: () => `unreadable (${newest.error}) on ${newest.release}`,
    volatile: () => `runtime state that changes between reads on ${newest.release}`,
    machine: () => `default ${scalingDetail(newest.scalesWith, newest.rule)} on ${newest.release}`,
    constant: () => `reads ${newest.default === '' ? 'empty' : `"${clip(newest.default ?? '', 60)}"`} on ${newest.release}`,
    varies: () => `reads differently where it appears on ${newest.release}`,
    unmeasured: () => `not read on ${newest.release}`,
    source: () => `not read on ${newest.release}; its C initialiser is "${clip(newest.default ?? '', 60)}"`,
  }[newest.defaultKind]();
  return `${what}; ${seen}.`;
}

/**
 * Each kernel as a whole (content/kernels.json): its release, the CPU qemu emulated and the
 * machine shapes it was booted in, with their boots. Its page says how it was measured; the
 * boots of one kernel must agree on the CPU, or its values would mix two machines.
 */
export function measuredKernelsOf(snapshots: readonly Snapshot[]): KernelsFile['kernels'] {
  const byId = Map.groupBy([...snapshots].sort(snapshotOrder), kernelIdOf);
  return Object.fromEntries(
    [...byId].map(([id, boots]) => {
      const first = boots[0]!;
      const models = new Set(boots.map((boot) => boot.machine.cpuModel));
      if (models.size > 1) throw new Error(`the boots of kernel ${id} emulated different CPUs (${[...models].map((model) => model ?? 'none recorded').join(', ')}): refresh it again`);
      const keys = shapeKeys(boots.map((boot) => boot.machine));
      const shapes = new Map<string, BootedShape>();
      boots.forEach(({ machine }, i) => {
        const shape = shapes.get(keys[i]!);
        if (shape) shape.boots++;
        else shapes.set(keys[i]!, { cpus: machine.cpus, ...(possibleOf(machine) > machine.cpus && { possibleCpus: possibleOf(machine) }), memoryKiB: machine.memoryKiB, boots: 1 });
      });
      const { cpuModel } = first.machine;
      return [id, { release: first.kernel.release, source: first.source, ...(cpuModel !== undefined && { cpuModel }), shapes: [...shapes.values()] }];
    }),
  );
}

/**
 * Snapshots in a stable order: by kernel id, then shape, then run. Boots of one shape
 * (`sameMemory`: MemTotal moves by a few KiB between them) go by run, so a kernel's run 1,
 * its full walk, comes first: only it tested namespaces, which a pattern's instances take
 * from the first boot.
 */
function snapshotOrder(a: Snapshot, b: Snapshot): number {
  return (
    compareKernelIds(kernelIdOf(a), kernelIdOf(b)) ||
    a.machine.cpus - b.machine.cpus ||
    possibleOf(a.machine) - possibleOf(b.machine) ||
    (sameMemory(a.machine, b.machine) ? 0 : a.machine.memoryKiB - b.machine.memoryKiB) ||
    (a.run ?? 1) - (b.run ?? 1)
  );
}

/** A tunable a walk read: a file of /proc/sys or /sys. */
export type WalkedTunable = MeasuredTunable & { kind: MeasuredKind; path: string };

/** Every tunable measured in the snapshots, by page id. */
export function measureTunables(snapshots: Snapshot[]): Map<string, WalkedTunable> {
  const grouped = new Map<string, { kind: SnapshotEntry['kind']; pattern: string; perKernel: Map<string, Map<Snapshot, Instance[]>> }>();
  for (const snapshot of [...snapshots].sort(snapshotOrder)) {
    const kernel = kernelIdOf(snapshot);
    const aliases = deviceAliases(snapshot.links);
    for (const entry of snapshot.entries) {
      const { pattern, instance } = collapsePath(entry.kind, entry.path, aliases);
      const id = pageId(entry.kind, pattern);
      const group = grouped.get(id) ?? { kind: entry.kind, pattern, perKernel: new Map() };
      grouped.set(id, group);
      const boots = group.perKernel.get(kernel) ?? new Map<Snapshot, Instance[]>();
      group.perKernel.set(kernel, boots);
      boots.set(snapshot, [...(boots.get(snapshot) ?? []), { name: instance.join(' / '), entry }]);
    }
  }
  const tunables = new Map<string, WalkedTunable>();
  for (const [id, { kind, pattern, perKernel }] of [...grouped].sort(([a], [b]) => byText(a, b))) {
    const placeholders = placeholdersOf(pattern);
    const kernels: Record<string, KernelFacts> = {};
    for (const kernel of [...perKernel.keys()].sort(compareKernelIds)) {
      const observations = [...perKernel.get(kernel)!].map(([snapshot, instances]) => ({
        snapshot,
        instances: instances.sort((a, b) => byText(a.name, b.name)),
      }));
      kernels[kernel] = kernelFacts(observations, placeholders.length > 0);
    }
    const subsystem = subsystemOf(kind, pattern);
    const writable = Object.values(kernels).some((k) => k.writable);
    const { facts: newest } = newestFacts(kernels);
    // Key order is the order the page's front matter shows.
    tunables.set(id, {
      title: tunableName(kind, pattern),
      kind,
      path: pattern,
      subsystem,
      placeholders,
      summary: measuredSummary({ kind, subsystem, writable, kernels }),
      writable,
      status: 'present',
      namespace: newest.namespace,
      module: newest.module,
      kernels,
    });
  }
  return foldGenericAttributes(tunables);
}

/** The page a walked file belongs to, as `measureTunables` names it: a generic attribute's copies share one. */
export function pageIdOfFile(path: string, aliases: Map<string, string>): string {
  const kind = kindOfPath(path);
  const { pattern } = collapsePath(kind, path, aliases);
  const attribute = kind === 'sysfs' ? genericAttribute(pattern) : undefined;
  return pageId(kind, attribute ? attribute.path : pattern);
}

/**
 * Replaces the copies of each generic device-model attribute (`/sys/bus/pci/devices/
 * <pci-device>/power/control`, `/sys/class/tty/<tty>/power/control`, …) with one tunable
 * that lists, per kernel, where it appears and what it reads there.
 */
function foldGenericAttributes(tunables: Map<string, WalkedTunable>): Map<string, WalkedTunable> {
  const folded = new Map<string, WalkedTunable>();
  const copies = new Map<string, { attribute: GenericAttribute; members: WalkedTunable[] }>();
  for (const [id, tunable] of tunables) {
    const attribute = tunable.kind === 'sysfs' ? genericAttribute(tunable.path) : undefined;
    if (!attribute) {
      folded.set(id, tunable);
      continue;
    }
    const genericId = pageId('sysfs', attribute.path);
    const group = copies.get(genericId) ?? { attribute, members: [] };
    copies.set(genericId, group);
    group.members.push(tunable);
  }
  for (const [id, { attribute, members }] of copies) folded.set(id, genericTunable(attribute, members));
  return new Map([...folded].sort(([a], [b]) => byText(a, b)));
}

function genericTunable(attribute: GenericAttribute, copies: WalkedTunable[]): WalkedTunable {
  const ids = [...new Set(copies.flatMap((copy) => Object.keys(copy.kernels)))].sort(compareKernelIds);
  const kernels: Record<string, KernelFacts> = {};
  for (const one of ids) {
    const present = copies.flatMap((copy) => (copy.kernels[one] ? [{ path: copy.path, facts: copy.kernels[one] }] : []));
    const appearances = present.map(({ path, facts }) => ({ path, value: defaultText(facts) })).sort((a, b) => byText(a.path, b.path));
    const first = present[0]!.facts;
    const same = present.every(({ facts }) => facts.defaultKind === 'constant' && facts.default === first.default);
    kernels[one] = {
      release: first.release,
      source: first.source,
      mode: mostCommon(present.map(({ facts }) => facts.mode)),
      writable: present.some(({ facts }) => facts.writable),
      default: same ? first.default : null,
      defaultKind: same ? 'constant' : 'varies',
      appearances,
      namespace: null,
      module: null,
    };
  }
  return {
    title: attribute.path,
    kind: 'sysfs',
    path: attribute.path,
    subsystem: GENERIC_SUBSYSTEM,
    placeholders: placeholdersOf(attribute.path),
    summary: attribute.summary,
    writable: Object.values(kernels).some((k) => k.writable),
    status: 'present',
    namespace: null,
    module: null,
    kernels,
  };
}

/**
 * The boots of one kernel id (a series on one architecture) must all be of one kernel from
 * one source: a live host's values (possibly tuned by its owner) never mix with a reference
 * kernel's defaults. amd64's and arm64's kernels of a series are two ids, kept apart.
 */
export function checkSeriesConsistency(snapshots: { file: string; snapshot: Snapshot }[]): void {
  const seen = new Map<string, { file: string; snapshot: Snapshot }>();
  for (const current of snapshots) {
    const { release } = current.snapshot.kernel;
    const id = kernelIdOf(current.snapshot);
    const other = seen.get(id);
    if (other && (other.snapshot.kernel.release !== release || other.snapshot.source !== current.snapshot.source)) {
      throw new Error(`${other.file} (${other.snapshot.source} ${other.snapshot.kernel.release}) and ${current.file} (${current.snapshot.source} ${release}) both measure kernel ${id}; keep one kernel per series and architecture`);
    }
    seen.set(id, current);
  }
}
