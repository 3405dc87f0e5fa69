// @ts-check
import { defineConfig } from 'astro/config';
import { pagefind } from './src/integrations/pagefind.ts';
import { offlineSearch } from './src/integrations/offline-search.ts';

export default defineConfig({
  site: 'https://linux-kernel-tunables.example',
  outDir: process.env.LKT_OUT_DIR ?? './dist',
  trailingSlash: 'always',
  build: { format: 'directory', concurrency: 4 },
  // Order matters: the offline index re-encodes Pagefind's.
  integrations: [pagefind(), offlineSearch()],
  devToolbar: { enabled: false },
  // Astro inlines a page's bundled script (src/pages/search, src/pages/check) when this says
  // so: browsers refuse module scripts from file://, but run inline ones. Anything else keeps
  // the default (inlined under 4 KiB).
  vite: { build: { assetsInlineLimit: (file) => (file.endsWith('.js') ? true : undefined) } },
});
