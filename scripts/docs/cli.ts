/**
 * npm run docs -- [--series 6.1,7.2] [--out content/docs] [--update]
 *
 * Reads each reference kernel's Documentation and C source into content/docs/<series>.json
 * and the Linux man-pages into content/docs/man-pages.json: scripts/docs/run.ts does the
 * work; this parses the flags, prints progress and the report, and sets the exit status
 * (1 when a part failed; the others are still written).
 */
import { Command } from 'commander';
import { formatReport, run } from './run.ts';

const program = new Command()
  .name('npm run docs --')
  .description("Read each reference kernel's Documentation and C source into content/docs/<series>.json.")
  .option('--series <list>', 'kernel series, e.g. 6.1,7.2 (default: those of content/snapshots)', (value: string) => value.split(',').filter(Boolean))
  .option('--snapshots <dir>', 'where the default series are read from', 'content/snapshots')
  .option('--out <dir>', 'folder for <series>.json', 'content/docs')
  .option('--update', 'run apt-get update for each suite first (otherwise only when its package lists are missing)')
  .parse();

const options = program.opts<{ series?: string[]; snapshots: string; out: string; update?: boolean }>();

const started = performance.now();
const log = (who: string, what: string) => process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  [${who}] ${what}\n`);

const report = await run({ ...options, log }).catch((error: Error) => program.error(error.message));
process.stderr.write(`\n${formatReport(report)}\n`);
if (report.failures.length > 0) process.exitCode = 1;
