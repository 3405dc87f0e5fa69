/**
 * The docs stage as a module: `run(options)` does what `npm run docs` does and returns a
 * report; scripts/docs/cli.ts parses flags, calls it, prints the report and sets the exit
 * status.
 *
 * For each reference kernel series (by default those of the snapshots): fetch and unpack
 * Debian's linux-source package, read every candidate description of its sysctls — the
 * sysctl prose of its Documentation (names placed on its `ctl_table` entries), boot
 * parameters that set a sysctl's variable, comments in the C source on variables,
 * `ctl_table` entries and struct fields, Kconfig help texts — each with its exact origin,
 * its `ctl_table` entries (bounds worked out with the configuration of the suite's kernel,
 * kernel-config.ts; a file under `arch/arm64/` with the arm64 kernel's) and its Documentation/ABI, convert every RST body to MDX-safe
 * markdown in one batch, read its module parameters' defaults from their C initialisers,
 * and write `<out>/<series>.json`. Then the Linux man-pages of the
 * newest suite (Debian's `manpages`): `<out>/man-pages.json`. Which candidate a page shows
 * is the generator's choice (`DESCRIPTION_PRECEDENCE`), not this stage's. A part that
 * fails is reported and the others are still written.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOCS_SCHEMA_VERSION, kernelDocs, MAN_PAGES_FILE, manPagesDocs as manPagesSchema, sysctlDocOrigin, type CtlTableEntry, type KernelDocs, type SysctlDoc, type SysctlDocOrigin } from '#core/schemas/docs.ts';
import { compareSeries, KERNEL_SOURCE_ARCH, PRIMARY_ARCH } from '#core/kernels.ts';
import { scanAbi, type RawAbiEntry } from './abi.ts';
import { scanBootParameters } from './boot-params.ts';
import { bootParameterEntries, readKernelParameters } from './kernel-parameters.ts';
import { boundSysctls, ctlDataVariables, entryKey, placeOnCtlTables, variableIdentity } from './ctl-join.ts';
import type { KernelConfig } from './c-constants.ts';
import { scanCtlTables } from './ctl-table.ts';
import { kernelConfig } from './kernel-config.ts';
import { scanKconfigHelp } from './kconfig-help.ts';
import { rstToMdx } from './rst.ts';
import { scanSourceComments } from './source-comments.ts';
import { scanStructFields } from './struct-fields.ts';
import { scanManPages } from './man-pages.ts';
import { countReasons, scanModuleParamDefaults, type SkipReason } from './module-param-defaults.ts';
import { prepareManPages, prepareSource, resolveSources, type KernelSource } from './sources.ts';
import { scanSysctlProse, type RawSysctlDoc } from './sysctl-prose.ts';

export interface DocsOptions {
  /** Kernel series, e.g. `['6.1', '7.2']`; default: those of the snapshots in `snapshots`. */
  series?: readonly string[];
  /** Where the default series are read from. */
  snapshots?: string;
  /** Folder for `<series>.json` and `man-pages.json`. */
  out?: string;
  /** Run apt-get update for each suite first (otherwise only when its package lists are missing). */
  update?: boolean;
  /** Downloads, unpacked trees and apt state. */
  cache?: string;
  /** Progress: which part (`apt`, a series, `man-pages`) and what it does. Default: none. */
  log?: (who: string, what: string) => void;
}

/** One kernel's docs as written. */
export interface KernelReport {
  series: string;
  sourceVersion: string;
  file: string;
  seconds: number;
  /** `sysctls` entries per origin; every origin of `sysctlDocOrigin` is present, 0 where none. */
  origins: Record<SysctlDocOrigin, number>;
  /** Distinct sysctl names the `sysctls` entries describe, any origin. */
  sysctlNames: number;
  ctlTables: number;
  /** The `ctl_table` entries' `.extra1`/`.extra2`: see `countBounds`. */
  bounds: BoundCounts;
  abi: number;
  /** Module parameter declarations whose default was read from the C source. */
  moduleParamDefaults: number;
  /** Declarations skipped, per reason, most frequent first. */
  moduleParamSkips: [SkipReason, number][];
}

export interface ManPagesReport {
  sourceVersion: string;
  file: string;
  seconds: number;
  descriptions: number;
  sysctlNames: number;
}

