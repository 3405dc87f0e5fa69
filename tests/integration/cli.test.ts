/**
 * `kernel-tunables` as an operator runs it: a child process on the committed content,
 * output piped (so never coloured).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_KINDS } from '#core/sysctl-check/lint.ts';
import { findingKind, type FindingKind } from '#core/schemas/check.ts';
import type { FactsFile, KernelFacts } from '#core/schemas/tunable.ts';
import { makeTempDir, writeTreeFile } from '../helpers/fake-tree.ts';
import { writeTwoArchContent } from '../helpers/two-arch-content.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPO, 'scripts/cli/kernel-tunables.ts');
const scratch = () => mkdtempSync(join(process.env.LKT_TEST_TMP ?? tmpdir(), 'cli-'));
const ANSI = /\u001b\[/;
/** A hang guard, not a speed test: each run reads the whole content (about 1 s of CPU). */
const RUN_LIMIT_MS = 300_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(...args: string[]): Run {
  return runWith(undefined, ...args);
}

function runWith(input: string | undefined, ...args: string[]): Run {
  return runIn({ input }, ...args);
}

/** With `content`: on that content folder instead of the committed one. */
function runIn({ input, content }: { input?: string | undefined; content?: string }, ...args: string[]): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The committed content, and no opinion on colour: piped output must be plain by itself.
  delete env.LKT_CONTENT_DIR;
  delete env.NO_COLOR;
  if (content !== undefined) env.LKT_CONTENT_DIR = content;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, env, encoding: 'utf8', timeout: RUN_LIMIT_MS, input });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `file:line: kind: message` lines, parsed. */
function findingLines(stdout: string): { file: string; line: number; kind: FindingKind; message: string }[] {
  return stdout.split('\n').flatMap((text) => {
    const match = /^(.+):(\d+): ([a-z-]+): (.*)$/.exec(text);
    if (!match) return [];
    return [{ file: match[1]!, line: Number(match[2]), kind: findingKind.parse(match[3]), message: match[4]! }];
  });
}

