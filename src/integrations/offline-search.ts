/**
 * Writes the offline search index (src/core/schemas/offline-index.ts) from the index Pagefind has
 * just written, so both search paths hold the same words. Runs after the Pagefind integration.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AstroIntegration } from 'astro';
import { OFFLINE_INDEX_FILE } from '#core/schemas/offline-index.ts';
import { offlineIndexFromBundle, offlineIndexScript } from '../lib/search/encode-offline-index.ts';
import { readPagefindBundle } from '../lib/search/pagefind-bundle.ts';

export function offlineSearch(): AstroIntegration {
  return {
    name: 'lkt-offline-search',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const index = offlineIndexFromBundle(await readPagefindBundle(fileURLToPath(new URL('pagefind/', dir))));
        const script = offlineIndexScript(index);
        const target = new URL(OFFLINE_INDEX_FILE, dir);
        await writeFile(target, script);
        const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
        logger.info(
          `offline index: ${index.pages.length} pages, ${index.postings.length} words, ${kib(Buffer.byteLength(script))} (${kib(gzipSync(script).length)} gzipped) → ${fileURLToPath(target)}`,
        );
      },
    },
  };
}
