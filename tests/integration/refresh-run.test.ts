/**
 * The refresh stage imported, without booting anything: the plan run() follows, the
 * options it refuses, and the report as the CLI prints it (refresh-boot.test.ts boots).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import { OptionsError } from '../../scripts/lib/stage.ts';
import { shapeName } from '../../scripts/refresh/boot.ts';
import { describeCounts, plan, releaseOfSnapshotFile, reportLines, run, snapshotCounts, snapshotFile, type RefreshReport } from '../../scripts/refresh/run.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

const shape = (cpus: number, memoryMiB: number) => ({ cpus, memoryMiB });

describe('refresh plan', () => {
  it('defaults to the four suites and four shapes, the first shape booted twice, the last with 64 possible CPUs', () => {
    const planned = plan();
    expect(planned.suites).toEqual(['bullseye', 'bookworm', 'trixie', 'sid']);
    expect(planned.boots.map(({ shape: s, run: r }) => `${shapeName(s)} run${r}`)).toEqual(['1x1024 run1', '1x1024 run2', '4x4096 run1', '1x4096 run1', '1/64x4096 run1', '1x16384 run1']);
    expect(planned).toMatchObject({ out: 'content/snapshots', modulesOut: 'content/modules', timeoutSeconds: 900, jobs: 2, update: false, workDir: '.cache/refresh', dirs: { apt: '.cache/apt', kernels: '.cache/kernels' } });
  });

  it('takes the options given', () => {
    const planned = plan({ suites: ['bookworm'], shapes: [shape(2, 2048)], out: 'o', timeoutSeconds: 60, jobs: 1, update: true, cacheDir: 'c' });
    expect(planned.boots).toEqual([
      { shape: shape(2, 2048), run: 1 },
      { shape: shape(2, 2048), run: 2 },
    ]);
    expect(planned).toMatchObject({ suites: ['bookworm'], out: 'o', timeoutSeconds: 60, jobs: 1, update: true, workDir: 'c/refresh' });
  });

  it('refuses options it cannot work with', () => {
    expect(() => plan({ shapes: [] })).toThrow(new OptionsError('give at least one shape'));
    expect(() => plan({ suites: [] })).toThrow('give at least one suite');
    expect(() => plan({ suites: ['../etc'] })).toThrow(/not a Debian suite name/);
    expect(() => plan({ suites: ['sid', 'sid'] })).toThrow('suite sid is given twice');
    expect(() => plan({ shapes: [shape(1, 1024), shape(1, 1024)] })).toThrow(/shape 1x1024 is given twice/);
    expect(() => plan({ shapes: [shape(0, 1024)] })).toThrow(/at least 1x128/);
    expect(() => plan({ jobs: 0 })).toThrow(/jobs must be a positive whole number/);
    expect(() => plan({ timeoutSeconds: 1.5 })).toThrow(/timeoutSeconds must be a positive whole number/);
  });

  it('run() refuses them before touching the cache or the output folder', async () => {
    const scratch = makeTempDir('lkt-refresh-run-');
    await expect(run({ shapes: [], cacheDir: join(scratch, 'cache'), out: join(scratch, 'out') })).rejects.toThrow(OptionsError);
    expect(existsSync(join(scratch, 'cache'))).toBe(false);
    expect(existsSync(join(scratch, 'out'))).toBe(false);
  });

  it('the CLI says so and exits 1', () => {
    const result = spawnSync(process.execPath, ['scripts/refresh/cli.ts', '--shapes', ''], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('give at least one shape\n');
  });
});

describe('refresh report', () => {
  const entries = [
    { path: '/proc/sys/vm/swappiness', kind: 'sysctl', mode: '0644' },
    { path: '/proc/sys/net/ipv4/tcp_fin_timeout', kind: 'sysctl', mode: '0644', namespace: 'net' },
    { path: '/proc/sys/net/netfilter/nf_conntrack_max', kind: 'sysctl', mode: '0644', namespace: 'net', module: 'nf_conntrack' },
    { path: '/sys/kernel/mm/ksm/run', kind: 'sysfs', mode: '0644' },
  ] as Snapshot['entries'];
  const counts = snapshotCounts({ entries } as Snapshot);

  it('counts a snapshot by kind, module and namespace', () => {
    expect(counts).toEqual({ sysctl: 2, sysctlFromModules: 1, sysfs: 1, sysfsFromModules: 0, perNamespace: { net: 2 } });
    expect(describeCounts(counts)).toBe('2 sysctl (+1 with modules), 1 sysfs (+0); per namespace: net 2');
    expect(snapshotFile('6.1.0-42-amd64', shape(4, 4096), 1)).toBe('qemu-6.1.0-42-amd64-4cpu-4096M-run1.json');
    expect(snapshotFile('6.1.0-42-amd64', { cpus: 1, possibleCpus: 64, memoryMiB: 16384 }, 1)).toBe('qemu-6.1.0-42-amd64-1cpu-64possible-16384M-run1.json');
    // What a later refresh finds to replace, both kinds of name.
    expect(releaseOfSnapshotFile('qemu-6.12.118+deb13-amd64-4cpu-4096M-run1.json')).toBe('6.12.118+deb13-amd64');
    expect(releaseOfSnapshotFile('qemu-6.12.118+deb13-amd64-1cpu-64possible-16384M-run1.json')).toBe('6.12.118+deb13-amd64');
    expect(releaseOfSnapshotFile('README.md')).toBeUndefined();
  });

  it('prints the summary and the failures as the CLI always has', () => {
    const report: RefreshReport = {
      out: 'snaps',
      seconds: 61.4,
      failed: ['no-such-suite'],
      kernels: [
        {
          suite: 'bookworm',
          arch: 'amd64',
          release: '6.1.0-42-amd64',
          written: ['a.json', 'b.json'],
          removed: [],
          failures: [],
          boots: [1, 2].map((r) => ({ shape: shape(1, 1024), run: r, walk: r === 1 ? ('full' as const) : ('values' as const), file: `${r}.json`, seconds: 40.2, walkSeconds: 20, counts })),
        },
        { suite: 'no-such-suite', arch: 'amd64', written: [], removed: [], boots: [], failures: [{ step: 'download', reason: 'apt finds no linux-image-amd64' }] },
      ],
    };
    expect(`${reportLines(report).join('\n')}\n`).toBe(
      [
        '',
        'refresh finished in 61 s, snapshots in snaps',
        '  bookworm 6.1.0-42-amd64: 2 snapshot(s)',
        '    1x1024 run1 full    40 s: 2 sysctl (+1 with modules), 1 sysfs (+0); per namespace: net 2',
        '    1x1024 run2 values  40 s: 2 sysctl (+1 with modules), 1 sysfs (+0); per namespace: net 2',
        '  no-such-suite : 0 snapshot(s), FAILED (1)',
        '',
        'failed: no-such-suite',
        '  no-such-suite: download: apt finds no linux-image-amd64',
        '',
      ].join('\n'),
    );
  });
});
