import { describe, expect, it } from 'vitest';
import { exampleValue, setCommands, shellQuote } from '#core/values.ts';
import type { KernelFacts, TunableFrontmatter } from '#core/schemas/tunable.ts';
import { NO_UPSTREAM } from '../../scripts/generate/upstream.ts';

const facts = (over: Partial<KernelFacts>): KernelFacts => ({ release: '6.1.0', source: 'live', mode: '0644', writable: true, default: '60', defaultKind: 'constant', namespace: null, module: null, ...over });
const tunable = (over: Partial<TunableFrontmatter>): TunableFrontmatter => ({
  title: 'vm.swappiness',
  kind: 'sysctl',
  path: '/proc/sys/vm/swappiness',
  subsystem: 'vm',
  placeholders: [],
  summary: 's',
  upstream: NO_UPSTREAM,
  writable: true,
  status: 'present',
  namespace: null,
  module: null,
  kernels: { '6.1': facts({}) },
  ...over,
});

describe('the commands that set a tunable', () => {
  it('write the measured value for a sysctl, on the command line and in sysctl.d', () => {
    expect(setCommands(tunable({}))).toEqual({
      kind: 'sysctl',
      shell: 'sysctl -w vm.swappiness=60',
      confFile: '/etc/sysctl.d/90-vm.swappiness.conf',
      confLine: 'vm.swappiness = 60',
    });
  });

  it('quote placeholders so the shell does not read them as redirections', () => {
    const commands = setCommands(tunable({ title: 'net.ipv4.conf.<interface>.rp_filter', path: '/proc/sys/net/ipv4/conf/<interface>/rp_filter' }));
    expect(commands?.shell).toBe("sysctl -w 'net.ipv4.conf.<interface>.rp_filter=60'");
    expect(commands?.kind === 'sysctl' && commands.confFile).toBe('/etc/sysctl.d/90-net.ipv4.conf.interface.rp_filter.conf');
  });

  it('write the selected word of a choice list for sysfs', () => {
    const thp = tunable({ kind: 'sysfs', title: '/sys/kernel/mm/transparent_hugepage/enabled', path: '/sys/kernel/mm/transparent_hugepage/enabled', kernels: { '6.1': facts({ default: 'always [madvise] never' }) } });
    expect(setCommands(thp)).toEqual({ kind: 'sysfs', shell: 'echo madvise > /sys/kernel/mm/transparent_hugepage/enabled' });
  });

  it('show VALUE where nothing measured is a value to write back', () => {
    expect(exampleValue(facts({ default: null, defaultKind: 'volatile' }))).toBe('VALUE');
    expect(exampleValue(facts({ default: null, defaultKind: 'unreadable', error: 'EACCES' }))).toBe('VALUE');
    expect(exampleValue(facts({ binary: true }))).toBe('VALUE');
  });

  it('offer none for a read-only tunable', () => {
    expect(setCommands(tunable({ writable: false }))).toBeUndefined();
  });

  it('quote hostile words for the shell', () => {
    expect(shellQuote("it's <b>")).toBe(`'it'\\''s <b>'`);
  });
});
