/**
 * `dist/check/data.js`: what the "Check my system" page checks against. The sysctls of the
 * export, cut to the fields the checker reads (src/core/schemas/check.ts), as a script assigning
 * one global: the page loads it with a classic <script> tag, which browsers run from file://
 * where they refuse a fetch.
 */
import type { APIRoute } from 'astro';
import { getExport } from '../../lib/site-data.ts';
import { CHECK_DATA_GLOBAL, checkData } from '#core/schemas/check.ts';

export const GET: APIRoute = async () => {
  // URLs are site paths (`/sysctl/vm/swappiness/`): the page resolves them against the site
  // root it computes from its own address, wherever the site is read from.
  const { kernels, tunables: exported } = await getExport();
  const data = checkData.parse({ kernels, tunables: exported.filter((tunable) => tunable.kind === 'sysctl') });
  const body = `globalThis.${CHECK_DATA_GLOBAL} = ${JSON.stringify(data)};\n`;
  return new Response(body, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
};
