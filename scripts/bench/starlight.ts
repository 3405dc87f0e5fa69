/**
 * Astro Starlight as the bench's yardstick: a tiny Astro project in an ignored folder,
 * installed from the npm registry once and reused while its versions still match, fed the
 * very same MDX pages as our site (title and body), so the comparison is of two sites on
 * one corpus, not of two corpora.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TunablePage } from '../../src/data/tunables.ts';

export const STARLIGHT_DIR = resolve('.cache/bench/starlight');
/** 0.42 is the Starlight line that supports Astro 7. */
const STARLIGHT_RANGE = '~0.42.4';

const versionOf = (dir: string, pkg: string): string | undefined => {
  const file = join(dir, 'node_modules', pkg, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : undefined;
};

/** The Astro our site builds with: Starlight must use the same, or we would be timing Astro versions. */
export const ourAstroVersion = () => versionOf('.', 'astro')!;
export const starlightVersion = () => versionOf(STARLIGHT_DIR, '@astrojs/starlight');

/**
 * Its sidebar is two links: Starlight's default autogenerates one from every page, which
 * puts ~2,000 links into each of 2,000 pages (quadratic output) — our site has no such
 * list, so that would time the sidebar, not the site.
 */
const ASTRO_CONFIG = `import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
  outDir: process.env.BENCH_OUT_DIR ?? './dist',
  integrations: [
    starlight({
      title: 'Linux Kernel Tunables (Starlight)',
      // Pagefind stays on (Starlight's default), as our build runs Pagefind too.
      pagefind: true,
      sidebar: [
        { label: 'vm.swappiness', link: '/sysctl/vm/swappiness/' },
        { label: 'net.ipv4.tcp_rmem', link: '/sysctl/net/ipv4/tcp_rmem/' },
      ],
    }),
  ],
  // As in our astro.config.mjs: Astro 7.3 logs a harmless warning per MDX page
  // (withastro/astro#18087), thousands of lines that would be timed as part of the build.
  vite: {
    build: {
      rolldownOptions: {
        onLog(level, log, handler) {
          if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
          handler(level, log);
        },
      },
    },
  },
});
`;

const CONTENT_CONFIG = `import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

export const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };
`;

function writeProject(markdownRemark: string): void {
  mkdirSync(join(STARLIGHT_DIR, 'src'), { recursive: true });
  const manifest = {
    name: 'lkt-bench-starlight',
    private: true,
    type: 'module',
    dependencies: { astro: ourAstroVersion(), '@astrojs/starlight': STARLIGHT_RANGE, '@astrojs/markdown-remark': markdownRemark },
  };
  writeFileSync(join(STARLIGHT_DIR, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(STARLIGHT_DIR, 'astro.config.mjs'), ASTRO_CONFIG);
  writeFileSync(join(STARLIGHT_DIR, 'src', 'content.config.ts'), CONTENT_CONFIG);
}

/** Installs Starlight unless the installed copy already has our Astro and a 0.42 Starlight. */
export function ensureStarlight(progress: (message: string) => void): void {
  const markdownRemark = versionOf('.', '@astrojs/markdown-remark')!;
  writeProject(markdownRemark);
  const installed = starlightVersion();
  if (versionOf(STARLIGHT_DIR, 'astro') === ourAstroVersion() && installed?.startsWith('0.42.')) {
    progress(`Starlight ${installed} already installed in ${STARLIGHT_DIR}`);
    return;
  }
  progress(`installing Astro ${ourAstroVersion()} + Starlight ${STARLIGHT_RANGE} into ${STARLIGHT_DIR} (npm install)…`);
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: STARLIGHT_DIR, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm install in ${STARLIGHT_DIR} failed:\n${result.stderr}`);
}

/**
 * `slug` keeps each page at our id: Starlight would otherwise slugify ids, lower-casing
 * some (`PNP0A06:00`) and merging a few into one, and build fewer pages than we do.
 * YAML accepts JSON strings, whose escaping covers every title (`<device>`, quotes, colons).
 */
const frontmatter = (id: string, title: string) => `---\ntitle: ${JSON.stringify(title)}\nslug: ${JSON.stringify(id)}\n---\n`;

/** Replaces Starlight's docs with `pages`: each page's title and MDX body, at its id. */
export function writeStarlightDocs(pages: Iterable<Pick<TunablePage, 'id' | 'data' | 'body'>>): number {
  const docs = join(STARLIGHT_DIR, 'src', 'content', 'docs');
  rmSync(docs, { recursive: true, force: true });
  let count = 0;
  for (const page of pages) {
    // Starlight skips files named `_…` (drafts); the slug, not the file name, gives the id.
    const file = join(docs, `${page.id.replace(/(^|\/)_([^/]*)$/, '$1page-_$2')}.mdx`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, frontmatter(page.id, page.data.title) + page.body);
    count++;
  }
  return count;
}