describe('kernel-tunables lint', () => {
  let dir: string;
  let base: string;
  let override: string;
  let text: Run;

  beforeAll(() => {
    dir = join(scratch(), 'sysctl.d');
    mkdirSync(dir);
    base = join(dir, '10-base.conf');
    override = join(dir, '20-override.conf');
    writeFileSync(
      base,
      [
        '# comments with a hash',
        '; and with a semicolon',
        'vm.swapiness = 10',
        'vm.swappiness = 300',
        '-net.ipv4.conf.*.rp_filter = 2',
        'vm.dirty_ratio = 15',
        '',
      ].join('\n'),
    );
    writeFileSync(override, 'vm.swappiness = 10\n');
    // Not a *.conf file: sysctl ignores it, and so must lint.
    writeFileSync(join(dir, 'notes.txt'), 'this is not a setting\n');
    text = run('lint', dir);
  });

  it('reads a directory\'s *.conf files in order and reports what an operator must know, exit 1', () => {
    expect(text.stderr).toBe('');
    expect(text.status).toBe(1);
    expect(text.stdout).not.toMatch(ANSI);
    const findings = findingLines(text.stdout);
    const at = (file: string, line: number) => findings.filter((f) => f.file === file && f.line === line);
    expect(findings.every((f) => f.file === base || f.file === override)).toBe(true);
    // Comments are not settings.
    expect(at(base, 1)).toEqual([]);
    expect(at(base, 2)).toEqual([]);
    // A typo, with the name it meant.
    expect(at(base, 3)).toEqual([expect.objectContaining({ kind: 'unknown-key', message: expect.stringContaining('did you mean vm.swappiness') })]);
    // Out of range, and overridden by the later file.
    expect(at(base, 4).map((f) => f.kind).sort()).toEqual(['out-of-range', 'overridden']);
    expect(at(base, 4).find((f) => f.kind === 'out-of-range')!.message).toContain('0 – 200');
    expect(at(base, 4).find((f) => f.kind === 'overridden')!.message).toContain(`${override}:1`);
    // A `-` prefixed glob matches the interface pages: no error.
    expect(at(base, 5).length).toBeGreaterThan(0);
    expect(at(base, 5).some((f) => ERROR_KINDS.has(f.kind))).toBe(false);
    // The winning line of the later file.
    expect(at(override, 1).map((f) => f.kind)).toEqual(['differs-from-default']);
    expect(text.stdout).toMatch(/^2 errors, \d+ notes: 2 files checked against Linux \d+\.\d+ on amd64 \(.+-amd64\)$/m);
  });

  it('prints exactly five fields per finding with --json, the same findings as the text', () => {
    const json = run('lint', '--json', dir);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { findings: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(['findings']);
    for (const finding of report.findings) expect(Object.keys(finding).sort()).toEqual(['file', 'key', 'kind', 'line', 'message']);
    const brief = (f: Record<string, unknown>) => `${String(f.file)}:${String(f.line)}:${String(f.kind)}`;
    expect(report.findings.map(brief)).toEqual(findingLines(text.stdout).map(brief));
    expect(report.findings.find((f) => f.line === 5)!.key).toBe('net.ipv4.conf.*.rp_filter');
  });

  it('exits 0 on a clean file', () => {
    const clean = join(scratch(), 'clean.conf');
    writeFileSync(clean, 'vm.swappiness = 10\n');
    const result = run('lint', clean);
    expect(result.status).toBe(0);
    expect(findingLines(result.stdout).map((f) => f.kind)).toEqual(['differs-from-default']);
    expect(result.stdout).toMatch(/^no errors, 1 note: 1 file checked/m);
  });

  it('reads standard input for "-", as piped from systemd-sysctl --cat-config', () => {
    const result = runWith('# /etc/sysctl.d/99-x.conf\nvm.swappiness = 300\n-net.ipv4.conf.all.rp_filter\n', 'lint', '-');
    expect(result.status).toBe(1);
    expect(findingLines(result.stdout).map(({ file, line, kind }) => `${file}:${line} ${kind}`)).toEqual(['standard input:2 out-of-range']);
  });

  it('exits 2 on a missing file, with the reason on stderr and nothing on stdout', () => {
    const missing = join(scratch(), 'missing.conf');
    const result = run('lint', override, missing);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`cannot read ${missing}: no such file or directory`);
  });

  it('with --profile, says where a file meets or differs from what the profile recommends, exit 0 (notes only)', () => {
    const file = join(REPO, 'tests/fixtures/recommendations/99-throughput.conf');
    const result = run('lint', '--profile', 'tuned:throughput-performance', file);
    expect(result.status, result.stderr).toBe(0);
    const lines = findingLines(result.stdout).filter((finding) => finding.kind.endsWith('-recommendation'));
    expect(lines.map(({ line, kind, message }) => [line, kind, message])).toEqual([
      [2, 'meets-recommendation', 'tuned:throughput-performance (TuneD) recommends = 10'],
      [3, 'differs-from-recommendation', 'tuned:throughput-performance (TuneD) recommends ≥ 2048; this sets 1024'],
      [4, 'meets-recommendation', 'tuned:throughput-performance (TuneD) recommends = 40'],
    ]);
    const json = JSON.parse(run('lint', '--json', '--profile', 'throughput-performance', file).stdout) as { findings: { kind: string }[] };
    expect(json.findings.filter((finding) => finding.kind === 'differs-from-recommendation')).toHaveLength(1);
    // An ambiguous or unknown profile is a usage error that names the choices.
    const ambiguous = run('lint', '--profile', 'cis_level1_server', file);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toMatch(/could be ssg:debian13:cis_level1_server, ssg:ubuntu2404:cis_level1_server/);
  });

  it('exits 2 on an unknown kernel, naming the known ones', () => {
    const result = run('lint', '--kernel', '0.0', override);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no reference kernel "0\.0": the data has \d+\.\d+(, \d+\.\d+)*/);
  });
});

