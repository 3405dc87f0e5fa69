/**
 * `kernel-tunables diff`: this machine's /proc/sys against one reference kernel's defaults.
 * It walks /proc/sys with the scraper's walker (no symlinks followed; reads through a
 * killable worker process), so a read that blocks costs its timeout and the rest go on.
 * Nothing is written.
 */
import { join } from 'node:path';
import { compareKernelIds, compareText } from '#core/kernels.ts';
import { pageId, pageUrl, seriesOf } from '#core/paths.ts';
import { dottedName } from '#core/sysctl-check/parse.ts';
import { abbreviate, formatShapes, scalingText, shownValue } from '#core/values.ts';
import type { KernelFacts, ScalingFactor } from '#core/schemas/tunable.ts';
import { collapsePath } from '#core/patterns.ts';
import { machineLabel, ruleText, ruleValue, type Machine } from '#core/machine-rules.ts';
import { describeKernel } from '../lib/walk/machine.ts';
import { walk } from '../lib/walk/walk.ts';
import type { CliData } from './data.ts';
import { columns, painter, UsageError } from './style.ts';

/** As the scraper reads: values past this are cut (and compared as cut). */
const MAX_BYTES = 16384;
/** Longest value shown in the text report. */
const MAX_SHOWN = 80;

export interface DiffOptions {
  /** `/` for this machine, or a directory laid out like it. */
  root: string;
  series: string;
  timeoutMs: number;
}

export interface Differs {
  name: string;
  path: string;
  live: string;
  default: string;
  /**
   * What `default` is: the reference kernel's default; the same instance's value there
   * (`net.ipv4.conf.all.*`); or, for an instance it did not have (`eth0`), the value new
   * instances start from (the `default` instance's), which drivers may override; or what
   * the reference kernel's machine rule gives on this machine (`kernel.pid_max`: 1024 per
   * possible CPU, at least 32768), named in `rule`.
   */
  basis: 'default' | 'instance' | 'new-instance' | 'machine-rule';
  rule?: string;
  /** Writable here: a setting. A read-only value that differs is a fact of this kernel's build. */
  writable: boolean;
  url: string;
}

export interface Scaled {
  name: string;
  path: string;
  live: string;
  scalesWith: ScalingFactor[];
  /** The reference kernel's value on each machine shape it was booted on. */
  shapes: { cpus: number; memoryKiB: number; value: string }[];
  url: string;
}

export interface DiffReport {
  /** `machine`: its CPUs (online and possible) and memory, where the root describes them; machine rules are computed for it. */
  live: { release: string | null; series: string | null; machine: Machine | null };
  reference: { series: string; release: string };
  differs: Differs[];
  scaled: Scaled[];
  /** On this machine, but no page has it (a newer kernel, a module the reference kernels did not load, …). */
  notInData: { name: string; path: string; live: string | null }[];
  /** Pages exist, but from other kernels than the reference one. */
  notOnReference: { name: string; path: string; measuredOn: string[]; url: string }[];
  counts: {
    read: number;
    differs: number;
    same: number;
    scaled: number;
    /** Runtime state on the reference kernel, or changed between two reads here: never a default. */
    runtimeState: number;
    /** Unreadable here (write-only, EACCES, timeout) or on the reference kernel. */
    unreadable: number;
    notInData: number;
    notOnReference: number;
    /** Sysctls the reference kernel has that this machine lacks. */
    missingHere: number;
  };
}

/** The reference value to compare with: the same instance's (`all`, `default`, `lo`) where it was measured, else the page's default. */
function referenceValue(facts: KernelFacts, instance: string[]): { value: string | null; basis: Differs['basis'] } {
  if (instance.length === 0) return { value: facts.default, basis: 'default' };
  const same = facts.instances?.find((one) => one.instance === instance.join(' / '));
  if (same) return { value: same.error === undefined ? same.value : null, basis: 'instance' };
  return { value: facts.default, basis: 'new-instance' };
}

/** The machine the root describes (CPUs online and possible, memory), or null where it does not say. */
async function liveMachine(root: string): Promise<Machine | null> {
  try {
    const { cpus, possibleCpus, memoryKiB } = (await describeKernel(root)).machine;
    return { cpus, ...(possibleCpus !== undefined && { possibleCpus }), ...(memoryKiB > 0 && { memoryKiB }) };
  } catch {
    return null;
  }
}

