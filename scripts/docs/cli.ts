/**
 * npm run docs -- [--series 6.1,7.2] [--out content/docs] [--update]
 *
 * For each reference kernel series (by default those of content/snapshots/*.json): fetch
 * and unpack Debian's linux-source package, read the sysctl prose of its Documentation
 * (names placed on its `ctl_table` entries), boot parameters that set a sysctl's variable,
 * comments in the C source and Kconfig help texts, each with its exact origin,
 * its `ctl_table` entries and its Documentation/ABI, convert every RST body to MDX-safe
 * markdown in one batch, and write content/docs/<series>.json. Then the Linux man-pages
 * of the newest suite (Debian's `manpages`), the fallback for sysctls no kernel documents:
 * content/docs/man-pages.json. A part that fails is reported and the others are still
 * written; the exit status is then 1.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { DOCS_SCHEMA_VERSION, kernelDocs, MAN_PAGES_FILE, manPagesDocs as manPagesSchema, type KernelDocs } from '#core/schemas/docs.ts';
import { compareSeries } from '#core/kernels.ts';
import { scanAbi, type RawAbiEntry } from './abi.ts';
import { scanBootParameters } from './boot-params.ts';
import { ctlDataVariables, entryKey, placeOnCtlTables, variableIdentity } from './ctl-join.ts';
import { scanCtlTables } from './ctl-table.ts';
import { scanKconfigHelp } from './kconfig-help.ts';
import { rstToMdx } from './rst.ts';
import { scanSourceComments } from './source-comments.ts';
import { scanStructFields } from './struct-fields.ts';
import { scanManPages } from './man-pages.ts';
import { prepareManPages, prepareSource, resolveSources, type KernelSource } from './sources.ts';
import { scanSysctlProse, type RawSysctlDoc } from './sysctl-prose.ts';

const CACHE = '.cache';

const program = new Command()
  .name('npm run docs --')
  .description("Read each reference kernel's Documentation and C source into content/docs/<series>.json.")
  .option('--series <list>', 'kernel series, e.g. 6.1,7.2 (default: those of content/snapshots)', (value: string) => value.split(',').filter(Boolean))
  .option('--snapshots <dir>', 'where the default series are read from', 'content/snapshots')
  .option('--out <dir>', 'folder for <series>.json', 'content/docs')
  .option('--update', 'run apt-get update for each suite first (otherwise only when its package lists are missing)')
  .parse();

const options = program.opts<{ series?: string[]; snapshots: string; out: string; update?: boolean }>();

const started = performance.now();
const seconds = (since: number) => (performance.now() - since) / 1000;
const say = (who: string, what: string) => process.stderr.write(`${seconds(started).toFixed(0).padStart(4)} s  [${who}] ${what}\n`);

/** The series the snapshots were measured on: the docs follow the kernels the site shows. */
async function snapshotSeries(dir: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  const series = await Promise.all(files.map(async (name) => (JSON.parse(await readFile(join(dir, name), 'utf8')) as { kernel?: { series?: string } }).kernel?.series));
  return [...new Set(series.filter((s): s is string => typeof s === 'string'))].sort(compareSeries);
}

/** One part of the run (a kernel, the man pages): what it wrote, or why it failed. */
interface Outcome {
  part: string;
  seconds: number;
  summary?: string;
  error?: string;
}

/** One kernel's docs; every RST body of it goes through one batched conversion. */
function assembleDocs(source: KernelSource, sysctls: RawSysctlDoc[], abi: RawAbiEntry[], ctlTables: KernelDocs['ctlTables'], markdown: string[]): KernelDocs {
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
  });
}

