/**
 * npm run package: the built site (dist/, built just before by the npm script) as one zip
 * archive for reading offline (run.ts does the work).
 */
import { Command } from 'commander';
import { runCli } from '../lib/stage.ts';
import { mib, PACKAGE_DEFAULTS, run } from './run.ts';

const program = new Command()
  .name('npm run package --')
  .description('Writes the built site as one zip archive for reading offline.')
  .option('--dist <dir>', 'the built site', process.env.LKT_OUT_DIR ?? PACKAGE_DEFAULTS.dist)
  .option('--out <file>', 'the archive to write', PACKAGE_DEFAULTS.out)
  .parse();
const options = program.opts<{ dist: string; out: string }>();

await runCli(
  program,
  () =>
    run({
      dist: options.dist,
      out: options.out,
      onProgress: ({ files, bytes, dist }) => process.stderr.write(`packing ${files} files (${mib(bytes)}) from ${dist}\n`),
    }),
  (report) => {
    process.stderr.write(`wrote ${report.out} (${mib(report.archiveBytes)}): unzip it and open ${report.folder}/index.html\n`);
    return 0;
  },
);
