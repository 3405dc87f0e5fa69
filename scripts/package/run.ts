/**
 * The package stage: the built site (dist/) as one zip archive for reading offline, with a
 * short README inside. Opened from disk its search runs on the offline index; served by any
 * static server it uses Pagefind. `npm run package` builds the site, then runs cli.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { zip, type AsyncZippable } from 'fflate';
import { OFFLINE_INDEX_FILE } from '#core/offline-index-files.ts';
import { tunablesExport } from '#core/schemas/export.ts';
import { readJsonChecked } from '../lib/json.ts';
import { StageError } from '../lib/stage.ts';
import { offlineReadme } from './readme.ts';

/** The folder the archive unpacks to. */
export const FOLDER = 'linux-kernel-tunables';

export interface PackageOptions {
  /** The built site (default `dist`). */
  dist?: string;
  /** The archive to write (default `offline/linux-kernel-tunables.zip`). */
  out?: string;
  /** The build date the README names (default: now). */
  date?: Date;
  /** Told what is packed once the files are read, before they are compressed. */
  onProgress?: (progress: { files: number; bytes: number; dist: string }) => void;
}

export interface PackageReport {
  /** Absolute paths. */
  dist: string;
  out: string;
  /** The folder inside the archive. */
  folder: string;
  /** Files of the site packed (the README not counted) and their size before compression. */
  files: number;
  bytes: number;
  archiveBytes: number;
}

export const PACKAGE_DEFAULTS = { dist: 'dist', out: `offline/${FOLDER}.zip` } as const;

/** Without these the site was not built (or not completely): exit code 2. */
const NEEDED = ['index.html', OFFLINE_INDEX_FILE, 'tunables.json'];

export async function run(options: PackageOptions = {}): Promise<PackageReport> {
  const dist = resolve(options.dist ?? PACKAGE_DEFAULTS.dist);
  for (const needed of NEEDED) {
    await stat(join(dist, needed)).catch(() => {
      throw new StageError(`${join(dist, needed)} is missing: build the site first (npm run package builds it).`, { exitCode: 2 });
    });
  }

  const exported = await readJsonChecked(join(dist, 'tunables.json'), tunablesExport, 'tunables export');
  const files: AsyncZippable = {
    [`${FOLDER}/README.txt`]: new TextEncoder().encode(offlineReadme(exported, options.date ?? new Date())),
  };
  let bytes = 0;
  // Read synchronously: thousands of small files, one after another, read faster so.
  const entries = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const content = readFileSync(path);
    bytes += content.length;
    // Pagefind's files are already compressed: storing them again costs time for nothing.
    files[`${FOLDER}/${relative(dist, path).split(sep).join('/')}`] = [content, { level: path.includes(`${sep}pagefind${sep}`) ? 0 : 6 }];
  }
  options.onProgress?.({ files: entries.length, bytes, dist });

  const archive = await new Promise<Uint8Array>((done, fail) => zip(files, { level: 6 }, (error, data) => (error ? fail(error) : done(data))));
  const out = resolve(options.out ?? PACKAGE_DEFAULTS.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, archive);
  return { dist, out, folder: FOLDER, files: entries.length, bytes, archiveBytes: archive.length };
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
