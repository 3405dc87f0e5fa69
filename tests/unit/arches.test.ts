import { describe, expect, it } from 'vitest';
import { archesOf, bootRowKey, defaultCellKey, foldAlike, foldSeries, modeCellKey, onlyArch, parameterRowKey, seriesRows } from '#core/arches.ts';
import { buildCatalog, type TunableEntry } from '#core/catalog.ts';
import { kernelRows, measuredKernels } from '#core/kernels.ts';
import { changesSlug } from '#core/paths.ts';
import type { KernelFacts, TunableFrontmatter } from '#core/schemas/tunable.ts';
import { NO_UPSTREAM } from '../../scripts/generate/upstream.ts';

const RELEASES: Record<string, string> = {
  '6.1': '6.1.0-57-amd64',
  '6.1-arm64': '6.1.0-57-arm64',
  '6.12': '6.12.118+deb13-amd64',
  '6.12-arm64': '6.12.118+deb13-arm64',
  '7.2': '7.2.13+deb14-amd64',
};

function facts(id: string, over: Partial<KernelFacts> = {}): KernelFacts {
  return { release: RELEASES[id]!, source: 'qemu', mode: '0644', writable: true, default: '1', defaultKind: 'constant', namespace: null, module: null, ...over };
}

function entry(name: string, kernels: Record<string, KernelFacts>, over: Partial<TunableFrontmatter> = {}): TunableEntry {
  return {
    id: `sysctl/vm/${name}`,
    data: { title: `vm.${name}`, kind: 'sysctl', path: `/proc/sys/vm/${name}`, subsystem: 'vm', placeholders: [], summary: 's', writable: true, status: 'present', namespace: null, module: null, kernels, upstream: NO_UPSTREAM, ...over },
  };
}

const shapes = (small: number) => [
  { cpus: 1, memoryKiB: 1_000_000, value: String(small) },
  { cpus: 4, memoryKiB: 4_000_000, value: String(small * 4) },
];

// As measured on Debian's kernels: mmap_min_addr is 64 KiB on amd64, 4 KiB on arm64.
const ENTRIES = [
  entry('mmap_min_addr', { '6.1': facts('6.1', { default: '65536' }), '6.1-arm64': facts('6.1-arm64', { default: '4096' }), '6.12': facts('6.12', { default: '65536' }), '6.12-arm64': facts('6.12-arm64', { default: '4096' }), '7.2': facts('7.2', { default: '65536' }) }),
  entry('swappiness', { '6.1': facts('6.1'), '6.1-arm64': facts('6.1-arm64'), '6.12': facts('6.12'), '6.12-arm64': facts('6.12-arm64'), '7.2': facts('7.2') }),
  entry('amd64_thing', { '6.1': facts('6.1'), '6.12': facts('6.12'), '7.2': facts('7.2') }),
  entry('arm64_thing', { '6.12-arm64': facts('6.12-arm64') }),
  entry('min_free_kbytes', {
    '6.1': facts('6.1', { default: null, defaultKind: 'machine', shapes: shapes(1000) }),
    '6.1-arm64': facts('6.1-arm64', { default: null, defaultKind: 'machine', shapes: shapes(990) }),
  }),
];
const measured = measuredKernels(ENTRIES.map((e) => e.data));
const ids = measured.map(({ id }) => id);
const byTitle = (title: string) => ENTRIES.find((e) => e.data.title === title)!.data;

describe('which architectures a tunable is on', () => {
  it('lists them primary first, each once', () => {
    expect(archesOf(['6.12-arm64', '6.1', '6.1-arm64', '7.2'])).toEqual(['amd64', 'arm64']);
    expect(archesOf(['6.12-arm64'])).toEqual(['arm64']);
  });

  it('names the one architecture a tunable is on, only where the site measured more than one', () => {
    expect(onlyArch(ids, Object.keys(byTitle('vm.arm64_thing').kernels))).toBe('arm64');
    expect(onlyArch(ids, Object.keys(byTitle('vm.amd64_thing').kernels))).toBe('amd64');
    expect(onlyArch(ids, Object.keys(byTitle('vm.swappiness').kernels))).toBeUndefined();
    // With amd64 alone measured, nothing is "amd64 only".
    expect(onlyArch(['6.1', '6.12'], ['6.1'])).toBeUndefined();
  });
});

