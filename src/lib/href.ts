/**
 * Links inside the site, written as site paths and emitted relative to the page being
 * rendered, naming `index.html` for a directory (src/lib/portable-links.ts): the built
 * site then works under any base path and from disk without rewriting every page after
 * the build. Every internal href goes through here, with the page's `Astro.url`.
 */
import { portableUrl } from './portable-links.ts';

/**
 * `href(Astro.url, '/sysctl/vm/')` on `/sysctl/vm/swappiness/` → `../index.html`.
 * The 404 page keeps site paths: a server sends it for a missing address at any depth.
 */
export function href(page: URL, path: string): string {
  if (!path.startsWith('/')) throw new Error(`site path "${path}" must start with /`);
  if (/^\/404(\/|\.html)?$/.test(page.pathname)) return path;
  return portableUrl(path, page.pathname.replace(/^\//, ''));
}
