/** `dist/tunables.json`: every tunable as data, validated against src/core/schemas/export.ts. */
import type { APIRoute } from 'astro';
import { getExport } from '../lib/site-data.ts';

export const GET: APIRoute = async () => {
  return new Response(`${JSON.stringify(await getExport(), null, 2)}\n`, { headers: { 'Content-Type': 'application/json' } });
};
