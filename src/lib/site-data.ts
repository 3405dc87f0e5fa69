/** The catalog of the content collection and where each page comes from, shared by every page of one build. */
import { readFileSync } from 'node:fs';
import { getCollection, type CollectionEntry } from 'astro:content';
import type { TunablesExport } from '#core/schemas/export.ts';
import { buildCatalog, type Catalog } from '#core/catalog.ts';
import { buildExport } from '#core/export.ts';
import type { MeasuredKernel } from '#core/schemas/kernels.ts';
import { recommendationsByPage, type TunableRecommendation, type UnplacedRecommendation } from '#core/recommendations.ts';
import type { RecommendationsFile, RecommendationSource } from '#core/schemas/recommendations.ts';
import { contentRoot, pagesDir, readMeasuredKernels, readRecommendations } from '../data/tunables.ts';
import { editUrl, readLastCommitDates, repositoryUrl } from './page-source.ts';

export type Tunable = CollectionEntry<'tunables'>;

let cached: Promise<Catalog<Tunable>> | undefined;

export function getCatalog(): Promise<Catalog<Tunable>> {
  // The dev server keeps this module across content edits: rebuild so writers see them.
  if (import.meta.env.DEV) return load();
  return (cached ??= load());
}

async function load(): Promise<Catalog<Tunable>> {
  return buildCatalog(await getCollection('tunables'));
}

let exported: Promise<TunablesExport> | undefined;

/**
 * The export (dist/tunables.json; the check page's data is cut from it), built once per
 * build. Its URLs are site paths: the built site works under any base path.
 */
export function getExport(): Promise<TunablesExport> {
  const build = async () => buildExport((await getCatalog()).tunables, (await getRecommendations()).byPage);
  if (import.meta.env.DEV) return build();
  return (exported ??= build());
}

export interface Recommendations {
  /** Each page's recommended settings (src/core/recommendations.ts). */
  byPage: Map<string, TunableRecommendation[]>;
  /** Settings no page fits: names no reference kernel has, and globs. */
  unplaced: UnplacedRecommendation[];
  /** Each source's file: its packages, versions and licence, which a page names with what it quotes. */
  sources: Map<RecommendationSource, RecommendationsFile>;
}

let recommendations: Recommendations | undefined;

/** What others recommend, read and joined to the pages once per build. */
export async function getRecommendations(): Promise<Recommendations> {
  if (recommendations && !import.meta.env.DEV) return recommendations;
  const files = readRecommendations(contentRoot());
  const pages = new Set((await getCatalog()).tunables.map(({ id }) => id));
  return (recommendations = { ...recommendationsByPage(files, pages), sources: new Map(files.map((file) => [file.source, file])) });
}

let measuredKernels: Map<string, MeasuredKernel> | undefined;

/**
 * How each kernel was measured (emulated CPU, machine shapes), by kernel id, read once per
 * build. A kernel whose release is not the one its pages carry would describe another
 * kernel's boots: that fails the build.
 */
export async function getMeasuredKernels(): Promise<Map<string, MeasuredKernel>> {
  // The dev server keeps this module while the generator rewrites the file: read it again.
  if (measuredKernels && !import.meta.env.DEV) return measuredKernels;
  const read = readMeasuredKernels(contentRoot());
  for (const { id, release } of (await getCatalog()).kernels) {
    const measured = read.get(id);
    if (measured && measured.release !== release) throw new Error(`${contentRoot()}/kernels.json says kernel ${id} is ${measured.release}, its pages say ${release}: run npm run generate`);
  }
  return (measuredKernels = read);
}

/** Where a tunable page comes from (src/lib/page-source.ts): its file, where to edit it, when a commit last changed it. */
export interface PageSource {
  /** The MDX file, relative to the repository's root: `content/tunables/sysctl/vm/swappiness.mdx`. */
  file: string;
  editUrl?: string;
  /** `YYYY-MM-DD`; absent without git history. */
  lastUpdated?: string;
}

interface SourceFacts {
  repository: string | undefined;
  dates: Map<string, string>;
}

let sourceFacts: SourceFacts | undefined;

/** The repository and every page's last commit date, read once per build: one `git log`, not one per page. */
function readSourceFacts(): SourceFacts {
  const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { repository?: unknown };
  return { repository: repositoryUrl(process.env.LKT_REPOSITORY_URL, packageJson.repository), dates: readLastCommitDates(pagesDir(contentRoot())) };
}

export function pageSource(entry: Tunable): PageSource {
  // The dev server runs as writers commit: read again (one git log, about half a second).
  const { repository, dates } = import.meta.env.DEV ? readSourceFacts() : (sourceFacts ??= readSourceFacts());
  const file = entry.filePath ?? '';
  const editLink = editUrl(repository, file);
  const lastUpdated = dates.get(file);
  return { file, ...(editLink && { editUrl: editLink }), ...(lastUpdated && { lastUpdated }) };
}

/** Whether a writer wrote words of their own on the page: the loader notes it when it renders the body. */
export const hasWritersWords = (entry: Tunable): boolean => entry.rendered?.metadata?.writersWords === true;