describe('a defaults table per series, a column per architecture', () => {
  const table = (title: string) => {
    const { kernels } = byTitle(title);
    const arches = archesOf(Object.keys(kernels));
    const rows = seriesRows(kernelRows(measured.filter(({ arch }) => arches.includes(arch)), kernels), arches);
    return rows.map(({ series, kernels: columns }) => ({
      series,
      defaults: foldAlike(columns, (row) => (row ? defaultCellKey(row.facts) : 'not measured')).map(({ value, span }) => [value?.facts?.default ?? (value ? 'not present' : 'not measured'), span]),
    }));
  };

  it('shows a value once across the architectures that agree, and each where they differ', () => {
    expect(table('vm.swappiness')).toEqual([
      { series: '6.1', defaults: [['1', 2]] },
      { series: '6.12', defaults: [['1', 2]] },
      // 7.2 was booted on amd64 only.
      { series: '7.2', defaults: [['1', 1], ['not measured', 1]] },
    ]);
    expect(table('vm.mmap_min_addr')[0]).toEqual({ series: '6.1', defaults: [['65536', 1], ['4096', 1]] });
  });

  it('has one column where the tunable is on one architecture, and rows where it is not present', () => {
    expect(table('vm.amd64_thing').map(({ defaults }) => defaults)).toEqual([[['1', 1]], [['1', 1]], [['1', 1]]]);
    expect(table('vm.arm64_thing')).toEqual([
      { series: '6.1', defaults: [['not present', 1]] },
      { series: '6.12', defaults: [['1', 1]] },
    ]);
  });

  it('keeps machine-scaled defaults apart when a shape reads differently', () => {
    const { kernels } = byTitle('vm.min_free_kbytes');
    expect(defaultCellKey(kernels['6.1'])).not.toBe(defaultCellKey(kernels['6.1-arm64']));
    expect(defaultCellKey(kernels['6.1'])).toBe(defaultCellKey({ ...kernels['6.1-arm64']!, shapes: shapes(1000) }));
  });

  it('folds mode and scope on their own: the same default in another scope is two cells', () => {
    const amd64 = facts('6.1');
    expect(modeCellKey(amd64)).toBe(modeCellKey(facts('6.1-arm64')));
    expect(modeCellKey(amd64)).not.toBe(modeCellKey(facts('6.1-arm64', { namespace: 'net' })));
    expect(modeCellKey(amd64)).not.toBe(modeCellKey(undefined));
  });

  it('folds only neighbours that read the same', () => {
    expect(foldAlike(['a', 'a', 'b', 'a'], (x) => x)).toEqual([
      { value: 'a', column: 0, span: 2 },
      { value: 'b', column: 2, span: 1 },
      { value: 'a', column: 3, span: 1 },
    ]);
  });
});

describe('a parameter table: one row per series where its architectures read alike', () => {
  const param = (id: string, over: Partial<KernelFacts> = {}, parameter: Partial<NonNullable<KernelFacts['parameter']>> = {}) =>
    facts(id, { default: '30', module: 'nvme_core', parameter: { presence: 'module', settable: 'runtime', type: 'uint', description: null, tags: [], ...parameter }, ...over });
  const ids = (groups: { id: string }[][]) => groups.map((group) => group.map(({ id }) => id));

  it('folds the arches of a series that agree, and keeps a row per kernel where they differ', () => {
    const kernels = { '6.1': param('6.1'), '6.1-arm64': param('6.1-arm64'), '6.12': param('6.12'), '6.12-arm64': param('6.12-arm64', { default: '60' }), '7.2': param('7.2') };
    expect(ids(foldSeries(kernelRows(measured, kernels), parameterRowKey))).toEqual([['6.1', '6.1-arm64'], ['6.12'], ['6.12-arm64'], ['7.2']]);
  });

  it('tells apart a type, a module or a kernel that lacks the parameter', () => {
    const kernels = { '6.1': param('6.1'), '6.1-arm64': param('6.1-arm64', {}, { type: 'int' }), '6.12': param('6.12'), '7.2': param('7.2') };
    expect(ids(foldSeries(kernelRows(measured, kernels), parameterRowKey))).toEqual([['6.1'], ['6.1-arm64'], ['6.12'], ['6.12-arm64'], ['7.2']]);
  });

  it("folds a boot parameter's series by kernel-parameters.txt's tags", () => {
    const boot = (id: string, tags: string[]) => facts(id, { default: null, parameter: { presence: 'documented', settable: null, type: null, description: null, tags } });
    const kernels = { '6.1': boot('6.1', ['KNL']), '6.1-arm64': boot('6.1-arm64', ['KNL']), '6.12': boot('6.12', ['X86']), '7.2': boot('7.2', []) };
    expect(ids(foldSeries(kernelRows(measured, kernels), bootRowKey))).toEqual([['6.1', '6.1-arm64'], ['6.12'], ['6.12-arm64'], ['7.2']]);
  });
});

describe('the differences between architectures, per series', () => {
  const { archDifferences, changes } = buildCatalog(ENTRIES);
  const names = (list: TunableEntry[]) => list.map((e) => e.data.title);

  it('compares each series measured on both, and only those', () => {
    expect(archDifferences.map(({ from, to }) => [from.id, to.id])).toEqual([
      ['6.1', '6.1-arm64'],
      ['6.12', '6.12-arm64'],
    ]);
  });

  it('lists what one architecture has alone and the defaults that differ, machine rescaling apart', () => {
    const [first, second] = archDifferences;
    expect({ amd64: names(first!.removed), arm64: names(first!.added) }).toEqual({ amd64: ['vm.amd64_thing'], arm64: [] });
    expect({ amd64: names(second!.removed), arm64: names(second!.added) }).toEqual({ amd64: ['vm.amd64_thing'], arm64: ['vm.arm64_thing'] });
    expect(first!.changed.map(({ entry, from, to }) => [entry.data.title, from.default, to.default])).toEqual([['vm.mmap_min_addr', '65536', '4096']]);
    expect(first!.rescaled.map(({ entry }) => entry.data.title)).toEqual(['vm.min_free_kbytes']);
  });

  it('keeps changes pages within one architecture, with their own addresses', () => {
    expect(changes.map(({ from, to }) => changesSlug(from.id, to.id))).toEqual(['6.1-6.12', 'arm64/6.1-6.12', '6.12-7.2']);
    expect(() => changesSlug('6.1', '6.1-arm64')).toThrow(/one architecture/);
  });
});
