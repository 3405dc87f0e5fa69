/** dist/tunables.json: the data tools read, checked against the snapshot it came from. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { tunablesExport } from '../../src/schemas/export.ts';
import type { Snapshot } from '../../src/schemas/snapshot.ts';

test('tunables.json lists every tunable with per-kernel facts from the snapshot', async ({ request }) => {
  const response = await request.get('/tunables.json');
  expect(response.ok()).toBe(true);
  const data = tunablesExport.parse(await response.json());
  const snapshots = readdirSync('content/snapshots').map((f) => JSON.parse(readFileSync(join('content/snapshots', f), 'utf8')) as Snapshot);
  expect(data.kernels.map((k) => k.release).sort()).toEqual(snapshots.map((s) => s.kernel.release).sort());

  const swappiness = data.tunables.find((t) => t.name === 'vm.swappiness')!;
  const measured = snapshots.at(-1)!;
  const read = measured.entries.find((e) => e.path === '/proc/sys/vm/swappiness')!.value!.trim();
  expect(swappiness).toMatchObject({ kind: 'sysctl', path: '/proc/sys/vm/swappiness', url: '/sysctl/vm/swappiness/', writable: true });
  expect(swappiness.kernels[measured.kernel.series]).toMatchObject({ default: read, defaultKind: 'constant' });
  expect(swappiness.summary.length).toBeGreaterThan(0);

  const rpFilter = data.tunables.find((t) => t.name === 'net.ipv4.conf.<interface>.rp_filter')!;
  expect(rpFilter.path).toBe('/proc/sys/net/ipv4/conf/<interface>/rp_filter');
  expect((await request.get(rpFilter.url)).ok()).toBe(true);

  // Every sysctl the snapshot read is covered by exactly one exported pattern.
  const sysctls = data.tunables.filter((t) => t.kind === 'sysctl').map((t) => new RegExp(`^${t.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/<[a-z0-9-]+>/g, '[^/]+')}$`));
  for (const entry of measured.entries.filter((e) => e.kind === 'sysctl')) {
    expect(sysctls.filter((pattern) => pattern.test(entry.path)).length, entry.path).toBeGreaterThanOrEqual(1);
  }
});
