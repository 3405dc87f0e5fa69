/**
 * `dist/check/recommendations.js`: what the "Check my system" page checks settings against
 * when a profile is chosen: the tunables some profile of content/recommendations sets, with
 * those settings, as a script assigning one global (a classic script loads from file://).
 */
import type { APIRoute } from 'astro';
import { getExport } from '../../lib/site-data.ts';
import { CHECK_RECOMMENDATIONS_GLOBAL, checkRecommendations } from '#core/schemas/check.ts';

export const GET: APIRoute = async () => {
  const { tunables } = await getExport();
  const data = checkRecommendations.parse({
    tunables: tunables.flatMap(({ name, kind, url, recommendations }) => (recommendations ? [{ name, kind, url, recommendations }] : [])),
  });
  const body = `globalThis.${CHECK_RECOMMENDATIONS_GLOBAL} = ${JSON.stringify(data)};\n`;
  return new Response(body, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
};
