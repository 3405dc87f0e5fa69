/** Where the built site is (the same LKT_OUT_DIR astro.config.mjs writes to) and what it was built from. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentRoot } from '../../src/data/tunables.ts';
import { portableUrl } from '../../src/lib/portable-links.ts';
import { compareKernelIds, newestKernelId } from '#core/kernels.ts';
import { tunablesExport, type TunablesExport } from '#core/schemas/export.ts';

export const DIST = resolve(process.env.LKT_OUT_DIR ?? 'dist');

/** The snapshots of the content built (content/snapshots). */
export const SNAPSHOTS = join(resolve(contentRoot()), 'snapshots');

/** Every HTML file of the built site, as absolute paths. */
export function htmlFiles(dir = DIST): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

/** dist/tunables.json: what the tests expect the pages to show, whichever kernels were measured. */
export function builtExport(): TunablesExport {
  return tunablesExport.parse(JSON.parse(readFileSync(join(DIST, 'tunables.json'), 'utf8')));
}

export type ExportedTunable = TunablesExport['tunables'][number];

/** The tunable's facts on its newest kernel, as its badges show them. */
export function newestOf(tunable: ExportedTunable): ExportedTunable['kernels'][string] {
  return tunable.kernels[newestKernelId(Object.keys(tunable.kernels).sort(compareKernelIds))!]!;
}

/** The href a built page carries for a site path: relative, naming index.html (src/lib/portable-links.ts). */
export function hrefOn(pagePath: string, target: string): string {
  return portableUrl(target, pagePath.replace(/^\//, ''));
}

/** The address a browser shows after following a link to a directory page: it names index.html. */
export function addressOf(sitePath: string): RegExp {
  return new RegExp(`${sitePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}index\\.html$`);
}

/** The site's root as a browser reads it from disk. */
export const FROM_DISK = pathToFileURL(join(DIST, '/')).href;
