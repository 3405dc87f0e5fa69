/**
 * npm run generate [-- --strict] [--prune] [--snapshots DIR] [--docs DIR] [--out DIR]
 * Snapshots, joined with what the kernels document (npm run docs) → one MDX page per
 * tunable. Keeps every word writers added.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { Command } from 'commander';
import { snapshot as snapshotSchema, type Snapshot } from '#core/schemas/snapshot.ts';
import type { z } from 'zod';
import { kernelDocs, MAN_PAGES_FILE, manPagesDocs } from '#core/schemas/docs.ts';
import type { MeasuredTunable, TunableFrontmatter } from '#core/schemas/tunable.ts';
import { abiMatcher } from '#core/abi-match.ts';
import type { PageLookup } from './cross-links.ts';
import { checkSeriesConsistency, measureTunables } from './measure.ts';
import { hasNoWritersWords, mergePage, newPage, PageError, pageFacts, parsePage, type Problem } from './page.ts';
import { indexKernelDocs, indexManPages, joinUpstream, summaryOf, type KernelDocsIndex, type ManPagesIndex, type UpstreamText } from './upstream.ts';

const program = new Command()
  .name('npm run generate --')
  .description('Write one MDX page per tunable from the snapshots, keeping what writers wrote.')
  .option('--snapshots <dir>', 'snapshot JSON files to read', 'content/snapshots')
  .option('--docs <dir>', "what each kernel's Documentation and source say (npm run docs)", 'content/docs')
  .option('--out <dir>', 'where the tunable pages live', 'content/tunables')
  .option('--strict', 'exit non-zero when a writer edit collides with generated text')
  .option('--prune', 'delete vanished pages that hold no writer words (they only repeat old measurements)')
  .parse();
const options = program.opts<{ snapshots: string; docs: string; out: string; strict?: boolean; prune?: boolean }>();

async function loadSnapshots(dir: string): Promise<{ file: string; snapshot: Snapshot }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no snapshot JSON in ${dir}: run npm run scrape first`);
  return Promise.all(
    files.map(async (name) => {
      const file = join(dir, name);
      const checked = snapshotSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (!checked.success) throw new Error(`${file}: not a valid snapshot: ${checked.error.issues[0]!.path.join('.')}: ${checked.error.issues[0]!.message}`);
      return { file, snapshot: checked.data };
    }),
  );
}

/** The file's JSON, checked against a schema; the first problem names the file and field. */
async function readChecked<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T> {
  const checked = schema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!checked.success) throw new Error(`${file}: not valid ${what}: ${checked.error.issues[0]!.path.join('.')}: ${checked.error.issues[0]!.message}`);
  return checked.data;
}

/**
 * One index per kernel documented, and the man pages' index when `man-pages.json` is
 * there; none (and a warning) when the folder holds no kernel's docs.
 */
async function loadDocs(dir: string): Promise<{ kernels: KernelDocsIndex[]; manPages: ManPagesIndex | undefined }> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const kernelFiles = files.filter((f) => f !== MAN_PAGES_FILE);
  if (kernelFiles.length === 0) process.stderr.write(`no kernel documentation in ${dir} (npm run docs writes it): pages get no upstream text\n`);
  const kernels = await Promise.all(
    kernelFiles.map(async (name) => {
      const docs = await readChecked(join(dir, name), kernelDocs, 'kernel docs');
      return indexKernelDocs(docs, abiMatcher(docs.abi));
    }),
  );
  const manPages = files.includes(MAN_PAGES_FILE) ? indexManPages(await readChecked(join(dir, MAN_PAGES_FILE), manPagesDocs, 'man pages')) : undefined;
  return { kernels, manPages };
}

async function listPages(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.mdx')).sort();
  } catch {
    return [];
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

const loaded = await loadSnapshots(options.snapshots);
checkSeriesConsistency(loaded);
const measured = measureTunables(loaded.map((l) => l.snapshot));
process.stderr.write(`read ${loaded.length} snapshot(s): ${loaded.map((l) => relative('.', l.file)).join(', ')}; ${measured.size} tunables\n`);

const docs = await loadDocs(options.docs);

// Documentation links only to the sysctl pages this run measures, known before any page is
// written: the links then never depend on what happens to be on disk.
const sysctlPages = new Map([...measured].filter(([id]) => id.startsWith('sysctl/')).map(([id, facts]) => [facts.title, id]));
const pages: PageLookup = (name) => sysctlPages.get(name);

/** Measured facts joined with what the kernels document; the docs' first sentence is the summary where there is one. */
function complete(measured: MeasuredTunable): { facts: TunableFrontmatter; text: UpstreamText | null } {
  const { upstream, text } = joinUpstream(measured, docs.kernels, docs.manPages);
  return { facts: { ...measured, summary: (text && summaryOf(text.markdown)) ?? measured.summary, upstream }, text };
}

const counts = { created: 0, updated: 0, unchanged: 0 };
const conflicts: Problem[] = [];
const errors: string[] = [];
const vanished: string[] = [];
const pruned: string[] = [];

async function writePage(file: string, measured: MeasuredTunable): Promise<void> {
  const { facts, text: upstreamText } = complete(measured);
  const existing = await readIfExists(file);
  let text: string;
  if (existing === undefined) {
    text = newPage(facts, upstreamText, pages);
    counts.created++;
  } else {
    const merged = mergePage(file, parsePage(file, existing), facts, upstreamText, pages);
    if (merged.conflict) conflicts.push(merged.conflict);
    text = merged.text;
    if (text === existing) {
      counts.unchanged++;
      return;
    }
    counts.updated++;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}

async function guarded(file: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof PageError)) throw error;
    errors.push(`${error.message} (page left untouched)`);
  }
}

for (const [id, facts] of measured) {
  const file = join(options.out, `${id}.mdx`);
  await guarded(file, () => writePage(file, facts));
}

// A page no snapshot measures any more keeps its words and is marked, never deleted.
for (const name of await listPages(options.out)) {
  if (measured.has(name.replace(/\.mdx$/, ''))) continue;
  const file = join(options.out, name);
  await guarded(file, async () => {
    const page = parsePage(file, await readFile(file, 'utf8'));
    if (options.prune && hasNoWritersWords(page)) {
      pruned.push(file);
      await rm(file);
      return;
    }
    vanished.push(file);
    await writePage(file, { ...pageFacts(page), status: 'vanished' });
  });
}

const report = [
  `pages: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`,
  ...vanished.map((file) => `vanished: ${file}: no snapshot measures this tunable any more; page kept, marked status: vanished`),
  ...pruned.map((file) => `pruned: ${file}: vanished and held no writer words`),
  ...conflicts.map((c) => `conflict: ${c.file}:${c.line}: ${c.message}`),
  ...errors.map((e) => `error: ${e}`),
];
process.stderr.write(`${report.join('\n')}\n`);
if (errors.length > 0 || (options.strict && conflicts.length > 0)) {
  process.stderr.write(`failed: ${errors.length} unreadable page(s), ${conflicts.length} conflict(s)${options.strict ? ' (--strict)' : ''}\n`);
  process.exitCode = 1;
}