export interface DocsReport {
  out: string;
  seconds: number;
  kernels: KernelReport[];
  manPages: ManPagesReport | null;
  /** Every file written, in order. */
  files: string[];
  /** What was left out on the way (a man page that could not be read, …). */
  warnings: string[];
  /** Parts that failed (a kernel's series, `man-pages`); the others were still written. */
  failures: { part: string; seconds: number; error: string }[];
}

/** Entries per origin, every origin present. */
export function countOrigins(sysctls: readonly Pick<SysctlDoc, 'origin'>[]): Record<SysctlDocOrigin, number> {
  const counts = Object.fromEntries(sysctlDocOrigin.options.map((origin) => [origin, 0])) as Record<SysctlDocOrigin, number>;
  for (const { origin } of sysctls) counts[origin]++;
  return counts;
}

/** Bounds given (`.extra1`/`.extra2`): resolved to a number, set by boot code as the source states, another sysctl's value, or none of these. */
export interface BoundCounts {
  resolved: number;
  boot: number;
  sysctl: number;
  unknown: number;
}

export function countBounds(entries: readonly Pick<CtlTableEntry, 'min' | 'max' | 'openBounds'>[]): BoundCounts {
  const counts: BoundCounts = { resolved: 0, boot: 0, sysctl: 0, unknown: 0 };
  for (const entry of entries) {
    for (const side of ['min', 'max'] as const) {
      const open = entry.openBounds?.[side];
      if (entry[side] !== null) counts.resolved++;
      else if (open?.boot !== undefined) counts.boot++;
      else if (open?.sysctl !== undefined) counts.sysctl++;
      else if (open !== undefined) counts.unknown++;
    }
  }
  return counts;
}

/** The series the snapshots were measured on: the docs follow the kernels the site shows. */
async function snapshotSeries(dir: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  const series = await Promise.all(files.map(async (name) => (JSON.parse(await readFile(join(dir, name), 'utf8')) as { kernel?: { series?: string } }).kernel?.series));
  return [...new Set(series.filter((s): s is string => typeof s === 'string'))].sort(compareSeries);
}

/** One kernel's docs; every RST body of it goes through one batched conversion. */
function assembleDocs(
  source: KernelSource,
  sysctls: RawSysctlDoc[],
  abi: RawAbiEntry[],
  ctlTables: KernelDocs['ctlTables'],
  boot: Pick<KernelDocs, 'bootParameters' | 'bootTags' | 'moduleParamDefaults'>,
  markdown: string[],
): KernelDocs {
  const sysctlDocs = sysctls.map(({ rst: _rst, ...doc }, i) => ({ ...doc, markdown: markdown[i]! }));
  const abiDocs = abi.map(({ description: _description, ...entry }, i) => ({ ...entry, markdown: markdown[sysctls.length + i]! }));
  // parse puts keys in the schema's order and drops strays: the file diffs cleanly between runs.
  return kernelDocs.parse({
    schemaVersion: DOCS_SCHEMA_VERSION,
    series: source.series,
    sourceVersion: source.sourceVersion,
    upstreamVersion: source.upstreamVersion,
    sysctls: sysctlDocs,
    ctlTables,
    abi: abiDocs,
    ...boot,
  });
}

