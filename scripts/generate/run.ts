/**
 * The generate stage: snapshots, joined with what the kernels document (npm run docs) →
 * the facts files (content/facts/<kind>/<subsystem>.json) and one MDX page per tunable
 * (content/tunables/<kind>/<path>.mdx). Keeps every word writers added.
 */
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { acceptedResults, type AcceptedResults } from '#core/schemas/accepted.ts';
import { bootProbeResults, type BootProbeResults } from '#core/schemas/boot-probes.ts';
import { kernelDocs, MAN_PAGES_FILE, manPagesDocs, type KernelDocs } from '#core/schemas/docs.ts';
import { kernelModules, type KernelModules } from '#core/schemas/modules.ts';
import { snapshot as snapshotSchema, type Snapshot } from '#core/schemas/snapshot.ts';
import { KERNELS_SCHEMA_VERSION, type KernelsFile } from '#core/schemas/kernels.ts';
import { FACTS_SCHEMA_VERSION, type FactsFile, type MeasuredTunable, type TunableFrontmatter } from '#core/schemas/tunable.ts';
import { abiMatcher } from '#core/abi-match.ts';
import { kernelIdOf, kernelIdOfFile, PRIMARY_ARCH } from '#core/kernels.ts';
import type { z } from 'zod';
import { factsDir, kernelsPath, pagesDir, readFacts } from '../../src/data/tunables.ts';
import { readJsonChecked } from '../lib/json.ts';
import { StageError } from '../lib/stage.ts';
import type { PageLookup } from './cross-links.ts';
import { joinAccepted } from './accepted.ts';
import { joinBootProbes } from './boot-moves.ts';
import { checkSeriesConsistency, measuredKernelsOf, measureTunables } from './measure.ts';
import { measureParameters } from './parameters.ts';
import { hasNoWritersWords, mergePage, newPage, PageError, parsePage, vanishedFacts, type Problem } from './page.ts';
import { indexKernelDocs, indexManPages, joinUpstream, summaryOf, type KernelDocsIndex, type ManPagesIndex, type UpstreamText } from './upstream.ts';

export interface GenerateOptions {
  /** Snapshot JSON files to read. */
  snapshots?: string;
  /** What each kernel's Documentation and source say (npm run docs). */
  docs?: string;
  /** Each kernel's module parameters (npm run refresh). */
  modules?: string;
  /** What boot parameters moved on each kernel (npm run refresh -- --probes). */
  probes?: string;
  /** The values each sysctl accepted on each kernel (npm run refresh -- --accepted). */
  accepted?: string;
  /** The content root: pages go to `tunables/`, facts to `facts/`. */
  content?: string;
  /** Delete vanished pages that hold no writer words. */
  prune?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface GenerateReport {
  snapshots: string[];
  tunables: number;
  pages: { created: number; updated: number; unchanged: number };
  factsFiles: { written: number; unchanged: number; removed: number };
  /** Pages kept though no snapshot measures their tunable any more. */
  vanished: string[];
  /** Pages moved to another page's address, with the writer's words: `old → new`. */
  moved: string[];
  pruned: string[];
  /** Writer edits inside a generated block whose generated text changed. */
  conflicts: Problem[];
  /** Pages that could not be read and were left untouched, as `file:line: message`. */
  errors: string[];
}

/** The JSON files of a folder, by name; none when it does not exist. */
async function jsonFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
}

async function loadSnapshots(dir: string): Promise<{ file: string; snapshot: Snapshot }[]> {
  const files = await jsonFilesIn(dir);
  if (files.length === 0) throw new StageError(`no snapshot JSON in ${dir}: run npm run refresh (or npm run scrape) first`);
  return Promise.all(files.map(async (name) => ({ file: join(dir, name), snapshot: await readJsonChecked(join(dir, name), snapshotSchema, 'snapshot') })));
}

/**
 * One index per kernel documented, and the man pages' index when `man-pages.json` is
 * there; none (and a warning) when the folder holds no kernel's docs.
 */
async function loadDocs(dir: string, log: (line: string) => void): Promise<{ kernels: KernelDocsIndex[]; raw: KernelDocs[]; manPages: ManPagesIndex | undefined }> {
  const files = await jsonFilesIn(dir);
  const kernelFiles = files.filter((f) => f !== MAN_PAGES_FILE);
  if (kernelFiles.length === 0) log(`no kernel documentation in ${dir} (npm run docs writes it): pages get no upstream text`);
  const raw = await Promise.all(kernelFiles.map(async (name) => readJsonChecked(join(dir, name), kernelDocs, 'kernel docs')));
  const kernels = raw.map((docs) => indexKernelDocs(docs, abiMatcher(docs.abi)));
  const manPages = files.includes(MAN_PAGES_FILE) ? indexManPages(await readJsonChecked(join(dir, MAN_PAGES_FILE), manPagesDocs, 'man pages')) : undefined;
  return { kernels, raw, manPages };
}

