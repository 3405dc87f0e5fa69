/** What boot parameters move, joined to the pages (scripts/generate/boot-moves.ts) and grouped for them (src/core/parameters.ts). */
import { describe, expect, it } from 'vitest';
import type { BootProbeResults } from '#core/schemas/boot-probes.ts';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import type { KernelFacts, MeasuredTunable } from '#core/schemas/tunable.ts';
import { probeRows, setAtBootRows } from '#core/parameters.ts';
import { joinBootProbes } from '../../scripts/generate/boot-moves.ts';

const facts = (release: string): KernelFacts => ({ release, source: 'qemu', mode: '0644', writable: true, default: '0', defaultKind: 'constant', namespace: null, module: null });
const KERNELS = { '6.1': facts('6.1.0-57-amd64'), '7.2': facts('7.2.13+deb14-amd64') };

function page(title: string, kind: MeasuredTunable['kind'], path: string | null, kernels: Record<string, KernelFacts> = KERNELS): MeasuredTunable {
  return { title, kind, path, subsystem: 'x', placeholders: [], summary: 's', writable: true, status: 'present', namespace: null, module: null, kernels };
}

const tunables = new Map<string, MeasuredTunable>([
  ['boot/p/panic', page('panic', 'boot', null)],
  ['sysctl/kernel/panic', page('kernel.panic', 'sysctl', '/proc/sys/kernel/panic')],
  ['module/rcupdate/rcu_expedited', page('rcupdate.rcu_expedited', 'module', '/sys/module/rcupdate/parameters/rcu_expedited')],
  ['sysfs/kernel/rcu_expedited', page('/sys/kernel/rcu_expedited', 'sysfs', '/sys/kernel/rcu_expedited')],
  ['sysctl/net/ipv6/conf/_interface_/autoconf', page('net.ipv6.conf.<interface>.autoconf', 'sysctl', '/proc/sys/net/ipv6/conf/<interface>/autoconf')],
  ['boot/a/apparmor', page('apparmor', 'boot', null)],
  ['sysctl/fs/dentry-state', page('fs.dentry-state', 'sysctl', '/proc/sys/fs/dentry-state', { '7.2': { ...facts('7.2.13+deb14-amd64'), mode: '0444', writable: false } })],
  ['module/apparmor/enabled', page('apparmor.enabled', 'module', '/sys/module/apparmor/parameters/enabled')],
  ['module/ipv6/autoconf', page('ipv6.autoconf', 'module', '/sys/module/ipv6/parameters/autoconf', { '7.2': facts('7.2.13+deb14-amd64') })],
]);

const plain = { schemaVersion: 1, source: 'qemu', run: 1, kernel: { release: '7.2.13+deb14-amd64', series: '7.2' }, machine: { arch: 'x86_64', cpus: 1, memoryKiB: 1 }, entries: [], skipped: [], links: {} } as Snapshot;

const result = (series: string, release: string, probes: BootProbeResults['probes']): BootProbeResults => ({
  schemaVersion: 1,
  series,
  release,
  shape: { cpus: 1, memoryMiB: 1024 },
  baselines: ['plain-run1.json', 'plain-run2.json'],
  batches: [],
  probes,
  unattributed: [],
  volatile: 0,
});

const panic = { word: 'panic=7', parameter: 'panic', boots: [1, 2], moved: [{ path: '/proc/sys/kernel/panic', from: '-1\n', to: '7\n' }, { path: '/sys/module/kernel/parameters/panic', from: '-1\n', to: '7\n' }] };

