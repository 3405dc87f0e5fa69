/**
 * The content layer loader of the `tunables` collection: every page read through the one
 * reader (src/data/tunables.ts), its body rendered to HTML here, once, so no page becomes a
 * JavaScript module of its own (see src/lib/render-body.ts for why).
 *
 * A page whose facts and body did not change keeps its rendering (digest), so a build
 * without --force and the dev server redo only what changed. Any problem in the content
 * fails the load with every file and line at once.
 */
import { relative, resolve, sep } from 'node:path';
import type { Loader } from 'astro/loaders';
import { tunableFrontmatter } from '#core/schemas/tunable.ts';
import { ContentError, contentRoot, factsDir, pagesDir, readTunables } from '../data/tunables.ts';
import { BodyError, pagesByName, renderBody } from '../lib/render-body.ts';
import { valueSharer } from '../lib/shared-values.ts';

export function tunablesLoader(): Loader {
  return {
    name: 'tunables',
    schema: tunableFrontmatter,
    async load({ store, logger, watcher, generateDigest }) {
      const root = contentRoot();
      const sync = () => {
        const problems: string[] = [];
        const pages = readTunables(root);
        const ids = new Set<string>();
        // Equal facts stored once (see shared-values.ts): a smaller store to write, bundle and parse.
        const share = valueSharer();
        // What <Tunable name> may link to: every page of this load.
        const byName = pagesByName(pages);
        for (const page of pages) {
          ids.add(page.id);
          const digest = generateDigest(`${page.body}\0${JSON.stringify(page.data)}`);
          if (store.get(page.id)?.digest === digest) continue;
          try {
            const { html, headings, writersWords } = renderBody(page.body, { bodyLine: page.bodyLine, pageDir: `${page.id}/`, pages: byName });
            store.set({ id: page.id, data: share(page.data), filePath: relative('.', page.file), digest, rendered: { html, metadata: { headings, writersWords } } });
          } catch (error) {
            if (!(error instanceof BodyError)) throw error;
            problems.push(`${page.file}:${error.line}: ${error.message}`);
          }
        }
        for (const id of store.keys()) if (!ids.has(id)) store.delete(id);
        if (problems.length > 0) throw new ContentError(problems);
        logger.info(`${pages.length} tunable pages from ${root}`);
      };
      sync();
      if (!watcher) return;
      // Writers edit pages and the generator rewrites facts files: either changes the collection.
      const watched = [pagesDir(root), factsDir(root)].map((dir) => resolve(dir));
      watcher.add(watched);
      watcher.on('all', (_event, path) => {
        if (!watched.some((dir) => resolve(path).startsWith(dir + sep))) return;
        try {
          sync();
        } catch (error) {
          logger.error(error instanceof ContentError ? error.message : String(error));
        }
      });
    },
  };
}
