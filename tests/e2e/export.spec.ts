/** dist/tunables.json: the data tools read, checked against the snapshots it came from. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { kernelIdOf } from '#core/kernels.ts';
import { tunablesExport } from '#core/schemas/export.ts';
import type { Snapshot } from '#core/schemas/snapshot.ts';
import { SNAPSHOTS } from './dist.ts';

test('tunables.json lists every tunable with per-kernel facts from the snapshots', async ({ request }) => {
  const response = await request.get('/tunables.json');
  expect(response.ok()).toBe(true);
  const data = tunablesExport.parse(await response.json());
  const snapshots = readdirSync(SNAPSHOTS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(SNAPSHOTS, f), 'utf8')) as Snapshot);
  // Several boots (machine shapes, repeats) of one kernel are one kernel in the export.
  expect(data.kernels.map((k) => k.release).sort()).toEqual([...new Set(snapshots.map((s) => s.kernel.release))].sort());

  const swappiness = data.tunables.find((t) => t.name === 'vm.swappiness')!;
  expect(swappiness).toMatchObject({ kind: 'sysctl', path: '/proc/sys/vm/swappiness', url: '/sysctl/vm/swappiness/', writable: true });
  expect(swappiness.summary.length).toBeGreaterThan(0);
  for (const measured of snapshots) {
    const read = measured.entries.find((e) => e.path === '/proc/sys/vm/swappiness')!.value!.trim();
    expect(swappiness.kernels[measured.kernel.series], measured.kernel.release).toMatchObject({ default: read, defaultKind: 'constant' });
  }

  const rpFilter = data.tunables.find((t) => t.name === 'net.ipv4.conf.<interface>.rp_filter')!;
  expect(rpFilter.path).toBe('/proc/sys/net/ipv4/conf/<interface>/rp_filter');
  expect((await request.get(rpFilter.url)).ok()).toBe(true);

  // Every sysctl a snapshot read is covered by an exported pattern that has its kernel.
  const sysctls = data.tunables
    .filter((t) => t.kind === 'sysctl')
    .map((t) => ({ kernels: t.kernels, pattern: new RegExp(`^${t.path!.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/<[a-z0-9-]+>/g, '[^/]+')}$`) }));
  for (const measured of snapshots) {
    for (const entry of measured.entries.filter((e) => e.kind === 'sysctl')) {
      const covering = sysctls.filter(({ pattern, kernels }) => pattern.test(entry.path) && kernels[kernelIdOf(measured)]);
      expect(covering.length, `${measured.kernel.release} ${entry.path}`).toBeGreaterThanOrEqual(1);
    }
  }
});
