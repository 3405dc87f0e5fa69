/**
 * Accepted values: the search finds a kernel's exact bounds on a fake tree whose files
 * refuse, clamp or keep values as real handlers do; every value goes back; a VM that dies
 * loses nothing measured and the run goes on in a fresh one; and the page, explain and
 * lint read the measured range.
 */
import { describe, expect, it } from 'vitest';
import type { SnapshotEntry } from '#core/schemas/snapshot.ts';
import { acceptedDisagreement, acceptedLines, acceptedText } from '#core/accepted.ts';
import { denyRuleOf, numbersOf, planTargets, probeTarget, probeTargets, type ProbeVm, type SysctlIo } from '../../scripts/refresh/accepted.ts';
import { parseReply } from '../../scripts/refresh/agent.ts';
import { joinAccepted } from '../../scripts/generate/accepted.ts';
import type { AcceptedResults } from '#core/schemas/accepted.ts';
import type { KernelFacts, MeasuredTunable, TunableFrontmatter } from '#core/schemas/tunable.ts';

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;

/** How a fake file takes a write: as a number it stores, or refuses. */
interface FakeFile {
  value: string;
  /** The handler: given the numbers written, what the file then reads, or an error. */
  take?: (numbers: bigint[]) => string | Error;
}

/** proc_dointvec_minmax: refuses outside [min, max] and beyond int. */
const minmax = (min: bigint, max: bigint) => (numbers: bigint[]) => (numbers.every((n) => n >= min && n <= max) ? numbers.join('\t') : new Error('sh: write error: Invalid argument'));
/** proc_dobool: any int, kept as 0 or 1. */
const dobool = (numbers: bigint[]) => (numbers[0]! >= INT_MIN && numbers[0]! <= INT_MAX ? (numbers[0] === 0n ? '0' : '1') : new Error('sh: write error: Invalid argument'));

class FakeKernel implements SysctlIo {
  writes: string[] = [];
  /** What a file held after each write it took. */
  history: { path: string; value: string }[] = [];
  files: Map<string, FakeFile>;
  /** A write of this text kills the VM: the I/O throws, as the agent does when qemu exits. */
  dies?: { path: string; text: string };
  constructor(files: Record<string, FakeFile>) {
    this.files = new Map(Object.entries(files));
  }
  async read(path: string) {
    const file = this.files.get(path);
    return file ? { ok: true as const, value: file.value } : { ok: false as const, error: 'No such file or directory' };
  }
  async write(path: string, text: string) {
    this.writes.push(`${path}=${text}`);
    if (this.dies && this.dies.path === path && this.dies.text === text) throw new Error('the VM went away');
    const file = this.files.get(path)!;
    const numbers = numbersOf(text);
    const taken = numbers && file.take ? file.take(numbers) : new Error('sh: write error: Invalid argument');
    if (taken instanceof Error) return { ok: false as const, error: taken.message };
    file.value = taken;
    this.history.push({ path, value: taken });
    return { ok: true as const };
  }
}

