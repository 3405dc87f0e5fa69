/**
 * From what an operator types to a tunable page: `vm.swappiness`, `vm/swappiness`,
 * `/proc/sys/vm/swappiness`, a page id (`sysctl/vm/swappiness`), a sysfs path, and concrete
 * instances of pattern pages (`net.ipv4.conf.eth0.rp_filter` → `net.ipv4.conf.<interface>.rp_filter`).
 */
import type { TunableEntry } from '#core/catalog.ts';
import { compareText } from '#core/kernels.ts';
import { pageId } from '#core/paths.ts';
import { nearestNames } from '#core/sysctl-check/lint.ts';
import { dottedName, keySegments } from '#core/sysctl-check/parse.ts';
import type { MeasuredKind } from '#core/schemas/snapshot.ts';
import { collapsePath } from '#core/patterns.ts';
import { genericAttribute } from '#core/generic-attributes.ts';

export interface Resolved {
  entry: TunableEntry;
  /** The file the name stands for, e.g. `/proc/sys/net/ipv4/conf/eth0/rp_filter`. */
  path: string;
  /** The instance each placeholder of the page stands for here (`['eth0']`); empty for a plain page. */
  instance: string[];
}

interface Wanted {
  kind: MeasuredKind;
  /** Path segments below /proc/sys or /sys. */
  segments: string[];
}

const isPlaceholder = (segment: string) => /^<[a-z0-9-]+>$/.test(segment);

/** What the name asks for, or undefined when it cannot be a tunable's name. */
function wanted(name: string): Wanted | undefined {
  const text = name.trim();
  const below = (prefix: string) => text.slice(prefix.length).split('/').filter(Boolean);
  if (text.startsWith('/proc/sys/')) return { kind: 'sysctl', segments: below('/proc/sys/') };
  if (text.startsWith('/sys/')) return { kind: 'sysfs', segments: below('/sys/') };
  if (text.startsWith('sysfs/')) return { kind: 'sysfs', segments: below('sysfs/') };
  // A page id: sysctl/vm/swappiness, sysctl/net/ipv4/conf/_interface_/rp_filter.
  if (text.startsWith('sysctl/')) return { kind: 'sysctl', segments: below('sysctl/').map((s) => s.replace(/^_([a-z0-9-]+)_$/, '<$1>')) };
  const key = text.replace(/^[./]+|[./]+$/g, '');
  if (key === '' || /\s/.test(key)) return undefined;
  return { kind: 'sysctl', segments: keySegments(key) };
}

const ROOT: Record<MeasuredKind, string> = { sysctl: '/proc/sys/', sysfs: '/sys/' };

/** The page of a tunable name or path, with the instance it names; undefined when there is none. */
export function resolveName(name: string, entries: ReadonlyMap<string, TunableEntry>): Resolved | undefined {
  const asked = wanted(name);
  if (!asked || asked.segments.length === 0 || asked.segments.some((s) => s === '')) return undefined;
  const path = `${ROOT[asked.kind]}${asked.segments.join('/')}`;
  // The page's own name, placeholders included.
  const exact = entries.get(pageId(asked.kind, path));
  if (exact) return { entry: exact, path, instance: [] };
  // A concrete instance, collapsed the way the generator collapses what it scrapes.
  const { pattern, instance } = collapsePath(asked.kind, path, new Map());
  const collapsed = entries.get(pageId(asked.kind, pattern));
  if (collapsed) return { entry: collapsed, path, instance };
  // A copy of a generic device-model attribute has the generic attribute's page.
  const generic = asked.kind === 'sysfs' ? genericAttribute(pattern) : undefined;
  const genericEntry = generic && entries.get(pageId('sysfs', generic.path));
  if (genericEntry) return { entry: genericEntry, path, instance: [] };
  // Any page whose placeholders stand for segments of the name; the fewest placeholders wins.
  let best: { entry: TunableEntry; instance: string[] } | undefined;
  for (const entry of entries.values()) {
    if (entry.data.kind !== asked.kind || entry.data.path === null) continue;
    const known = entry.data.path.slice(ROOT[asked.kind].length).split('/');
    if (known.length !== asked.segments.length) continue;
    const filled: string[] = [];
    const fits = known.every((segment, i) => {
      if (!isPlaceholder(segment)) return segment === asked.segments[i];
      filled.push(asked.segments[i]!);
      return true;
    });
    if (fits && (!best || filled.length < best.instance.length)) best = { entry, instance: filled };
  }
  return best && { ...best, path };
}

/** How names read in suggestions: the sysctl name, or the sysfs path. */
function shownName(kind: MeasuredKind, segments: readonly string[]): string {
  return kind === 'sysctl' ? dottedName(segments) : `/sys/${segments.join('/')}`;
}

/**
 * Up to five names an unknown one may have meant: the tunables whose last part is the name
 * typed (`swappiness` → `vm.swappiness`), then the three nearest by edit distance.
 */
export function suggestNames(name: string, entries: ReadonlyMap<string, TunableEntry>): string[] {
  const asked = wanted(name);
  if (!asked || asked.segments.length === 0) return [];
  // A concrete instance is compared in the form pages are named: `eth0` as `<interface>`.
  const { pattern } = collapsePath(asked.kind, `${ROOT[asked.kind]}${asked.segments.join('/')}`, new Map());
  const typed = shownName(asked.kind, pattern.slice(ROOT[asked.kind].length).split('/'));
  const leaf = asked.segments.at(-1)!;
  const titles = [...entries.values()].filter(({ data }) => data.kind === asked.kind).map(({ data }) => data.title);
  const sameLeaf = asked.segments.length === 1 ? titles.filter((title) => title.split(asked.kind === 'sysctl' ? '.' : '/').at(-1) === leaf).sort(compareText) : [];
  return [...new Set([...sameLeaf, ...nearestNames(typed, titles)])].slice(0, 5);
}
