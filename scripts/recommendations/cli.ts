/**
 * npm run recommendations -- [--suite sid] [--products debian13,ubuntu2404,rhel9] [--out content/recommendations] [--update]
 *
 * Reads what TuneD's and ComplianceAsCode's profiles set, from Debian's packages, into
 * content/recommendations/<source>.json: scripts/recommendations/run.ts does the work.
 */
import { Command } from 'commander';
import { runCli } from '../lib/stage.ts';
import { formatReport, RECOMMENDATIONS_DEFAULTS, run } from './run.ts';

const program = new Command()
  .name('npm run recommendations --')
  .description("Read TuneD's and ComplianceAsCode's profiles from Debian's packages into content/recommendations/<source>.json.")
  .option('--suite <suite>', 'Debian suite whose current packages to read', RECOMMENDATIONS_DEFAULTS.suite)
  .option('--products <list>', "the SCAP content's products to read (ssg-<product>-xccdf.xml)", (value: string) => value.split(',').filter(Boolean), [...RECOMMENDATIONS_DEFAULTS.products])
  .option('--out <dir>', 'folder for <source>.json', RECOMMENDATIONS_DEFAULTS.out)
  .option('--update', "run apt-get update for the suite first (otherwise only when its package lists are missing)")
  .parse();

const options = program.opts<{ suite: string; products: string[]; out: string; update?: boolean }>();
const started = performance.now();
const log = (who: string, what: string) => process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  [${who}] ${what}\n`);

await runCli(
  program,
  () => run({ ...options, log }),
  (report) => {
    process.stderr.write(`\n${formatReport(report)}\n`);
    return 0;
  },
);
