/** Where the built site is: the same LKT_OUT_DIR astro.config.mjs writes to. */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DIST = resolve(process.env.LKT_OUT_DIR ?? 'dist');

/** Every HTML file of the built site, as absolute paths. */
export function htmlFiles(dir = DIST): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}
