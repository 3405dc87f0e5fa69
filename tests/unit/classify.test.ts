/** Defaults across boots of reference kernels: constant, machine, volatile, unreadable. */
import { describe, expect, it } from 'vitest';
import { checkSeriesConsistency, measuredKernelsOf, measureTunables, scalingFactors } from '../../scripts/generate/measure.ts';
import { SNAPSHOT_SCHEMA_VERSION, type Snapshot, type SnapshotEntry } from '#core/schemas/snapshot.ts';

const GiB = 1024 * 1024;

function boot(release: string, cpus: number, memoryKiB: number, run: number, entries: SnapshotEntry[]): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    source: 'qemu',
    run,
    kernel: { release, series: release.split('.').slice(0, 2).join('.') },
    machine: { arch: 'x86_64', cpus, memoryKiB },
    entries,
    skipped: [],
    links: {},
  };
}

const sysctl = (name: string, value: string | undefined, extra: Partial<SnapshotEntry> = {}): SnapshotEntry => ({
  path: `/proc/sys/${name.replaceAll('.', '/')}`,
  kind: 'sysctl',
  mode: '0644',
  ...(value === undefined ? { error: 'EACCES' } : { value: `${value}\n` }),
  ...extra,
});

/** Three boots of 6.1 as the refresh makes them: small shape twice, big shape once. */
function bootsOf61(values: Record<string, [string | undefined, string | undefined, string | undefined]>, extra: Record<string, Partial<SnapshotEntry>> = {}) {
  const at = (i: number) => Object.entries(values).map(([name, v]) => sysctl(name, v[i], extra[name]));
  return [boot('6.1.0-9-amd64', 1, GiB, 1, at(0)), boot('6.1.0-9-amd64', 1, GiB, 2, at(1)), boot('6.1.0-9-amd64', 4, 4 * GiB, 1, at(2))];
}

