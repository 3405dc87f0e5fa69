/**
 * From what an operator types to a tunable page: `vm.swappiness`, `vm/swappiness`,
 * `/proc/sys/vm/swappiness`, a page id (`sysctl/vm/swappiness`), a sysfs path, concrete
 * instances of pattern pages (`net.ipv4.conf.eth0.rp_filter` → `net.ipv4.conf.<interface>.rp_filter`),
 * and boot and module parameters by name (`isolcpus`, `nvme_core.io_timeout`), by file
 * (`/sys/module/nvme_core/parameters/io_timeout`) or page id (`module/nvme_core/io_timeout`).
 * A sysctl wins over a module parameter of the same dotted name (`sunrpc.min_resvport`).
 */
import type { TunableEntry } from '#core/catalog.ts';
import { compareText } from '#core/kernels.ts';
import { bootParameterId, MODULE_PARAMETER_FILE, moduleParameterId, pageId, parameterIdOfFile } from '#core/paths.ts';
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

/** A boot or module parameter's page: by its name, its file under /sys/module, or its page id. */
function parameterPage(name: string, entries: ReadonlyMap<string, TunableEntry>): TunableEntry | undefined {
  const text = name.trim().replace(/\/+$/, '');
  const file = MODULE_PARAMETER_FILE.exec(text);
  if (file) return entries.get(parameterIdOfFile(file[1]!, file[2]!));
  if (/^(boot|module)\//.test(text)) return entries.get(text);
  const dot = text.indexOf('.');
  return (dot > 0 ? entries.get(moduleParameterId(text.slice(0, dot), text.slice(dot + 1))) : undefined) ?? entries.get(bootParameterId(text));
}

/** The page of a tunable name or path, with the instance it names; undefined when there is none. */
export function resolveName(name: string, entries: ReadonlyMap<string, TunableEntry>): Resolved | undefined {
  const asked = wanted(name);
  const exactPath = asked && asked.segments.length > 0 && !asked.segments.some((s) => s === '') ? `${ROOT[asked.kind]}${asked.segments.join('/')}` : undefined;
  // The page's own name, placeholders included.
  const exact = exactPath && entries.get(pageId(asked!.kind, exactPath));
  if (exact) return { entry: exact, path: exactPath, instance: [] };
  const parameter = parameterPage(name, entries);
  if (parameter) return { entry: parameter, path: parameter.data.path ?? parameter.data.title, instance: [] };
  if (!asked || !exactPath) return undefined;
  const path = exactPath;
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
  // A plain name may be a boot or module parameter's as well as a sysctl's.
  const kinds = asked.kind === 'sysctl' && !name.trim().startsWith('/') ? ['sysctl', 'boot', 'module'] : [asked.kind];
  const titles = [...entries.values()].filter(({ data }) => kinds.includes(data.kind)).map(({ data }) => data.title);
  const sameLeaf = asked.segments.length === 1 ? titles.filter((title) => title.split(asked.kind === 'sysctl' ? '.' : '/').at(-1) === leaf).sort(compareText) : [];
  return [...new Set([...sameLeaf, ...nearestNames(typed, titles)])].slice(0, 5);
}
