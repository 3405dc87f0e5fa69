#!/usr/bin/env node
/**
 * kernel-tunables: the site's data at an operator's terminal.
 *   explain NAME            one tunable's facts and defaults per reference kernel
 *   lint FILE…|DIR          sysctl.d files checked against a reference kernel
 *   diff                    this machine's /proc/sys against a reference kernel's defaults
 * Registered as the package's bin: `npx kernel-tunables …` in the repository. Runs on the
 * Node the repository installs (node_modules/.bin/node, which strips the TypeScript types).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ERROR_KINDS } from '#core/sysctl-check/lint.ts';
import { parseCpus, parseMemorySize, type Machine } from '#core/machine-rules.ts';
import { parseKernelId, PRIMARY_ARCH } from '#core/kernels.ts';
import type { KernelAsked } from './reference.ts';
import { DataError, UsageError } from './style.ts';

const NAME = 'kernel-tunables';
/** How the help names an architecture: the data's own kernels decide which are known. */
const ARCHES = "Debian's name, amd64 or arm64";
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** A parser of machine-rules.ts as an option parser: its message becomes commander's usage error. */
function optionParser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

/** The machine `--cpus` and `--memory` describe; undefined when neither is given. */
function machineOf(options: { cpus?: ReturnType<typeof parseCpus>; memory?: number }): Machine | undefined {
  if (!options.cpus && options.memory === undefined) return undefined;
  return { ...options.cpus, ...(options.memory !== undefined && { memoryKiB: options.memory }) };
}

/** Words wrapped to `width` columns, continuation lines indented by `indent`. */
function wrap(text: string, indent: string, width = 80): string {
  const lines = [''];
  for (const word of text.split(' ')) {
    const last = lines.at(-1)!;
    if (last.length > 0 && indent.length + last.length + 1 + word.length > width) lines.push(word);
    else lines[lines.length - 1] = last ? `${last} ${word}` : word;
  }
  return lines.join(`\n${indent}`);
}

const EXIT_STATUS = `
Exit status:
  0  done; for lint: no finding of an error kind
  1  ${wrap(`lint: a finding of an error kind (${[...ERROR_KINDS].join(', ')}); explain: no tunable of that name (the closest names are suggested on stderr), or none on the kernel or architecture asked for`, '     ')}
  2  usage or input error: unknown option, command, kernel series or architecture, a
     missing or unreadable file or directory, unreadable data (message on stderr)

Data: the content folder (content/, or LKT_CONTENT_DIR): its facts files and pages,
as the site's tunables.json has them.
Colour only on a terminal, and never when NO_COLOR is set.`;

const program = new Command(NAME)
  .description("Linux kernel tunables from the terminal: explain one, lint sysctl.d files, diff this machine's values against a reference kernel's defaults.")
  .version(version, '-V, --version', 'print the version')
  .helpOption('-h, --help', 'show help (also: kernel-tunables COMMAND --help)')
  .exitOverride()
  .showHelpAfterError('(add --help for usage)')
  .addHelpText(
    'after',
    `
Examples:
  kernel-tunables explain vm.swappiness
  kernel-tunables explain net.ipv4.conf.eth0.rp_filter
  kernel-tunables lint /etc/sysctl.d
  kernel-tunables lint --kernel 6.1 --json /etc/sysctl.conf 99-local.conf
  kernel-tunables lint --arch arm64 /etc/sysctl.d
  kernel-tunables diff

Kernels are measured on amd64 and arm64: explain shows both, lint judges against amd64
unless --arch says otherwise, diff against this machine's architecture.
${EXIT_STATUS}`,
  );

