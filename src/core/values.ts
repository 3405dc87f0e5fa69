/**
 * How measured values read on a page: table cells, and the example commands that set a
 * tunable. Pure, so pages, index tables and tests agree on the wording.
 */
import type { ValueType } from './schemas/docs.ts';
import type { SnapshotEntry } from './schemas/snapshot.ts';
import type { DefaultKind, KernelFacts, TunableFrontmatter } from './schemas/tunable.ts';
import { newestFacts } from './kernels.ts';
import { ruleInputText, ruleText } from './machine-rules.ts';

type Reading = Pick<KernelFacts, 'default' | 'defaultKind' | 'error' | 'shapes' | 'scalesWith' | 'rule'>;
type Shape = NonNullable<KernelFacts['shapes']>[number];

/** The text of a default: the value, or why there is none. Also what "default changed" compares. */
/**
 * `scales with memory`: what a machine-scaled default follows, as far as the shapes booted
 * tell, or as their rule says (`scales with possible CPUs`). Where they tell nothing, the
 * value only differs between shapes: measured, but not shown to scale.
 */
export function scalingText(scalesWith: KernelFacts['scalesWith'], rule?: KernelFacts['rule']): string {
  if (rule) return `scales with ${ruleInputText(rule.per)}`;
  const [only, ...more] = scalesWith ?? [];
  if (!only) return 'differs between machine shapes';
  if (more.length > 0) return 'scales with CPUs and memory';
  return only === 'memory' ? 'scales with memory' : 'scales with the number of CPUs';
}

/** The rule where the shapes agree on one (`1024 per possible CPU, at least 32768`), else `scalingText`. */
export function scalingDetail(scalesWith: KernelFacts['scalesWith'], rule?: KernelFacts['rule']): string {
  return rule ? ruleText(rule) : scalingText(scalesWith);
}

/** Whether a boot read the value: `unmeasured` and `source` defaults come from no boot. */
export function readByBoot(kind: DefaultKind): boolean {
  return kind !== 'unmeasured' && kind !== 'source';
}

/** The value, or why there is none; a `source` default reads as its value (`DefaultValue` says where it is from). */
export function defaultText({ default: value, defaultKind, error, shapes, scalesWith, rule }: Reading): string {
  if (error !== undefined) return `unreadable: ${error}`;
  if (defaultKind === 'volatile') return 'runtime state (no default)';
  if (defaultKind === 'varies') return 'differs by where it appears';
  if (defaultKind === 'unmeasured') return 'not measured';
  if (defaultKind === 'machine') return shapes && shapes.length > 0 ? `${scalingDetail(scalesWith, rule)} (${formatShapes(shapes)})` : scalingDetail(scalesWith, rule);
  if (value === null) return defaultKind === 'unreadable' ? 'unreadable' : '—';
  return value === '' ? '(empty)' : value;
}

/** `1 GiB`, or MiB below one GiB. */
function memoryLabel(kiB: number, decimals: number): string {
  const gib = Number((kiB / 2 ** 20).toFixed(decimals));
  return gib >= 1 ? `${gib} GiB` : `${Math.round(kiB / 1024)} MiB`;
}

/**
 * `1 CPU, 1 GiB` for each shape, `1 CPU (64 possible), 16 GiB` where more CPUs are possible
 * than online. Memory is the kernel's MemTotal, a little below what the machine was booted
 * with, so whole GiB read as the shape that was booted; decimals appear only when whole GiB
 * would make two shapes look the same. Unknown memory (0) is left out.
 */
export function shapeLabels(shapes: readonly Pick<Shape, 'cpus' | 'possibleCpus' | 'memoryKiB'>[]): string[] {
  let labels: string[] = [];
  for (const decimals of [0, 1, 2]) {
    labels = shapes.map(
      ({ cpus, possibleCpus, memoryKiB }) =>
        `${cpus} ${cpus === 1 ? 'CPU' : 'CPUs'}${possibleCpus === undefined ? '' : ` (${possibleCpus} possible)`}${memoryKiB > 0 ? `, ${memoryLabel(memoryKiB, decimals)}` : ''}`,
    );
    if (new Set(labels).size === labels.length) break;
  }
  return labels;
}

/** `1 CPU, 1 GiB: 7663; 4 CPUs, 4 GiB: 31862`. */
export function formatShapes(shapes: readonly Shape[]): string {
  const labels = shapeLabels(shapes);
  return shapes.map(({ value }, i) => `${labels[i]}: ${value}`).join('; ');
}

/** One instance of a path pattern, e.g. `eth0` of `net.ipv4.conf.<interface>.rp_filter`. */
export function shownInstanceValue({ value, error }: { value: string | null; error?: string | undefined }): string {
  if (error !== undefined) return `unreadable: ${error}`;
  if (value === null) return '—';
  return value === '' ? '(empty)' : value;
}

/** Index tables show the start of long values (binary dumps run to kilobytes). */
export function abbreviate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Longer values are dumps, not settings anyone types: the commands show `VALUE` instead. */
const MAX_EXAMPLE_LENGTH = 120;

/**
 * The value the example commands write: the one measured on the newest kernel when it is a
 * plain setting, else `VALUE`. For a choice list such as `always [madvise] never` the
 * bracketed (selected) word is what the kernel accepts back.
 */
