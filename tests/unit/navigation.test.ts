import { describe, expect, it } from 'vitest';
import { buildCatalog, type TunableEntry } from '#core/catalog.ts';
import { relatedTunables, RELATED_LIMIT } from '#core/navigation.ts';
import type { DocLocation, KernelFacts, TunableFrontmatter } from '#core/schemas/tunable.ts';
import { NO_UPSTREAM } from '../../scripts/generate/upstream.ts';

const RELEASES: Record<string, string> = { '5.10': '5.10.0-35-amd64', '6.12': '6.12.57+deb13-amd64' };
const VERSIONS: Record<string, string> = { '5.10': '5.10.262', '6.12': '6.12.118' };

/** A kernel's facts, with its `ctl_table` entry at `file:line` when given. */
function facts(series: string, definedIn?: [file: string, line: number]): KernelFacts {
  return {
    release: RELEASES[series]!,
    source: 'qemu',
    mode: '0644',
    writable: true,
    default: '1',
    defaultKind: 'constant',
    namespace: null,
    module: null,
    ...(definedIn && {
      upstream: { type: null, range: null, definedIn: { file: definedIn[0], line: definedIn[1], kernel: series, version: VERSIONS[series]! }, documentedDefault: null },
    }),
  };
}

function doc(file: string, line: number): DocLocation {
  return { origin: 'kernel', file, line, kernel: '6.12', version: VERSIONS['6.12']! };
}

/** A sysctl `vm.<name>` (or under another directory of /proc/sys). */
function sysctl(name: string, kernels: Record<string, KernelFacts>, docSource: DocLocation | null = null, directory = 'vm'): TunableEntry {
  const data: TunableFrontmatter = {
    title: `${directory.replaceAll('/', '.')}.${name}`,
    kind: 'sysctl',
    path: `/proc/sys/${directory}/${name}`,
    subsystem: directory.split('/')[0]!,
    placeholders: [],
    summary: 's',
    writable: true,
    status: 'present',
    namespace: null,
    module: null,
    kernels,
    upstream: { ...NO_UPSTREAM, docSource },
  };
  return { id: `sysctl/${directory}/${name}`, data };
}

function boot(name: string, docSource: DocLocation | null): TunableEntry {
  const data: TunableFrontmatter = {
    title: name,
    kind: 'boot',
    path: null,
    subsystem: name.charAt(0),
    placeholders: [],
    summary: 's',
    writable: false,
    status: 'present',
    namespace: null,
    module: null,
    kernels: { '6.12': facts('6.12') },
    upstream: { ...NO_UPSTREAM, docSource },
  };
  return { id: `boot/${name.charAt(0)}/${name}`, data };
}

const titles = (list: { entry: TunableEntry }[] | undefined) => list?.map(({ entry }) => entry.data.title);

describe('previous and next within a subsystem', () => {
  const catalog = buildCatalog([
    sysctl('swappiness', { '6.12': facts('6.12') }),
    sysctl('dirty_ratio', { '6.12': facts('6.12') }),
    sysctl('admin_reserve_kbytes', { '6.12': facts('6.12') }),
    sysctl('pid_max', { '6.12': facts('6.12') }, null, 'kernel'),
  ]);
  const around = (id: string) => {
    const { previous, next } = catalog.neighbours.get(id)!;
    return [previous?.data.title, next?.data.title];
  };

  it('follow the order the subsystem page lists, the first with no previous and the last with no next', () => {
    expect(catalog.kinds[0]!.subsystems.find((group) => group.subsystem === 'vm')!.tunables.map((e) => e.data.title)).toEqual([
      'vm.admin_reserve_kbytes',
      'vm.dirty_ratio',
      'vm.swappiness',
    ]);
    expect(around('sysctl/vm/admin_reserve_kbytes')).toEqual([undefined, 'vm.dirty_ratio']);
    expect(around('sysctl/vm/dirty_ratio')).toEqual(['vm.admin_reserve_kbytes', 'vm.swappiness']);
    expect(around('sysctl/vm/swappiness')).toEqual(['vm.dirty_ratio', undefined]);
  });

  it('never cross into another subsystem', () => {
    expect(around('sysctl/kernel/pid_max')).toEqual([undefined, undefined]);
  });
});