describe('the search for accepted values', () => {
  it('finds the exact bounds of a bounded int, and leaves the value as it was', async () => {
    const kernel = new FakeKernel({ '/proc/sys/vm/swappiness': { value: '60', take: minmax(0n, 200n) } });
    const result = await probeTarget(kernel, '/proc/sys/vm/swappiness');
    expect(result).toMatchObject({ min: '0', max: '200', original: '60', elements: 1, refusal: 'sh: write error: Invalid argument' });
    expect(result).not.toHaveProperty('notRestored');
    expect(kernel.files.get('/proc/sys/vm/swappiness')!.value).toBe('60');
    // Every accepted write is undone before the next: the file never holds two probe values in a row.
    const held = kernel.history.map(({ value }) => value);
    expect(held.length).toBeGreaterThan(10);
    held.forEach((value, i) => value !== '60' && expect(held[i + 1]).toBe('60'));
  });

  it('finds an odd bound in few writes, and the full span of an unbounded int', async () => {
    const kernel = new FakeKernel({
      '/proc/sys/net/ipv4/tcp_min_rcvbuf': { value: '4096', take: minmax(2305n, INT_MAX) },
      '/proc/sys/kernel/panic': { value: '-1', take: minmax(INT_MIN, INT_MAX) },
    });
    expect(await probeTarget(kernel, '/proc/sys/net/ipv4/tcp_min_rcvbuf')).toMatchObject({ min: '2305', max: String(INT_MAX) });
    const panic = await probeTarget(kernel, '/proc/sys/kernel/panic');
    expect(panic).toMatchObject({ min: String(INT_MIN), max: String(INT_MAX) });
    expect((panic as { writes: number }).writes).toBeLessThan(30);
  });

  it('reaches ULONG_MAX without losing precision', async () => {
    const kernel = new FakeKernel({ '/proc/sys/kernel/shmmax': { value: '18446744073692774399', take: minmax(0n, 2n ** 64n - 1n) } });
    expect(await probeTarget(kernel, '/proc/sys/kernel/shmmax')).toMatchObject({ min: '0', max: '18446744073709551615' });
  });

  it('tells a value kept as something else: a boolean stored as 1', async () => {
    const kernel = new FakeKernel({ '/proc/sys/kernel/flag': { value: '0', take: dobool } });
    expect(await probeTarget(kernel, '/proc/sys/kernel/flag')).toMatchObject({ min: String(INT_MIN), max: String(INT_MAX), maxReadsBack: '1', minReadsBack: '1' });
  });

  it('writes a vector with every element alike and counts its elements', async () => {
    const kernel = new FakeKernel({ '/proc/sys/net/ipv4/tcp_rmem': { value: '4096\t131072\t6291456', take: minmax(1n, INT_MAX) } });
    const result = await probeTarget(kernel, '/proc/sys/net/ipv4/tcp_rmem');
    expect(result).toMatchObject({ min: '1', max: String(INT_MAX), elements: 3 });
    expect(kernel.writes).toContain('/proc/sys/net/ipv4/tcp_rmem=1 1 1');
    expect(kernel.files.get('/proc/sys/net/ipv4/tcp_rmem')!.value).toBe('4096\t131072\t6291456');
  });

  it('says so when the original does not read back', async () => {
    // A handler that keeps the last accepted write in a second place the restore does not reach.
    let sticky = false;
    const kernel = new FakeKernel({
      '/proc/sys/vm/odd': { value: '5', take: (n) => (n[0]! > 100n ? new Error('Invalid argument') : ((sticky ||= n[0] === 0n), sticky ? '0' : String(n[0]))) },
    });
    expect(await probeTarget(kernel, '/proc/sys/vm/odd')).toMatchObject({ notRestored: '0' });
  });

  it('passes over a file that is not numeric or refuses its own value', async () => {
    const kernel = new FakeKernel({ '/proc/sys/kernel/core_pattern': { value: 'core' }, '/proc/sys/kernel/locked': { value: '3', take: () => new Error('Operation not permitted') } });
    expect(await probeTarget(kernel, '/proc/sys/kernel/core_pattern')).toEqual({ path: '/proc/sys/kernel/core_pattern', skipped: 'not numeric: "core"' });
    expect(await probeTarget(kernel, '/proc/sys/kernel/locked')).toMatchObject({ skipped: expect.stringContaining('refuses "3"') });
  });
});

