/**
 * Makes built HTML independent of where it is read from: any base path on any static
 * server, or straight from disk over `file://`. Site-absolute links become relative to the
 * page, and links to a directory name its `index.html` (a browser reading files does not
 * look for one). src/lib/href.ts applies it to every link a page writes.
 */
import { posix } from 'node:path';

/** `https:`, `mailto:`, `data:`, protocol-relative `//host`, in-page `#id`, or empty: left alone. */
function isExternalOrLocal(url: string): boolean {
  return url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(url);
}

function isDirectory(path: string): boolean {
  return path === '' || path.endsWith('/') || path === '.' || path === '..' || path.endsWith('/.') || path.endsWith('/..');
}

/**
 * `url` as written on the page in `pageDir` (its directory under the site root: `''` for the
 * home page, `sysctl/vm/swappiness/` for a tunable) → the same target, relative and naming a file.
 */
export function portableUrl(url: string, pageDir: string): string {
  if (isExternalOrLocal(url)) return url;
  const cut = url.search(/[?#]/);
  const path = cut === -1 ? url : url.slice(0, cut);
  const suffix = cut === -1 ? '' : url.slice(cut);
  if (path === '') return url; // `?q=x`: the page itself
  if (!path.startsWith('/')) return isDirectory(path) ? `${path.replace(/\/?$/, '/')}index.html${suffix}` : url;
  const fromDir = `/${pageDir}`;
  const relative = posix.relative(fromDir, path) || '.';
  return isDirectory(path) ? `${relative === '.' ? '' : `${relative}/`}index.html${suffix}` : `${relative}${suffix}`;
}
