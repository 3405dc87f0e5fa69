/**
 * Last step of the build: makes dist/ readable from any base path and from disk
 * (src/lib/portable-links.ts rewrites each page). Runs after the search indexes are written,
 * which read the pages' own paths, not their links.
 *
 * The pages write their own links relative already (src/lib/href.ts, and the body
 * renderer): what is left is what Astro itself adds, in the head (the stylesheet), and the
 * module scripts to inline. So only the head is rewritten, unless the page has a module
 * script or a <noscript>, which are rewritten whole; tests/e2e/links.spec.ts fails on any
 * site-absolute link left anywhere.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { init as initLexer, parse as parseModule } from 'es-module-lexer';
import { portableHtml } from '../lib/portable-links.ts';

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.html')).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Reads a bundled module script to inline it. Inline code resolves imports against the page,
 * not the script's own URL, so a script that imports another chunk (static or literal dynamic
 * import) is refused with its name instead of silently breaking.
 */
function scriptReader(site: string, inlined: Set<string>) {
  const cache = new Map<string, string>();
  return async (src: string): Promise<string> => {
    const cached = cache.get(src);
    if (cached !== undefined) return cached;
    const file = join(site, src);
    const code = (await readFile(file, 'utf8')).trim();
    const [imports] = parseModule(code, src);
    const chunkImport = imports.find(({ t, n }) => t === 1 || (t === 2 && n !== undefined));
    if (chunkImport) throw new Error(`${src} imports ${chunkImport.n ?? 'another module'}: it cannot be inlined for file:// reading`);
    cache.set(src, code);
    inlined.add(file);
    return code;
  };
}

export function portableDist(): AstroIntegration {
  return {
    name: 'lkt-portable-dist',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        await initLexer;
        const site = fileURLToPath(dir);
        const inlined = new Set<string>();
        const readScript = scriptReader(site, inlined);
        // A server sends 404.html for a missing address at any depth, so links relative to
        // it would break; it keeps site-absolute links (right for a site served at its root).
        const pages = (await htmlFiles(site)).filter((file) => relative(site, file) !== '404.html');
        for (const file of pages) {
          const pageDir = relative(site, dirname(file)).split(sep).join('/');
          const html = await readFile(file, 'utf8');
          const headEnd = /type="module"|<noscript/.test(html) ? -1 : html.indexOf('</head>');
          const [head, rest] = headEnd < 0 ? [html, ''] : [html.slice(0, headEnd), html.slice(headEnd)];
          const portable = (await portableHtml(head, pageDir ? `${pageDir}/` : '', readScript)) + rest;
          if (portable !== html) await writeFile(file, portable);
        }
        // Every page that used these scripts now carries them inline.
        await Promise.all([...inlined].map((file) => rm(file)));
        logger.info(`made ${pages.length} pages portable (relative links, ${inlined.size} module scripts inlined)`);
      },
    },
  };
}