describe('a run over many targets', () => {
  it('records the target a VM died on, boots a fresh one and goes on after it', async () => {
    const files = () => ({
      '/proc/sys/a': { value: '1', take: minmax(0n, 10n) },
      '/proc/sys/b': { value: '1', take: minmax(0n, 10n) },
      '/proc/sys/c': { value: '1', take: minmax(0n, 20n) },
    });
    const vms: FakeKernel[] = [];
    const boot = async (): Promise<ProbeVm> => {
      const vm = new FakeKernel(files());
      if (vms.length === 0) vm.dies = { path: '/proc/sys/b', text: '255' };
      vms.push(vm);
      return Object.assign(vm, { close: async () => {} });
    };
    const run = await probeTargets(['/proc/sys/a', '/proc/sys/b', '/proc/sys/c'], boot);
    expect(run.boots).toBe(2);
    expect(run.results.map((r) => [r.path, r.max])).toEqual([
      ['/proc/sys/a', '10'],
      ['/proc/sys/c', '20'],
    ]);
    expect(run.killed).toEqual([{ path: '/proc/sys/b', reason: 'the VM went away' }]);
    // The second VM never wrote b: the probe that killed the first is not repeated.
    expect(vms[1]!.writes.some((w) => w.startsWith('/proc/sys/b='))).toBe(false);
  });

  it('stops after too many deaths, every target left accounted for', async () => {
    const boot = async (): Promise<ProbeVm> => Object.assign(new FakeKernel({}), { read: async () => Promise.reject(new Error('gone')), close: async () => {} });
    const run = await probeTargets(['/proc/sys/a', '/proc/sys/b', '/proc/sys/c'], boot, { maxKills: 2 });
    expect(run.killed.map((k) => k.path)).toEqual(['/proc/sys/a', '/proc/sys/b', '/proc/sys/c']);
    expect(run.killed[2]!.reason).toMatch(/died 2 times/);
  });

  it('reports a target whose value another probe moved', async () => {
    // Writing b also sets a, as net.ipv4.ip_forward sets every interface's forwarding.
    const vm = new FakeKernel({ '/proc/sys/a': { value: '0', take: minmax(0n, 1n) }, '/proc/sys/b': { value: '0', take: minmax(0n, 1n) } });
    const take = vm.files.get('/proc/sys/b')!.take!;
    vm.files.get('/proc/sys/b')!.take = (n) => {
      const result = take(n);
      if (!(result instanceof Error) && n[0] === 1n) vm.files.get('/proc/sys/a')!.value = '1';
      return result;
    };
    const run = await probeTargets(['/proc/sys/a', '/proc/sys/b'], async () => Object.assign(vm, { close: async () => {} }));
    expect(run.changedAfter).toEqual([{ path: '/proc/sys/a', from: '0', to: '1' }]);
  });
});

describe('choosing the targets', () => {
  const entry = (path: string, value: string, extra: Partial<SnapshotEntry> = {}): SnapshotEntry => ({ path, kind: 'sysctl', mode: '0644', value, ...extra });

  it('takes writable numeric sysctls, one instance per pattern (lo first, never all), minus the denied and runtime state', () => {
    const { targets, left } = planTargets(
      [
        entry('/proc/sys/vm/swappiness', '60\n'),
        entry('/proc/sys/kernel/core_pattern', 'core\n'),
        entry('/proc/sys/kernel/osrelease', '6.1.0\n', { mode: '0444' }),
        entry('/proc/sys/net/ipv4/conf/all/rp_filter', '0\n'),
        entry('/proc/sys/net/ipv4/conf/default/rp_filter', '0\n'),
        entry('/proc/sys/net/ipv4/conf/lo/rp_filter', '0\n'),
        entry('/proc/sys/kernel/modules_disabled', '0\n'),
        entry('/proc/sys/kernel/ns_last_pid', '42\n', { changed: true }),
      ],
      [{ name: 'kernel.modules_disabled', reason: 'one way' }],
    );
    expect(targets).toEqual(['/proc/sys/net/ipv4/conf/lo/rp_filter', '/proc/sys/vm/swappiness']);
    expect(left).toEqual([
      { path: '/proc/sys/kernel/modules_disabled', reason: 'denied: one way' },
      { path: '/proc/sys/kernel/ns_last_pid', reason: 'runtime state: two reads of one walk differed' },
    ]);
  });

  it('takes only the names asked for, when asked', () => {
    const entries = [entry('/proc/sys/vm/swappiness', '60\n'), entry('/proc/sys/net/ipv4/conf/lo/rp_filter', '0\n'), entry('/proc/sys/kernel/modules_disabled', '0\n')];
    const deny = [{ name: 'kernel.modules_disabled', reason: 'one way' }];
    expect(planTargets(entries, deny, ['net.ipv4.conf.*.rp_filter', 'kernel.modules_disabled'])).toEqual({
      targets: ['/proc/sys/net/ipv4/conf/lo/rp_filter'],
      left: [{ path: '/proc/sys/kernel/modules_disabled', reason: 'denied: one way' }],
    });
  });

  it('matches deny rules by name, * for any run of characters, dots literal', () => {
    const deny = [{ name: 'kernel.kexec_load_limit_*', reason: 'one way' }];
    expect(denyRuleOf('kernel.kexec_load_limit_panic', deny)?.reason).toBe('one way');
    expect(denyRuleOf('kernelXkexec_load_limit_panic', deny)).toBeUndefined();
    expect(denyRuleOf('net.ipv4.conf.<interface>.forwarding', [{ name: 'net.ipv4.conf.*.forwarding', reason: 'r' }])).toBeDefined();
  });
});

