/**
 * npm run generate [-- --strict] [--prune] [--snapshots DIR] [--docs DIR] [--modules DIR] [--probes DIR] [--accepted DIR] [--content DIR]
 * Thin CLI over run.ts: snapshots + docs + module parameters + boot probes + accepted values → content/facts and content/tunables.
 */
import { Command } from 'commander';
import { runCli } from '../lib/stage.ts';
import { reportLines, run } from './run.ts';

const program = new Command()
  .name('npm run generate --')
  .description('Write the facts files and one MDX page per tunable from the snapshots, keeping what writers wrote.')
  .option('--snapshots <dir>', 'snapshot JSON files to read', 'content/snapshots')
  .option('--docs <dir>', "what each kernel's Documentation and source say (npm run docs)", 'content/docs')
  .option('--modules <dir>', "each kernel's module parameters (npm run refresh)", 'content/modules')
  .option('--probes <dir>', 'what boot parameters moved on each kernel (npm run refresh -- --probes)', 'content/boot-probes')
  .option('--accepted <dir>', 'the values each sysctl accepted on each kernel (npm run refresh -- --accepted)', 'content/accepted')
  .option('--content <dir>', 'the content root: pages in tunables/, facts in facts/', 'content')
  .option('--strict', 'exit non-zero when a writer edit collides with generated text')
  .option('--prune', 'delete vanished pages that hold no writer words (they only repeat old measurements)')
  .parse();
const options = program.opts<{ snapshots: string; docs: string; modules: string; probes: string; accepted: string; content: string; strict?: boolean; prune?: boolean }>();

await runCli(
  program,
  () => run({ ...options, log: (line) => process.stderr.write(`${line}\n`) }),
  (report) => {
    process.stderr.write(`${reportLines(report).join('\n')}\n`);
    const { errors, conflicts } = report;
    if (errors.length === 0 && !(options.strict && conflicts.length > 0)) return 0;
    process.stderr.write(`failed: ${errors.length} unreadable page(s), ${conflicts.length} conflict(s)${options.strict ? ' (--strict)' : ''}\n`);
    return 1;
  },
);
