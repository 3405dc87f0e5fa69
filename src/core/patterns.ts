/**
 * Collapses instance segments of tunable paths (interfaces, devices, CPUs, NUMA nodes,
 * hugepage sizes, …) into `<placeholders>`, so one page covers every instance.
 */
import type { MeasuredKind } from './schemas/snapshot.ts';

interface InstanceRule {
  /** Tested against the pattern built so far (below /proc/sys or /sys, no leading slash). */
  parent: RegExp;
  segment: RegExp;
  /** Placeholder name, or a function of the parent match (for class and bus names). */
  placeholder: string | ((parent: RegExpExecArray) => string);
}

const ANY_PARENT = /(?:)/;
const ANY_SEGMENT = /^/;

/** `power_supply` → `power-supply`: placeholder names are lowercase words joined by dashes. */
const placeholderWord = (word: string) => word.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** Instance names that repeat with a number wherever they appear. */
const NUMBERED: InstanceRule[] = [
  { parent: ANY_PARENT, segment: /^cpu\d+$/, placeholder: 'cpu' },
  { parent: ANY_PARENT, segment: /^node\d+$/, placeholder: 'node' },
  { parent: ANY_PARENT, segment: /^memory\d+$/, placeholder: 'memory-block' },
  { parent: ANY_PARENT, segment: /^policy\d+$/, placeholder: 'cpufreq-policy' },
  { parent: ANY_PARENT, segment: /^index\d+$/, placeholder: 'cache-index' },
  { parent: ANY_PARENT, segment: /^domain\d+$/, placeholder: 'domain' },
  { parent: ANY_PARENT, segment: /^hugepages-\d+kB$/, placeholder: 'hugepage-size' },
  { parent: ANY_PARENT, segment: /^rx-\d+$/, placeholder: 'rx-queue' },
  { parent: ANY_PARENT, segment: /^tx-\d+$/, placeholder: 'tx-queue' },
  // One timer device and one machine-check device per CPU: with 64 CPUs, 64 of each.
  { parent: ANY_PARENT, segment: /^clockevent\d+$/, placeholder: 'clockevent' },
  { parent: ANY_PARENT, segment: /^machinecheck\d+$/, placeholder: 'machinecheck' },
];

const RULES: Record<MeasuredKind, InstanceRule[]> = {
  sysctl: [
    { parent: /^net\/(ipv4|ipv6|mpls)\/(conf|neigh)$/, segment: ANY_SEGMENT, placeholder: 'interface' },
    { parent: /^net\/netfilter\/nf_log$/, segment: /^\d+$/, placeholder: 'protocol-family' },
    { parent: /^fs\/binfmt_misc$/, segment: /^(?!register$|status$)/, placeholder: 'binfmt-entry' },
    ...NUMBERED,
  ],
  sysfs: [
    { parent: /^block$/, segment: ANY_SEGMENT, placeholder: 'device' },
    { parent: /^class\/net$/, segment: ANY_SEGMENT, placeholder: 'interface' },
    { parent: /^class\/([^/<]+)$/, segment: ANY_SEGMENT, placeholder: (m) => placeholderWord(m[1]!) },
    { parent: /^bus\/([^/<]+)\/devices$/, segment: ANY_SEGMENT, placeholder: (m) => `${placeholderWord(m[1]!)}-device` },
    { parent: /^bus\/([^/<]+)\/drivers$/, segment: ANY_SEGMENT, placeholder: (m) => `${placeholderWord(m[1]!)}-driver` },
    { parent: /^devices$/, segment: /^pci[0-9a-f]{4}:[0-9a-f]{2}$/, placeholder: 'pci-root' },
    { parent: /^kernel\/slab$/, segment: ANY_SEGMENT, placeholder: 'slab-cache' },
    ...NUMBERED,
    // Numbered children of a plural directory (DAMON's kdamonds/0/contexts/0/…): one of each.
    { parent: /([a-z_]+)s$/, segment: /^\d+$/, placeholder: (m) => placeholderWord(m[1]!) },
  ],
};

export interface Collapsed {
  /** The pattern, e.g. `/proc/sys/net/ipv4/conf/<interface>/rp_filter`. */
  pattern: string;
  /** The instance each placeholder stood for, e.g. `['eth0']`. */
  instance: string[];
}

function collapse(kind: MeasuredKind, root: string, relative: string): Collapsed {
  const built: string[] = [];
  const instance: string[] = [];
  for (const segment of relative.split('/')) {
    const parent = built.join('/');
    let replaced = false;
    for (const rule of RULES[kind]) {
      const parentMatch = rule.parent.exec(parent);
      if (parentMatch && rule.segment.test(segment)) {
        const name = typeof rule.placeholder === 'string' ? rule.placeholder : rule.placeholder(parentMatch);
        built.push(`<${name}>`);
        instance.push(segment);
        replaced = true;
        break;
      }
    }
    if (!replaced) built.push(segment);
  }
  return { pattern: `${root}${built.join('/')}`, instance };
}

/**
 * Chooses, for every device directory that a link names, the alias operators use:
 * /sys/block/X before /sys/class/C/X before /sys/bus/B/devices/X.
 */
export function deviceAliases(links: Record<string, string>): Map<string, string> {
  const rank = (alias: string) => (alias.startsWith('/sys/block/') ? 0 : alias.startsWith('/sys/class/') ? 1 : 2);
  const aliases = new Map<string, string>();
  for (const [alias, target] of Object.entries(links).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const current = aliases.get(target);
    if (current === undefined || rank(alias) < rank(current)) aliases.set(target, alias);
  }
  return aliases;
}

/**
 * Names an attribute under /sys/devices by its nearest named device:
 * `/sys/devices/…/net/eth0/mtu` → `/sys/class/net/eth0/mtu`. System devices
 * (/sys/devices/system/cpu/cpu0, …) keep their path: it is the one operators use.
 */
export function canonicalSysfsPath(path: string, aliases: Map<string, string>): string {
  if (!path.startsWith('/sys/devices/') || path.startsWith('/sys/devices/system/')) return path;
  for (let dir = path; dir.length > '/sys/devices'.length; dir = dir.slice(0, dir.lastIndexOf('/'))) {
    const alias = aliases.get(dir);
    if (alias) return alias + path.slice(dir.length);
  }
  return path;
}

export function collapsePath(kind: MeasuredKind, path: string, aliases: Map<string, string>): Collapsed {
  if (kind === 'sysctl') return collapse(kind, '/proc/sys/', path.slice('/proc/sys/'.length));
  return collapse(kind, '/sys/', canonicalSysfsPath(path, aliases).slice('/sys/'.length));
}