/**
 * The per-kernel files of a folder (content/modules, content/boot-probes, content/accepted),
 * each named by the id of the kernel it holds: `6.1.json` for amd64, `6.1-arm64.json` with
 * `"arch": "arm64"` in it. A name that is not its id fails, naming the file: an arm64 file
 * without its `arch` would otherwise pass for amd64's.
 */
async function loadKernelFiles<T extends { series: string; arch?: string | undefined }>(dir: string, schema: z.ZodType<T>, what: string): Promise<T[]> {
  return Promise.all(
    (await jsonFilesIn(dir)).map(async (name) => {
      const data = await readJsonChecked(join(dir, name), schema, what);
      const id = kernelIdOfFile(data);
      if (name !== `${id}.json`) throw new StageError(`${join(dir, name)}: holds kernel ${id} (series ${data.series}, arch ${data.arch ?? PRIMARY_ARCH}); name it ${id}.json`);
      return data;
    }),
  );
}

/** Each kernel's module parameters; none (and a note) when the folder holds none. */
async function loadModules(dir: string, log: (line: string) => void): Promise<KernelModules[]> {
  const all = await loadKernelFiles(dir, kernelModules, 'module parameters');
  if (all.length === 0) log(`no module parameters in ${dir} (npm run refresh writes them): module parameters come from the walks alone`);
  return all;
}

/**
 * The files of a folder of the kernels the snapshots measure. A kernel with no file there
 * was not measured that way (an arm64 kernel before its probes ran): its pages say so as
 * for any tunable the probe did not reach.
 */
async function loadMeasuredKernelFiles<T extends { series: string; arch?: string | undefined; release: string }>(dir: string, schema: z.ZodType<T>, what: string, kernels: ReadonlyMap<string, { release: string }>, log: (line: string) => void, how: string): Promise<T[]> {
  const all = await loadKernelFiles(dir, schema, what);
  const other = all.filter((result) => kernels.get(kernelIdOfFile(result))?.release !== result.release);
  if (other.length > 0) log(`${what} left out, of another kernel than the snapshots of their kernel (${how} writes them): ${other.map((r) => `${kernelIdOfFile(r)}: ${r.release}`).join('; ')}`);
  return all.filter((result) => !other.includes(result));
}

/** Each kernel's probe results, of the kernels the snapshots measure; none when the folder holds none. */
const loadBootProbes = (dir: string, kernels: ReadonlyMap<string, { release: string }>, log: (line: string) => void): Promise<BootProbeResults[]> =>
  loadMeasuredKernelFiles(dir, bootProbeResults, 'boot probes', kernels, log, 'npm run refresh -- --probes');

/** Each kernel's accepted values, of the kernels the snapshots measure; none when the folder holds none. */
const loadAccepted = (dir: string, kernels: ReadonlyMap<string, { release: string }>, log: (line: string) => void): Promise<AcceptedResults[]> =>
  loadMeasuredKernelFiles(dir, acceptedResults, 'accepted values', kernels, log, 'npm run refresh -- --accepted');

async function listFiles(dir: string, extension: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [] as string[])).filter((f) => f.endsWith(extension)).sort();
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `sysctl/vm/swappiness` → `sysctl/vm.json`: one facts file per kind and subsystem. */
const factsFileOf = (facts: TunableFrontmatter) => `${facts.kind}/${facts.subsystem}.json`;

