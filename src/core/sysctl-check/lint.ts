/**
 * Checks sysctl settings against the measured data of one reference kernel: per line, what
 * an operator should know (a typo, a key the kernel lacks, a value out of range, a
 * read-only key, a setting that changes nothing or what it changes from). Pure and
 * browser-safe: the "Check my system" page and `kernel-tunables lint` share it.
 */
import { distance } from 'fastest-levenshtein';
// Types only: the page's bundle must not carry zod.
import type { CheckData, Finding, FindingKind } from '../schemas/check.ts';
import { referenceBootWordOf } from '../kernels.ts';
import { machineLabel, ruleText, ruleValue, type Machine } from '../machine-rules.ts';
import { dottedName, parseSources, segmentMatcher, type Assignment, type SysctlSource } from './parse.ts';

type ExportedTunable = CheckData['tunables'][number];

/** Findings that mean the settings will not apply as written: `lint` exits 1 on them. */
export const ERROR_KINDS: ReadonlySet<FindingKind> = new Set(['syntax', 'unknown-key', 'not-on-kernel', 'out-of-range', 'not-writable', 'built-in']);
type KernelFacts = ExportedTunable['kernels'][string];

/** One sysctl of the data, with its path split into segments (`<interface>` matches any one). */
interface CatalogEntry {
  tunable: ExportedTunable;
  segments: string[];
  name: string;
}

export interface CheckCatalog {
  kernels: string[];
  entries: CatalogEntry[];
}

/** What is checked: configuration files, or a dump of every value (`sysctl -a`), where read-only keys and unchanged values are expected. */
export type SourceKind = 'config' | 'dump';

const isPlaceholder = (segment: string) => segment.startsWith('<') && segment.endsWith('>');