async function docsFor(source: KernelSource, config: KernelConfig | undefined, archConfigs: ReadonlyMap<string, KernelConfig>, say: (what: string) => void): Promise<{ docs: KernelDocs; moduleParamSkips: [SkipReason, number][] }> {
  say(`sysctl prose, ctl_table entries and ABI of ${source.tree}`);
  const [prose, ctlTables, abi, parameters] = await Promise.all([scanSysctlProse(source.tree), scanCtlTables(source.tree, config, archConfigs), scanAbi(source.tree), readKernelParameters(source.tree)]);
  const data = await ctlDataVariables(source.tree, ctlTables);
  // Every source speaks for every sysctl it describes: which text a page shows is the generator's choice.
  const sysctls = [...placeOnCtlTables(prose, ctlTables, data), ...(await scanBootParameters(source.tree, parameters.entries, ctlTables, data))];
  const [variables, kconfig, fields] = await Promise.all([scanSourceComments(source.tree, ctlTables, data), scanKconfigHelp(source.tree, ctlTables), scanStructFields(source.tree, ctlTables, data)]);
  const comments = [...variables, ...kconfig, ...fields];
  const counts = Object.entries(countOrigins([...sysctls.map((doc) => ({ origin: doc.origin ?? 'documentation' })), ...comments]));
  const bootParameters = bootParameterEntries(parameters.entries);
  say(
    `${counts.map(([origin, n]) => `${n} ${origin}`).join(', ')}; ${ctlTables.length} ctl_table entries, ${abi.length} ABI entries, ${bootParameters.length} kernel-parameters entries; converting RST`,
  );
  const markdown = await rstToMdx([...sysctls.map((doc) => doc.rst), ...abi.map((entry) => entry.description)]);
  say('module parameter defaults from their C initialisers');
  const params = await scanModuleParamDefaults(source.tree, source.kbuild);
  const moduleParamSkips = countReasons(params.skipped);
  say(`${params.defaults.length} module parameter defaults; skipped ${moduleParamSkips.map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
  // The generator shares a man page between names that store into one variable.
  const withData = boundSysctls(ctlTables.map((entry) => {
    const variable = data.get(entryKey(entry));
    return variable ? { ...entry, data: variableIdentity(variable) } : entry;
  }));
  const docs = assembleDocs(source, sysctls, abi, withData, { bootParameters, bootTags: parameters.legend, moduleParamDefaults: params.defaults }, markdown);
  // Already markdown, so not through assembleDocs' conversion; parsed by their scanners, so keys are in the schema's order.
  return { docs: { ...docs, sysctls: [...docs.sysctls, ...comments] }, moduleParamSkips };
}

async function writeJson(file: string, data: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(data, null, 1)}\n`);
}

const namesIn = (docs: { names: string[] }[]) => new Set(docs.flatMap((d) => d.names)).size;

/**
 * Reads the reference kernels' Documentation and C source (and the man pages) into
 * `<out>/<series>.json` and `<out>/man-pages.json`. Rejects only when there is nothing to
 * do (no series) or the sources cannot be resolved at all; a kernel or the man pages
 * failing is in the report's `failures`, and the other parts are still written.
 */
