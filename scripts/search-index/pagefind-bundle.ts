/**
 * Reads the index Pagefind wrote (dist/pagefind/) back into plain records, so the offline
 * index holds exactly the words, weights and locations Pagefind ranks with. Pagefind's files
 * are gzip'd CBOR (and JSON for fragments) behind a `pagefind_dcd` signature; their layout
 * is Pagefind's own, so every file is checked against a schema here and a Pagefind upgrade
 * that changes it fails the build with the file's name instead of shipping a wrong index.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode } from 'cbor-x';
import { z } from 'zod';
import { checked } from '#core/zod-error.ts';

const SIGNATURE = 'pagefind_dcd';

const entryFile = z.object({
  version: z.string(),
  languages: z.record(z.string(), z.object({ hash: z.string(), page_count: z.number() })),
});

/** [version, pages [hash, word count, group], index chunks [from, to, hash], filters [name, hash], sorts, meta fields]. */
const metaFile = z.tuple([
  z.string(),
  z.array(z.tuple([z.string(), z.number().int(), z.string()])),
  z.array(z.tuple([z.string(), z.string(), z.string()])),
  z.array(z.tuple([z.string(), z.string()])),
  z.array(z.unknown()),
  z.array(z.string()),
]);

const pageWord = z.tuple([z.number().int(), z.array(z.number().int()), z.array(z.number().int())]);
/** [[word, pages [page delta, locations, meta locations], diacritic variants [form, pages]]]. */
const indexChunk = z.tuple([z.array(z.tuple([z.string(), z.array(pageWord), z.array(z.tuple([z.string(), z.array(pageWord)]))]))]).rest(z.unknown());

const filterChunk = z.tuple([z.string(), z.array(z.tuple([z.string(), z.array(z.number().int())]))]);

const fragmentFile = z.object({
  url: z.string(),
  meta: z.object({ title: z.string(), summary: z.string().default('') }).loose(),
});

export interface BundlePage {
  url: string;
  title: string;
  summary: string;
  words: number;
}

/**
 * One page's share of a word: the absolute page number and Pagefind's location lists as it
 * stores them (a negative item −(w+1) sets the weight, or the meta field, of the locations
 * after it, which are deltas that restart at each such item).
 */
export interface BundlePosting {
  page: number;
  locations: number[];
  metaLocations: number[];
}

/** One of Pagefind's index chunks: the words from `from` to `to`, which its search loads only when a query term needs them. */
export interface BundleChunk {
  from: string;
  to: string;
  words: string[];
}

export interface PagefindBundle {
  version: string;
  chunks: BundleChunk[];
  pages: BundlePage[];
  metaFields: string[];
  filters: Record<string, Record<string, number[]>>;
  words: Map<string, BundlePosting[]>;
}

/** Runs `read` on a file's bytes, naming the file in whatever it throws. */
function about<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function readPagefindFile(path: string): Promise<Buffer> {
  const compressed = await readFile(path);
  const bytes = about(path, () => gunzipSync(compressed));
  if (bytes.subarray(0, SIGNATURE.length).toString() !== SIGNATURE) throw new Error(`${path}: not a Pagefind file (no ${SIGNATURE} signature)`);
  return bytes.subarray(SIGNATURE.length);
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  return checked(schema, value, path, { context: 'not the layout this site reads (Pagefind changed its index format?)', all: true, max: 5 });
}

async function decodeCbor(path: string): Promise<unknown> {
  const bytes = await readPagefindFile(path);
  return about(path, () => decode(bytes) as unknown);
}

async function readJson(path: string, bytes: Promise<Buffer | string>): Promise<unknown> {
  const text = (await bytes).toString();
  return about(path, () => JSON.parse(text) as unknown);
}

/** Pagefind numbers pages by delta in a word's page list; diacritic variants join their word (Pagefind's default). */
function postingsOf(pages: z.infer<typeof pageWord>[]): BundlePosting[] {
  let page = 0;
  return pages.map(([delta, locations, metaLocations]) => {
    page += delta;
    return { page, locations, metaLocations };
  });
}

/** One posting per page, in page order: a variant on a page that also has the main form adds its locations. */
function mergedByPage(postings: BundlePosting[]): BundlePosting[] {
  const byPage = new Map<number, BundlePosting>();
  for (const posting of postings) {
    const seen = byPage.get(posting.page);
    byPage.set(
      posting.page,
      seen ? { page: posting.page, locations: [...seen.locations, ...posting.locations], metaLocations: [...seen.metaLocations, ...posting.metaLocations] } : posting,
    );
  }
  return [...byPage.values()].sort((a, b) => a.page - b.page);
}

export async function readPagefindBundle(bundleDir: string, language = 'en'): Promise<PagefindBundle> {
  const entryPath = join(bundleDir, 'pagefind-entry.json');
  const entry = parsed(entryFile, await readJson(entryPath, readFile(entryPath)), entryPath);
  const languageEntry = entry.languages[language];
  if (!languageEntry) throw new Error(`${entryPath}: no "${language}" index (languages: ${Object.keys(entry.languages).join(', ')})`);

  const metaPath = join(bundleDir, `pagefind.${languageEntry.hash}.pf_meta`);
  const [, metaPages, chunks, filterFiles, , metaFields] = parsed(metaFile, await decodeCbor(metaPath), metaPath);

  const pages = await Promise.all(
    metaPages.map(async ([hash, words]) => {
      const path = join(bundleDir, 'fragment', `${hash}.pf_fragment`);
      const fragment = parsed(fragmentFile, await readJson(path, readPagefindFile(path)), path);
      return { url: fragment.url, title: fragment.meta.title, summary: fragment.meta.summary, words };
    }),
  );

  const words = new Map<string, BundlePosting[]>();
  const bundleChunks: BundleChunk[] = [];
  for (const [from, to, hash] of chunks) {
    const path = join(bundleDir, 'index', `${hash}.pf_index`);
    const [chunkWords] = parsed(indexChunk, await decodeCbor(path), path);
    bundleChunks.push({ from, to, words: chunkWords.map(([word]) => word) });
    for (const [word, wordPages, variants] of chunkWords) {
      words.set(word, mergedByPage([...(words.get(word) ?? []), ...postingsOf(wordPages), ...variants.flatMap(([, variantPages]) => postingsOf(variantPages))]));
    }
  }

  const filters: PagefindBundle['filters'] = {};
  for (const [name, hash] of filterFiles) {
    const path = join(bundleDir, 'filter', `${hash}.pf_filter`);
    const [filterName, values] = parsed(filterChunk, await decodeCbor(path), path);
    if (filterName !== name) throw new Error(`${path}: holds filter "${filterName}", expected "${name}"`);
    filters[name] = Object.fromEntries(values);
  }

  return { version: entry.version, chunks: bundleChunks, pages, metaFields, filters, words };
}