program
  .command('explain')
  .description('show what the data knows of one tunable: summary, type, valid range, namespace scope, writability and the default on each reference kernel')
  .argument('<name>', 'vm.swappiness, vm/swappiness, /proc/sys/vm/swappiness, a concrete instance such as net.ipv4.conf.eth0.rp_filter, or a /sys path')
  .option('--json', 'print the tunable as tunables.json has it, with its page file')
  .option('--kernel <series>', 'show that series only (default: every reference kernel)')
  .option('--arch <arch>', `show that architecture's kernels only: ${ARCHES} (default: every architecture measured)`)
  .option('--cpus <n>', 'show the default expected with N online CPUs, or ONLINE/POSSIBLE where more are possible (/sys/devices/system/cpu/possible), e.g. 4/64', optionParser(parseCpus))
  .option('--memory <size>', 'show the default expected with this memory, as the kernel reports it (MemTotal), e.g. 16G or 4096M', optionParser(parseMemorySize))
  .addHelpText(
    'after',
    `
Examples:
  kernel-tunables explain vm.swappiness
  kernel-tunables explain /proc/sys/net/core/somaxconn
  kernel-tunables explain net.ipv6.conf.eth0.accept_ra     (the <interface> page)
  kernel-tunables explain kernel.pid_max --cpus 4/64 --memory 16G
  kernel-tunables explain vm.mmap_min_addr --kernel 6.1 --arch arm64

Each kernel is named with its architecture: 6.1 (amd64), 6.1 (arm64); a tunable that exists
on one architecture only (abi.swp: arm64) is said to be.

With --cpus or --memory: each kernel's default on that machine, where the machine shapes
measured agree on a rule (1024 per possible CPU, at least 32768); else the values measured
on those shapes, which are all the data knows.

Exit status: 0 found; 1 no tunable of that name (closest names on stderr), or none on the
kernel or architecture asked for (where it is, on stderr); 2 usage error.`,
  )
  .action(async (name: string, options: KernelAsked & { json?: boolean; cpus?: Pick<Machine, 'cpus' | 'possibleCpus'>; memory?: number }) => {
    // Imported when used: --help and --version need none of it.
    const [{ loadData }, { resolveName, suggestNames }, { explainJson, explainText, shownKernels }] = await Promise.all([import('./data.ts'), import('./names.ts'), import('./explain.ts')]);
    const data = loadData();
    const resolved = resolveName(name, data.entries);
    if (!resolved) {
      const suggestions = suggestNames(name, data.entries);
      process.stderr.write(`${NAME}: no tunable named ${JSON.stringify(name)}${suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : ''}\n`);
      process.exitCode = 1;
      return;
    }
    const shown = shownKernels(resolved.entry.data, data, options);
    if ('none' in shown) {
      process.stderr.write(`${NAME}: ${shown.none}\n`);
      process.exitCode = 1;
      return;
    }
    const machine = machineOf(options);
    process.stdout.write(options.json ? explainJson(resolved, data, shown.ids, machine) : explainText(resolved, data, shown.ids, machine));
  });

