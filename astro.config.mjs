// @ts-check
import { defineConfig } from 'astro/config';
import { pagefind } from './src/integrations/pagefind.ts';
import { offlineSearch } from './src/integrations/offline-search.ts';
import { portableDist } from './src/integrations/portable-dist.ts';

export default defineConfig({
  site: 'https://linux-kernel-tunables.example',
  outDir: process.env.LKT_OUT_DIR ?? './dist',
  trailingSlash: 'always',
  build: { format: 'directory' },
  // Order matters: the offline index re-encodes Pagefind's, and both read the pages before portableDist rewrites their links.
  integrations: [pagefind(), offlineSearch(), portableDist()],
  devToolbar: { enabled: false },
});
