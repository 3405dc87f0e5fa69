/** The catalog of the content collection, shared by every page of one build. */
import { getCollection, type CollectionEntry } from 'astro:content';
import type { TunablesExport } from '#core/schemas/export.ts';
import { buildCatalog, type Catalog } from '#core/catalog.ts';
import { buildExport } from '#core/export.ts';

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
  const build = async () => buildExport((await getCatalog()).tunables);
  if (import.meta.env.DEV) return build();
  return (exported ??= build());
}

