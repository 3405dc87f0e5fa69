// @ts-check
import { defineConfig } from 'astro/config';
import { devSearchIndex, siteOutDir } from './src/lib/dev-search-index.ts';

export default defineConfig({
  site: 'https://linux-kernel-tunables.example',
  outDir: siteOutDir(),
  trailingSlash: 'always',
  // Four pages at a time: while one waits for its file to be written, another renders
  // (measured: page generation 34 → 20 s at 8,800 pages on 2 cores).
  build: { format: 'directory', concurrency: 4 },
  devToolbar: { enabled: false },
  // `npm run dev` serves the last build's search indexes, so its search box works.
  integrations: [devSearchIndex()],
  // Astro inlines a page's bundled script (src/pages/check, the search forms' loader) when this says
  // so: browsers refuse module scripts from file://, but run inline ones. Anything else keeps
  // the default (inlined under 4 KiB).
  vite: {
    build: { assetsInlineLimit: (file) => (file.endsWith('.js') ? true : undefined) },
    // The dev server watches the project for changes: not the kernels and sources in .cache/
    // (gigabytes; watching them exhausts the system's inotify watches) nor built output.
    server: { watch: { ignored: ['**/.cache/**', '**/dist/**', '**/offline/**'] } },
  },
});
