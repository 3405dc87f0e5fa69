import { describe, expect, it } from 'vitest';
import { buildCatalog, type TunableEntry } from '#core/catalog.ts';
import { kernelRows, measuredKernels } from '#core/kernels.ts';
import type { KernelFacts, TunableFrontmatter } from '#core/schemas/tunable.ts';
import { NO_UPSTREAM } from '../../scripts/generate/upstream.ts';

const RELEASES: Record<string, string> = { '5.10': '5.10.0-35-amd64', '6.1': '6.1.0-41-amd64', '6.12': '6.12.57+deb13-amd64' };

function facts(series: string, over: Partial<KernelFacts> = {}): KernelFacts {
  return { release: RELEASES[series]!, source: 'qemu', mode: '0644', writable: true, default: '1', defaultKind: 'constant', namespace: null, module: null, ...over };
}

function entry(name: string, kernels: Record<string, KernelFacts>, over: Partial<TunableFrontmatter> = {}): TunableEntry {
  const path = `/proc/sys/kernel/${name}`;
  return {
    id: `sysctl/kernel/${name}`,
    data: { title: `kernel.${name}`, kind: 'sysctl', path, subsystem: 'kernel', placeholders: [], summary: 's', writable: true, status: 'present', namespace: null, module: null, kernels, upstream: NO_UPSTREAM, ...over },
  };
}

const shapes = (value: number) => [
  { cpus: 1, memoryKiB: 1_000_000, value: String(value) },
  { cpus: 4, memoryKiB: 4_000_000, value: String(value * 4) },
];

const ENTRIES = [
  entry('everywhere', { '5.10': facts('5.10'), '6.1': facts('6.1'), '6.12': facts('6.12') }),
  entry('changed', { '5.10': facts('5.10', { default: '128' }), '6.1': facts('6.1', { default: '4096' }), '6.12': facts('6.12', { default: '4096' }) }),
  entry('added', { '6.12': facts('6.12') }),
  entry('removed', { '5.10': facts('5.10'), '6.1': facts('6.1') }),
  entry('scaled', {
    '5.10': facts('5.10', { default: null, defaultKind: 'machine', shapes: shapes(100) }),
    '6.1': facts('6.1', { default: null, defaultKind: 'machine', shapes: shapes(99) }),
    '6.12': facts('6.12', { default: null, defaultKind: 'machine', shapes: shapes(99) }),
  }),
  entry('state', { '5.10': facts('5.10', { default: null, defaultKind: 'volatile' }), '6.1': facts('6.1', { default: null, defaultKind: 'volatile' }), '6.12': facts('6.12', { default: null, defaultKind: 'volatile' }) }),
  // A vanished page remembers a kernel no snapshot measures any more.
  entry('vanished', { '6.18': { ...facts('6.1'), release: '6.18.44', source: 'live' } }, { status: 'vanished' }),
];

describe('the measured kernels', () => {
  it('are those of present pages, oldest first', () => {
    expect(measuredKernels(ENTRIES.map((e) => e.data)).map((k) => k.series)).toEqual(['5.10', '6.1', '6.12']);
  });

  it('refuse pages that disagree on the release of a series', () => {
    const other = entry('other', { '6.1': { ...facts('6.1'), release: '6.1.0-99-amd64' } });
    expect(() => measuredKernels([...ENTRIES, other].map((e) => e.data))).toThrow(/kernel 6\.1 is/);
  });
});

describe('the kernel catalog', () => {
  const catalog = buildCatalog(ENTRIES);
  const names = (list: TunableEntry[]) => list.map((e) => e.data.title);

  it('groups the present tunables by kernel, with counts per kind', () => {
    expect(catalog.kernels.map((k) => [k.series, names(k.tunables).length])).toEqual([
      ['5.10', 5],
      ['6.1', 5],
      ['6.12', 5],
    ]);
    expect(catalog.kernels[0]!.counts).toEqual([
      { kind: 'sysctl', count: 5 },
      { kind: 'sysfs', count: 0 },
      { kind: 'boot', count: 0 },
      { kind: 'module', count: 0 },
    ]);
  });

  it('lists what changed between adjacent kernels, machine rescaling apart', () => {
    expect(catalog.changes.map((c) => `${c.from.series}-${c.to.series}`)).toEqual(['5.10-6.1', '6.1-6.12']);
    const [first, second] = catalog.changes;
    expect({ added: names(first!.added), removed: names(first!.removed) }).toEqual({ added: [], removed: [] });
    expect(first!.changed.map((c) => [c.entry.data.title, c.from.default, c.to.default])).toEqual([['kernel.changed', '128', '4096']]);
    expect(first!.rescaled.map((c) => c.entry.data.title)).toEqual(['kernel.scaled']);
    expect({ added: names(second!.added), removed: names(second!.removed), changed: second!.changed.length }).toEqual({
      added: ['kernel.added'],
      removed: ['kernel.removed'],
      changed: 0,
    });
  });

  it('counts every pair both ways, nothing on the diagonal', () => {
    expect(catalog.changeCounts[0]![2]).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(catalog.changeCounts[2]![0]).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(catalog.changeCounts[1]![1]).toBeNull();
  });
});

describe('the rows of a defaults table', () => {
  const kernels = measuredKernels(ENTRIES.map((e) => e.data));

  it('have every measured kernel, not present where the tunable is missing', () => {
    const rows = kernelRows(kernels, ENTRIES.find((e) => e.data.title === 'kernel.added')!.data.kernels);
    expect(rows.map((r) => [r.series, r.measured, r.facts?.default ?? 'not present'])).toEqual([
      ['5.10', true, 'not present'],
      ['6.1', true, 'not present'],
      ['6.12', true, '1'],
    ]);
  });

  it('keep the facts a vanished page remembers from a kernel no longer measured', () => {
    const rows = kernelRows(kernels, ENTRIES.find((e) => e.data.status === 'vanished')!.data.kernels);
    expect(rows.map((r) => [r.series, r.measured, r.release])).toEqual([
      ['5.10', true, RELEASES['5.10']],
      ['6.1', true, RELEASES['6.1']],
      ['6.12', true, RELEASES['6.12']],
      ['6.18', false, '6.18.44'],
    ]);
  });
});