describe("the agent's replies", () => {
  it('keeps a vector’s tabs in the value and refuses a line it does not know', () => {
    expect(parseReply('OK\t4096\t131072\t6291456')).toEqual({ ok: true, value: '4096\t131072\t6291456' });
    expect(parseReply('OK')).toEqual({ ok: true, value: '' });
    expect(parseReply('ERR\tsh: write error: Invalid argument')).toEqual({ ok: false, error: 'sh: write error: Invalid argument' });
    expect(() => parseReply('garbage')).toThrow(/answered "garbage"/);
  });
});

describe('on the page', () => {
  const kernels = (each: Record<string, Partial<TunableFrontmatter['kernels'][string]>>) =>
    Object.fromEntries(Object.entries(each).map(([series, facts]) => [series, { release: series, source: 'qemu', mode: '0644', writable: true, default: '0', defaultKind: 'constant', namespace: null, module: null, ...facts }])) as TunableFrontmatter['kernels'];

  it('names a C type’s full span, read-backs and vector elements', () => {
    expect(acceptedText({ min: '0', max: '200' })).toBe('0 – 200');
    expect(acceptedText({ min: '-2147483648', max: '2147483647' })).toBe('any int (-2147483648 – 2147483647)');
    expect(acceptedText({ min: '-2147483648', max: '2147483647', maxReadsBack: '1', minReadsBack: '1' })).toBe('any int (-2147483648 – 2147483647) (-2147483648 reads back as 1; 2147483647 reads back as 1)');
    expect(acceptedText({ min: '1', max: '2147483647', elements: 3 })).toBe('1 – 2147483647, each of its 3 numbers');
    // A write taken whatever the number, and ignored (kernel.random.urandom_min_reseed_secs since 5.18).
    expect(acceptedText({ min: '-9223372036854775808', max: '18446744073709551615', minReadsBack: '60', maxReadsBack: '60' })).toBe(
      'any number (-9223372036854775808 – 18446744073709551615) (-9223372036854775808 reads back as 60; 18446744073709551615 reads back as 60)',
    );
  });

  it('shows one line where the kernels agree and one per group where not, with why one was not measured', () => {
    expect(acceptedLines(kernels({ '6.1': { accepted: { min: '0', max: '1' } }, '6.12': { accepted: { min: '0', max: '1' } } }))).toEqual([{ kernels: null, phrases: ['0 – 1'] }]);
    expect(acceptedLines(kernels({ '6.1': { accepted: { min: '0', max: '1' } }, '6.12': { accepted: { min: '0', max: '1' } }, '7.2': { accepted: { min: '0', max: '2147483647' } } }))).toEqual([
      { kernels: '6.1 – 6.12', phrases: ['0 – 1'] },
      { kernels: '7.2', phrases: ['0 – 2147483647'] },
    ]);
    expect(acceptedLines(kernels({ '6.1': { acceptedNotMeasured: 'denied: one way' }, '7.2': { accepted: { min: '0', max: '1' } } }))).toEqual([
      { kernels: '6.1', phrases: ['not measured (denied: one way)'] },
      { kernels: '7.2', phrases: ['0 – 1'] },
    ]);
    expect(acceptedLines(kernels({ '6.1': { acceptedNotMeasured: 'denied: one way' } }))).toEqual([{ kernels: null, phrases: ['not measured (denied: one way)'] }]);
    expect(acceptedLines(kernels({ '6.1': {} }))).toEqual([]);
  });

  it('flags a kernel that accepts beyond its source’s stated bound, not an open side', () => {
    const upstream = (min: string | null, max: string | null) => ({ type: 'integer' as const, range: { min, max }, definedIn: null, documentedDefault: null });
    expect(acceptedDisagreement(kernels({ '6.1': { upstream: upstream('0', '100'), accepted: { min: '0', max: '255' } } }))).toBe('On 6.1 the kernel accepted up to 255, where its source states at most 100.');
    expect(acceptedDisagreement(kernels({ '6.1': { upstream: upstream('0', null), accepted: { min: '0', max: '2147483647' } } }))).toBeNull();
  });
});

