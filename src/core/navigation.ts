/**
 * Where a tunable page leads: the tunable before and after it in its subsystem, and the
 * tunables related to it. Both are worked out for every page at once when the catalog is
 * built (catalog.ts, once per build), so a page only looks itself up: no page scans the
 * others, and per-page work stays the same however many pages there are.
 */
import type { SubsystemGroup, TunableEntry } from './catalog.ts';
import { compareSeries, compareText, parseKernelId } from './kernels.ts';

export interface Neighbours<T extends TunableEntry> {
  previous?: T;
  next?: T;
}

/** Each tunable's previous and next in its subsystem, in the order its subsystem page lists them. */
export function subsystemNeighbours<T extends TunableEntry>(groups: readonly SubsystemGroup<T>[]): Map<string, Neighbours<T>> {
  const neighbours = new Map<string, Neighbours<T>>();
  for (const { tunables } of groups) {
    tunables.forEach((entry, i) => neighbours.set(entry.id, { previous: tunables[i - 1], next: tunables[i + 1] }));
  }
  return neighbours;
}

/** Why a tunable is related to a page; at least one is set. */
export interface Relation {
  /** The Documentation section (or ABI entry, or man page section) that describes both: its file. */
  documentedTogether?: string;
  /**
   * The source file whose `ctl_table` entries define both, on the newest kernel that
   * defines the page's tunable, and how many lines apart the two entries are there.
   */
  sameSourceFile?: { file: string; linesApart: number };
  /** The directory both files are in: `/proc/sys/vm/`, a module's `/sys/module/<module>/parameters/`. */
  sameDirectory?: string;
}

export interface RelatedTunable<T extends TunableEntry> extends Relation {
  entry: T;
}

/** How many related tunables a page lists. */
export const RELATED_LIMIT = 8;

interface Definition {
  series: string;
  file: string;
  line: number;
}

/** What relating a tunable to others looks at, worked out once per tunable. */
interface Traits {
  /** The documentation section its description is quoted from (`docSectionOf`), or null. */
  section: { key: string; file: string } | null;
  /** The directory of its file with a trailing slash, or null for a tunable with no file (a boot parameter). */
  directory: string | null;
  /** Its file's name: what the start shared with a sibling's is measured on. */
  name: string;
  /** Its `ctl_table` entry on each kernel that has one, by series. */
  definedIn: Map<string, Definition>;
  /**
   * The entry on the newest of those kernels: what a page compares with. Tables move from
   * file to file between releases (kernel/sysctl.c was split up), and a reader reads the
   * newest kernel's source.
   */
  newestDefinition: Definition | null;
}

/**
 * The section the page's description is quoted from, exactly: tunables one heading names
 * together (`a, b and c`), one ABI entry with several `What:` lines or one
 * kernel-parameters.txt entry for several names share it. The file alone would relate a
 * whole subsystem (Documentation/admin-guide/sysctl/vm.rst).
 */
function docSectionOf({ data }: TunableEntry): Traits['section'] {
  const source = data.upstream.docSource;
  if (source === null) return null;
  const release = source.origin === 'kernel' ? source.kernel : source.version;
  return { key: `${source.origin}\0${release}\0${source.file}\0${source.line}`, file: source.file };
}

function traitsOf(entry: TunableEntry): Traits {
  const { path, title, kernels } = entry.data;
  const slash = path === null ? -1 : path.lastIndexOf('/');
  const definitions = Object.entries(kernels).flatMap(([id, facts]) => {
    const at = facts.upstream?.definedIn;
    // By series: every architecture's kernel of a series reads the same source (content/docs/<series>.json).
    return at ? [{ series: parseKernelId(id).series, file: at.file, line: at.line }] : [];
  });
  return {
    section: docSectionOf(entry),
    directory: path === null ? null : path.slice(0, slash + 1),
    name: path === null ? title : path.slice(slash + 1),
    definedIn: new Map(definitions.map((at) => [at.series, at])),
    newestDefinition: definitions.sort((a, b) => compareSeries(b.series, a.series))[0] ?? null,
  };
}

/** What relates `other` to the page of `page`, or null when nothing does. */
function relationOf(page: Traits, other: Traits): Relation | null {
  const relation: Relation = {};
  if (page.section !== null && page.section.key === other.section?.key) relation.documentedTogether = page.section.file;
  const here = page.newestDefinition;
  const there = here && other.definedIn.get(here.series);
  if (here && there && here.file === there.file) relation.sameSourceFile = { file: here.file, linesApart: Math.abs(here.line - there.line) };
  if (page.directory !== null && page.directory === other.directory) relation.sameDirectory = page.directory;
  return Object.keys(relation).length > 0 ? relation : null;
}

function sharedStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Items grouped by each key `keysOf` gives them (an item may be in several groups), each
 * group sorted by the position given with the key.
 */
function groupsOf<T>(items: readonly T[], keysOf: (item: T) => [key: string, position: number][]): [T, number][][] {
  const groups = new Map<string, [T, number][]>();
  for (const item of items) {
    for (const [key, position] of keysOf(item)) {
      const group = groups.get(key);
      if (group) group.push([item, position]);
      else groups.set(key, [[item, position]]);
    }
  }
  return [...groups.values()].map((group) => group.sort(([, a], [, b]) => a - b));
}

/**
 * For each member of each group, adds the `limit` nearest on either side, and any further
 * one as near as the last of those: whatever is left out on a side is farther than
 * `limit` members that were taken.
 */
function addNearest<T>(groups: [T, number][][], limit: number, add: (a: T, b: T) => void): void {
  for (const group of groups) {
    group.forEach(([member], i) => {
      for (const step of [-1, 1]) {
        let taken = 0;
        for (let j = i + step; j >= 0 && j < group.length; j += step) {
          if (taken >= limit && group[j]![1] !== group[j - step]![1]) break;
          add(member, group[j]![0]);
          taken++;
        }
      }
    });
  }
}

/**
 * Each tunable's related tunables, closest first, at most `limit`: documented together;
 * then defined in one source file, nearer entries first (the entries of one `ctl_table`
 * are written one after the other); then in one directory, the longer start of the name
 * shared first (`dirty_bytes` before `drop_caches` for `dirty_ratio`), then the nearer in
 * name order; then by name.
 *
 * Candidates are gathered per documentation section (a few dozen at most), per source
 * file in line order and per directory in name order, the `limit` nearest on either
 * side: anything farther has `limit` candidates before it (a shared start only shrinks
 * away from a name in name order), so the work grows with the number of tunables and not
 * with its square.
 */
export function relatedTunables<T extends TunableEntry>(tunables: readonly T[], limit = RELATED_LIMIT): Map<string, RelatedTunable<T>[]> {
  const traits = new Map(tunables.map((entry) => [entry, traitsOf(entry)]));
  const candidates = new Map(tunables.map((entry) => [entry, new Set<T>()]));
  const add = (a: T, b: T) => candidates.get(a)!.add(b);

  const bySection = groupsOf(tunables, (entry) => {
    const { section } = traits.get(entry)!;
    return section === null ? [] : [[section.key, 0]];
  });
  addNearest(bySection, Infinity, add);
  const bySourceFile = groupsOf(tunables, (entry) => [...traits.get(entry)!.definedIn.values()].map(({ series, file, line }) => [`${series}\0${file}`, line]));
  addNearest(bySourceFile, limit, add);
  const inNameOrder = [...tunables].sort((a, b) => compareText(traits.get(a)!.name, traits.get(b)!.name));
  // Every position 0 and Array#sort stable: each directory stays in name order, and a member's index is its place in it.
  const byDirectory = groupsOf(inNameOrder, (entry) => {
    const { directory } = traits.get(entry)!;
    return directory === null ? [] : [[directory, 0]];
  }).map((group) => group.map(([entry], i): [T, number] => [entry, i]));
  const placeInDirectory = new Map(byDirectory.flat());
  addNearest(byDirectory, limit, add);

  const related = new Map<string, RelatedTunable<T>[]>();
  for (const entry of tunables) {
    const page = traits.get(entry)!;
    const ranked = [...candidates.get(entry)!].flatMap((other) => {
      const relation = relationOf(page, traits.get(other)!);
      if (!relation) return [];
      return [
        {
          related: { entry: other, ...relation },
          documented: relation.documentedTogether ? 0 : 1,
          linesApart: relation.sameSourceFile?.linesApart ?? Number.MAX_SAFE_INTEGER,
          sharedStart: relation.sameDirectory ? sharedStart(page.name, traits.get(other)!.name) : -1,
          namesApart: relation.sameDirectory ? Math.abs(placeInDirectory.get(entry)! - placeInDirectory.get(other)!) : Number.MAX_SAFE_INTEGER,
        },
      ];
    });
    ranked.sort(
      (a, b) =>
        a.documented - b.documented ||
        a.linesApart - b.linesApart ||
        b.sharedStart - a.sharedStart ||
        a.namesApart - b.namesApart ||
        compareText(a.related.entry.data.title, b.related.entry.data.title) ||
        compareText(a.related.entry.id, b.related.entry.id),
    );
    related.set(
      entry.id,
      ranked.slice(0, limit).map(({ related: one }) => one),
    );
  }
  return related;
}