describe('classifying defaults across boots', () => {
  const tunables = measureTunables(
    bootsOf61(
      {
        'vm.swappiness': ['60', '60', '60'],
        'fs.file-max': ['9223372036854775807', '9223372036854775807', '9223372036854775807'],
        'kernel.threads-max': ['7663', '7663', '31862'],
        'kernel.random.boot_id': ['aaaa', 'bbbb', 'cccc'],
        'kernel.ns_last_pid': ['12', '12', '12'],
        'vm.drop_caches': [undefined, undefined, undefined],
        'net.ipv4.tcp_fin_timeout': ['60', '60', '60'],
        'net.netfilter.nf_conntrack_max': ['8192', '8192', '65536'],
      },
      {
        'kernel.ns_last_pid': { changed: true },
        'net.ipv4.tcp_fin_timeout': { namespace: 'net' },
        'net.netfilter.nf_conntrack_max': { namespace: 'net', module: 'nf_conntrack' },
      },
    ),
  );
  const facts = (name: string) => tunables.get(`sysctl/${name.replaceAll('.', '/')}`)!;

  it('a value every boot reads alike is the constant default', () => {
    expect(facts('vm.swappiness').kernels['6.1']).toMatchObject({ default: '60', defaultKind: 'constant' });
  });

  it('a value that differs between machine shapes scales with the machine, with each shape shown', () => {
    const threads = facts('kernel.threads-max').kernels['6.1']!;
    expect(threads).toMatchObject({ default: null, defaultKind: 'machine' });
    expect(threads.shapes).toEqual([
      { cpus: 1, memoryKiB: GiB, value: '7663' },
      { cpus: 4, memoryKiB: 4 * GiB, value: '31862' },
    ]);
    // 1 CPU, 1 GiB against 4 CPUs, 4 GiB cannot tell CPUs from memory.
    expect(threads.scalesWith).toEqual([]);
    expect(facts('kernel.threads-max').summary).toMatch(/default differs between machine shapes/);
  });

  it('a value that differs between two boots of one shape, or between two reads, is runtime state', () => {
    expect(facts('kernel.random.boot_id').kernels['6.1']).toMatchObject({ default: null, defaultKind: 'volatile' });
    expect(facts('kernel.ns_last_pid').kernels['6.1']).toMatchObject({ default: null, defaultKind: 'volatile' });
  });

  it('a value no boot could read is unreadable, with the errno', () => {
    expect(facts('vm.drop_caches').kernels['6.1']).toMatchObject({ default: null, defaultKind: 'unreadable', error: 'EACCES' });
  });

  it('namespace scope and providing module travel to the page', () => {
    expect(facts('net.ipv4.tcp_fin_timeout')).toMatchObject({ namespace: 'net', module: null });
    expect(facts('net.netfilter.nf_conntrack_max')).toMatchObject({ namespace: 'net', module: 'nf_conntrack' });
    expect(facts('vm.swappiness')).toMatchObject({ namespace: null, module: null });
  });

  it("names the instances of a pattern whose scope is not the pattern's", () => {
    const neigh = measureTunables(
      bootsOf61(
        { 'net.ipv4.neigh.default.retrans_time': ['100', '100', '100'], 'net.ipv4.neigh.lo.retrans_time': ['100', '100', '100'] },
        { 'net.ipv4.neigh.lo.retrans_time': { namespace: 'net' } },
      ),
    );
    const [pattern] = [...neigh.values()];
    expect(neigh.size).toBe(1);
    expect(pattern!.kernels['6.1']).toMatchObject({ namespace: 'net', instanceNamespaces: { default: null } });
    expect(facts('net.ipv4.tcp_fin_timeout').kernels['6.1']!.instanceNamespaces).toBeUndefined();
  });

  it("takes a pattern's instance scopes from run 1, the full walk, even where run 2 had a few KiB less memory", () => {
    const neigh = (namespace?: 'net') => ['default', 'lo'].map((name) => sysctl(`net.ipv4.neigh.${name}.retrans_time`, '100', name === 'lo' && namespace ? { namespace } : {}));
    // Run 2 is a values walk: it tests no namespaces.
    const [pattern] = measureTunables([boot('6.1.0-9-amd64', 1, GiB, 1, neigh('net')), boot('6.1.0-9-amd64', 1, GiB - 4, 2, neigh())]).values();
    expect(pattern!.kernels['6.1']!.namespace).toBe('net');
    expect(pattern!.kernels['6.1']!.instanceNamespaces).toEqual({ default: null });
  });

  it('keeps each kernel series apart, newest last', () => {
    const both = measureTunables([...bootsOf61({ 'vm.swappiness': ['60', '60', '60'] }), boot('7.2.0-1-amd64', 1, GiB, 1, [sysctl('vm.swappiness', '60'), sysctl('vm.new_knob', '1')])]);
    expect(Object.keys(both.get('sysctl/vm/swappiness')!.kernels)).toEqual(['6.1', '7.2']);
    expect(Object.keys(both.get('sysctl/vm/new_knob')!.kernels)).toEqual(['7.2']);
  });

  it('refuses to mix a live host with a reference kernel of the same series', () => {
    const reference = boot('6.1.0-9-amd64', 1, GiB, 1, []);
    const live = { ...boot('6.1.0-9-amd64', 2, 8 * GiB, 1, []), source: 'live' as const };
    expect(() => checkSeriesConsistency([{ file: 'a.json', snapshot: reference }, { file: 'b.json', snapshot: live }])).toThrow(/a\.json.*b\.json.*6\.1/);
    expect(() => checkSeriesConsistency([{ file: 'a.json', snapshot: reference }, { file: 'c.json', snapshot: { ...reference, run: 2 } }])).not.toThrow();
  });
});

describe('boots of one machine shape', () => {
  // Two boots of one shape report MemTotal a few KiB apart (measured: 986,328 and 986,332 KiB for 1 GiB).
  const tunables = measureTunables([
    boot('6.1.0-9-amd64', 1, 986_328, 1, [sysctl('kernel.random.boot_id', 'aaaa'), sysctl('kernel.threads-max', '7663')]),
    boot('6.1.0-9-amd64', 1, 986_332, 2, [sysctl('kernel.random.boot_id', 'bbbb'), sysctl('kernel.threads-max', '7663')]),
    boot('6.1.0-9-amd64', 4, 4_011_200, 1, [sysctl('kernel.random.boot_id', 'cccc'), sysctl('kernel.threads-max', '31862')]),
  ]);
  const facts = (name: string) => tunables.get(`sysctl/${name.replaceAll('.', '/')}`)!.kernels['6.1']!;

  it('are one shape though their memory differs by a few KiB: a value that differs between them is runtime state', () => {
    expect(facts('kernel.random.boot_id')).toMatchObject({ defaultKind: 'volatile', default: null });
  });

  it('are listed once among the shapes of a machine-scaled value', () => {
    expect(facts('kernel.threads-max')).toMatchObject({ defaultKind: 'machine' });
    expect(facts('kernel.threads-max').shapes).toEqual([
      { cpus: 1, memoryKiB: 986_328, value: '7663' },
      { cpus: 4, memoryKiB: 4_011_200, value: '31862' },
    ]);
  });
});