export async function run(options: DocsOptions = {}): Promise<DocsReport> {
  const out = options.out ?? 'content/docs';
  const snapshots = options.snapshots ?? 'content/snapshots';
  const cache = options.cache ?? '.cache';
  const log = options.log ?? (() => {});
  const started = performance.now();
  const seconds = (since: number) => (performance.now() - since) / 1000;
  const report: DocsReport = { out, seconds: 0, kernels: [], manPages: null, files: [], warnings: [], failures: [] };

  const wanted = options.series ? [...options.series] : await snapshotSeries(snapshots);
  if (wanted.length === 0) throw new Error(`no series given and none found in ${snapshots}`);
  await mkdir(out, { recursive: true });

  log('apt', `resolve linux-source for ${wanted.join(', ')}`);
  const resolved = await resolveSources(wanted, join(cache, 'apt'), { update: options.update }).catch((error: Error) => {
    throw new Error(`resolving linux-source failed: ${error.message}`);
  });

  /** Runs one part, timed; a failure is recorded, and the other parts still run. */
  async function runPart(part: string, work: (since: number) => Promise<void>): Promise<void> {
    const since = performance.now();
    try {
      await work(since);
    } catch (error) {
      report.failures.push({ part, seconds: seconds(since), error: (error as Error).message });
      log(part, `FAILED: ${(error as Error).message}`);
    }
  }

  for (const series of wanted) {
    await runPart(series, async (since) => {
      const candidate = resolved.found.get(series);
      if (!candidate) throw new Error(`no Debian suite's linux-source depends on linux-source-${series} (${resolved.seen.join('; ')})`);
      const say = (what: string) => log(series, what);
      const source = await prepareSource(candidate, join(cache, 'linux-source'), say);
      const dirs = { apt: join(cache, 'apt'), kernels: join(cache, 'kernels') };
      const config = await kernelConfig(candidate.suite, series, dirs, { update: options.update }, say);
      if (config === null) report.warnings.push(`${series}: ${candidate.suite}'s kernel is of another series, so no configuration: bounds that depend on one stay unknown`);
      else say(`configuration of ${config.version} from ${config.file}`);
      // Files under another architecture's folder are read with that architecture's configuration.
      const archConfigs = new Map<string, KernelConfig>();
      for (const arch of Object.keys(KERNEL_SOURCE_ARCH).filter((a) => a !== PRIMARY_ARCH)) {
        const found = await kernelConfig(candidate.suite, series, dirs, { update: options.update, arch }, say);
        const dir = KERNEL_SOURCE_ARCH[arch]!;
        if (found === null) report.warnings.push(`${series}: no ${arch} configuration, so arch/${dir}/ is read with ${PRIMARY_ARCH}'s`);
        else {
          archConfigs.set(dir, found.options);
          say(`${arch} configuration of ${found.version} from ${found.file}, for arch/${dir}/`);
        }
      }
      const { docs, moduleParamSkips } = await docsFor(source, config?.options, archConfigs, say);
      const file = join(out, `${series}.json`);
      await writeJson(file, docs);
      say(`wrote ${file}`);
      report.files.push(file);
      report.kernels.push({
        series,
        sourceVersion: docs.sourceVersion,
        file,
        seconds: seconds(since),
        origins: countOrigins(docs.sysctls),
        sysctlNames: namesIn(docs.sysctls),
        ctlTables: docs.ctlTables.length,
        bounds: countBounds(docs.ctlTables),
        abi: docs.abi.length,
        moduleParamDefaults: docs.moduleParamDefaults.length,
        moduleParamSkips,
      });
    });
  }

  // The man pages' descriptions, the fallback for sysctls no kernel documents.
  await runPart('man-pages', async (since) => {
    const say = (what: string) => log('man-pages', what);
    const source = await prepareManPages(join(cache, 'apt'), join(cache, 'man-pages'), { update: options.update }, say);
    const sysctls = await scanManPages(source.manRoot, (file, reason) => {
      report.warnings.push(`man-pages: skipped ${file}: ${reason}`);
      say(`skipped ${file}: ${reason}`);
    });
    const docs = manPagesSchema.parse({ schemaVersion: DOCS_SCHEMA_VERSION, sourceVersion: source.sourceVersion, upstreamVersion: source.upstreamVersion, sysctls });
    const file = join(out, MAN_PAGES_FILE);
    await writeJson(file, docs);
    say(`wrote ${file}`);
    report.files.push(file);
    report.manPages = { sourceVersion: docs.sourceVersion, file, seconds: seconds(since), descriptions: docs.sysctls.length, sysctlNames: namesIn(docs.sysctls) };
  });

  report.seconds = seconds(started);
  return report;
}

/** The report as the CLI prints it. */
export function formatReport(report: DocsReport): string {
  const kernels = report.kernels.map((k) => {
    const origins = Object.entries(k.origins).map(([origin, n]) => `${n} ${origin}`).join(', ');
    const skips = k.moduleParamSkips.map(([reason, n]) => `${n} ${reason}`).join(', ');
    return [
      `  ${k.series} (${k.sourceVersion}): ${origins}; naming ${k.sysctlNames} sysctls; ${k.ctlTables} ctl_table entries, ${k.abi} ABI entries; ${k.seconds.toFixed(0)} s`,
      `    ctl_table bounds: ${k.bounds.resolved} resolved, ${k.bounds.boot} set at boot, ${k.bounds.sysctl} another sysctl's value, ${k.bounds.unknown} unknown`,
      `    module parameter defaults from C: ${k.moduleParamDefaults} read; skipped ${skips || 'none'}`,
    ].join('\n');
  });
  const man = report.manPages;
  const manLine = man ? [`  man-pages (${man.sourceVersion}): ${man.descriptions} descriptions naming ${man.sysctlNames} sysctls; ${man.seconds.toFixed(0)} s`] : [];
  const failed = report.failures.map(({ part, seconds, error }) => `  ${part}: FAILED after ${seconds.toFixed(0)} s: ${error}`);
  const warnings = report.warnings.length > 0 ? ['', 'warnings:', ...report.warnings.map((w) => `  ${w}`)] : [];
  const failures = report.failures.length > 0 ? ['', `failed: ${report.failures.map((f) => f.part).join(', ')}`] : [];
  return [`docs finished in ${report.seconds.toFixed(0)} s, written to ${report.out}`, ...kernels, ...manLine, ...failed, ...warnings, ...failures].join('\n');
}