describe('kernel-tunables conventions', () => {
  it('prints help with examples and exit codes, and the package version', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/explain .*\n[^]*lint .*\n[^]*diff /);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('Exit status:');
    expect(help.stdout).not.toMatch(ANSI);
    const version = run('--version');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('exits 2 on an unknown option or a missing command, with the message on stderr', () => {
    const option = run('lint', '--bogus', 'x.conf');
    expect(option.status).toBe(2);
    expect(option.stdout).toBe('');
    expect(option.stderr).toContain("unknown option '--bogus'");
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Usage: kernel-tunables');
  });
});

describe('kernel-tunables explain', () => {
  it('shows the valid range and the default on every reference kernel', () => {
    const result = run('explain', 'vm.swappiness');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(ANSI);
    expect(result.stdout).toMatch(/^vm\.swappiness$/m);
    expect(result.stdout).toMatch(/valid range:\s+0 – 200/);
    expect(result.stdout).toMatch(/path:\s+\/proc\/sys\/vm\/swappiness/);
    // One row per kernel: series and architecture, release, mode, scope, default.
    const rows = result.stdout.split('\n').filter((line) => /^\s+\d+\.\d+ \(amd64\)\s+\S+\s+0644\s+global\s+60$/.test(line));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toContain('content/tunables/sysctl/vm/swappiness.mdx');
  });

  it('names the handler beside the type, and says what bounds a side no constant bounds', () => {
    const pidMax = run('explain', 'kernel.pid_max');
    expect(pidMax.status, pidMax.stderr).toBe(0);
    expect(pidMax.stdout).toMatch(/type:\s+integer, parsed by `proc_dointvec_minmax`/);
    expect(pidMax.stdout).toMatch(/valid range:\s+at least max\(301, 8 × possible CPUs\), set at boot \(kernel\/pid\.c:\d+\) and at most \d+$/m);
    expect(run('explain', 'net.sctp.rto_min').stdout).toMatch(/valid range:\s+at least 1 and at most the value of net\.sctp\.rto_max$/m);
    // kernel.pid_max moved from kernel/sysctl.c to kernel/pid.c: each file with its kernels.
    // The arm64 kernels of a series read the same tree: where they are measured, they join its span.
    // Both architectures' kernels state the same sites: one span, naming them.
    expect(pidMax.stdout).toMatch(/defined in:\s+5\.10 – 6\.12 \(amd64 and arm64\): kernel\/sysctl\.c:\d+ \(Linux 6\.12\.\d+\); 7\.2 \(amd64 and arm64\): kernel\/pid\.c:\d+ \(Linux 7\.2\.\d+\)$/m);
  });

  it('finds the pattern page of a concrete instance', () => {
    const result = run('explain', '/proc/sys/net/ipv4/conf/eth0/rp_filter');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^net\.ipv4\.conf\.<interface>\.rp_filter$/m);
    expect(result.stdout).toMatch(/instance:\s+\/proc\/sys\/net\/ipv4\/conf\/eth0\/rp_filter \(eth0 for <interface>\)/);
    expect(result.stdout).toContain('per net namespace');
  });

  it("lists what others recommend, each against the newest default, a pattern's setting by its instance", () => {
    const { status, stdout } = run('explain', 'net.ipv4.conf.all.rp_filter');
    expect(status).toBe(0);
    expect(stdout).toMatch(/\nRecommended by \(the default of 7\.2 \(amd64\) against each\):\n/);
    expect(stdout).toMatch(/\n {2}ComplianceAsCode [^\n]*debian13:cis_level1_server[^\n]*: = 1 for all: differs\n/);
    const swappiness = run('explain', 'vm.swappiness').stdout;
    expect(swappiness).toMatch(/\n {2}TuneD [^\n]*throughput-performance[^\n]*: = 10: differs\n/);
    expect(swappiness).toMatch(/network-latency \(from latency-performance\)/);
    expect(run('explain', 'kernel.random.boot_id').stdout).not.toContain('Recommended by');
  });

  it('exits 1 on an unknown name, with the closest names on stderr', () => {
    const result = run('explain', 'vm.swapiness');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('did you mean vm.swappiness');
  });
});

