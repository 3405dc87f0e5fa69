/**
 * search/search.js: all of search (src/lib/search/script.ts: the engines, results as you
 * type, the search page's list) bundled into one classic script, which each page's search
 * form adds when it needs it (src/lib/search/loader.ts). Bundled here, after the build,
 * with esbuild rather than by Astro: from file:// a browser runs a classic script but
 * refuses a module it would have to fetch, and Astro inlines a page's module only while
 * it imports no chunk shared with another page's.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../../src/lib/search/script.ts', import.meta.url));

export async function searchScript(): Promise<string> {
  const { outputFiles } = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // Browsers of the last few years, as for the site's other scripts: no syntax lowering needed.
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const [script] = outputFiles;
  if (!script) throw new Error(`esbuild wrote nothing for ${ENTRY}`);
  return script.text;
}
