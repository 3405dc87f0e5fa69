/** The source's registration held against the network namespace scope the VM measured. */
import { describe, expect, it } from 'vitest';
import { netnsAgreement } from '#core/netns-agreement.ts';
import type { RegistrationKind } from '#core/schemas/docs.ts';
import type { NamespaceKind } from '#core/schemas/snapshot.ts';
import type { KernelFacts } from '#core/schemas/tunable.ts';

const facts = (namespace: NamespaceKind | null, registered: RegistrationKind[] | undefined, over: Partial<KernelFacts> = {}): KernelFacts => ({
  release: 'r',
  source: 'qemu',
  mode: '0644',
  writable: true,
  default: '1',
  defaultKind: 'constant',
  namespace,
  module: null,
  upstream: { type: 'integer', range: null, definedIn: null, documentedDefault: null, ...(registered && { registered }) },
  ...over,
});
const page = (title: string, kernels: Record<string, KernelFacts>, status: 'present' | 'vanished' = 'present') => ({ kind: 'sysctl' as const, title, status, kernels });
const instances = (...names: string[]) => names.map((instance) => ({ instance, value: '1' }));

describe('network namespace scope: the source against the measurement', () => {
  it('agrees where per-net registrations are exactly what a child namespace shows', () => {
    const [row] = netnsAgreement([
      page('net.ipv4.tcp_syncookies', { '7.2': facts('net', ['per-net']) }),
      page('net.core.rmem_max', { '7.2': facts(null, ['init-net']) }),
      page('net.core.somaxconn', { '7.2': facts('net', ['init-net', 'per-net']) }),
    ]);
    expect(row).toEqual({ kernel: '7.2', compared: 3, agreeing: 3, disagreements: [] });
  });

  it('lists each disagreement with both sides: a shared table a child shows, a per-net one it does not', () => {
    const [row] = netnsAgreement([
      page('net.foo.shared', { '7.2': facts('net', ['global']) }),
      page('net.bar.own', { '7.2': facts(null, ['per-net']) }),
    ]);
    expect(row).toEqual({
      kernel: '7.2',
      compared: 2,
      agreeing: 0,
      disagreements: [
        { name: 'net.bar.own', registered: ['per-net'], measured: null },
        { name: 'net.foo.shared', registered: ['global'], measured: 'net' },
      ],
    });
  });

  it("counts each instance of a pattern with its own scope: neigh's default lives in the initial namespace only", () => {
    const neigh = facts('net', ['per-net'], { instances: instances('default', 'lo'), instanceNamespaces: { default: null } });
    const conf = facts('net', ['per-net'], { instances: instances('all', 'default', 'lo') });
    const [row] = netnsAgreement([page('net.ipv4.neigh.<interface>.gc_stale_time', { '6.1': neigh }), page('net.ipv4.conf.<interface>.forwarding', { '6.1': conf })]);
    expect(row).toEqual({
      kernel: '6.1',
      compared: 5,
      agreeing: 4,
      disagreements: [{ name: 'net.ipv4.neigh.<interface>.gc_stale_time', instance: 'default', registered: ['per-net'], measured: null }],
    });
  });

  it("holds an instance against its own registration where the source names it: neigh's default, init-net", () => {
    const upstream = { type: 'integer' as const, range: null, definedIn: null, documentedDefault: null, registered: ['per-net' as const], instancesRegistered: { default: ['init-net' as const] } };
    const measuredRight = facts('net', ['per-net'], { instances: instances('default', 'lo'), instanceNamespaces: { default: null }, upstream });
    const measuredWrong = facts('net', ['per-net'], { instances: instances('default', 'lo'), upstream });
    const [right] = netnsAgreement([page('net.ipv4.neigh.<interface>.gc_stale_time', { '6.1': measuredRight })]);
    expect(right).toEqual({ kernel: '6.1', compared: 2, agreeing: 2, disagreements: [] });
    const [wrong] = netnsAgreement([page('net.ipv4.neigh.<interface>.gc_stale_time', { '6.1': measuredWrong })]);
    expect(wrong?.disagreements).toEqual([{ name: 'net.ipv4.neigh.<interface>.gc_stale_time', instance: 'default', registered: ['init-net'], measured: 'net' }]);
  });

  it('compares only present sysctls under net. that a VM walk measured and whose registration the source names, per kernel, oldest first', () => {
    const rows = netnsAgreement([
      page('net.ipv4.a', { '7.2': facts(null, ['per-net']), '5.10': facts('net', ['per-net']) }),
      page('net.ipv4.unknown', { '7.2': facts('net', undefined) }),
      page('net.ipv4.scraped', { '7.2': facts(null, ['per-net'], { source: 'live' }) }),
      page('net.ipv4.gone', { '7.2': facts(null, ['per-net']) }, 'vanished'),
      page('kernel.hostname', { '7.2': facts('uts', ['global']) }),
      { kind: 'sysfs' as const, title: 'net.looks.like.sysctl', status: 'present' as const, kernels: { '7.2': facts(null, ['per-net']) } },
    ]);
    expect(rows.map(({ kernel, compared, agreeing }) => [kernel, compared, agreeing])).toEqual([
      ['5.10', 1, 1],
      ['7.2', 1, 0],
    ]);
  });
});
