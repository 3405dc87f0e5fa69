/** The catalog of the content collection, shared by every page of one build. */
import { getCollection, type CollectionEntry } from 'astro:content';
import { buildCatalog, type Catalog } from './catalog.ts';

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
