/** `dist/tunables.json`: every tunable as data, validated against src/schemas/export.ts. */
import type { APIRoute } from 'astro';
import { buildExport } from '../lib/export.ts';
import { href } from '../lib/href.ts';
import { pageUrl } from '../lib/paths.ts';
import { getCatalog } from '../lib/site-data.ts';

export const GET: APIRoute = async () => {
  const { tunables } = await getCatalog();
  const body = buildExport(tunables, (id) => href(pageUrl(id)));
  return new Response(`${JSON.stringify(body, null, 2)}\n`, { headers: { 'Content-Type': 'application/json' } });
};
