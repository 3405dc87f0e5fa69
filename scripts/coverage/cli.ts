/**
 * npm run coverage [-- --pages DIR]
 * Prints how much of the measured tunables the kernel's documentation and source explain
 * (run.ts counts).
 */
import { Command } from 'commander';
import { runCli } from '../lib/stage.ts';
import { COVERAGE_DEFAULTS, reportTable, run } from './run.ts';

const program = new Command()
  .name('npm run coverage --')
  .description("Print how much of the measured tunables the kernel's documentation and source explain.")
  .option('--pages <dir>', 'the tunable pages', COVERAGE_DEFAULTS.pages)
  .parse();
const options = program.opts<{ pages: string }>();

await runCli(
  program,
  () => run({ pages: options.pages }),
  (report) => {
    process.stdout.write(`${reportTable(report).join('\n')}\n`);
    return 0;
  },
);
