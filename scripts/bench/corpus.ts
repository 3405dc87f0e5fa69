/**
 * The corpora the bench builds: the real content, and a synthetic one `copies` times its
 * size, made of the real pages under distinct subsystems (`vm`, `vm-2`, `vm-3`, …) so
 * the site sees as many subsystems, pages and facts files as a grown kernel would give,
 * with bodies of the real size and mix.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { moduleParameterId, moduleParameterName, moduleParameterPath, pageId, relativePath, tunableName } from '#core/paths.ts';
import { FACTS_SCHEMA_VERSION, type FactsFile, type TunableFrontmatter } from '#core/schemas/tunable.ts';
import { factsDir, pagesDir, parsePageFile, readTunables, type TunablePage } from '../../src/data/tunables.ts';

/** One page as written to a content root: its id, the facts, and its own front matter and body. */
interface SourcePage {
  id: string;
  facts: TunableFrontmatter;
  summary: string | undefined;
  body: string;
}

/** The real pages, with each page's own summary (readTunables gives it merged into the facts). */
export function realPages(root: string): { pages: TunablePage[]; sources: SourcePage[] } {
  const pages = readTunables(root);
  const sources = pages.map((page) => {
    const own = parsePageFile(page.file, readFileSync(page.file, 'utf8')).frontmatter;
    // The facts as the generator wrote them: a writer's summary goes back to the page.
    const facts = own.summary === undefined ? page.data : (JSON.parse(readFileSync(factsFileOf(root, page.data), 'utf8')) as FactsFile).tunables[page.id]!;
    return { id: page.id, facts, summary: own.summary, body: page.body };
  });
  return { pages, sources };
}

const factsFileOf = (root: string, facts: Pick<TunableFrontmatter, 'kind' | 'subsystem'>) => join(factsDir(root), facts.kind, `${facts.subsystem}.json`);

/**
 * The page as copy `n` (2, 3, …): its subsystem becomes `<subsystem>-n`, and with it the
 * path's first segment below its root (a sysctl's or sysfs attribute's; a module
 * parameter's module), the title and the id. A boot parameter's name gets `-n` too.
 */
function copyOf(page: SourcePage, n: number): SourcePage {
  const { kind, path, subsystem, title } = page.facts;
  const copied = `${subsystem}-${n}`;
  if (kind === 'module') {
    const name = title.slice(subsystem.length + 1);
    return { ...page, id: moduleParameterId(copied, name), facts: { ...page.facts, subsystem: copied, title: moduleParameterName(copied, name), path: moduleParameterPath(copied, name) } };
  }
  if (kind === 'boot' || path === null) {
    const facts = { ...page.facts, title: `${title}-${n}`, subsystem: copied };
    return { ...page, id: `boot/${copied}/${facts.title}`, facts };
  }
  const [first, ...below] = relativePath(kind, path).split('/');
  const root = path.slice(0, path.length - relativePath(kind, path).length);
  const copiedPath = `${root}${[`${first}-${n}`, ...below].join('/')}`;
  const facts = { ...page.facts, path: copiedPath, subsystem: copied, title: tunableName(kind, copiedPath) };
  return { ...page, id: pageId(kind, copiedPath), facts };
}

/** YAML accepts JSON strings, which quote every title and summary safely. */
const pageText = (page: SourcePage) =>
  `---\ntitle: ${JSON.stringify(page.facts.title)}\n${page.summary === undefined ? '' : `summary: ${JSON.stringify(page.summary)}\n`}---\n${page.body}`;

/** Writes `pages` as a content root (tunables/ and facts/) at `root`. */
function writeContent(root: string, pages: SourcePage[]): void {
  const files = new Map<string, FactsFile>();
  for (const page of pages) {
    const file = join(pagesDir(root), `${page.id}.mdx`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, pageText(page));
    const factsFile = factsFileOf(root, page.facts);
    const { kind, subsystem } = page.facts;
    if (!files.has(factsFile)) files.set(factsFile, { schemaVersion: FACTS_SCHEMA_VERSION, kind, subsystem, tunables: {} });
    files.get(factsFile)!.tunables[page.id] = page.facts;
  }
  for (const [file, facts] of files) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(facts)}\n`);
  }
}

/**
 * Writes the real pages `copies` times (the first copy as is) into `root` and reads them
 * back through the site's own reader, which checks that every copy is a valid page.
 */
export function replicate(sources: SourcePage[], copies: number, root: string): TunablePage[] {
  const all = [...sources];
  for (let n = 2; n <= copies; n++) all.push(...sources.map((page) => copyOf(page, n)));
  writeContent(root, all);
  return readTunables(root);
}
