/**
 * Search under `npm run dev`. The search indexes are written after a build, from its HTML
 * (scripts/search-index/), and the dev server renders pages on request, so there is
 * nothing to index while it runs: it serves the last build's indexes instead (Pagefind's
 * and the offline one, and the search script, from the build's folder, read again on every request), so search
 * works, without the pages added since that build. Without a build, the search page says
 * how to get one (src/pages/search/index.astro), and the dev server says so when it starts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import sirv from 'sirv';
import { OFFLINE_INDEX_FILE } from '#core/offline-index-files.ts';
import { SEARCH_SCRIPT_FILE } from './search/loader.ts';

/** Where builds write the site (astro.config.mjs's outDir): `LKT_OUT_DIR`, else `dist/`. */
export const siteOutDir = () => process.env.LKT_OUT_DIR ?? './dist';

/** Site paths of what the search indexes and the search script a build writes: what search loads (src/lib/search/). */
export const SEARCH_INDEX_PATHS = ['/pagefind/', `/${OFFLINE_INDEX_FILE}`, '/search/offline/', `/${SEARCH_SCRIPT_FILE}`];

export const isSearchIndexPath = (url: string) => SEARCH_INDEX_PATHS.some((path) => url.startsWith(path));

/** The Pagefind bundle's entry: present once a build has been indexed. */
export const hasSearchIndex = (outDir: string) => existsSync(join(outDir, 'pagefind', 'pagefind.js'));

export function devSearchIndex(): AstroIntegration {
  let outDir = '';
  return {
    name: 'lkt:dev-search-index',
    hooks: {
      'astro:config:done': ({ config }) => {
        outDir = fileURLToPath(config.outDir);
      },
      'astro:server:setup': ({ server, logger }) => {
        // dev: looks on disk each time, so a build finished while the server runs is served at once.
        const files = sirv(outDir, { dev: true, etag: false });
        server.middlewares.use((request, response, next) => {
          if (!isSearchIndexPath(request.url ?? '')) return next();
          files(request, response, next);
        });
        if (!hasSearchIndex(outDir)) logger.warn(`no search index in ${outDir}: search works here after one npm run build`);
      },
    },
  };
}
