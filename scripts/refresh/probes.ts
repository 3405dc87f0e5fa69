/**
 * Which tunables a boot parameter moves, from few boots: each probe (`panic=7`) rides in
 * exactly two batch boots, and no two probes share the same two. A file whose value differs
 * from the plain boots in exactly the two boots of one probe was moved by that probe; any
 * other set of boots is left unattributed (two probes moving one file, or runtime state),
 * never guessed. Files that differ between the two plain boots, or between two reads of
 * one walk, are runtime state and left out. Pure functions; run.ts boots and writes.
 */
import type { BootProbe, BootProbeResults, MovedFile, ProbeOutcome } from '#core/schemas/boot-probes.ts';
import type { Snapshot, SnapshotEntry } from '#core/schemas/snapshot.ts';

export const probeWord = (probe: BootProbe) => (probe.value === null ? probe.parameter : `${probe.parameter}=${probe.value}`);

/** The two 1-based boots of each probe, in order, over the fewest boots that give every probe its own pair. */
export function pairDesign(probes: number): { boots: number; pairs: [number, number][] } {
  let boots = 2;
  while ((boots * (boots - 1)) / 2 < probes) boots += 1;
  const pairs: [number, number][] = [];
  for (let a = 1; a <= boots && pairs.length < probes; a += 1) for (let b = a + 1; b <= boots && pairs.length < probes; b += 1) pairs.push([a, b]);
  return { boots, pairs };
}

/** Each batch boot's words, in boot order. */
export function batchWords(probes: readonly BootProbe[]): string[][] {
  const { boots, pairs } = pairDesign(probes.length);
  const batches: string[][] = Array.from({ length: boots }, () => []);
  probes.forEach((probe, i) => {
    for (const boot of pairs[i]!) batches[boot - 1]!.push(probeWord(probe));
  });
  return batches;
}

/** A list of probes must name each parameter once: two values of one parameter in a boot would overwrite each other. */
export function checkProbes(probes: readonly BootProbe[], file: string): void {
  const seen = new Set<string>();
  for (const probe of probes) {
    if (seen.has(probe.parameter)) throw new Error(`${file}: boot probe "${probe.parameter}" is listed twice`);
    seen.add(probe.parameter);
  }
}

/** What a read gave, as written into the results: the text, `<EIO>` for an error, null for an absent file. */
const shown = (entry: SnapshotEntry | undefined): string | null => (entry ? (entry.error ? `<${entry.error}>` : (entry.value ?? '')) : null);

/** The same, comparable: raw bytes kept apart from text that happens to look like their base64. */
const reading = (entry: SnapshotEntry | undefined): string | null => (entry?.encoding === 'base64' ? `base64:${entry.value}` : shown(entry));

export interface AttributeInput {
  probes: readonly BootProbe[];
  /** Plain boots of the same kernel and shape (at least two). */
  baselines: readonly Snapshot[];
  /** The batch boots' walks, in the order of `batchWords`. */
  boots: readonly Snapshot[];
}

export type Attribution = Pick<BootProbeResults, 'probes' | 'unattributed' | 'volatile'>;

export function attribute({ probes, baselines, boots }: AttributeInput): Attribution {
  const design = pairDesign(probes.length);
  const { pairs } = design;
  if (baselines.length < 2) throw new Error('attributing moves needs two plain boots');
  if (boots.length !== design.boots) throw new Error(`${probes.length} probes need ${design.boots} boots, got ${boots.length}`);
  const byPath = (snapshot: Snapshot) => new Map(snapshot.entries.map((entry) => [entry.path, entry]));
  const plain = baselines.map(byPath);
  const batch = boots.map(byPath);
  const paths = new Set([...plain, ...batch].flatMap((map) => [...map.keys()]));
  const probeOfPair = new Map(pairs.map(([a, b], i) => [`${a},${b}`, i]));
  const moved: MovedFile[][] = probes.map(() => []);
  const unattributed: Attribution['unattributed'] = [];
  let volatile = 0;
  for (const path of [...paths].sort()) {
    const base = plain.map((map) => map.get(path));
    const all = [...base, ...batch.map((map) => map.get(path))];
    if (new Set(base.map(reading)).size > 1 || all.some((entry) => entry?.changed)) {
      volatile += 1;
      continue;
    }
    const expected = reading(base[0]);
    const movedIn = batch.flatMap((map, i) => (reading(map.get(path)) === expected ? [] : [i + 1]));
    if (movedIn.length === 0) continue;
    const probe = probeOfPair.get(movedIn.join(','));
    if (probe === undefined) {
      unattributed.push({ path, boots: movedIn });
      continue;
    }
    const [first, second] = movedIn.map((boot) => reading(batch[boot - 1]!.get(path)));
    // The other probes of the two boots differ, so the same new value in both is the probe's doing.
    if (first !== second) unattributed.push({ path, boots: movedIn });
    else moved[probe]!.push({ path, from: shown(base[0]), to: shown(batch[movedIn[0]! - 1]!.get(path)) });
  }
  const outcomes: ProbeOutcome[] = probes.map((probe, i) => ({ word: probeWord(probe), parameter: probe.parameter, boots: pairs[i]!, moved: moved[i]! }));
  return { probes: outcomes, unattributed, volatile };
}
