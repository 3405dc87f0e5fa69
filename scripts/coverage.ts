/**
 * npm run coverage [-- --pages DIR]
 * Per subsystem, the share of present tunables whose page has a description (and the share
 * of those from a man page, where no kernel documents the tunable), type, range and
 * definition site (the same figures as the site's "About the data" page).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { coverage, share } from '#core/coverage.ts';
import { tunableFrontmatter, type TunableFrontmatter } from '#core/schemas/tunable.ts';
import { parsePage } from './generate/page.ts';

const options = new Command()
  .name('npm run coverage --')
  .description("Print how much of the measured tunables the kernel's documentation and source explain.")
  .option('--pages <dir>', 'the tunable pages', 'content/tunables')
  .parse()
  .opts<{ pages: string }>();

async function readPages(dir: string): Promise<TunableFrontmatter[]> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.mdx')).sort();
  return Promise.all(
    files.map(async (name) => {
      const file = join(dir, name);
      const checked = tunableFrontmatter.safeParse(parsePage(file, await readFile(file, 'utf8')).frontmatter);
      if (!checked.success) throw new Error(`${file}: front matter ${checked.error.issues[0]!.path.join('.')}: ${checked.error.issues[0]!.message} (run npm run generate)`);
      return checked.data;
    }),
  );
}

const rows = coverage(await readPages(options.pages));
const header = ['', 'tunables', 'description', '(man-pages)', 'type', 'range', 'defined in'];
const lines = rows.map((r) => [
  r.subsystem === null ? `${r.kind} (all)` : `  ${r.subsystem}`,
  String(r.tunables),
  share(r.description, r.tunables),
  share(r.manPages, r.tunables),
  share(r.type, r.tunables),
  share(r.range, r.tunables),
  share(r.definedIn, r.tunables),
]);
const widths = header.map((_, i) => Math.max(...[header, ...lines].map((cells) => cells[i]!.length)));
const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
process.stdout.write(`${[header, ...lines].map(format).join('\n')}\n`);
