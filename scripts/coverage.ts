/**
 * npm run coverage [-- --content DIR]
 * Per subsystem, the share of present tunables whose page has a description (and the share
 * of those from a man page, where no kernel documents the tunable), type, range and
 * definition site (the same figures as the site's "About the data" page).
 */
import { Command } from 'commander';
import { coverage, share } from '#core/coverage.ts';
import { readTunables } from '../src/data/tunables.ts';

const options = new Command()
  .name('npm run coverage --')
  .description("Print how much of the measured tunables the kernel's documentation and source explain.")
  .option('--content <dir>', 'the content folder (facts and pages)', 'content')
  .parse()
  .opts<{ content: string }>();

const rows = coverage(readTunables(options.content).map((page) => page.data));
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
