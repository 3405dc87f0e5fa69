/**
 * Indexes the built site with Pagefind's Node API once Astro has written every page, so
 * `dist/pagefind/` always matches the HTML beside it. Only elements marked
 * `data-pagefind-body` (the tunable pages) are indexed.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefindApi from 'pagefind';

/** Pages Pagefind put in the index, summed over languages (`addDirectory` counts every HTML file it read). */
async function indexedPageCount(bundle: URL): Promise<number> {
  const entry = JSON.parse(await readFile(new URL('pagefind-entry.json', bundle), 'utf8')) as {
    languages: Record<string, { page_count: number }>;
  };
  return Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0);
}

export function pagefind(): AstroIntegration {
  return {
    name: 'lkt-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        const bundle = new URL('pagefind/', dir);
        try {
          const { index, errors: createErrors } = await pagefindApi.createIndex();
          if (!index) throw new Error(`pagefind could not create an index: ${createErrors.join('; ')}`);
          const { errors: addErrors, page_count: htmlCount } = await index.addDirectory({ path: site });
          if (addErrors.length > 0) throw new Error(`pagefind failed to index ${site}: ${addErrors.join('; ')}`);
          const { errors: writeErrors } = await index.writeFiles({ outputPath: fileURLToPath(bundle) });
          if (writeErrors.length > 0) throw new Error(`pagefind failed to write its index: ${writeErrors.join('; ')}`);
          const indexed = await indexedPageCount(bundle);
          // A site whose search finds nothing is broken, not empty: fail the build instead of shipping it.
          if (indexed === 0) throw new Error(`pagefind indexed 0 of ${htmlCount} HTML pages in ${site}: is data-pagefind-body missing?`);
          logger.info(`indexed ${indexed} pages (of ${htmlCount} HTML files) into ${fileURLToPath(bundle)}`);
        } finally {
          // The API runs the pagefind binary as a service: stop it so the build process can exit.
          await pagefindApi.close();
        }
      },
    },
  };
}