describe('joined to the pages', () => {
  const facts = (release: string): KernelFacts => ({ release, source: 'qemu', mode: '0644', writable: true, default: '0', defaultKind: 'constant', namespace: null, module: null });
  const page = (title: string, path: string): MeasuredTunable => ({ title, kind: 'sysctl', path, subsystem: 'x', placeholders: [], summary: 's', writable: true, status: 'present', namespace: null, module: null, kernels: { '6.1': facts('6.1.0-57-amd64') } });
  const tunables = new Map([
    ['sysctl/vm/swappiness', page('vm.swappiness', '/proc/sys/vm/swappiness')],
    ['sysctl/net/ipv4/conf/_interface_/rp_filter', page('net.ipv4.conf.<interface>.rp_filter', '/proc/sys/net/ipv4/conf/<interface>/rp_filter')],
    ['sysctl/kernel/modules_disabled', page('kernel.modules_disabled', '/proc/sys/kernel/modules_disabled')],
  ]);
  const file: AcceptedResults = {
    schemaVersion: 1,
    series: '6.1',
    release: '6.1.0-57-amd64',
    shape: { cpus: 1, memoryMiB: 1024 },
    targetsFrom: 'qemu-6.1.0-57-amd64-1cpu-1024M-run1.json',
    boots: 1,
    seconds: 1,
    results: [
      { path: '/proc/sys/vm/swappiness', original: '60', elements: 1, min: '0', max: '200', writes: 20 },
      { path: '/proc/sys/net/ipv4/conf/lo/rp_filter', original: '0', elements: 1, min: '0', max: '2', maxReadsBack: '2', writes: 20 },
      { path: '/proc/sys/kernel/gone', original: '0', elements: 1, min: '0', max: '1', writes: 2 },
    ],
    left: [{ path: '/proc/sys/kernel/modules_disabled', reason: 'denied: one way' }],
    skipped: [],
    killed: [],
    changedAfter: [],
  };

  it("puts each range on its page's kernel, an instance's on its pattern, and says why one was not measured", () => {
    const { tunables: joined, unplaced } = joinAccepted([file], tunables);
    expect(joined.get('sysctl/vm/swappiness')!.kernels['6.1']!.accepted).toEqual({ min: '0', max: '200' });
    expect(joined.get('sysctl/net/ipv4/conf/_interface_/rp_filter')!.kernels['6.1']!.accepted).toEqual({ min: '0', max: '2', maxReadsBack: '2' });
    expect(joined.get('sysctl/kernel/modules_disabled')!.kernels['6.1']).toMatchObject({ acceptedNotMeasured: 'denied: one way' });
    expect(joined.get('sysctl/kernel/modules_disabled')!.kernels['6.1']!.accepted).toBeUndefined();
    expect(unplaced).toEqual(['6.1: /proc/sys/kernel/gone']);
    // The input is left as it was.
    expect(tunables.get('sysctl/vm/swappiness')!.kernels['6.1']!.accepted).toBeUndefined();
  });
});