describe('what a machine-scaled value follows', () => {
  const shape = (cpus: number, memoryKiB: number, value: string) => ({ cpus, memoryKiB, value });
  // MemTotal as the 6.1 reference kernel reports it for 1 GiB and 4 GiB machines.
  const [small, big, bigWith4] = [983744, 4016132, 4008652];

  it('credits memory when shapes of equal CPUs differ only in memory', () => {
    // fs.file-max: the 4-CPU shape reads a little less than the 1-CPU one of equal memory.
    expect(scalingFactors([shape(1, small, '95750'), shape(1, big, '398900'), shape(4, bigWith4, '398077')])).toEqual(['memory']);
  });

  it('credits the CPUs when shapes of equal memory differ far apart', () => {
    expect(scalingFactors([shape(1, small, '0'), shape(1, big, '0'), shape(4, bigWith4, '0-3')])).toEqual(['cpus']);
    expect(scalingFactors([shape(1, small, '128 4'), shape(1, big, '128 4'), shape(4, bigWith4, '512 16')])).toEqual(['cpus']);
  });

  it('credits both when each pair shows a change, and neither when no pair isolates one', () => {
    expect(scalingFactors([shape(1, small, '7663'), shape(1, big, '31400'), shape(4, bigWith4, '125000')])).toEqual(['cpus', 'memory']);
    expect(scalingFactors([shape(1, small, '7663'), shape(4, bigWith4, '31862')])).toEqual([]);
  });

  it('credits nothing for the few percent a runtime counter moves between shapes', () => {
    // fs.dentry-state on 7.2: the same in every boot of a shape, a little higher on bigger ones.
    expect(scalingFactors([shape(1, small, '15153 14347 45 0 2 0'), shape(1, big, '15695 14886 45 0 2 0'), shape(4, bigWith4, '16295 15441 45 0 2 0')])).toEqual([]);
  });

  it('says so on the page summary', () => {
    const boots = [1, 2].map((run) => boot('6.1.0-9-amd64', 1, small, run, [sysctl('fs.file-max', '95750')]));
    const tunables = measureTunables([...boots, boot('6.1.0-9-amd64', 1, big, 1, [sysctl('fs.file-max', '398900')]), boot('6.1.0-9-amd64', 4, bigWith4, 1, [sysctl('fs.file-max', '398077')])]);
    expect(tunables.get('sysctl/fs/file-max')!.summary).toMatch(/default scales with memory on 6\.1\.0-9-amd64/);
  });
});

describe('a default that follows possible CPUs', () => {
  // kernel.pid_max and fs.file-max on the five default shapes: 1/64x4096 has 64 possible CPUs, one online.
  const release = '6.1.0-9-amd64';
  const withPossible = (snapshot: Snapshot, possibleCpus: number): Snapshot => ({ ...snapshot, machine: { ...snapshot.machine, possibleCpus } });
  const bootsOf = (pidMax: string[], fileMax: string[]) => {
    const at = (i: number) => [sysctl('kernel.pid_max', pidMax[i]), sysctl('fs.file-max', fileMax[i])];
    return [
      boot(release, 1, 986_332, 1, at(0)),
      boot(release, 1, 986_401, 2, at(0)),
      boot(release, 1, 4_011_984, 1, at(1)),
      boot(release, 4, 4_011_212, 1, at(2)),
      // Only this one says its possible CPUs; the others are read as snapshots from before
      // they were recorded: as many possible as online.
      withPossible(boot(release, 1, 4_003_100, 1, at(3)), 64),
      boot(release, 1, 16_379_836, 1, at(4)),
    ];
  };
  const tunables = measureTunables(bootsOf(['32768', '32768', '32768', '65536', '32768'], ['95362', '397923', '397636', '396500', '1634650']));
  const facts = (name: string) => tunables.get(`sysctl/${name.replaceAll('.', '/')}`)!.kernels['6.1']!;

  it('is machine-scaled, lists the possible CPUs of that shape, and states its rule on the page', () => {
    expect(facts('kernel.pid_max')).toMatchObject({ defaultKind: 'machine', rule: { per: 'possible-cpu', factor: 1024, min: 32768 } });
    expect(facts('kernel.pid_max').shapes!.map(({ cpus, possibleCpus, value }) => [cpus, possibleCpus, value])).toEqual([
      [1, undefined, '32768'],
      [1, undefined, '32768'],
      [1, undefined, '32768'],
      [1, 64, '65536'],
      [4, undefined, '32768'],
    ]);
    expect(tunables.get('sysctl/kernel/pid_max')!.summary).toMatch(/default 1024 per possible CPU, at least 32768 on 6\.1\.0-9-amd64/);
  });

  it('is credited to CPUs by the pair that differs in possible CPUs alone, and memory by the pairs that differ in memory alone', () => {
    expect(facts('kernel.pid_max').scalesWith).toEqual(['cpus']);
    expect(facts('fs.file-max')).toMatchObject({ defaultKind: 'machine', scalesWith: ['memory'] });
    expect(facts('fs.file-max').rule).toBeUndefined();
  });

  it('keeps a constant that the shapes of few CPUs alone would also call constant', () => {
    const constant = measureTunables(bootsOf(['32768', '32768', '32768', '32768', '32768'], ['1', '1', '1', '1', '1']));
    expect(constant.get('sysctl/kernel/pid_max')!.kernels['6.1']).toMatchObject({ defaultKind: 'constant', default: '32768' });
  });
});

