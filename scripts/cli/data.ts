/**
 * The data `kernel-tunables` answers from: every tunable as the one reader of the content
 * gives it (src/data/tunables.ts; LKT_CONTENT_DIR points it at another content folder),
 * and the export the site publishes as dist/tunables.json, built from it the same way.
 */
import type { TunableEntry } from '#core/catalog.ts';
import { buildExport } from '#core/export.ts';
import { compareKernelIds } from '#core/kernels.ts';
import { recommendationsByPage, type TunableRecommendation } from '#core/recommendations.ts';
import type { TunablesExport } from '#core/schemas/export.ts';
import { ContentError, contentRoot, readRecommendations, readTunables } from '../../src/data/tunables.ts';
import { DataError } from './style.ts';

export interface CliData {
  /** The content folder read. */
  dir: string;
  /** Every tunable, by page id (`sysctl/vm/swappiness`). */
  entries: Map<string, TunableEntry>;
  /** The site's dist/tunables.json, built from the same content. */
  export: TunablesExport;
  /** The reference kernels measured, by id (`6.1`, `6.1-arm64`), oldest first (compareKernelIds). */
  kernelIds: string[];
}

/** Reads the content under `dir` (default: the content root) and builds the export. */
export function loadData(dir: string = contentRoot()): CliData {
  let entries: TunableEntry[];
  let recommendations: Map<string, TunableRecommendation[]>;
  try {
    entries = readTunables(dir).map(({ id, data }) => ({ id, data }));
    recommendations = recommendationsByPage(readRecommendations(dir), new Set(entries.map(({ id }) => id))).byPage;
  } catch (error) {
    if (error instanceof ContentError) throw new DataError(`${error.message}\n(run from the repository, or set LKT_CONTENT_DIR to a content folder)`);
    throw error;
  }
  let exported: TunablesExport;
  try {
    exported = buildExport(entries, recommendations);
  } catch (error) {
    throw new DataError(`the content in ${dir} does not make a valid export: ${(error as Error).message.split('\n')[0]}`);
  }
  return {
    dir,
    entries: new Map(entries.map((entry) => [entry.id, entry])),
    export: exported,
    kernelIds: exported.kernels.map(({ id }) => id).sort(compareKernelIds),
  };
}
