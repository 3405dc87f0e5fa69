/**
 * `dist/check/data.js`: what the "Check my system" page checks against. The sysctls of the
 * export, cut to the fields the checker reads (src/core/schemas/check.ts), as a script assigning
 * one global: the page loads it with a classic <script> tag, which browsers run from file://
 * where they refuse a fetch. Kernels of equal facts share one entry (`packKernels`, as in
 * check/parameters.js): most sysctls read alike on every kernel of both architectures, and
 * packed, the file of two architectures is smaller than one architecture's was unpacked.
 */
import type { APIRoute } from 'astro';
import { getExport } from '../../lib/site-data.ts';
import { CHECK_DATA_GLOBAL, checkData } from '#core/schemas/check.ts';
import { packKernels } from '#core/sysctl-check/parameters.ts';

export const GET: APIRoute = async () => {
  // URLs are site paths (`/sysctl/vm/swappiness/`): the page resolves them against the site
  // root it computes from its own address, wherever the site is read from.
  const { kernels, tunables: exported } = await getExport();
  const cut = checkData.parse({ kernels, tunables: exported.filter((tunable) => tunable.kind === 'sysctl') });
  const data = { ...cut, tunables: cut.tunables.map((tunable) => ({ ...tunable, kernels: packKernels(tunable.kernels) })) };
  const body = `globalThis.${CHECK_DATA_GLOBAL} = ${JSON.stringify(data)};\n`;
  return new Response(body, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
};
