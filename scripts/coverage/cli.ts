/**
 * npm run coverage [-- --content DIR]
 * Prints how much of the measured tunables the kernel's documentation and source explain
 * (run.ts counts).
 */
import { Command } from 'commander';
import { runCli } from '../lib/stage.ts';
import { COVERAGE_DEFAULTS, reportTable, run } from './run.ts';

const program = new Command()
  .name('npm run coverage --')
  .description("Print how much of the measured tunables the kernel's documentation and source explain.")
  .option('--content <dir>', 'the content folder (pages and facts)', COVERAGE_DEFAULTS.content)
  .parse();
const options = program.opts<{ content: string }>();

await runCli(
  program,
  () => run({ content: options.content }),
  (report) => {
    process.stdout.write(`${reportTable(report).join('\n')}\n`);
    return 0;
  },
);