describe('generic device-model attributes', () => {
  const attribute = (path: string, value: string): SnapshotEntry => ({ path, kind: 'sysfs', mode: '0644', value: `${value}\n` });
  const tunables = measureTunables([
    boot('6.1.0-9-amd64', 1, GiB, 1, [
      attribute('/sys/bus/pci/devices/0000:00:01.0/power/control', 'on'),
      attribute('/sys/class/tty/ttyS0/power/control', 'auto'),
      attribute('/sys/bus/pci/drivers_autoprobe', '1'),
      attribute('/sys/bus/platform/drivers_autoprobe', '1'),
      attribute('/sys/power/state', 'freeze mem'),
    ]),
  ]);

  it('folds every copy into one page that lists where it appears and what it reads there', () => {
    expect([...tunables.keys()].sort()).toEqual(['sysfs/bus/_bus_/drivers_autoprobe', 'sysfs/devices/_device_/power/control', 'sysfs/power/state']);
    const control = tunables.get('sysfs/devices/_device_/power/control')!;
    expect(control).toMatchObject({ path: '/sys/devices/<device>/power/control', subsystem: 'driver-model', placeholders: ['device'] });
    expect(control.kernels['6.1']).toMatchObject({
      default: null,
      defaultKind: 'varies',
      appearances: [
        { path: '/sys/bus/pci/devices/<pci-device>/power/control', value: 'on' },
        { path: '/sys/class/tty/<tty>/power/control', value: 'auto' },
      ],
    });
  });

  it('gives the default when every place reads the same, and leaves /sys/power alone', () => {
    expect(tunables.get('sysfs/bus/_bus_/drivers_autoprobe')!.kernels['6.1']).toMatchObject({ default: '1', defaultKind: 'constant' });
    expect(tunables.get('sysfs/power/state')!.subsystem).toBe('power');
  });
});

describe('each kernel as a whole (content/kernels.json)', () => {
  const withCpu = (snapshot: Snapshot, cpuModel: string): Snapshot => ({ ...snapshot, machine: { ...snapshot.machine, cpuModel } });

  it('records the CPU its boots emulated and each machine shape once, with its boots, fewest CPUs first', () => {
    const boots = [boot('6.1.0-9-amd64', 4, 4_011_200, 1, []), boot('6.1.0-9-amd64', 1, 986_332, 2, []), boot('6.1.0-9-amd64', 1, 986_328, 1, [])].map((one) => withCpu(one, 'qemu64'));
    const arm64: Snapshot = { ...boot('6.1.0-9-arm64', 1, GiB, 1, []), machine: { arch: 'aarch64', cpuModel: 'max,pauth-impdef=on', cpus: 1, possibleCpus: 64, memoryKiB: GiB } };
    expect(measuredKernelsOf([...boots, arm64])).toEqual({
      '6.1': { release: '6.1.0-9-amd64', source: 'qemu', cpuModel: 'qemu64', shapes: [{ cpus: 1, memoryKiB: 986_328, boots: 2 }, { cpus: 4, memoryKiB: 4_011_200, boots: 1 }] },
      '6.1-arm64': { release: '6.1.0-9-arm64', source: 'qemu', cpuModel: 'max,pauth-impdef=on', shapes: [{ cpus: 1, possibleCpus: 64, memoryKiB: GiB, boots: 1 }] },
    });
  });

  it('leaves the CPU out where the snapshots name none (a live host), and refuses boots of one kernel on two CPUs', () => {
    expect(measuredKernelsOf([boot('6.1.0-9-amd64', 1, GiB, 1, [])])['6.1']).not.toHaveProperty('cpuModel');
    const mixed = [withCpu(boot('6.1.0-9-amd64', 1, GiB, 1, []), 'qemu64'), withCpu(boot('6.1.0-9-amd64', 4, 4 * GiB, 1, []), 'max')];
    expect(() => measuredKernelsOf(mixed)).toThrow('the boots of kernel 6.1 emulated different CPUs (qemu64, max)');
  });
});