export function checkCatalog(data: CheckData): CheckCatalog {
  return {
    kernels: data.kernels.map(({ id }) => id),
    entries: data.tunables.flatMap((tunable) => {
      if (tunable.kind !== 'sysctl' || tunable.path === null) return [];
      const segments = tunable.path.replace(/^\/proc\/sys\//, '').split('/');
      return [{ tunable, segments, name: dottedName(segments) }];
    }),
  };
}

function matches(assignment: Assignment, entry: CatalogEntry): boolean {
  if (assignment.segments.length !== entry.segments.length) return false;
  return assignment.segments.every((segment, i) => {
    const known = entry.segments[i]!;
    if (isPlaceholder(known)) return true;
    return assignment.glob ? segmentMatcher(segment)(known) : segment === known;
  });
}

/** Up to three of the `known` names closest to a mistyped one (by edit distance, within a quarter of its length). */
export function nearestNames(name: string, known: readonly string[]): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  return known
    .map((candidate) => ({ candidate, cost: distance(name, candidate) }))
    .filter(({ cost }) => cost <= limit)
    .sort((a, b) => a.cost - b.cost || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

const writable = (facts: KernelFacts) => facts.mode !== null && (Number.parseInt(facts.mode, 8) & 0o200) !== 0;
const normalised = (value: string) => value.trim().split(/\s+/).join(' ');

function asInteger(token: string): bigint | undefined {
  return /^[-+]?\d+$/.test(token) ? BigInt(token) : /^0x[0-9a-f]+$/i.test(token) ? BigInt(token) : undefined;
}

/** How the kernel reads each numeric type, in words. */
const NUMERIC_TYPES: Readonly<Record<string, string>> = {
  integer: 'an integer',
  'unsigned integer': 'an unsigned integer',
  long: 'a long integer',
  boolean: 'a boolean (0 or 1)',
  jiffies: 'an integer (seconds, stored as jiffies)',
  centiseconds: 'an integer (hundredths of a second, stored as jiffies)',
  milliseconds: 'an integer (milliseconds)',
  'integer vector': 'integers',
};

/**
 * What the C variable of each numeric type holds: the int handlers refuse a value beyond
 * it, even where the `ctl_table` states no bound (`kernel.pid_max = 99999999999`). `long`,
 * milliseconds and vectors are left out: their handlers read ints or unsigned longs alike.
 */
const TYPE_LIMITS: Readonly<Record<string, { min: bigint; max: bigint; c: string }>> = {
  integer: { min: -(2n ** 31n), max: 2n ** 31n - 1n, c: 'int' },
  'unsigned integer': { min: 0n, max: 2n ** 32n - 1n, c: 'unsigned int' },
  jiffies: { min: -(2n ** 31n), max: 2n ** 31n - 1n, c: 'int' },
  centiseconds: { min: -(2n ** 31n), max: 2n ** 31n - 1n, c: 'int' },
};

/**
 * Why `value` cannot be right for the type and range the kernel states, or for the values
 * it accepted when measured (where its source states no bound), or undefined.
 */
function rangeProblem(value: string, { type, range, accepted }: Pick<KernelFacts, 'type' | 'range' | 'accepted'>): string | undefined {
  const expected = type ? NUMERIC_TYPES[type] : accepted ? 'integers' : undefined;
  if (!expected) return undefined;
  const tokens = value.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return `an empty value, where the kernel reads ${expected}`;
  const elements = type === 'integer vector' ? undefined : type ? 1 : (accepted?.elements ?? 1);
  if (elements !== undefined && tokens.length > elements) return `${tokens.length} values, where the kernel reads ${elements === 1 ? expected : `${elements} integers`}`;
  const min = range?.min ? asInteger(range.min) : undefined;
  const max = range?.max ? asInteger(range.max) : undefined;
  for (const token of tokens) {
    const number = asInteger(token);
    if (number === undefined) return `"${token}" is not a number (the kernel reads ${expected})`;
    if (type === 'unsigned integer' && number < 0n) return `${token} is negative (the kernel reads ${expected})`;
    if (type === 'boolean' && number !== 0n && number !== 1n) return `${token} is not 0 or 1 (the kernel reads ${expected})`;
    if ((min !== undefined && number < min) || (max !== undefined && number > max)) {
      return `${token} is outside the valid range ${range?.min ?? '…'} – ${range?.max ?? '…'}`;
    }
    const limits = type ? TYPE_LIMITS[type] : undefined;
    if (limits && (number < limits.min || number > limits.max)) return `${token} does not fit the kernel's ${limits.c} (${limits.min} – ${limits.max})`;
    // Measured: the kernel refused writes beyond these (where the source states a bound, it was checked above).
    if (accepted && ((min === undefined && number < BigInt(accepted.min)) || (max === undefined && number > BigInt(accepted.max)))) {
      return `${token} is refused: writing it, the kernel accepted ${accepted.min} – ${accepted.max} only (measured)`;
    }
  }
  return undefined;
}

/** What the checked files set each sysctl to in the end, by name: a bound that is another sysctl's value is checked against it. */
type FinalSetting = (name: string) => Assignment | undefined;

/**
 * Why `value` breaks a bound that is another sysctl's current value (`net.sctp.rto_min` ≤
 * `net.sctp.rto_max`), judged only where the same files set that sysctl too: its value on
 * the machine is not known here, and its default would be a guess.
 */
function relationProblem(value: string, { openBounds }: Pick<KernelFacts, 'openBounds'>, finalSetting: FinalSetting): string | undefined {
  const number = asInteger(value.trim());
  if (number === undefined) return undefined;
  for (const side of ['min', 'max'] as const) {
    const bounding = openBounds?.[side]?.sysctl;
    const other = bounding === undefined ? undefined : finalSetting(bounding);
    const limit = other && asInteger(other.value.trim());
    if (other === undefined || limit === undefined) continue;
    const where = `${bounding} (${other.value} at ${other.file}:${other.line})`;
    if (side === 'min' && number < limit) return `${value} is below ${where}, the lower bound`;
    if (side === 'max' && number > limit) return `${value} is above ${where}, the upper bound`;
  }
  return undefined;
}

function machineDefault(facts: KernelFacts): string {
  const shapes = (facts.shapes ?? []).map(
    ({ cpus, possibleCpus, memoryKiB, value }) => `${value} on ${cpus} CPU${cpus === 1 ? '' : 's'}${possibleCpus === undefined ? '' : ` (${possibleCpus} possible)`} / ${Math.round(memoryKiB / 1024)} MiB`,
  );
  const follows = facts.scalesWith?.length ? ` (scales with ${facts.scalesWith.join(' and ')})` : '';
  return `the default depends on the machine${follows}${shapes.length ? `: ${shapes.join(', ')}` : ''}`;
}

interface Checked {
  kind: FindingKind;
  message: string;
}

/** The findings for one assignment on one tunable the kernel has. */
function checkOn(assignment: Assignment, entry: CatalogEntry, series: string, facts: KernelFacts, sourceKind: SourceKind, finalSetting: FinalSetting, machine: Machine): Checked[] {
  const found: Checked[] = [];
  if (sourceKind === 'config' && !writable(facts)) found.push({ kind: 'not-writable', message: `${entry.name} is read-only on ${series} (mode ${facts.mode}): setting it fails` });
  // This kernel's own statements where it has them: bounds change between kernels.
  const problem = rangeProblem(assignment.value, facts.type !== undefined ? facts : { ...entry.tunable, accepted: facts.accepted }) ?? relationProblem(assignment.value, facts, finalSetting);
  if (problem) found.push({ kind: 'out-of-range', message: `${problem} for ${entry.name}` });
  // A value the kernel refuses changes nothing: comparing it with the default would only add noise.
  if (problem) return found;
  // A default the reference boots' own command line set (kernel.panic: panic=-1) is no kernel's default to compare with.
  const setByReferenceBoot = referenceBootWordOf(facts) !== undefined;
  if (!setByReferenceBoot && facts.defaultKind === 'constant' && facts.default !== null) {
    if (normalised(facts.default) === normalised(assignment.value)) {
      if (sourceKind === 'config') found.push({ kind: 'same-as-default', message: `${assignment.value} is already the default on ${series}: this line changes nothing` });
    } else found.push({ kind: 'differs-from-default', message: `${assignment.value} instead of the default ${facts.default} on ${series}` });
  } else if (!setByReferenceBoot && facts.defaultKind === 'machine') {
    // With the machine given and a rule the shapes agree on, the default is known for this machine.
    const expected = facts.rule && ruleValue(facts.rule, machine);
    const on = expected === undefined ? '' : ` on ${series} for ${machineLabel(machine)} (${ruleText(facts.rule!)})`;
    if (expected === undefined) found.push({ kind: 'differs-from-default', message: `${assignment.value}; ${machineDefault(facts)}` });
    else if (normalised(expected) !== normalised(assignment.value)) found.push({ kind: 'differs-from-default', message: `${assignment.value} instead of the default ${expected}${on}` });
    else if (sourceKind === 'config') found.push({ kind: 'same-as-default', message: `${assignment.value} is already the default${on}: this line changes nothing` });
  }
  if (sourceKind === 'config' && facts.namespace) {
    found.push({ kind: 'namespaced', message: `per ${facts.namespace} namespace: this sets the value of the namespace it runs in (the host's at boot), not of others` });
  }
  return found;
}

/**
 * Findings for every line of the sources on kernel `series`, in file and line order. With
 * the `machine` they are for (CPUs, memory), a machine-scaled default with a rule is
 * compared as the default that machine gets.
 */
export function lintSources(sources: readonly SysctlSource[], catalog: CheckCatalog, series: string, sourceKind: SourceKind = 'config', machine: Machine = {}): Finding[] {
  if (!catalog.kernels.includes(series)) throw new Error(`no reference kernel "${series}" (known: ${catalog.kernels.join(', ')})`);
  const { assignments, problems } = parseSources(sources);
  const findings: Finding[] = problems.map(({ file, line, message }) => ({ file, line, key: '', kind: 'syntax', message, tunables: [] }));

  // sysctl.d(5): a later assignment of the same key, or of the same glob, wins. An explicit
  // key also beats any glob matching it, whatever the order — but a glob here stands for
  // many instances of a tunable, so that precedence is never reported as an override.
  const lastOf = new Map<string, Assignment>();
  for (const assignment of assignments) if (!assignment.exclusion) lastOf.set(assignment.segments.join('\u0000'), assignment);
  // A bound is checked against explicit keys only: a key beats any glob, so a glob's value may never reach the bounding sysctl.
  const explicitByName = new Map<string, Assignment>();
  for (const assignment of assignments) if (!assignment.exclusion && !assignment.glob) explicitByName.set(dottedName(assignment.segments), assignment);
  const finalSetting: FinalSetting = (name) => explicitByName.get(name);

  for (const assignment of assignments) {
    const base = { file: assignment.file, line: assignment.line, key: assignment.written };
    const link = (entries: CatalogEntry[]) => entries.map(({ tunable }) => ({ name: tunable.name, url: tunable.url }));
    const matched = catalog.entries.filter((entry) => matches(assignment, entry));
    if (matched.length === 0) {
      const name = dottedName(assignment.segments);
      const suggestions = assignment.glob ? [] : nearestNames(name, catalog.entries.map((entry) => entry.name));
      const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : '';
      findings.push({ ...base, kind: 'unknown-key', message: `no sysctl ${assignment.glob ? 'matches' : 'is named'} ${name} on any reference kernel${hint}`, tunables: link(catalog.entries.filter((entry) => suggestions.includes(entry.name))) });
      continue;
    }
    const winner = assignment.exclusion ? assignment : lastOf.get(assignment.segments.join('\u0000'));
    // An overridden line has no effect, but its errors are still errors.
    const overridden = winner !== undefined && winner !== assignment;
    if (overridden) findings.push({ ...base, kind: 'overridden', message: `set again at ${winner.file}:${winner.line}, which wins`, tunables: link(matched) });
    const onKernel = matched.filter((entry) => entry.tunable.kernels[series]);
    if (onKernel.length === 0) {
      const elsewhere = [...new Set(matched.flatMap((entry) => Object.keys(entry.tunable.kernels)))];
      findings.push({ ...base, kind: 'not-on-kernel', message: `not on ${series}; measured on ${elsewhere.join(', ')}`, tunables: link(matched) });
      continue;
    }
    // An exclusion sets nothing: only whether its key exists matters.
    if (assignment.exclusion) continue;
    // A glob names several tunables: one finding per kind, listing the tunables it concerns.
    const byKind = new Map<FindingKind, { message: string; entries: CatalogEntry[] }>();
    for (const entry of onKernel) {
      for (const { kind, message } of checkOn(assignment, entry, series, entry.tunable.kernels[series]!, sourceKind, finalSetting, machine)) {
        if (overridden && !ERROR_KINDS.has(kind)) continue;
        const seen = byKind.get(kind);
        if (seen) seen.entries.push(entry);
        else byKind.set(kind, { message, entries: [entry] });
      }
    }
    for (const [kind, { message, entries }] of byKind) {
      const others = entries.length > 1 ? ` (and ${entries.length - 1} more matching ${assignment.written})` : '';
      findings.push({ ...base, kind, message: `${message}${others}`, tunables: link(entries) });
    }
  }
  return inSourceOrder(findings, sources.map(({ name }) => name));
}

/** Findings by source (in the order given), then line; stable, so the findings of one line keep the order they were found in. */
export function inSourceOrder(findings: Finding[], sources: readonly string[]): Finding[] {
  const order = new Map(sources.map((name, i) => [name, i]));
  return findings.sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line);
}