const nameOf = (path: string) => dottedName(path.slice('/proc/sys/'.length).split('/'));

export async function diffLive(data: CliData, options: DiffOptions, progress: (text: string) => void): Promise<DiffReport> {
  progress(`reading ${join(options.root, 'proc/sys')} twice (a read that blocks is abandoned after ${options.timeoutMs} ms)`);
  // Read twice, as the scraper reads: a value that changes between reads is runtime state here, not a setting.
  const { entries: files, skipped } = await walk({ root: options.root, maxBytes: MAX_BYTES, timeoutMs: options.timeoutMs, reads: 2, kinds: ['sysctl'] });
  const unopened = skipped.find(({ path }) => path === '/proc/sys');
  if (unopened) throw new UsageError(`cannot read ${join(options.root, 'proc/sys')}: ${unopened.reason} (diff reads a Linux machine's /proc/sys)`);
  const values = files.map((file) => shownValue(file).value);

  const osrelease = files.findIndex((file) => file.path === '/proc/sys/kernel/osrelease');
  const release = osrelease === -1 ? null : values[osrelease] ?? null;
  let liveSeries: string | null = null;
  try {
    liveSeries = release && seriesOf(release);
  } catch {
    liveSeries = null;
  }
  const referenceRelease = data.export.kernels.find(({ id }) => id === options.series)!.release;
  const machine = await liveMachine(options.root);
  const report: DiffReport = {
    live: { release, series: liveSeries, machine },
    reference: { series: options.series, release: referenceRelease },
    differs: [],
    scaled: [],
    notInData: [],
    notOnReference: [],
    counts: { read: files.length, differs: 0, same: 0, scaled: 0, runtimeState: 0, unreadable: 0, notInData: 0, notOnReference: 0, missingHere: 0 },
  };

  const seen = new Set<string>();
  files.forEach((file, index) => {
    const { pattern, instance } = collapsePath('sysctl', file.path, new Map());
    const id = pageId('sysctl', pattern);
    seen.add(id);
    const entry = data.entries.get(id);
    const live = values[index]!;
    const name = nameOf(file.path);
    if (!entry) {
      report.notInData.push({ name, path: file.path, live });
      return;
    }
    const facts = entry.data.kernels[options.series];
    if (!facts) {
      report.notOnReference.push({ name, path: file.path, measuredOn: Object.keys(entry.data.kernels).sort(compareKernelIds), url: pageUrl(id) });
      return;
    }
    if (facts.defaultKind === 'volatile') {
      report.counts.runtimeState++;
      return;
    }
    if (live === null || facts.defaultKind === 'unreadable') {
      report.counts.unreadable++;
      return;
    }
    const compare = (reference: { value: string; basis: Differs['basis']; rule?: string }) => {
      if (reference.value === live) report.counts.same++;
      else if (file.changed) report.counts.runtimeState++;
      else {
        const writable = (Number.parseInt(file.mode, 8) & 0o200) !== 0;
        report.differs.push({ name, path: file.path, live, default: reference.value, basis: reference.basis, ...(reference.rule && { rule: reference.rule }), writable, url: pageUrl(id) });
      }
    };
    if (facts.defaultKind === 'machine') {
      // Where a rule gives the default for this very machine, it is compared like any other.
      const expected = facts.rule && machine ? ruleValue(facts.rule, machine) : undefined;
      if (expected !== undefined && facts.rule) compare({ value: expected, basis: 'machine-rule', rule: ruleText(facts.rule) });
      else report.scaled.push({ name, path: file.path, live, scalesWith: facts.scalesWith ?? [], shapes: facts.shapes ?? [], url: pageUrl(id) });
      return;
    }
    const reference = referenceValue(facts, instance);
    if (reference.value === null) report.counts.unreadable++;
    else compare({ value: reference.value, basis: reference.basis });
  });

  report.notOnReference.sort((a, b) => compareText(a.name, b.name));
  report.counts.differs = report.differs.length;
  report.counts.scaled = report.scaled.length;
  report.counts.notInData = report.notInData.length;
  report.counts.notOnReference = report.notOnReference.length;
  report.counts.missingHere = [...data.entries.values()].filter(
    (entry) => entry.data.kind === 'sysctl' && entry.data.status === 'present' && entry.data.kernels[options.series] && !seen.has(entry.id),
  ).length;
  return report;
}

