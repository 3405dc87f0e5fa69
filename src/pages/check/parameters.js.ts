/**
 * `dist/check/parameters.js`: the boot and module parameters the "Check my system" page
 * checks modprobe.d files and command lines against, cut like check/data.js (beside it)
 * and loaded apart from it: only a reader who checks those loads them. Kernels of equal facts
 * share one entry (`packKernels`); the page unpacks them.
 */
import type { APIRoute } from 'astro';
import { getExport } from '../../lib/site-data.ts';
import { packKernels } from '#core/sysctl-check/parameters.ts';
import { CHECK_PARAMETERS_GLOBAL, checkData, type CheckData } from '#core/schemas/check.ts';

/** What the checker reads of one kernel's facts (src/core/sysctl-check/parameters.ts): descriptions and tags stay on the pages. */
function checked({ default: value, defaultKind, mode, namespace, module, parameter }: CheckData['tunables'][number]['kernels'][string]) {
  return { default: defaultKind === 'constant' ? value : null, defaultKind, mode, namespace, module, ...(parameter && { parameter: { ...parameter, description: null, tags: [] } }) };
}

export const GET: APIRoute = async () => {
  const { kernels, tunables: exported } = await getExport();
  const tunables = exported
    .filter((tunable) => tunable.kind === 'boot' || tunable.kind === 'module')
    .map(({ name, kind, path, url, type, range, kernels: facts }) => ({ name, kind, path, url, type, range, kernels: packKernels(Object.fromEntries(Object.entries(facts).map(([kernel, one]) => [kernel, checked(one)]))) }));
  const data = checkData.parse({ kernels, tunables });
  const body = `globalThis.${CHECK_PARAMETERS_GLOBAL} = ${JSON.stringify(data)};\n`;
  return new Response(body, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
};
