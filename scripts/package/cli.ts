/**
 * npm run package: the built site (dist/, built just before by the npm script) as one zip
 * archive for reading offline, with a short README inside. Opened from disk its search runs
 * on the offline index; served by any static server it uses Pagefind.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Command } from 'commander';
import { zip, type AsyncZippable } from 'fflate';
import { offlineReadme } from './readme.ts';
import { OFFLINE_INDEX_FILE } from '#core/schemas/offline-index.ts';
import { tunablesExport } from '#core/schemas/export.ts';

const FOLDER = 'linux-kernel-tunables';

const program = new Command()
  .name('npm run package --')
  .description('Writes the built site as one zip archive for reading offline.')
  .option('--dist <dir>', 'the built site', process.env.LKT_OUT_DIR ?? 'dist')
  .option('--out <file>', 'the archive to write', `offline/${FOLDER}.zip`)
  .parse();
const options = program.opts<{ dist: string; out: string }>();

const dist = resolve(options.dist);
for (const needed of ['index.html', OFFLINE_INDEX_FILE, 'tunables.json']) {
  try {
    statSync(join(dist, needed));
  } catch {
    program.error(`${join(dist, needed)} is missing: build the site first (npm run package builds it).`, { exitCode: 2 });
  }
}

const exported = tunablesExport.parse(JSON.parse(readFileSync(join(dist, 'tunables.json'), 'utf8')));
const files: AsyncZippable = {
  [`${FOLDER}/README.txt`]: new TextEncoder().encode(offlineReadme(exported, new Date())),
};
let bytes = 0;
const entries = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
for (const entry of entries) {
  const path = join(entry.parentPath, entry.name);
  const content = readFileSync(path);
  bytes += content.length;
  // Pagefind's files are already compressed: storing them again costs time for nothing.
  files[`${FOLDER}/${relative(dist, path).split(sep).join('/')}`] = [content, { level: path.includes(`${sep}pagefind${sep}`) ? 0 : 6 }];
}
process.stderr.write(`packing ${entries.length} files (${(bytes / 2 ** 20).toFixed(1)} MiB) from ${dist}\n`);

const archive = await new Promise<Uint8Array>((done, fail) => zip(files, { level: 6 }, (error, data) => (error ? fail(error) : done(data))));
const out = resolve(options.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, archive);
process.stderr.write(`wrote ${out} (${(archive.length / 2 ** 20).toFixed(1)} MiB): unzip it and open ${FOLDER}/index.html\n`);
