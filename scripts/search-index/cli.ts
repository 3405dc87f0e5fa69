/**
 * npm run search-index [-- --dist DIR]
 * Indexes a built site for search: Pagefind's index and the offline one (run.ts).
 * `npm run build` runs it after `astro build`.
 */
import { Command } from 'commander';
import { runCli } from '../lib/stage.ts';
import { SEARCH_INDEX_DEFAULTS, run } from './run.ts';

const program = new Command()
  .name('npm run search-index --')
  .description('Index the built site for search: Pagefind, then the offline index read from it.')
  .option('--dist <dir>', 'the built site', process.env.LKT_OUT_DIR ?? SEARCH_INDEX_DEFAULTS.dist)
  .parse();
const options = program.opts<{ dist: string }>();

// Progress on stderr, like every stage; `npm run bench` reads these lines for its phases.
const log = (line: string) => process.stderr.write(`[search-index] ${line}\n`);
log(`indexing ${options.dist}…`);
await runCli(
  program,
  () => run({ dist: options.dist, onProgress: log }),
  () => 0,
);