export function exampleValue(facts: KernelFacts): string {
  const value = facts.default;
  const plain =
    value !== null &&
    value !== '' &&
    (facts.defaultKind === 'constant' || facts.defaultKind === 'machine' || facts.defaultKind === 'source') &&
    !facts.binary &&
    !facts.truncated &&
    value.length <= MAX_EXAMPLE_LENGTH;
  if (!plain) return 'VALUE';
  const words = value.split(' ');
  const selected = words.filter((word) => /^\[[^\]]+\]$/.test(word));
  return words.length > 1 && selected.length === 1 ? selected[0]!.slice(1, -1) : value;
}

/** Quotes one shell word when it needs it; `<placeholders>` must not read as redirections. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_.,:=/+@%-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export type SetCommands =
  | { kind: 'sysctl'; shell: string; confFile: string; confLine: string }
  | { kind: 'sysfs'; shell: string }
  | {
      kind: 'module';
      /** Writes the loaded module's file: only where the newest kernel has it writable. */
      shell?: string;
      /** For every later load of the module: an `options` line in /etc/modprobe.d. */
      confFile: string;
      confLine: string;
      /** On the kernel command line: the way for a built-in module, and before the module loads. */
      cmdline: string;
    }
  | {
      kind: 'boot';
      /** Writes its file under /sys/module/kernel: only where the newest kernel has it writable. */
      shell?: string;
      cmdline: string;
    };

/**
 * Commands that set a writable tunable or a module parameter, or undefined when there is
 * no way to (read-only; a boot parameter, whose page shows its documented format). Names
 * with `<placeholders>` keep them: the reader substitutes a real instance.
 */
export function setCommands(data: TunableFrontmatter): SetCommands | undefined {
  const newest = newestFacts(data.kernels).facts;
  const value = exampleValue(newest);
  // A parameter's file under /sys/module, where the newest kernel has it writable.
  const runtimeShell = newest.parameter?.settable === 'runtime' && data.path !== null ? { shell: `echo ${shellQuote(value)} > ${shellQuote(data.path)}` } : {};
  if (data.kind === 'module') {
    const [module, ...rest] = data.title.split('.');
    const name = rest.join('.');
    return {
      kind: 'module',
      ...runtimeShell,
      confFile: `/etc/modprobe.d/${module}.conf`,
      confLine: `options ${module} ${shellQuote(`${name}=${value}`)}`,
      cmdline: shellQuote(`${data.title}=${value}`),
    };
  }
  if (data.kind === 'boot') {
    // Only a boot parameter a boot read has a value to show; the others' pages show their documented format.
    if (newest.defaultKind !== 'constant' || value === 'VALUE') return undefined;
    return { kind: 'boot', ...runtimeShell, cmdline: shellQuote(`${data.title}=${value}`) };
  }
  if (!data.writable || data.path === null) return undefined;
  if (data.kind === 'sysfs') return { kind: 'sysfs', shell: `echo ${shellQuote(value)} > ${shellQuote(data.path)}` };
  // sysctl.d file names cannot sensibly hold `<` and `>`: `<interface>` becomes `interface`.
  const fileName = data.title.replace(/<([^>]+)>/g, '$1');
  return {
    kind: 'sysctl',
    shell: `sysctl -w ${shellQuote(`${data.title}=${value}`)}`,
    confFile: `/etc/sysctl.d/90-${fileName}.conf`,
    confLine: `${data.title} = ${value}`,
  };
}

/**
 * Namespace scope as measured. Only reference kernels booted under qemu test namespaces:
 * elsewhere no namespace means "not tested", not "global".
 */
export function scopeText({ namespace, source, instanceNamespaces }: Pick<KernelFacts, 'namespace' | 'source' | 'instanceNamespaces'>): string {
  const scope = (kind: KernelFacts['namespace']) => (kind !== null ? `per ${kind} namespace` : 'global');
  if (source !== 'qemu' && namespace === null) return 'namespaces not tested';
  const others = Object.entries(instanceNamespaces ?? {}).map(([instance, kind]) => `${instance}: ${scope(kind)}`);
  return [scope(namespace), ...others].join('; ');
}

/** Longest value kept in a page; longer ones end in `…` and are marked truncated. */
export const MAX_SHOWN_VALUE = 512;

/** Printable ASCII kept, every other byte as `\xNN`: binary attributes stay readable. */
function escapeBinary(bytes: Uint8Array): string {
  return [...bytes].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

/** Text as pages show it: whitespace collapsed, cut at MAX_SHOWN_VALUE with `…`. */
export function shownText(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > MAX_SHOWN_VALUE ? `${collapsed.slice(0, MAX_SHOWN_VALUE)}…` : collapsed;
}

/** The value as pages show it: the text read, whitespace collapsed. */
export function shownValue(entry: SnapshotEntry): { value: string | null; binary: boolean; truncated: boolean } {
  if (entry.value === undefined) return { value: null, binary: false, truncated: false };
  const binary = entry.encoding === 'base64';
  const text = (binary ? escapeBinary(Uint8Array.from(atob(entry.value), (c) => c.charCodeAt(0))) : entry.value).replace(/\s+/g, ' ').trim();
  const truncated = Boolean(entry.truncated) || text.length > MAX_SHOWN_VALUE;
  return { value: shownText(text), binary, truncated };
}

/**
 * A time the kernel reads in hundredths or thousandths of a second, in seconds (`80`
 * centiseconds is `0.8 s`); null for another type or a value that is not one integer.
 */
export function inSeconds(value: string, type: ValueType | null | undefined): string | null {
  const perSecond = type === 'centiseconds' ? 100 : type === 'milliseconds' ? 1000 : undefined;
  if (perSecond === undefined || !/^-?\d+$/.test(value.trim())) return null;
  return `${Number(value.trim()) / perSecond} s`;
}