program
  .command('lint')
  .description(
    'check sysctl.d files, modprobe.d files and kernel command lines against a reference kernel: typos, names the kernel lacks, values out of range, read-only keys, options a built-in module never sees, overridden lines, settings that change nothing',
  )
  .argument('<paths...>', 'files, - for standard input, or a directory whose *.conf files are read in file name order (as sysctl.d and modprobe.d order them)')
  .option('--kernel <series>', 'reference kernel series (default: the newest measured on the architecture)')
  .option('--arch <arch>', `the reference kernel's architecture: ${ARCHES} (default: ${PRIMARY_ARCH})`)
  .option('--format <format>', 'read every path as sysctl, modprobe or cmdline (default: by its place: modprobe.d/, /proc/cmdline, /etc/default/grub; else sysctl)')
  .option('--json', 'print { "findings": [{ "file", "line", "key", "kind", "message" }] }')
  .option('--cpus <n>', 'judge machine-scaled defaults for N online CPUs, or ONLINE/POSSIBLE, e.g. 4/64', optionParser(parseCpus))
  .option('--memory <size>', 'judge machine-scaled defaults for this memory (MemTotal), e.g. 16G', optionParser(parseMemorySize))
  .option('--profile <name>', 'also say where the settings meet or differ from a profile of what others recommend: tuned:throughput-performance, ssg:debian13:cis_level1_server (a unique tail will do: cis_level1_server is ambiguous, debian13:cis_level1_server is not)')
  .addHelpText(
    'after',
    `
One line per finding: FILE:LINE: KIND: MESSAGE. Error kinds (exit 1):
  ${[...ERROR_KINDS].join(', ')}.
Other kinds inform: same-as-default, differs-from-default, namespaced, overridden,
blacklisted, runtime-settable, for-init; with --profile, meets-recommendation and
differs-from-recommendation.
Judged against Linux on ${PRIMARY_ARCH} unless --arch says otherwise; a key that exists on
another architecture only is a not-on-kernel error that says so (abi.swp exists on arm64 only).
Several paths are read in the order given; a later setting of a key overrides an earlier one.
modprobe.d files: options, blacklist, install, remove, softdep, alias. A command line:
/proc/cmdline, or GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT of /etc/default/grub.

Examples:
  kernel-tunables lint /etc/sysctl.d
  kernel-tunables lint /etc/sysctl.conf /etc/sysctl.d/99-local.conf
  kernel-tunables lint --kernel 6.1 --json 99-local.conf | jq '.findings[].kind'
  kernel-tunables lint --kernel 6.1 --arch arm64 /etc/sysctl.d   (an arm64 machine's files)
  systemd-sysctl --cat-config | kernel-tunables lint -      # every file systemd reads, in its order
  kernel-tunables lint /etc/modprobe.d /proc/cmdline /etc/default/grub
  kernel-tunables lint --cpus 4/64 --memory 16G /etc/sysctl.d   (kernel.pid_max judged for that machine)
  kernel-tunables lint --profile tuned:throughput-performance /etc/sysctl.d

Exit status: 0 no errors; 1 some finding is an error; 2 usage or I/O error.`,
  )
  .action(async (paths: string[], options: KernelAsked & { json?: boolean; format?: string; cpus?: ReturnType<typeof parseCpus>; memory?: number; profile?: string }) => {
    const [{ loadData }, { lint, lintJson, lintText, readSources }, { referenceKernel }] = await Promise.all([import('./data.ts'), import('./lint.ts'), import('./reference.ts')]);
    const formats = ['sysctl', 'modprobe', 'cmdline'] as const;
    const format = formats.find((one) => one === options.format);
    if (options.format !== undefined && !format) throw new UsageError(`unknown --format ${JSON.stringify(options.format)}: use ${formats.join(', ')}`);
    const sources = readSources(paths);
    const data = loadData();
    const id = referenceKernel(data, options, PRIMARY_ARCH);
    let profile: string | undefined;
    if (options.profile !== undefined) {
      const { profileNames, resolveProfile } = await import('#core/sysctl-check/recommendations.ts');
      try {
        profile = resolveProfile(options.profile, profileNames(data.export.tunables));
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    const result = lint(sources, data, id, format, machineOf(options), profile);
    const release = data.export.kernels.find((kernel) => kernel.id === id)!.release;
    const { series, arch } = parseKernelId(id);
    process.stdout.write(options.json ? lintJson(result) : lintText(result, sources, `Linux ${series} on ${arch} (${release})`));
    process.exitCode = result.errors > 0 ? 1 : 0;
  });

program
  .command('diff')
  .description("compare this machine's /proc/sys with a reference kernel's defaults (reads only; a read that blocks is abandoned)")
  .option('--kernel <series>', 'reference kernel series (default: the newest measured on the architecture)')
  .option('--arch <arch>', `the reference kernel's architecture: ${ARCHES} (default: the machine's, uname -m as /proc/sys/kernel/arch gives it)`)
  .option('--json', 'print the comparison as JSON: { live, reference, differs, scaled, notInData, notOnReference, counts }')
  .option('--root <dir>', 'read DIR/proc/sys instead of /proc/sys', '/')
  .option('--timeout <ms>', 'abandon a read that blocks this long', positiveInt, 2000)
  .addHelpText(
    'after',
    `
Constant defaults are compared with whitespace collapsed; pattern pages (net.ipv4.conf.<interface>.*)
compare all/default/lo with the same instance, other interfaces with the default instance.
Defaults that scale with the machine are listed with the reference machine shapes' values,
not as differences. Runtime state (a value that changes between reads) is skipped and counted.
Sysctls the data does not have, or has from other kernels only, are listed apart.
The reference kernel is of this machine's architecture (x86_64: amd64, aarch64: arm64);
where the data has no kernel of it, diff says which architectures it has: give --arch.

With --json, "reference" is { id, series, arch, release }: id is the kernel's key in the site's
tunables.json (6.1 for amd64, 6.1-arm64), series and arch its two parts, as "live" has them
({ release, series, arch, machine }), so the two compare without parsing the id.

Examples:
  kernel-tunables diff
  kernel-tunables diff --kernel 6.12 --json | jq '.differs[].name'

Exit status: 0 compared (whatever differs); 2 usage error or /proc/sys unreadable.`,
  )
  .action(async (options: KernelAsked & { json?: boolean; root: string; timeout: number }) => {
    const [{ loadData }, { diffJson, diffLive, diffText }] = await Promise.all([import('./data.ts'), import('./diff.ts')]);
    const data = loadData();
    const report = await diffLive(data, { root: options.root, asked: options, timeoutMs: options.timeout }, (text) => process.stderr.write(`${text}\n`));
    process.stdout.write(options.json ? diffJson(report) : diffText(report, data.kernelIds));
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has written its message (or the help) already.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError || error instanceof DataError) {
    process.stderr.write(`${NAME}: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${NAME}: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  }
}
