/**
 * The shared checker behind "Check my system" and `kernel-tunables lint`: sysctl.d(5)
 * parsing and one finding per kind, on fixture files and a small reference catalog.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkData, type CheckData, type Finding } from '#core/schemas/check.ts';
import { checkCatalog, lintSources } from '#core/sysctl-check/lint.ts';
import { referenceBootWord, referenceBootWordOf } from '#core/kernels.ts';
import { keySegments, parseSources, segmentMatcher } from '#core/sysctl-check/parse.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'sysctl.d');
const fixtureSources = () => readdirSync(FIXTURES).sort().map((name) => ({ name, text: readFileSync(join(FIXTURES, name), 'utf8') }));

type Facts = CheckData['tunables'][number]['kernels'][string];
const constant = (value: string, extra: Partial<Facts> = {}): Facts => ({ default: value, defaultKind: 'constant', mode: '0644', namespace: null, module: null, ...extra });

function sysctl(name: string, kernels: Record<string, Facts>, upstream: Pick<CheckData['tunables'][number], 'type' | 'range'> = { type: null, range: null }) {
  const path = `/proc/sys/${name.replaceAll('.', '/')}`;
  return { name, kind: 'sysctl' as const, path, url: `/sysctl/${name.replaceAll('.', '/').replaceAll('<', '_').replaceAll('>', '_')}/`, ...upstream, kernels };
}

const both = (facts: Facts) => ({ '6.1': facts, '6.12': facts });

const DATA: CheckData = checkData.parse({
  kernels: [
    { id: '6.1', series: '6.1', arch: 'amd64', release: '6.1.0-1-amd64', source: 'qemu' },
    { id: '6.12', series: '6.12', arch: 'amd64', release: '6.12.1-amd64', source: 'qemu' },
  ],
  tunables: [
    sysctl('vm.swappiness', both(constant('60')), { type: 'integer', range: { min: '0', max: '200' } }),
    sysctl('vm.dirty_ratio', both(constant('20')), { type: 'integer', range: { min: '0', max: '100' } }),
    sysctl('vm.overcommit_memory', both(constant('0')), { type: 'integer', range: { min: '0', max: '2' } }),
    sysctl('kernel.osrelease', { '6.1': constant('6.1.0-1-amd64', { mode: '0444' }), '6.12': constant('6.12.1-amd64', { mode: '0444' }) }),
    sysctl('kernel.sched_child_runs_first', { '6.1': constant('0') }, { type: 'integer', range: null }),
    // Each kernel states its own bound: 6.1 takes 0 or 1, 6.12 any int (the top level is the newest's).
    sysctl(
      'kernel.hung_task_panic',
      { '6.1': constant('0', { type: 'integer', range: { min: '0', max: '1' } }), '6.12': constant('0', { type: 'integer', range: { min: '0', max: '2147483647' } }) },
      { type: 'integer', range: { min: '0', max: '2147483647' } },
    ),
    // Its lower bound is raised at boot to 8 × possible CPUs: no bound a file could be checked against.
    sysctl(
      'kernel.pid_max',
      both(constant('32768', { type: 'integer', range: null, openBounds: { min: { written: '&pid_max_min', boot: { file: 'kernel/pid.c', line: 827, initial: '301', perPossibleCpu: '8' } } } })),
      { type: 'integer', range: null },
    ),
    // Each is bounded by the other's current value.
    sysctl(
      'net.sctp.rto_min',
      both(constant('1000', { type: 'integer', range: { min: '1', max: null }, openBounds: { max: { written: '&init_net.sctp.rto_max', sysctl: 'net.sctp.rto_max' } } })),
      { type: 'integer', range: { min: '1', max: null } },
    ),
    sysctl(
      'net.sctp.rto_max',
      both(constant('60000', { type: 'integer', range: { min: null, max: '86400000' }, openBounds: { min: { written: '&init_net.sctp.rto_min', sysctl: 'net.sctp.rto_min' } } })),
      { type: 'integer', range: { min: null, max: '86400000' } },
    ),
    // Machine-scaled with a rule the shapes agree on: 1024 per possible CPU, at least 32768.
    sysctl(
      'kernel.pid_scaled',
      both({
        default: null,
        defaultKind: 'machine',
        mode: '0644',
        namespace: null,
        module: null,
        shapes: [
          { cpus: 1, memoryKiB: 1048576, value: '32768' },
          { cpus: 1, possibleCpus: 64, memoryKiB: 16777216, value: '65536' },
        ],
        scalesWith: ['cpus'],
        rule: { per: 'possible-cpu', factor: 1024, min: 32768 },
      }),
      { type: 'integer', range: null },
    ),
    // The source states no bound; 6.12 refused writes beyond 4194304 when measured, 6.1 was not measured.
    sysctl('kernel.pid_limit', { '6.1': constant('32768', { type: 'integer', range: null }), '6.12': constant('32768', { type: 'integer', range: null, accepted: { min: '301', max: '4194304' } }) }, { type: 'integer', range: null }),
    // No type in the source at all: the measured range alone, two numbers per value.
    sysctl('net.ipv4.ping_range', both(constant('1 0', { accepted: { min: '0', max: '2147483647', elements: 2 } }))),
    // The reference boots' `panic=-1` sets it: -1 is no kernel's own default.
    sysctl('kernel.panic', both(constant('-1', { type: 'integer', range: null, setAtBoot: [{ parameter: 'panic', word: 'panic=7' }] })), { type: 'integer', range: null }),
    sysctl('net.core.somaxconn', both(constant('4096', { namespace: 'net' })), { type: 'integer', range: null }),
    sysctl('net.ipv4.conf.<interface>.rp_filter', both(constant('0', { namespace: 'net' })), { type: 'integer', range: { min: '0', max: '2' } }),
    sysctl('net.ipv4.conf.<interface>.forwarding', both(constant('0', { namespace: 'net' })), { type: 'integer', range: null }),
    sysctl(
      'fs.file-max',
      both({
        default: null,
        defaultKind: 'machine',
        mode: '0644',
        namespace: null,
        module: null,
        shapes: [
          { cpus: 1, memoryKiB: 1048576, value: '100000' },
          { cpus: 1, memoryKiB: 4194304, value: '400000' },
        ],
        scalesWith: ['memory'],
      }),
      { type: 'long', range: null },
    ),
  ],
});
const catalog = checkCatalog(DATA);

const at = (findings: Finding[], file: string, line: number) => findings.filter((f) => f.file === file && f.line === line).map((f) => f.kind);

describe('sysctl.d parsing', () => {
  it('skips # and ; comments and blank lines, and reads key = value with either separator', () => {
    const { assignments, problems } = parseSources([{ name: 'a.conf', text: '# c\n; c\n\n  vm.swappiness=10  \nvm/dirty_ratio = 5\n' }]);
    expect(problems).toEqual([]);
    expect(assignments.map(({ line, segments, value }) => [line, segments.join('/'), value])).toEqual([
      [4, 'vm/swappiness', '10'],
      [5, 'vm/dirty_ratio', '5'],
    ]);
  });

  it('follows sysctl.d(5): the first separator decides whether a dot is part of a name', () => {
    expect(keySegments('net/ipv4/conf/eth0.200/forwarding')).toEqual(['net', 'ipv4', 'conf', 'eth0.200', 'forwarding']);
    expect(keySegments('net.ipv4.conf.eth0/200.forwarding')).toEqual(['net', 'ipv4', 'conf', 'eth0.200', 'forwarding']);
  });

  it('reads a leading "-" as "ignore failure", and globs in keys', () => {
    const [assignment] = parseSources([{ name: 'a.conf', text: '-net.ipv4.conf.*.rp_filter = 2' }]).assignments;
    expect(assignment).toMatchObject({ ignoreFailure: true, glob: true, written: 'net.ipv4.conf.*.rp_filter', value: '2' });
    expect(segmentMatcher('eth[0-9]')('eth1')).toBe(true);
    expect(segmentMatcher('eth[!0-9]')('eth1')).toBe(false);
    expect(segmentMatcher('e?h*')('eth0.200')).toBe(true);
  });

  it('keeps the value whole: a vector with tabs, an equals sign inside', () => {
    const [assignment] = parseSources([{ name: 'a', text: 'net.ipv4.tcp_rmem =\t4096\t131072 6291456\nkernel.core_pattern = |/bin/x a=b' }]).assignments;
    expect(assignment!.value).toBe('4096\t131072 6291456');
    expect(parseSources([{ name: 'a', text: 'kernel.core_pattern = |/bin/x a=b' }]).assignments[0]!.value).toBe('|/bin/x a=b');
  });

  it('reads "-key" alone as keeping the key out of globs, not as a broken line', () => {
    const { assignments, problems } = parseSources([{ name: 'a.conf', text: 'net.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n' }]);
    expect(problems).toEqual([]);
    expect(assignments[1]).toMatchObject({ exclusion: true, written: 'net.ipv4.conf.all.rp_filter', value: '' });
  });

  it('reports lines it cannot read, with file and line', () => {
    const { problems } = parseSources([{ name: 'b.conf', text: 'ok.key = 1\njust words\n= 3\n' }]);
    expect(problems.map(({ file, line }) => `${file}:${line}`)).toEqual(['b.conf:2', 'b.conf:3']);
  });
});

describe('lint rules on the fixture files, newest kernel', () => {
  const findings = lintSources(fixtureSources(), catalog, '6.12');

  it('finds a typo and suggests the real name, linked to its page', () => {
    const typo = findings.find((f) => f.kind === 'unknown-key')!;
    expect(typo).toMatchObject({ file: '20-mistakes.conf', line: 1, key: 'vm.swapiness' });
    expect(typo.message).toContain('vm.swappiness');
    expect(typo.tunables.map((t) => t.url)).toEqual(['/sysctl/vm/swappiness/']);
  });

  it('finds values outside the range or not numbers at all', () => {
    expect(at(findings, '20-mistakes.conf', 2)).toEqual(['out-of-range']);
    expect(findings.find((f) => f.line === 2 && f.file === '20-mistakes.conf')!.message).toContain('0 – 2');
    expect(at(findings, '20-mistakes.conf', 4)).toEqual(['out-of-range']);
  });

  it('finds a read-only key and one the chosen kernel lacks, saying which kernels have it', () => {
    expect(at(findings, '20-mistakes.conf', 3)).toContain('not-writable');
    const missing = findings.find((f) => f.kind === 'not-on-kernel')!;
    expect(missing).toMatchObject({ file: '20-mistakes.conf', line: 5 });
    expect(missing.message).toContain('6.1');
  });

  it('reports a syntax error on the line it is on', () => {
    expect(at(findings, '20-mistakes.conf', 6)).toEqual(['syntax']);
  });

  it('says when a line changes nothing, and what a line changes from', () => {
    expect(at(findings, '20-mistakes.conf', 7)).toEqual(['same-as-default']);
    expect(at(findings, '10-base.conf', 5)).toEqual(['differs-from-default']);
    expect(findings.find((f) => f.file === '10-base.conf' && f.line === 5)!.message).toContain('default 20');
  });

  it('shows a machine-scaled default as such, with the measured values', () => {
    const scaled = findings.find((f) => f.file === '30-override.conf' && f.line === 2)!;
    expect(scaled.kind).toBe('differs-from-default');
    expect(scaled.message).toMatch(/depends on the machine \(scales with memory\).*100000.*400000/);
  });

  it('matches globs and concrete interfaces against <placeholder> names, and notes the namespace', () => {
    expect(at(findings, '10-base.conf', 6)).toEqual(['differs-from-default', 'namespaced']);
    expect(at(findings, '10-base.conf', 7)).toEqual(['differs-from-default', 'namespaced']);
    expect(findings.find((f) => f.line === 7 && f.file === '10-base.conf')!.tunables[0]!.url).toBe('/sysctl/net/ipv4/conf/_interface_/forwarding/');
  });

  it('marks an assignment a later file overrides, and judges the one that wins', () => {
    expect(at(findings, '10-base.conf', 4)).toEqual(['overridden']);
    expect(findings.find((f) => f.file === '10-base.conf' && f.line === 4)!.message).toContain('30-override.conf:1');
    expect(at(findings, '30-override.conf', 1)).toEqual(['differs-from-default']);
  });

  it('accepts an exclusion of a known key without comment', () => {
    expect(at(findings, '10-base.conf', 8)).toEqual([]);
  });

  it('checks that an excluded key exists, and that a repeated glob overrides the first', () => {
    const sources = [{ name: 'x.conf', text: '-net.ipv4.conf.all.rp_filtr\nnet.ipv4.conf.*.rp_filter = 1\nnet.ipv4.conf.*.rp_filter = 2\n' }];
    const checked = lintSources(sources, catalog, '6.12');
    expect(at(checked, 'x.conf', 1)).toEqual(['unknown-key']);
    expect(at(checked, 'x.conf', 2)).toEqual(['overridden']);
  });

  it('keeps the errors of an overridden line', () => {
    const sources = [{ name: 'x.conf', text: 'vm.swappiness = 300\nvm.swappiness = 10\n' }];
    expect(at(lintSources(sources, catalog, '6.12'), 'x.conf', 1)).toEqual(['overridden', 'out-of-range']);
  });

  it('lists findings in the order of the files given, then by line', () => {
    const order = findings.map((f) => `${f.file}:${f.line}`);
    expect(order).toEqual([...order].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  });
});

describe('lint on another kernel and on sysctl -a output', () => {
  it('judges against the kernel chosen', () => {
    const findings = lintSources([{ name: 'a.conf', text: 'kernel.sched_child_runs_first = 1' }], catalog, '6.1');
    expect(findings.map((f) => f.kind)).toEqual(['differs-from-default']);
  });

  it("judges a value by the chosen kernel's own range, and by what the C type holds where the source states none", () => {
    const panic = [{ name: 'a.conf', text: 'kernel.hung_task_panic = 5' }];
    expect(lintSources(panic, catalog, '6.1').map((f) => `${f.kind} ${f.message}`)).toEqual(['out-of-range 5 is outside the valid range 0 – 1 for kernel.hung_task_panic']);
    expect(lintSources(panic, catalog, '6.12').map((f) => f.kind)).toEqual(['differs-from-default']);
    const pidMax = lintSources([{ name: 'a.conf', text: 'kernel.pid_max = 99999999999' }], catalog, '6.12');
    expect(pidMax.map((f) => `${f.kind} ${f.message}`)).toEqual(["out-of-range 99999999999 does not fit the kernel's int (-2147483648 – 2147483647) for kernel.pid_max"]);
  });

  it('judges by the values the kernel accepted when measured, where its source states no bound', () => {
    const lint = (text: string, series: string) => lintSources([{ name: 'a.conf', text }], catalog, series).map((f) => `${f.kind} ${f.message}`);
    expect(lint('kernel.pid_limit = 5000000', '6.12')).toEqual(['out-of-range 5000000 is refused: writing it, the kernel accepted 301 – 4194304 only (measured) for kernel.pid_limit']);
    expect(lint('kernel.pid_limit = 300', '6.12')).toEqual(['out-of-range 300 is refused: writing it, the kernel accepted 301 – 4194304 only (measured) for kernel.pid_limit']);
    // Not measured on 6.1: nothing to judge by but the C type.
    expect(lint('kernel.pid_limit = 5000000', '6.1')).toEqual(['differs-from-default 5000000 instead of the default 32768 on 6.1']);
    expect(lint('net.ipv4.ping_range = -1 5', '6.12')[0]).toMatch(/^out-of-range -1 is refused/);
    expect(lint('net.ipv4.ping_range = 1 2 3', '6.12')[0]).toBe('out-of-range 3 values, where the kernel reads 2 integers for net.ipv4.ping_range');
    expect(lint('net.ipv4.ping_range = 0 2147483647', '6.12')[0]).toMatch(/^differs-from-default/);
  });

  it('checks a bound that is another sysctl against the value the same files give it, and invents none', () => {
    const crossed = lintSources([{ name: 'sctp.conf', text: 'net.sctp.rto_min = 5000\nnet.sctp.rto_max = 3000\n' }], catalog, '6.12');
    expect(crossed.map((f) => `${f.line} ${f.kind} ${f.message}`)).toEqual([
      '1 out-of-range 5000 is above net.sctp.rto_max (3000 at sctp.conf:2), the upper bound for net.sctp.rto_min',
      '2 out-of-range 3000 is below net.sctp.rto_min (5000 at sctp.conf:1), the lower bound for net.sctp.rto_max',
    ]);
    // The value that applies is the last one, whichever file sets it.
    const fixed = [
      { name: 'a.conf', text: 'net.sctp.rto_min = 5000\nnet.sctp.rto_max = 3000\n' },
      { name: 'b.conf', text: 'net.sctp.rto_max = 8000\n' },
    ];
    expect(lintSources(fixed, catalog, '6.12').filter((f) => f.kind === 'out-of-range')).toEqual([expect.objectContaining({ file: 'a.conf', line: 2 })]);
    expect(lintSources([{ name: 'a.conf', text: 'net.sctp.rto_min = 3000\nnet.sctp.rto_max = 3000\n' }], catalog, '6.12').map((f) => f.kind)).toEqual(['differs-from-default', 'differs-from-default']);
    // Alone, its bound is the other's value on the machine, which lint does not know; nor the CPUs a boot rule counts.
    expect(lintSources([{ name: 'a.conf', text: 'net.sctp.rto_min = 90000' }], catalog, '6.12').map((f) => f.kind)).toEqual(['differs-from-default']);
    expect(lintSources([{ name: 'a.conf', text: 'kernel.pid_max = 100' }], catalog, '6.12').map((f) => f.kind)).toEqual(['differs-from-default']);
  });

  it('judges a machine-scaled default as the default of the machine given, where a rule gives it', () => {
    const lint = (text: string, machine?: Parameters<typeof lintSources>[4]) => lintSources([{ name: 'a.conf', text }], catalog, '6.12', 'config', machine).map((f) => `${f.kind} ${f.message}`);
    expect(lint('kernel.pid_scaled = 131072', { cpus: 4, possibleCpus: 128 })).toEqual([
      'same-as-default 131072 is already the default on 6.12 for 4 CPUs (128 possible) (1024 per possible CPU, at least 32768): this line changes nothing',
    ]);
    expect(lint('kernel.pid_scaled = 131072', { cpus: 4 })).toEqual(['differs-from-default 131072 instead of the default 32768 on 6.12 for 4 CPUs (1024 per possible CPU, at least 32768)']);
    // Without the machine, the shapes measured are all there is.
    expect(lint('kernel.pid_scaled = 131072')[0]).toMatch(/^differs-from-default 131072; the default depends on the machine/);
    // Memory is no input of this rule: it alone tells nothing.
    expect(lint('kernel.pid_scaled = 131072', { memoryKiB: 16777216 })[0]).toMatch(/the default depends on the machine/);
  });

  it('compares nothing with a default the reference boots set themselves (kernel.panic under panic=-1)', () => {
    for (const value of ['-1', '10']) expect(lintSources([{ name: 'a.conf', text: `kernel.panic = ${value}` }], catalog, '6.12')).toEqual([]);
    expect(referenceBootWord(['panic'])).toBe('panic=-1');
    expect(referenceBootWord(['transparent_hugepage'])).toBeUndefined();
    // The one reading of a kernel's facts, as the pages hold them and as the export names them.
    expect(referenceBootWordOf({ setAtBoot: [{ id: 'boot/p/panic', title: 'panic', word: 'panic=7' }] })).toBe('panic=-1');
    expect(referenceBootWordOf({ setAtBoot: [{ parameter: 'panic', word: 'panic=7' }] })).toBe('panic=-1');
    expect(referenceBootWordOf({})).toBeUndefined();
  });

  it('refuses a kernel the data does not have', () => {
    expect(() => lintSources([], catalog, '9.9')).toThrow(/no reference kernel "9.9".*6\.1, 6\.12/);
  });

  it('on a dump, reports only what differs: read-only keys and unchanged values are expected there', () => {
    const dump = 'kernel.osrelease = 6.12.1-amd64\nvm.swappiness = 60\nvm.dirty_ratio = 10\nnet.core.somaxconn = 4096\n';
    const findings = lintSources([{ name: 'sysctl -a', text: dump }], catalog, '6.12', 'dump');
    expect(findings.map((f) => `${f.line} ${f.kind}`)).toEqual(['3 differs-from-default']);
  });
});