async function docsFor(source: KernelSource): Promise<KernelDocs> {
  const who = source.series;
  say(who, `sysctl prose, ctl_table entries and ABI of ${source.tree}`);
  const [prose, ctlTables, abi] = await Promise.all([scanSysctlProse(source.tree), scanCtlTables(source.tree), scanAbi(source.tree)]);
  const data = await ctlDataVariables(source.tree, ctlTables);
  const placed = placeOnCtlTables(prose, ctlTables, data);
  // Every source speaks for every sysctl it describes: which text a page shows is the generator's choice (DESCRIPTION_PRECEDENCE).
  const sysctls = [...placed, ...(await scanBootParameters(source.tree, ctlTables, data))];
  const [variables, kconfig, fields] = await Promise.all([scanSourceComments(source.tree, ctlTables, data), scanKconfigHelp(source.tree, ctlTables), scanStructFields(source.tree, ctlTables, data)]);
  const fallbacks = [...variables, ...kconfig, ...fields];
  const counts = new Map<string, number>();
  for (const { origin } of [...sysctls.map((doc) => ({ origin: doc.origin ?? 'documentation' })), ...fallbacks]) counts.set(origin, (counts.get(origin) ?? 0) + 1);
  say(who, `${[...counts].map(([origin, n]) => `${n} ${origin}`).join(', ')}, ${ctlTables.length} ctl_table entries, ${abi.length} ABI entries; converting RST`);
  const markdown = await rstToMdx([...sysctls.map((doc) => doc.rst), ...abi.map((entry) => entry.description)]);
  // The generator shares a man page between names that store into one variable.
  const withData = ctlTables.map((entry) => {
    const variable = data.get(entryKey(entry));
    return variable ? { ...entry, data: variableIdentity(variable) } : entry;
  });
  const docs = assembleDocs(source, sysctls, abi, withData, markdown);
  // Already markdown, so not through assembleDocs' conversion; parsed by their scanners, so keys are in the schema's order.
  return { ...docs, sysctls: [...docs.sysctls, ...fallbacks] };
}

const wanted = options.series ?? (await snapshotSeries(options.snapshots));
if (wanted.length === 0) program.error(`no series given and none found in ${options.snapshots}`);
await mkdir(options.out, { recursive: true });

say('apt', `resolve linux-source for ${wanted.join(', ')}`);
const resolved = await resolveSources(wanted, join(CACHE, 'apt'), { update: options.update }).catch((error: Error) => program.error(`resolving linux-source failed: ${error.message}`));

const outcomes: Outcome[] = [];

/** Runs one part, timed; a failure is reported and recorded, and the other parts still run. */
async function runPart(part: string, work: () => Promise<string>): Promise<void> {
  const since = performance.now();
  try {
    const summary = await work();
    outcomes.push({ part, seconds: seconds(since), summary });
  } catch (error) {
    outcomes.push({ part, seconds: seconds(since), error: (error as Error).message });
    say(part, `FAILED: ${(error as Error).message}`);
  }
}

async function writeJson(file: string, data: unknown, part: string): Promise<void> {
  await writeFile(file, `${JSON.stringify(data, null, 1)}\n`);
  say(part, `wrote ${file}`);
}

const namesIn = (docs: { names: string[] }[]) => new Set(docs.flatMap((d) => d.names)).size;

for (const series of wanted) {
  await runPart(series, async () => {
    const candidate = resolved.found.get(series);
    if (!candidate) throw new Error(`no Debian suite's linux-source depends on linux-source-${series} (${resolved.seen.join('; ')})`);
    const docs = await docsFor(await prepareSource(candidate, join(CACHE, 'linux-source'), (stage) => say(series, stage)));
    await writeJson(join(options.out, `${series}.json`), docs, series);
    return `${docs.sourceVersion}: ${docs.sysctls.length} sysctl sections naming ${namesIn(docs.sysctls)} sysctls, ${docs.ctlTables.length} ctl_table entries, ${docs.abi.length} ABI entries`;
  });
}

// The man pages' descriptions, the fallback for sysctls no kernel documents.
await runPart('man-pages', async () => {
  const source = await prepareManPages(join(CACHE, 'apt'), join(CACHE, 'man-pages'), { update: options.update }, (stage) => say('man-pages', stage));
  const sysctls = await scanManPages(source.manRoot, (file, reason) => say('man-pages', `skipped ${file}: ${reason}`));
  const docs = manPagesSchema.parse({ schemaVersion: DOCS_SCHEMA_VERSION, sourceVersion: source.sourceVersion, upstreamVersion: source.upstreamVersion, sysctls });
  await writeJson(join(options.out, MAN_PAGES_FILE), docs, 'man-pages');
  return `${docs.sourceVersion}: ${docs.sysctls.length} descriptions naming ${namesIn(docs.sysctls)} sysctls`;
});

const lines = outcomes.map(({ part, seconds: s, summary, error }) => (error ? `  ${part}: FAILED after ${s.toFixed(0)} s: ${error}` : `  ${part} (${summary}), ${s.toFixed(0)} s`));
process.stderr.write(`\ndocs finished in ${seconds(started).toFixed(0)} s, written to ${options.out}\n${lines.join('\n')}\n`);
const failed = outcomes.filter((o) => o.error);
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.map((o) => o.part).join(', ')}\n`);
  process.exitCode = 1;
}