/** Stable text: ids sorted, two-space indent, so a changed default is a one-line diff. */
function factsText(kind: TunableFrontmatter['kind'], subsystem: string, members: Map<string, TunableFrontmatter>): string {
  const file: FactsFile = { schemaVersion: FACTS_SCHEMA_VERSION, kind, subsystem, tunables: Object.fromEntries([...members].sort(([a], [b]) => (a < b ? -1 : 1))) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export async function run(options: GenerateOptions = {}): Promise<GenerateReport> {
  const { snapshots = 'content/snapshots', docs: docsFolder = 'content/docs', modules: modulesFolder = 'content/modules', probes: probesFolder = 'content/boot-probes', accepted: acceptedFolder = 'content/accepted', content = 'content', prune = false, log = () => {} } = options;
  const pagesRoot = pagesDir(content);
  const loaded = await loadSnapshots(snapshots);
  let measuredKernels: KernelsFile['kernels'];
  try {
    checkSeriesConsistency(loaded);
    measuredKernels = measuredKernelsOf(loaded.map((l) => l.snapshot));
  } catch (error) {
    throw new StageError((error as Error).message);
  }
  const walked = measureTunables(loaded.map((l) => l.snapshot));
  const docs = await loadDocs(docsFolder, log);
  const kernels = new Map(loaded.map(({ snapshot }) => [kernelIdOf(snapshot), { release: snapshot.kernel.release, source: snapshot.source }]));
  const parameters = measureParameters({ measured: walked, modules: await loadModules(modulesFolder, log), docs: docs.raw, kernels });
  if (parameters.mismatched.length > 0) {
    log(`module parameters left out, of another kernel than the snapshots of their kernel (npm run refresh writes both): ${parameters.mismatched.join('; ')}`);
  }
  for (const { kernel, joined, ambiguous } of parameters.fromSource) {
    log(`${kernel}: ${joined} module parameters no boot read take their default from the C source${ambiguous > 0 ? `; ${ambiguous} left without, their module's files giving two values` : ''}`);
  }
  if (parameters.unconfirmed.length > 0) {
    log(`built-in modules left out, neither a walk nor kernel-parameters.txt shows the name of their parameters: ${parameters.unconfirmed.join('; ')}`);
  }
  const joined = new Map([...[...walked].filter(([id]) => !parameters.moved.has(id)), ...parameters.tunables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const probes = joinBootProbes({
    results: await loadBootProbes(probesFolder, kernels, log),
    snapshots: new Map(loaded.map(({ file, snapshot }) => [basename(file), snapshot])),
    tunables: joined,
  });
  if (probes.unplaced.length > 0) log(`boot probes with no page of their name on that kernel: ${probes.unplaced.join('; ')}`);
  const accepted = joinAccepted(await loadAccepted(acceptedFolder, kernels, log), probes.tunables);
  if (accepted.unplaced.length > 0) log(`accepted values with no page on that kernel: ${accepted.unplaced.join('; ')}`);
  const measured = accepted.tunables;
  const byKind = Object.entries(Object.groupBy(measured.values(), (t) => t.kind)).map(([kind, list]) => `${list!.length} ${kind}`);
  log(`read ${loaded.length} snapshot(s): ${loaded.map((l) => relative('.', l.file)).join(', ')}; ${measured.size} tunables (${byKind.join(', ')})`);
  // Facts written before, for the pages no snapshot measures any more.
  const unreadableFacts: string[] = [];
  const storedFacts = readFacts(factsDir(content), unreadableFacts);
  // They are rewritten from the snapshots below; only a vanished page's facts are lost.
  for (const problem of unreadableFacts) log(`facts not read: ${problem}`);

  // Documentation, and a bound that is another sysctl's value, link only to the sysctl pages
  // this run measures, known before any page is written: the links then never depend on
  // what happens to be on disk.
  const sysctlPages = new Map([...measured].filter(([id]) => id.startsWith('sysctl/')).map(([id, facts]) => [facts.title, id]));
  const pages: PageLookup = (name) => sysctlPages.get(name);

  const report: GenerateReport = {
    snapshots: loaded.map((l) => l.file),
    tunables: measured.size,
    pages: { created: 0, updated: 0, unchanged: 0 },
    factsFiles: { written: 0, unchanged: 0, removed: 0 },
    vanished: [],
    moved: [],
    pruned: [],
    conflicts: [],
    errors: [],
  };
  /** Every page's facts as written this run, by facts file, then page id. */
  const factsByFile = new Map<string, Map<string, TunableFrontmatter>>();
  const keepFacts = (id: string, facts: TunableFrontmatter) => {
    const file = factsFileOf(facts);
    factsByFile.set(file, (factsByFile.get(file) ?? new Map<string, TunableFrontmatter>()).set(id, facts));
  };

  /** Measured facts joined with what the kernels document; the docs' first sentence is the summary where there is one. */
  function complete(measuredFacts: MeasuredTunable): { facts: TunableFrontmatter; text: UpstreamText | null } {
    const { upstream, kernels, text, summary } = joinUpstream(measuredFacts, docs.kernels, docs.manPages, pages);
    const withStatements = Object.fromEntries(Object.entries(measuredFacts.kernels).map(([id, facts]) => [id, kernels[id] ? { ...facts, upstream: kernels[id] } : facts]));
    return { facts: { ...measuredFacts, kernels: withStatements, summary: summary ?? (text && summaryOf(text.markdown, measuredFacts.title, text.names)) ?? measuredFacts.summary, upstream }, text };
  }

  async function writePage(id: string, file: string, measuredFacts: MeasuredTunable, existing: string | undefined): Promise<void> {
    const { facts, text: upstreamText } = complete(measuredFacts);
    let text: string;
    if (existing === undefined) {
      text = newPage(facts, upstreamText, pages);
      report.pages.created++;
    } else {
      const merged = mergePage(file, parsePage(file, existing), facts, upstreamText, pages);
      if (merged.conflict) report.conflicts.push(merged.conflict);
      text = merged.text;
      if (text === existing) report.pages.unchanged++;
      else report.pages.updated++;
    }
    keepFacts(id, facts);
    if (text === existing) return;
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }

  /** A page that cannot be read safely is reported and left untouched; its facts stay as they were. */
  async function guarded(id: string, file: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof PageError)) throw error;
      report.errors.push(`${error.message} (page left untouched)`);
      const kept = storedFacts.get(id)?.facts;
      if (kept) keepFacts(id, kept);
    }
  }

  // A page whose tunable has a new page (a module parameter's sysfs file) moves there with its words.
  for (const [from, to] of parameters.moved) {
    const [source, target] = [join(pagesRoot, `${from}.mdx`), join(pagesRoot, `${to}.mdx`)];
    if ((await readIfExists(source)) === undefined || (await readIfExists(target)) !== undefined) continue;
    await mkdir(dirname(target), { recursive: true });
    await rename(source, target);
    await removeEmptyParents(dirname(source), pagesRoot);
    report.moved.push(`${source} → ${target}`);
  }

  for (const [id, facts] of measured) {
    const file = join(pagesRoot, `${id}.mdx`);
    await guarded(id, file, async () => writePage(id, file, facts, await readIfExists(file)));
  }

  // A page no snapshot measures any more keeps its words and is marked, never deleted.
  for (const name of await listFiles(pagesRoot, '.mdx')) {
    const id = name.replace(/\.mdx$/, '').split('\\').join('/');
    if (measured.has(id)) continue;
    const file = join(pagesRoot, name);
    await guarded(id, file, async () => {
      const existing = await readFile(file, 'utf8');
      const page = parsePage(file, existing);
      if (prune && hasNoWritersWords(page)) {
        report.pruned.push(file);
        await rm(file);
        await removeEmptyParents(dirname(file), pagesRoot);
        return;
      }
      report.vanished.push(file);
      await writePage(id, file, { ...vanishedFacts(page, storedFacts.get(id)?.facts), status: 'vanished' }, existing);
    });
  }

  await writeFactsFiles(factsDir(content), factsByFile, report);
  await writeFile(kernelsPath(content), `${JSON.stringify({ schemaVersion: KERNELS_SCHEMA_VERSION, kernels: measuredKernels } satisfies KernelsFile, null, 2)}\n`);
  return report;
}

/** A folder emptied by pruning goes too (git keeps no empty folders, so a checkout would not have it). */
async function removeEmptyParents(dir: string, root: string): Promise<void> {
  for (let current = dir; relative(root, current) !== '' && !relative(root, current).startsWith('..'); current = dirname(current)) {
    if ((await readdir(current)).length > 0) return;
    await rmdir(current);
  }
}

/** Writes the facts files that changed and removes those no page needs any more. */
async function writeFactsFiles(dir: string, byFile: Map<string, Map<string, TunableFrontmatter>>, report: GenerateReport): Promise<void> {
  for (const [name, members] of byFile) {
    const file = join(dir, name);
    const first = members.values().next().value!;
    const text = factsText(first.kind, first.subsystem, members);
    if ((await readIfExists(file)) === text) {
      report.factsFiles.unchanged++;
      continue;
    }
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    report.factsFiles.written++;
  }
  for (const name of await listFiles(dir, '.json')) {
    if (byFile.has(name.split('\\').join('/'))) continue;
    await rm(join(dir, name));
    report.factsFiles.removed++;
  }
}

/** The report as the CLI prints it: one line per finding, `file:line` where there is one. */
export function reportLines(report: GenerateReport): string[] {
  const { pages, factsFiles } = report;
  return [
    `pages: ${pages.created} created, ${pages.updated} updated, ${pages.unchanged} unchanged; facts files: ${factsFiles.written} written, ${factsFiles.unchanged} unchanged, ${factsFiles.removed} removed`,
    ...(report.moved.length > 0 ? [`moved: ${report.moved.length} page(s) to their tunable's new address, words kept (first: ${report.moved[0]})`] : []),
    ...report.vanished.map((file) => `vanished: ${file}: no snapshot measures this tunable any more; page kept, marked status: vanished`),
    ...report.pruned.map((file) => `pruned: ${file}: vanished and held no writer words`),
    ...report.conflicts.map((c) => `conflict: ${c.file}:${c.line}: ${c.message}`),
    ...report.errors.map((e) => `error: ${e}`),
  ];
}