const joined = joinBootProbes({
  results: [
    result('6.1', '6.1.0-57-amd64', [panic]),
    result('7.2', '7.2.13+deb14-amd64', [
      panic,
      { word: 'rcupdate.rcu_expedited=1', parameter: 'rcupdate.rcu_expedited', boots: [1, 3], moved: [{ path: '/sys/kernel/rcu_expedited', from: '0\n', to: '1\n' }, { path: '/sys/module/rcupdate/parameters/rcu_expedited', from: '0\n', to: '1\n' }] },
      {
        word: 'ipv6.autoconf=0',
        parameter: 'ipv6.autoconf',
        boots: [2, 3],
        moved: [
          { path: '/proc/sys/net/ipv6/conf/all/autoconf', from: '1\n', to: '0\n' },
          { path: '/proc/sys/net/ipv6/conf/default/autoconf', from: '1\n', to: '0\n' },
          { path: '/sys/kernel/new_file', from: null, to: 'x\n' },
        ],
      },
      { word: 'delayacct', parameter: 'delayacct', boots: [2, 4], moved: [] },
      {
        word: 'apparmor=0',
        parameter: 'apparmor',
        boots: [3, 4],
        moved: [
          { path: '/proc/sys/fs/dentry-state', from: '19310 10758', to: '19366 10831' },
          { path: '/sys/devices/system/cpu/cpu0/uevent', from: 'DRIVER=processor', to: 'DRIVER=processor\nMODALIAS=x' },
          { path: '/sys/module/apparmor/parameters/enabled', from: 'Y\n', to: 'N\n' },
        ],
      },
    ]),
  ],
  snapshots: new Map([['plain-run1.json', plain]]),
  tunables,
});
const kernelsOf = (id: string) => joined.tunables.get(id)!.kernels;

describe('boot probes joined to the pages', () => {
  it("gives a parameter's page what it moved, its own file among them, values as pages show them", () => {
    expect(kernelsOf('boot/p/panic')['7.2']!.bootProbe).toEqual({
      word: 'panic=7',
      moved: [
        { id: 'sysctl/kernel/panic', title: 'kernel.panic', from: '-1', to: '7' },
        { id: 'boot/p/panic', title: 'panic', from: '-1', to: '7' },
      ],
    });
    expect(kernelsOf('module/rcupdate/rcu_expedited')['7.2']!.bootProbe!.moved.map((move) => move.title)).toEqual(['/sys/kernel/rcu_expedited', 'rcupdate.rcu_expedited']);
  });

  it("names only settings: a read-only counter and a device's uevent are left out, a parameter's file kept", () => {
    expect(kernelsOf('boot/a/apparmor')['7.2']!.bootProbe!.moved).toEqual([{ id: 'module/apparmor/enabled', title: 'apparmor.enabled', from: 'Y', to: 'N' }]);
  });

  it('names a pattern page once, and a file no page measures by its path', () => {
    expect(kernelsOf('module/ipv6/autoconf')['7.2']!.bootProbe!.moved).toEqual([
      { id: null, title: '/sys/kernel/new_file', from: null, to: 'x' },
      { id: 'sysctl/net/ipv6/conf/_interface_/autoconf', title: 'net.ipv6.conf.<interface>.autoconf', from: '1', to: '0' },
    ]);
  });

  it('tells each tunable moved which parameters set it at boot, per kernel', () => {
    expect(kernelsOf('sysctl/kernel/panic')['6.1']!.setAtBoot).toEqual([{ id: 'boot/p/panic', title: 'panic', word: 'panic=7' }]);
    expect(kernelsOf('sysfs/kernel/rcu_expedited')['7.2']!.setAtBoot).toEqual([{ id: 'module/rcupdate/rcu_expedited', title: 'rcupdate.rcu_expedited', word: 'rcupdate.rcu_expedited=1' }]);
    expect(kernelsOf('sysfs/kernel/rcu_expedited')['6.1']!.setAtBoot).toBeUndefined();
    // Its own file is no other way to set it.
    expect(kernelsOf('boot/p/panic')['7.2']!.setAtBoot).toBeUndefined();
  });

  it('leaves out a probe with no page of its name on that kernel, and changes no other page', () => {
    expect(joined.unplaced).toEqual(['7.2: delayacct']);
    expect(joined.tunables.get('module/ipv6/autoconf')!.kernels['6.1']).toBeUndefined();
    expect(tunables.get('sysctl/kernel/panic')!.kernels['7.2']!.setAtBoot).toBeUndefined();
  });

  it('groups kernels with the same result into one row', () => {
    expect(probeRows(kernelsOf('boot/p/panic')).map((row) => row.ids)).toEqual([['6.1', '7.2']]);
    expect(setAtBootRows(kernelsOf('sysctl/kernel/panic'))).toEqual([{ id: 'boot/p/panic', title: 'panic', word: 'panic=7', ids: ['6.1', '7.2'] }]);
  });
});
