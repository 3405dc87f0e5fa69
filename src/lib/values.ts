/**
 * How measured values read on a page: table cells, and the example commands that set a
 * tunable. Pure, so pages, index tables and tests agree on the wording.
 */
import type { DefaultKind, KernelFacts, TunableFrontmatter } from '../schemas/tunable.ts';
import { newestFacts } from './kernels.ts';

type Reading = Pick<KernelFacts, 'default' | 'defaultKind' | 'error'>;

/** The text of a value cell: the value, or why there is none. */
export function shownValue({ default: value, defaultKind, error }: Reading): string {
  if (error !== undefined) return `unreadable: ${error}`;
  if (defaultKind === 'volatile') return 'runtime state';
  if (value === null) return defaultKind === 'unreadable' ? 'unreadable' : '—';
  return value === '' ? '(empty)' : value;
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

export const DEFAULT_KIND_LABELS: Record<DefaultKind, string> = {
  constant: 'constant',
  machine: 'depends on machine',
  volatile: 'volatile',
  unreadable: 'unreadable',
};

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
    (facts.defaultKind === 'constant' || facts.defaultKind === 'machine') &&
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
  | { kind: 'sysfs'; shell: string };

/**
 * Commands that set a writable tunable, or undefined when it is read-only. Names with
 * `<placeholders>` keep them: the reader substitutes a real instance.
 */
export function setCommands(data: TunableFrontmatter): SetCommands | undefined {
  if (!data.writable) return undefined;
  const value = exampleValue(newestFacts(data.kernels).facts);
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