describe('kernel-tunables explain --cpus --memory', () => {
  /**
   * kernel.pid_max as the committed content has it (a rule on every kernel, from the shapes
   * with 64 possible CPUs), with 6.1 given four shapes and its rule here, and 6.12 made
   * machine-scaled with no rule.
   */
  let content: string;
  beforeAll(() => {
    content = scratch();
    const facts = JSON.parse(readFileSync(join(REPO, 'content/facts/sysctl/kernel.json'), 'utf8')) as FactsFile;
    const pidMax = facts.tunables['sysctl/kernel/pid_max']!;
    const shapes = (values: string[]) => [
      { cpus: 1, memoryKiB: 986_332, value: values[0]! },
      { cpus: 1, memoryKiB: 4_011_984, value: values[1]! },
      { cpus: 1, possibleCpus: 64, memoryKiB: 16_379_836, value: values[2]! },
      { cpus: 4, memoryKiB: 4_011_212, value: values[3]! },
    ];
    const machine: Pick<KernelFacts, 'default' | 'defaultKind' | 'scalesWith'> = { default: null, defaultKind: 'machine', scalesWith: [] };
    pidMax.kernels['6.1'] = { ...pidMax.kernels['6.1']!, ...machine, shapes: shapes(['32768', '32768', '65536', '32768']), rule: { per: 'possible-cpu', factor: 1024, min: 32768 } };
    // Without the committed rule: the shapes alone.
    const { rule: _committed, ...without } = pidMax.kernels['6.12']!;
    pidMax.kernels['6.12'] = { ...without, ...machine, shapes: shapes(['32768', '32768', '65536', '40000']) };
    mkdirSync(join(content, 'facts/sysctl'), { recursive: true });
    writeFileSync(join(content, 'facts/sysctl/kernel.json'), JSON.stringify({ ...facts, tunables: { 'sysctl/kernel/pid_max': pidMax } }));
    mkdirSync(join(content, 'tunables/sysctl/kernel'), { recursive: true });
    writeFileSync(join(content, 'tunables/sysctl/kernel/pid_max.mdx'), readFileSync(join(REPO, 'content/tunables/sysctl/kernel/pid_max.mdx')));
  });

  /** `series (arch): text` lines under "Expected default on …", by amd64 series. */
  const expected = (stdout: string): Record<string, string> => {
    const section = stdout.slice(stdout.indexOf('Expected default on'));
    return Object.fromEntries([...section.matchAll(/^ {2}(\d+\.\d+) \(amd64\):\s+(.*)$/gm)].map((match) => [match[1]!, match[2]!]));
  };

  it('computes the default where the shapes agree on a rule, else lists them', () => {
    const result = runIn({ content }, 'explain', 'kernel.pid_max', '--cpus', '4/64', '--memory', '16G');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Expected default on 4 CPUs (64 possible), 16 GiB:');
    const lines = expected(result.stdout);
    expect(lines['6.1']).toBe('65536 (1024 per possible CPU, at least 32768)');
    expect(lines['6.12']).toBe('measured on these shapes only: 1 CPU, 1 GiB: 32768; 1 CPU, 4 GiB: 32768; 1 CPU (64 possible), 16 GiB: 65536; 4 CPUs, 4 GiB: 40000');
    expect(lines['7.2']).toBe('65536 (1024 per possible CPU, at least 32768)');
    // The table says the rule too.
    expect(result.stdout).toMatch(/^ {2}6\.1 \(amd64\) .*machine-scaled: 1024 per possible CPU, at least 32768, by machine shape:$/m);
  });

  it('takes the online CPUs as the possible ones when only they are given, and memory alone as not enough', () => {
    expect(expected(runIn({ content }, 'explain', 'kernel.pid_max', '--cpus', '128').stdout)['6.1']).toBe('131072 (1024 per possible CPU, at least 32768)');
    expect(expected(runIn({ content }, 'explain', 'kernel.pid_max', '--cpus', '4').stdout)['6.1']).toBe('32768 (1024 per possible CPU, at least 32768)');
    expect(expected(runIn({ content }, 'explain', 'kernel.pid_max', '--memory', '4096M').stdout)['6.1']).toBe('1024 per possible CPU, at least 32768: give --cpus to compute it');
  });

  it('gives each kernel\'s expected default in --json', () => {
    const json = JSON.parse(runIn({ content }, 'explain', 'kernel.pid_max', '--json', '--cpus', '1/64').stdout) as { asked: { machine: unknown; expected: Record<string, unknown> } };
    expect(json.asked.machine).toEqual({ cpus: 1, possibleCpus: 64 });
    expect(json.asked.expected['6.1']).toEqual({ kind: 'rule', value: '65536', rule: { per: 'possible-cpu', factor: 1024, min: 32768 } });
    expect(json.asked.expected['7.2']).toEqual({ kind: 'rule', value: '65536', rule: { per: 'possible-cpu', factor: 1024, min: 32768 } });
  });

  it('refuses a machine it cannot read, exit 2', () => {
    const memory = run('explain', 'kernel.pid_max', '--memory', '16');
    expect(memory.status).toBe(2);
    expect(memory.stderr).toContain('memory "16" is not a size such as 16G');
    expect(run('explain', 'kernel.pid_max', '--cpus', '8/4').status).toBe(2);
  });

  it('on the committed content, says a machine-scaled default without a rule is measured on its shapes only', () => {
    const result = run('explain', 'fs.file-max', '--cpus', '2', '--memory', '8G');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Expected default on 2 CPUs, 8 GiB:$/m);
    expect(Object.values(expected(result.stdout)).every((line) => line.startsWith('measured on these shapes only: 1 CPU, 1 GiB: '))).toBe(true);
  });
});

