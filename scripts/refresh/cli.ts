/**
 * npm run refresh -- [--suites bullseye,bookworm,trixie,sid] [--shapes 1x1024,4x4096,1x4096,1/64x4096,1x16384]
 *                    [--out content/snapshots] [--timeout SECONDS] [--jobs N] [--update]
 *                    [--probes content/boot-probes.json [--probes-out content/boot-probes]]
 *                    [--accepted content/accepted-probes.json [--accepted-out content/accepted] [--accepted-only NAMES]]
 *
 * Boots each suite's current Debian kernel under qemu in each machine shape and writes one
 * snapshot per boot (run.ts does the work). A kernel that fails is reported and the
 * others' snapshots are kept; the exit status is then non-zero. With --probes it boots
 * batches of boot parameters instead and writes what each moved; with --accepted it
 * measures the values each writable numeric sysctl accepts.
 */
import { Command, InvalidArgumentError } from 'commander';
import { positiveInt, runCli } from '../lib/stage.ts';
import { parseShape } from './boot.ts';
import { REFRESH_DEFAULTS, reportLines, run, type Shape } from './run.ts';

function list<T>(parse: (item: string) => T) {
  return (value: string): T[] => {
    try {
      return value.split(',').filter(Boolean).map(parse);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

const program = new Command()
  .name('npm run refresh --')
  .description('Boot Debian reference kernels under qemu, walk /proc/sys and /sys in each, write snapshots.')
  .option('--suites <list>', 'Debian suites whose current kernel to boot', list(String), [...REFRESH_DEFAULTS.suites])
  .option('--arches <list>', "architectures whose kernel of each suite to boot (one failing loses nothing of the other's)", list(String), [...REFRESH_DEFAULTS.arches])
  .option('--shapes <list>', 'machine shapes CPUSxMiB, or CPUS/POSSIBLExMiB for more possible CPUs than online; the first is booted twice', list(parseShape), [...REFRESH_DEFAULTS.shapes])
  .option('--out <dir>', 'folder for the snapshots', REFRESH_DEFAULTS.out)
  .option('--modules-out <dir>', "folder for each kernel's module parameters (<kernel id>.json: 6.1, 6.1-arm64)", REFRESH_DEFAULTS.modulesOut)
  .option('--timeout <seconds>', 'time limit of one boot, walk included', positiveInt, REFRESH_DEFAULTS.timeoutSeconds)
  .option('--jobs <n>', 'boots run at once', positiveInt, REFRESH_DEFAULTS.jobs)
  .option('--probes <file>', 'instead of the plain boots: boot with batches of these boot parameters (content/boot-probes.json) and write what each moved')
  .option('--probes-out <dir>', "folder for each kernel's probe results (<kernel id>.json: 6.1, 6.1-arm64)", REFRESH_DEFAULTS.probesOut)
  .option('--accepted <file>', 'instead of the plain boots: measure the values each writable numeric sysctl accepts, minus this deny list (content/accepted-probes.json)')
  .option('--accepted-out <dir>', "folder for each kernel's accepted values (<kernel id>.json: 6.1, 6.1-arm64)", REFRESH_DEFAULTS.acceptedOut)
  .option('--accepted-only <list>', 'with --accepted: probe only these sysctl names (* for any run of characters)', list(String))
  .option('--update', 'run apt-get update for each suite first (otherwise only when its package lists are missing)')
  .parse();

const options = program.opts<{ suites: string[]; arches: string[]; shapes: Shape[]; out: string; modulesOut: string; timeout: number; jobs: number; update?: boolean; probes?: string; probesOut: string; accepted?: string; acceptedOut: string; acceptedOnly?: string[] }>();

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;

await runCli(
  program,
  () =>
    run({
      suites: options.suites,
      arches: options.arches,
      shapes: options.shapes,
      out: options.out,
      modulesOut: options.modulesOut,
      timeoutSeconds: options.timeout,
      jobs: options.jobs,
      update: options.update,
      probes: options.probes,
      probesOut: options.probesOut,
      accepted: options.accepted,
      acceptedOut: options.acceptedOut,
      acceptedOnly: options.acceptedOnly,
      onProgress: ({ who, message }) => process.stderr.write(`${elapsed()}  [${who}] ${message}\n`),
    }),
  (report) => {
    process.stderr.write(`${reportLines(report).join('\n')}\n`);
    return report.failed.length > 0 ? 1 : 0;
  },
);