describe('related tunables', () => {
  it('put tunables documented under one heading first, then those defined nearest in one source file, then siblings by shared name start', () => {
    const pageWriteback = (line: number) => ({ '6.12': facts('6.12', ['mm/page-writeback.c', line]) });
    const related = relatedTunables([
      sysctl('dirty_ratio', pageWriteback(2261), doc('Documentation/admin-guide/sysctl/vm.rst', 213)),
      sysctl('dirty_background_ratio', pageWriteback(2244), doc('Documentation/admin-guide/sysctl/vm.rst', 178)),
      sysctl('dirty_bytes', pageWriteback(2270), doc('Documentation/admin-guide/sysctl/vm.rst', 188)),
      sysctl('laptop_mode', pageWriteback(2304)),
      sysctl('dirtytime_expire_seconds', { '6.12': facts('6.12', ['fs/fs-writeback.c', 2643]) }),
      sysctl('drop_caches', { '6.12': facts('6.12', ['fs/drop_caches.c', 83]) }),
      // One heading of the Documentation names both (same file and line).
      sysctl('ratio_shared', { '6.12': facts('6.12') }, doc('Documentation/admin-guide/sysctl/vm.rst', 213), 'other'),
      // Neither in vm/, nor in the same file or section: unrelated.
      sysctl('tcp_rmem', { '6.12': facts('6.12', ['net/ipv4/sysctl_net_ipv4.c', 600]) }, doc('Documentation/networking/ip-sysctl.rst', 300), 'net/ipv4'),
    ]).get('sysctl/vm/dirty_ratio')!;
    expect(titles(related)).toEqual([
      'other.ratio_shared',
      'vm.dirty_bytes',
      'vm.dirty_background_ratio',
      'vm.laptop_mode',
      'vm.dirtytime_expire_seconds',
      'vm.drop_caches',
    ]);
    expect(related[0]).toMatchObject({ documentedTogether: 'Documentation/admin-guide/sysctl/vm.rst' });
    expect(related[0]!.sameDirectory).toBeUndefined();
    expect(related[1]).toMatchObject({ sameSourceFile: { file: 'mm/page-writeback.c', linesApart: 9 }, sameDirectory: '/proc/sys/vm/' });
    expect(related[4]).toMatchObject({ sameDirectory: '/proc/sys/vm/' });
    expect(related[4]!.sameSourceFile).toBeUndefined();
  });

  it("compare source files on the newest kernel that defines the page's tunable: a table that moved out of kernel/sysctl.c relates by its new file", () => {
    const related = relatedTunables([
      sysctl('a', { '5.10': facts('5.10', ['kernel/sysctl.c', 100]), '6.12': facts('6.12', ['mm/a.c', 10]) }, null, 'x'),
      sysctl('b', { '5.10': facts('5.10', ['kernel/sysctl.c', 110]), '6.12': facts('6.12', ['mm/b.c', 10]) }, null, 'y'),
      sysctl('c', { '5.10': facts('5.10', ['kernel/sysctl.c', 400]), '6.12': facts('6.12', ['mm/a.c', 50]) }, null, 'z'),
      sysctl('d', { '5.10': facts('5.10', ['kernel/sysctl.c', 104]) }, null, 'w'),
    ]);
    const sourceFiles = (id: string) => related.get(id)!.map(({ entry, sameSourceFile }) => [entry.data.title, sameSourceFile]);
    expect(sourceFiles('sysctl/x/a')).toEqual([['z.c', { file: 'mm/a.c', linesApart: 40 }]]);
    // Gone after 5.10: its page compares on 5.10.
    expect(sourceFiles('sysctl/w/d')).toEqual([
      ['x.a', { file: 'kernel/sysctl.c', linesApart: 4 }],
      ['y.b', { file: 'kernel/sysctl.c', linesApart: 6 }],
      ['z.c', { file: 'kernel/sysctl.c', linesApart: 296 }],
    ]);
  });

  it('rank siblings by the start of the name they share, then by nearness in name order', () => {
    const siblings = ['dirty_background_ratio', 'dirty_bytes', 'dirty_expire_centisecs', 'dirty_ratio', 'dirtytime_expire_seconds', 'drop_caches'];
    const related = relatedTunables(siblings.map((name) => sysctl(name, { '6.12': facts('6.12') })));
    expect(titles(related.get('sysctl/vm/dirty_ratio'))).toEqual([
      'vm.dirty_expire_centisecs',
      'vm.dirty_bytes',
      'vm.dirty_background_ratio',
      'vm.dirtytime_expire_seconds',
      'vm.drop_caches',
    ]);
  });

  it('relate boot parameters, which have no directory, only by their documentation', () => {
    const failures = doc('Documentation/admin-guide/kernel-parameters.txt', 1690);
    const related = relatedTunables([boot('fail_page_alloc', failures), boot('fail_make_request', failures), boot('failslab', doc('Documentation/admin-guide/kernel-parameters.txt', 1700)), boot('isolcpus', null)]);
    expect(titles(related.get('boot/f/fail_page_alloc'))).toEqual(['fail_make_request']);
    expect(related.get('boot/i/isolcpus')).toEqual([]);
  });

  it(`list at most ${RELATED_LIMIT}, and the same ones as if every pair had been compared`, () => {
    // Forty siblings whose names share starts of every length; some defined in one of two files, in another order.
    const names = Array.from({ length: 40 }, (_, i) => `${'ab'.slice(0, i % 3)}${String.fromCharCode(97 + (i % 5))}_${i}`);
    const entries = names.map((name, i) => sysctl(name, { '6.12': facts('6.12', i % 4 === 0 ? undefined : [i % 2 ? 'mm/a.c' : 'mm/b.c', (i * 37) % 101]) }));
    const windowed = relatedTunables(entries);
    const exhaustive = relatedTunables(entries, Infinity);
    for (const entry of entries) {
      expect(windowed.get(entry.id)!.length).toBe(RELATED_LIMIT);
      expect([entry.data.title, ...titles(windowed.get(entry.id))!]).toEqual([entry.data.title, ...titles(exhaustive.get(entry.id)!.slice(0, RELATED_LIMIT))!]);
      expect(titles(windowed.get(entry.id))).not.toContain(entry.data.title);
    }
  });
});
