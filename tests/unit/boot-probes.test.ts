/**
 * Boot probes: the batch design gives every probe its own pair of boots, and a file is
 * credited to a probe only when it moved in exactly that probe's two boots.
 */
import { describe, expect, it } from 'vitest';
import type { BootProbe } from '#core/schemas/boot-probes.ts';
import type { Snapshot, SnapshotEntry } from '#core/schemas/snapshot.ts';
import { attribute, batchWords, checkProbes, pairDesign } from '../../scripts/refresh/probes.ts';

const probe = (parameter: string, value: string | null): BootProbe => ({ parameter, value, why: 'test' });
const PROBES = [probe('panic', '7'), probe('nowatchdog', null), probe('transparent_hugepage', 'never')];

function snap(values: Record<string, string | Partial<SnapshotEntry>>): Snapshot {
  const entries = Object.entries(values).map(([path, v]): SnapshotEntry => ({ path, kind: path.startsWith('/proc/sys') ? 'sysctl' : 'sysfs', mode: '0644', ...(typeof v === 'string' ? { value: v } : v) }));
  return { schemaVersion: 1, source: 'qemu', run: 1, kernel: { release: '6.1.0-57-amd64', series: '6.1' }, machine: { arch: 'x86_64', cpus: 1, memoryKiB: 1_000_000 }, entries, skipped: [], links: {} };
}

const PLAIN = {
  '/proc/sys/kernel/panic': '-1\n',
  '/proc/sys/kernel/watchdog': '1\n',
  '/proc/sys/kernel/soft_watchdog': '1\n',
  '/sys/kernel/mm/transparent_hugepage/enabled': '[always] madvise never\n',
  '/proc/sys/kernel/random/boot_id': 'aaa\n',
  '/proc/sys/vm/swappiness': '60\n',
};

describe('batch design', () => {
  it('gives each probe its own two boots, over the fewest boots', () => {
    expect(pairDesign(3)).toEqual({ boots: 3, pairs: [[1, 2], [1, 3], [2, 3]] });
    const { boots, pairs } = pairDesign(33);
    expect(boots).toBe(9);
    expect(new Set(pairs.map((pair) => pair.join())).size).toBe(33);
  });

  it('puts each word in the boots of its pair', () => {
    expect(batchWords(PROBES)).toEqual([['panic=7', 'nowatchdog'], ['panic=7', 'transparent_hugepage=never'], ['nowatchdog', 'transparent_hugepage=never']]);
  });

  it('refuses a parameter listed twice', () => {
    expect(() => checkProbes([probe('panic', '7'), probe('panic', '9')], 'probes.json')).toThrow(/"panic" is listed twice/);
  });
});

describe('attributing moved files', () => {
  const boot = (values: Record<string, string | Partial<SnapshotEntry>>): Snapshot => snap({ ...PLAIN, ...values });
  // Boot 1: panic=7 nowatchdog; boot 2: panic=7 transparent_hugepage=never; boot 3: nowatchdog transparent_hugepage=never.
  const baselines = [snap(PLAIN), snap({ ...PLAIN, '/proc/sys/kernel/random/boot_id': 'bbb\n' })];
  const noWatchdog = { '/proc/sys/kernel/watchdog': '0\n', '/proc/sys/kernel/soft_watchdog': '0\n' };
  const never = { '/sys/kernel/mm/transparent_hugepage/enabled': 'always madvise [never]\n' };
  const result = attribute({
    probes: PROBES,
    baselines,
    boots: [
      boot({ '/proc/sys/kernel/panic': '7\n', ...noWatchdog, '/proc/sys/kernel/random/boot_id': 'ccc\n', '/proc/sys/vm/swappiness': '30\n' }),
      boot({ '/proc/sys/kernel/panic': '7\n', ...never, '/proc/sys/vm/swappiness': '40\n' }),
      boot({ ...noWatchdog, ...never, '/sys/kernel/mm/new': '1\n' }),
    ],
  });
  const moved = Object.fromEntries(result.probes.map((p) => [p.word, p.moved]));

  it('credits a file that moved in exactly the two boots of one probe, with its values', () => {
    expect(moved['panic=7']).toEqual([{ path: '/proc/sys/kernel/panic', from: '-1\n', to: '7\n' }]);
    expect(moved['nowatchdog']!.map((m) => m.path)).toEqual(['/proc/sys/kernel/soft_watchdog', '/proc/sys/kernel/watchdog']);
    expect(moved['transparent_hugepage=never']).toEqual([{ path: '/sys/kernel/mm/transparent_hugepage/enabled', from: '[always] madvise never\n', to: 'always madvise [never]\n' }]);
  });

  it('leaves unattributed a file that moved in one boot only, or to different values in a pair', () => {
    expect(result.unattributed).toEqual([
      { path: '/proc/sys/vm/swappiness', boots: [1, 2] },
      { path: '/sys/kernel/mm/new', boots: [3] },
    ]);
  });

  it('counts a file that differs between the plain boots as volatile, never credited', () => {
    expect(result.volatile).toBe(1);
    expect(Object.values(moved).flat().map((m) => m.path)).not.toContain('/proc/sys/kernel/random/boot_id');
  });

  it('names the boots of each probe', () => {
    expect(result.probes.map((p) => [p.word, p.boots])).toEqual([
      ['panic=7', [1, 2]],
      ['nowatchdog', [1, 3]],
      ['transparent_hugepage=never', [2, 3]],
    ]);
  });

  it('refuses too few boots or plain boots', () => {
    expect(() => attribute({ probes: PROBES, baselines, boots: [] })).toThrow(/3 probes need 3 boots, got 0/);
    expect(() => attribute({ probes: PROBES, baselines: baselines.slice(0, 1), boots: [] })).toThrow(/two plain boots/);
  });
});
