/**
 * Two architectures' kernels of one series through the real generator and the export:
 * facts keyed by kernel id (`6.1`, `6.1-arm64`), a sysctl on one architecture only, a default
 * that differs, per-kernel files named by id, and amd64's keys as they were before arm64.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildExport } from '#core/export.ts';
import { MODULES_SCHEMA_VERSION, type KernelModules } from '#core/schemas/modules.ts';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot, type SnapshotEntry } from '#core/schemas/snapshot.ts';
import { readTunables } from '../../src/data/tunables.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

const sysctl = (name: string, value: string, mode = '0644'): SnapshotEntry => ({ path: `/proc/sys/${name.replaceAll('.', '/')}`, kind: 'sysctl', mode, value: `${value}\n` });

const AMD64 = { release: '6.1.0-99-amd64', machine: 'x86_64' };
const ARM64 = { release: '6.1.0-99-arm64', machine: 'aarch64' };

function snapshot(kernel: { release: string; machine: string }, entries: SnapshotEntry[]): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    source: 'fixture',
    kernel: { release: kernel.release, series: '6.1' },
    machine: { arch: kernel.machine, cpus: 2, memoryKiB: 2048000 },
    entries,
    skipped: [],
    links: {},
  };
}

// Measured on Debian 6.1 under qemu (../shared/DESIGN.md): mmap_min_addr differs, abi.swp is arm64's, abi.vsyscall32 amd64's.
const AMD64_ENTRIES = [sysctl('vm.swappiness', '60'), sysctl('vm.mmap_min_addr', '65536'), sysctl('abi.vsyscall32', '1')];
const ARM64_ENTRIES = [sysctl('vm.swappiness', '60'), sysctl('vm.mmap_min_addr', '32768'), sysctl('abi.swp', '0')];

const modules = (arch: string | undefined, release: string): KernelModules => ({
  schemaVersion: MODULES_SCHEMA_VERSION,
  series: '6.1',
  ...(arch && { arch }),
  release,
  modules: [{ module: 'zram', builtIn: false, params: [{ name: 'num_devices', type: 'uint', description: 'Number of pre-created zram devices', mode: '0000', access: 'load-time' }] }],
});

function workspace(withArm64: boolean) {
  const dir = makeTempDir('lkt-arches-');
  const [snapshots, docs, modulesDir, content] = ['snapshots', 'docs', 'modules', 'content'].map((name) => join(dir, name)) as [string, string, string, string];
  for (const folder of [snapshots, docs, modulesDir]) mkdirSync(folder, { recursive: true });
  writeFileSync(join(snapshots, 'amd64.json'), JSON.stringify(snapshot(AMD64, AMD64_ENTRIES)));
  writeFileSync(join(modulesDir, '6.1.json'), JSON.stringify(modules(undefined, AMD64.release)));
  if (withArm64) {
    writeFileSync(join(snapshots, 'arm64.json'), JSON.stringify(snapshot(ARM64, ARM64_ENTRIES)));
    writeFileSync(join(modulesDir, '6.1-arm64.json'), JSON.stringify(modules('arm64', ARM64.release)));
  }
  const generate = () => spawnSync(process.execPath, ['scripts/generate/cli.ts', '--snapshots', snapshots, '--docs', docs, '--modules', modulesDir, '--content', content], { encoding: 'utf8' });
  const exported = () => buildExport(readTunables(content));
  return { generate, exported, modulesDir };
}

describe('two architectures of one series', () => {
  it('keys every fact by kernel id: a value per architecture, a sysctl on one only, module files by id', () => {
    const ws = workspace(true);
    expect(ws.generate().status).toBe(0);
    const { kernels, tunables } = ws.exported();
    expect(kernels).toEqual([
      { id: '6.1', series: '6.1', arch: 'amd64', release: AMD64.release, source: 'fixture' },
      { id: '6.1-arm64', series: '6.1', arch: 'arm64', release: ARM64.release, source: 'fixture' },
    ]);
    const byName = new Map(tunables.map((tunable) => [tunable.name, tunable]));
    const defaults = (name: string) => Object.fromEntries(Object.entries(byName.get(name)!.kernels).map(([id, facts]) => [id, facts.default]));
    expect(defaults('vm.mmap_min_addr')).toEqual({ '6.1': '65536', '6.1-arm64': '32768' });
    expect(defaults('vm.swappiness')).toEqual({ '6.1': '60', '6.1-arm64': '60' });
    expect(defaults('abi.swp')).toEqual({ '6.1-arm64': '0' });
    expect(defaults('abi.vsyscall32')).toEqual({ '6.1': '1' });
    // Each architecture's module file joins its own kernel.
    expect(Object.keys(byName.get('zram.num_devices')!.kernels)).toEqual(['6.1', '6.1-arm64']);
  });

  it("leaves amd64's export as it was before arm64 was measured: same kernel keys, same facts under them", () => {
    const alone = workspace(false);
    expect(alone.generate().status).toBe(0);
    const before = alone.exported();
    expect(before.kernels.map(({ id, series }) => [id, series])).toEqual([['6.1', '6.1']]);
    const both = workspace(true);
    expect(both.generate().status).toBe(0);
    const after = new Map(both.exported().tunables.map((tunable) => [tunable.name, tunable]));
    for (const tunable of before.tunables) {
      expect(Object.keys(tunable.kernels)).toEqual(['6.1']);
      const { kernels, ...rest } = after.get(tunable.name)!;
      // The page's own facts stay amd64's (the newest amd64 kernel leads), and so does everything under "6.1".
      expect(JSON.stringify({ ...rest, kernels: { '6.1': kernels['6.1'] } })).toBe(JSON.stringify(tunable));
    }
  });

  it("refuses a per-kernel file not named by its kernel's id, naming the file", () => {
    const ws = workspace(true);
    // arm64's module parameters without their arch would pass for amd64's.
    writeFileSync(join(ws.modulesDir, '6.1-arm64.json'), JSON.stringify(modules(undefined, ARM64.release)));
    const run = ws.generate();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`${join(ws.modulesDir, '6.1-arm64.json')}: holds kernel 6.1`);
  });
});