describe('kernel-tunables diff', () => {
  it("compares this machine's /proc/sys with the newest reference kernel", () => {
    const result = run('diff');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(ANSI);
    const release = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
    expect(result.stdout).toMatch(new RegExp(`^Live kernel ${release.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*compared with the defaults of reference kernel \\d+\\.\\d+ on amd64 \\(.+\\)$`, 'm'));
    const summary = /^Summary: (\d+) sysctls read: (\d+) differ .*, (\d+) same as the default, (\d+) scale with the machine, (\d+) runtime state \(skipped\), (\d+) unreadable .*, (\d+) not in the data/m.exec(result.stdout);
    expect(summary).not.toBeNull();
    const [read, differs, same] = summary!.slice(1, 4).map(Number) as [number, number, number];
    expect(read).toBeGreaterThan(100);
    expect(same).toBeGreaterThan(0);
    if (differs > 0) expect(result.stdout).toMatch(/^(Settings that differ|Instances .* was not measured with|Read-only values that differ)/m);
    else expect(result.stdout).toMatch(/^Nothing differs from the .* defaults\.$/m);
  });
});

describe('kernel-tunables diff on a machine a rule covers', () => {
  // kernel.pid_max: 1024 per possible CPU, at least 32768. 64 possible CPUs make it 65536.
  const machineRoot = (pidMax: string) => {
    const root = makeTempDir('lkt-diff-');
    writeTreeFile(root, 'proc/sys/kernel/osrelease', '7.2.13+deb14-amd64\n', 0o444);
    writeTreeFile(root, 'proc/meminfo', 'MemTotal:        4026532 kB\n');
    writeTreeFile(root, 'sys/devices/system/cpu/online', '0\n', 0o444);
    writeTreeFile(root, 'sys/devices/system/cpu/possible', '0-63\n', 0o444);
    writeTreeFile(root, 'proc/sys/kernel/pid_max', `${pidMax}\n`);
    return root;
  };
  type Report = { live: { machine: unknown }; differs: { name: string; default: string; basis: string; rule?: string }[]; scaled: { name: string }[] };
  const diffOf = (root: string) => JSON.parse(run('diff', '--root', root, '--kernel', '7.2', '--json').stdout) as Report;

  it("compares a machine-scaled default with what its rule gives on the machine diff reads, and names the rule", () => {
    const same = diffOf(machineRoot('65536'));
    expect(same.live.machine).toEqual({ cpus: 1, possibleCpus: 64, memoryKiB: 4026532 });
    expect(same.differs).toEqual([]);
    expect(same.scaled).toEqual([]);
    const differs = diffOf(machineRoot('4194304'));
    expect(differs.differs).toEqual([expect.objectContaining({ name: 'kernel.pid_max', default: '65536', basis: 'machine-rule', rule: '1024 per possible CPU, at least 32768' })]);
    expect(run('diff', '--root', machineRoot('4194304'), '--kernel', '7.2').stdout).toMatch(/^ +kernel\.pid_max +4194304 +\(default 65536 on 1 CPU \(64 possible\), [^:]+: 1024 per possible CPU, at least 32768\)$/m);
  });
});