export function diffJson(report: DiffReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function diffText(report: DiffReport, knownSeries: readonly string[]): string {
  const paint = painter(process.stdout);
  const { live, reference, counts } = report;
  const lines: string[] = [];
  const liveName = live.release ? `${live.release}${live.series ? ` (series ${live.series})` : ''}` : 'of unknown release';
  lines.push(paint('bold', `Live kernel ${liveName} compared with the defaults of reference kernel ${reference.series} (${reference.release})`));
  if (live.series && live.series !== reference.series) {
    const same = knownSeries.includes(live.series);
    lines.push(
      same
        ? `Note: the data has this kernel's series, ${live.series}: --kernel ${live.series} compares like with like.`
        : `Note: ${live.series} is not a reference kernel: some differences may be ${reference.series}'s defaults differing from ${live.series}'s, not settings.`,
    );
  }
  const section = (title: string, rows: string[][]) => {
    if (rows.length === 0) return;
    lines.push('', paint('bold', title));
    lines.push(...columns(rows).map((line) => `  ${line}`));
  };
  const onMachine = live.machine ? ` on ${machineLabel(live.machine)}` : '';
  const defaultText = (one: Differs) => `(default ${abbreviate(one.default, MAX_SHOWN)}${one.rule ? `${onMachine}: ${one.rule}` : ''})`;
  const differs = (rows: Differs[]) => rows.map((one) => [one.name, abbreviate(one.live, MAX_SHOWN), defaultText(one)]);
  const settings = report.differs.filter((one) => one.writable && one.basis !== 'new-instance');
  const newInstances = report.differs.filter((one) => one.writable && one.basis === 'new-instance');
  const readOnly = report.differs.filter((one) => !one.writable);
  section(`Settings that differ from the ${reference.series} default (${settings.length}):`, differs(settings));
  section(
    `Instances ${reference.series} was not measured with (${newInstances.length}), compared with the value new ones start from (the "default" instance's; drivers may set their own):`,
    differs(newInstances),
  );
  section(`Read-only values that differ (${readOnly.length}): facts of this kernel's build or hardware, not settings:`, differs(readOnly));
  section(
    `Scale with the machine on ${reference.series} (${counts.scaled}): not compared, the default depends on its CPUs or memory; the reference values:`,
    report.scaled.map((one) => [one.name, abbreviate(one.live, MAX_SHOWN), `${scalingText(one.scalesWith)}${one.shapes.length > 0 ? `: ${formatShapes(one.shapes)}` : ''}`]),
  );
  section(
    `Not in the data (${counts.notInData}): no page names them (a newer kernel, a module the reference kernels did not load, …):`,
    report.notInData.map((one) => [one.name, one.live === null ? '(unreadable)' : abbreviate(one.live, MAX_SHOWN)]),
  );
  section(
    `Not measured on ${reference.series} (${counts.notOnReference}): pages from other kernels only:`,
    report.notOnReference.map((one) => [one.name, `measured on ${one.measuredOn.join(', ')}`]),
  );
  lines.push(
    '',
    `Summary: ${counts.read} sysctls read: ${counts.differs} differ (${settings.length} settings, ${newInstances.length} on other instances, ${readOnly.length} read-only), ${counts.same} same as the default, ${counts.scaled} scale with the machine, ` +
      `${counts.runtimeState} runtime state (skipped), ${counts.unreadable} unreadable here or on ${reference.series} (skipped), ` +
      `${counts.notInData} not in the data, ${counts.notOnReference} not measured on ${reference.series}; ` +
      `${counts.missingHere} of ${reference.series}'s sysctls are not on this machine.`,
  );
  if (counts.differs === 0) lines.push(`Nothing differs from the ${reference.series} defaults.`);
  return `${lines.join('\n')}\n`;
}