describe('kernel-tunables and boot and module parameters', () => {
  it('explains a boot parameter and a module parameter, by name or by file', () => {
    const boot = run('explain', 'isolcpus');
    expect(boot.status, boot.stderr).toBe(0);
    expect(boot.stdout).toMatch(/^\s+kind:\s+boot$/m);
    expect(boot.stdout).toMatch(/^\s+set it:\s+on the kernel command line only/m);
    expect(boot.stdout).toMatch(/documented in:\s+Documentation\/admin-guide\/kernel-parameters\.txt/);

    const module = run('explain', 'nvme_core.io_timeout');
    expect(module.status, module.stderr).toBe(0);
    expect(module.stdout).toMatch(/^\s+set it:\s+at runtime, file mode 0644/m);
    expect(module.stdout).toMatch(/^\s+type:\s+uint/m);
    expect(module.stdout).toMatch(/^\s+in the kernel:\s+loadable module \(nvme_core\.ko\)/m);

    expect(run('explain', '/sys/module/zswap/parameters/enabled').stdout).toMatch(/^zswap\.enabled$/m);
    const typo = run('explain', 'isolcpu');
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('did you mean isolcpus');
  });

  it('says what booting with a parameter moved, and on the tunable moved, which parameter sets it at boot', () => {
    const panic = run('explain', 'panic');
    expect(panic.status, panic.stderr).toBe(0);
    expect(panic.stdout).toMatch(/^Booting [\d., ()a-z]+ with panic=7: kernel\.panic -1 → 7; its own file -1 → 7$/m);
    const sysctl = run('explain', 'kernel.panic');
    expect(sysctl.stdout).toMatch(/^Also set at boot: panic=7 set it on [\d., ()a-z]+ \(panic\)$/m);
  });

  it('lints modprobe.d files and the command line of /etc/default/grub', () => {
    const root = scratch();
    const modprobe = join(root, 'modprobe.d');
    mkdirSync(modprobe);
    writeFileSync(join(modprobe, 'local.conf'), 'options zswap enabled=1\noptions nvme_core io_timout=30\nblacklist pcspkr\n');
    const grub = join(root, 'grub');
    writeFileSync(grub, 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX="isolcpus=2-3 nvme_core.io_timeout=30 zswap.max_pool_percent=lots"\n');
    const result = run('lint', modprobe, grub);
    expect(result.status, result.stderr).toBe(1);
    const findings = findingLines(result.stdout).map(({ file, line, kind }) => `${file.slice(root.length + 1)}:${line}: ${kind}`);
    expect(findings).toEqual(
      expect.arrayContaining(['modprobe.d/local.conf:1: built-in', 'modprobe.d/local.conf:2: unknown-key', 'grub:2: runtime-settable', 'grub:2: out-of-range']),
    );
    expect(result.stdout).toContain('did you mean nvme_core.io_timeout?');
    // Read as a command line although it is not named like one: --format.
    const forced = join(root, 'boot-options');
    writeFileSync(forced, 'isolcpu=1\n');
    expect(findingLines(run('lint', '--format', 'cmdline', forced).stdout).map(({ kind }) => kind)).toEqual(['unknown-key']);
    expect(run('lint', '--format', 'yaml', forced).status).toBe(2);
  });

  it('checks a sysctl. word of the command line as the sysctl it sets', () => {
    const cmdline = join(scratch(), 'cmdline');
    writeFileSync(cmdline, 'quiet sysctl.vm.swapiness=10\n');
    const result = run('lint', cmdline);
    expect(findingLines(result.stdout).map(({ line, kind }) => `${line}: ${kind}`)).toEqual(['1: unknown-key']);
    expect(result.stdout).toContain('did you mean vm.swappiness');
  });
});

describe('kernel-tunables on kernels of two architectures', () => {
  // amd64 6.1 and 6.12, arm64 6.1: vm.mmap_min_addr 65536 on amd64, 4096 on arm64; abi.swp on arm64 only.
  let content: string;
  beforeAll(() => {
    content = writeTwoArchContent(scratch());
  });
  const runOn = (...args: string[]) => runIn({ content }, ...args);
  /** The rows of explain's table: kernel (with its architecture) and the default. */
  const defaults = (stdout: string) => [...stdout.matchAll(/^ {2}(\d+\.\d+ \([a-z0-9]+\))\s+\S+\s+\S+\s+\S+\s+(\S+)$/gm)].map((match) => `${match[1]}: ${match[2]}`);

  it('explain shows every kernel with its architecture, and one architecture or kernel when asked', () => {
    const all = runOn('explain', 'vm.mmap_min_addr');
    expect(all.status, all.stderr).toBe(0);
    expect(defaults(all.stdout)).toEqual(['6.1 (amd64): 65536', '6.1 (arm64): 4096', '6.12 (amd64): 65536']);
    expect(all.stdout).toMatch(/^On kernels: amd64: 6\.1 – 6\.12; arm64: 6\.1$/m);
    expect(all.stdout).not.toContain('Only on');

    const arm64 = runOn('explain', 'vm.mmap_min_addr', '--kernel', '6.1', '--arch', 'arm64');
    expect(arm64.status, arm64.stderr).toBe(0);
    expect(defaults(arm64.stdout)).toEqual(['6.1 (arm64): 4096']);
    expect(arm64.stdout).toMatch(/^\s+scope:\s+global, on 6\.1 \(arm64\)$/m);
    expect(defaults(runOn('explain', 'vm.mmap_min_addr', '--arch', 'amd64').stdout)).toEqual(['6.1 (amd64): 65536', '6.12 (amd64): 65536']);
  });

  it("explain's writable, module and scope lines speak of the architecture asked for: kernel.nmi_watchdog is read-only on arm64's 6.1", () => {
    const arm64 = runOn('explain', 'kernel.nmi_watchdog', '--arch', 'arm64');
    expect(arm64.status, arm64.stderr).toBe(0);
    expect(arm64.stdout).toMatch(/^\s+writable:\s+no: read-only \(mode 0444, on 6\.1 \(arm64\)\)$/m);
    expect(arm64.stdout).toMatch(/^\s+module:\s+built in, on 6\.1 \(arm64\)$/m);
    expect(arm64.stdout).toMatch(/^\s+scope:\s+global, on 6\.1 \(arm64\)$/m);
    const amd64 = runOn('explain', 'kernel.nmi_watchdog', '--kernel', '6.1', '--arch', 'amd64');
    expect(amd64.status, amd64.stderr).toBe(0);
    expect(amd64.stdout).toMatch(/^\s+writable:\s+yes \(mode 0644, on 6\.1 \(amd64\)\)$/m);
  });

  it('explain says when a tunable exists on one architecture only, and exits 1 asked for the other', () => {
    const swp = runOn('explain', 'abi.swp');
    expect(swp.status, swp.stderr).toBe(0);
    expect(defaults(swp.stdout)).toEqual(['6.1 (arm64): 0']);
    expect(swp.stdout).toMatch(/^Only on arm64: no amd64 kernel measured has it\.$/m);
    const onAmd64 = runOn('explain', 'abi.swp', '--arch', 'amd64');
    expect(onAmd64.status).toBe(1);
    expect(onAmd64.stdout).toBe('');
    expect(onAmd64.stderr).toContain('abi.swp exists on arm64 only: explain it with --arch arm64');
  });

  it('refuses an architecture the data lacks, naming those it has, exit 2', () => {
    for (const command of [['explain', 'vm.swappiness'], ['lint', '-'], ['diff']]) {
      const result = runIn({ content, input: '' }, ...command, '--arch', 'sparc');
      expect(result.status, command.join(' ')).toBe(2);
      expect(result.stderr).toContain('no reference kernel of architecture "sparc": the data has amd64, arm64');
    }
    const noSuchKernel = runIn({ content, input: '' }, 'lint', '-', '--kernel', '6.12', '--arch', 'arm64');
    expect(noSuchKernel.status).toBe(2);
    expect(noSuchKernel.stderr).toContain('no reference kernel "6.12" of arm64: the data has 6.1 of arm64');
  });

  it("lint judges against amd64 by default and against arm64's facts with --arch arm64", () => {
    const settings = 'vm.mmap_min_addr = 4096\nabi.swp = 1\nabi.vsyscall32 = 0\n';
    const amd64 = runIn({ content, input: settings }, 'lint', '-');
    expect(amd64.status).toBe(1);
    expect(findingLines(amd64.stdout).map(({ line, kind, message }) => `${line} ${kind}: ${message}`)).toEqual([
      '1 differs-from-default: 4096 instead of the default 65536 on 6.12',
      '2 not-on-kernel: abi.swp exists on arm64 only: measured on 6.1-arm64',
      '3 differs-from-default: 0 instead of the default 1 on 6.12',
    ]);
    expect(amd64.stdout).toMatch(/checked against Linux 6\.12 on amd64 \(6\.12\.\d+\+deb13-amd64\)$/m);

    const arm64 = runIn({ content, input: settings }, 'lint', '-', '--kernel', '6.1', '--arch', 'arm64');
    expect(arm64.status).toBe(1);
    expect(findingLines(arm64.stdout).map(({ line, kind, message }) => `${line} ${kind}: ${message}`)).toEqual([
      '1 same-as-default: 4096 is already the default on 6.1-arm64: this line changes nothing',
      '2 differs-from-default: 1 instead of the default 0 on 6.1-arm64',
      '3 not-on-kernel: abi.vsyscall32 exists on amd64 only: measured on 6.1, 6.12',
    ]);
    expect(arm64.stdout).toMatch(/checked against Linux 6\.1 on arm64 \(6\.1\.0-57-arm64\)$/m);
    // The id the messages name works as --kernel too.
    expect(runIn({ content, input: settings }, 'lint', '-', '--kernel', '6.1-arm64').stdout).toContain('checked against Linux 6.1 on arm64');
  });

  it("diff compares with a kernel of the machine's architecture (its kernel.arch, as uname -m), or of --arch", () => {
    const root = makeTempDir('lkt-diff-arm64-');
    writeTreeFile(root, 'proc/sys/kernel/arch', 'aarch64\n', 0o444);
    writeTreeFile(root, 'proc/sys/kernel/osrelease', '6.1.0-57-arm64\n', 0o444);
    writeTreeFile(root, 'proc/sys/vm/mmap_min_addr', '4096\n');
    type Report = { live: { arch: string }; reference: { id: string; series: string; arch: string }; differs: { name: string; default: string }[] };
    const own = JSON.parse(runOn('diff', '--root', root, '--json').stdout) as Report;
    expect(own.live.arch).toBe('arm64');
    // The id is the data's key; series and arch are its parts, as `live` names its own (the help documents them).
    expect(own.reference).toMatchObject({ id: '6.1-arm64', series: '6.1', arch: 'arm64' });
    expect(own.differs).toEqual([]);
    const amd64 = JSON.parse(runOn('diff', '--root', root, '--arch', 'amd64', '--json').stdout) as Report;
    expect(amd64.reference).toMatchObject({ id: '6.12', arch: 'amd64' });
    expect(amd64.differs.map(({ name, default: value }) => `${name} ${value}`)).toEqual(['kernel.arch x86_64', 'vm.mmap_min_addr 65536']);
    expect(runOn('diff', '--root', root, '--arch', 'amd64').stdout).toMatch(/^Note: this machine is arm64: some differences may be amd64's defaults/m);

    const riscv = makeTempDir('lkt-diff-riscv-');
    writeTreeFile(riscv, 'proc/sys/kernel/arch', 'riscv64\n', 0o444);
    const refused = runOn('diff', '--root', riscv);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('this machine is riscv64 (uname -m: riscv64) and the data has no riscv64 kernel, only amd64, arm64: give --arch');
  });
});
