/** Boot and module parameters: the join of walks, module files and kernel-parameters.txt (scripts/generate/parameters.ts). */
import { describe, expect, it } from 'vitest';
import type { KernelModules } from '#core/schemas/modules.ts';
import type { BootParameterEntry, ModuleParamDefault } from '#core/schemas/docs.ts';
import type { KernelFacts, MeasuredTunable } from '#core/schemas/tunable.ts';
import { builtInName, measureParameters } from '../../scripts/generate/parameters.ts';
import { bootEntrySummary } from '../../scripts/generate/upstream.ts';
import { setCommands } from '#core/values.ts';
import { NO_UPSTREAM } from '../../scripts/generate/upstream.ts';

const KERNEL = { release: '7.2.13+deb14-amd64', source: 'qemu' as const };

/** A module parameter's file as the walk measured it (a sysfs tunable before the join). */
function walkedFile(module: string, name: string, mode: string, value: string, loadedBy?: string): [string, MeasuredTunable] {
  const path = `/sys/module/${module}/parameters/${name}`;
  const facts: KernelFacts = { ...KERNEL, mode, writable: (Number.parseInt(mode, 8) & 0o200) !== 0, default: value, defaultKind: 'constant', namespace: null, module: loadedBy ?? null };
  return [
    `sysfs/module/${module}/parameters/${name}`,
    { title: path, kind: 'sysfs', path, subsystem: 'module', placeholders: [], summary: 's', writable: facts.writable, status: 'present', namespace: null, module: loadedBy ?? null, kernels: { '7.2': facts } },
  ];
}

const entry = (names: string[], tags: string[], text: string): BootParameterEntry => ({
  file: 'Documentation/admin-guide/kernel-parameters.txt',
  line: 1,
  names,
  takesValue: names.map(() => true),
  tags,
  markdown: `\`\`\`text\n${text}\n\`\`\``,
});

const modules: KernelModules = {
  schemaVersion: 1,
  series: '7.2',
  release: KERNEL.release,
  modules: [
    { module: 'nvme_core', builtIn: false, params: [{ name: 'io_timeout', type: 'uint', description: 'timeout in seconds for I/O', mode: '0644', access: 'runtime' }] },
    { module: 'zram', builtIn: false, params: [{ name: 'num_devices', type: 'uint', description: 'Number of pre-created zram devices', mode: '0000', access: 'load-time' }] },
    // Built in: named by its object file; only names a walk saw under /sys/module are real.
    { module: 'zswap', builtIn: true, params: [{ name: 'enabled', type: 'bool' }, { name: 'max_pool_percent', type: 'uint' }, { name: 'exclusive_loads', type: 'bool' }] },
    { module: 'tree', builtIn: true, params: [{ name: 'kthread_prio', type: 'int' }, { name: 'jiffies_till_first_fqs', type: 'ulong' }] },
    { module: 'mmiotrace', builtIn: true, params: [{ name: 'nommiotrace', type: 'bool' }] },
  ],
};

const fromC = (modules: string[], name: string, value: string, file: string, line: number): ModuleParamDefault => ({ modules, name, type: 'int', value, file, line });

function run(kernels: ReadonlyMap<string, Pick<KernelFacts, 'release' | 'source'>> = new Map([['7.2', KERNEL]])) {
  const measured = new Map([
    walkedFile('zswap', 'enabled', '0644', 'N'),
    walkedFile('zswap', 'max_pool_percent', '0444', '20'),
    walkedFile('bridge', 'hash_elasticity', '0644', '4', 'bridge'),
    walkedFile('rcutree', 'jiffies_till_first_fqs', '0644', '18446744073709551615'),
    // A parameter without a module prefix: /sys/module/kernel holds it, the command line says `panic=`.
    walkedFile('kernel', 'panic', '0644', '0'),
  ]);
  const docs = [
    {
      series: '7.2',
      upstreamVersion: '7.2.13',
      moduleParamDefaults: [
        // A boot read zswap.enabled: the measured value wins over the initialiser.
        fromC(['zswap'], 'enabled', 'Y', 'mm/zswap.c', 80),
        fromC(['zram'], 'num_devices', '1', 'drivers/block/zram/zram_drv.c', 54),
        // Named by its object, as modinfo names the built-in module: rcutree.kthread_prio.
        fromC(['tree'], 'kthread_prio', '0', 'kernel/rcu/tree.c', 170),
        // Two files of one module give two values: which the kernel has is not known.
        fromC(['nvme_core'], 'io_timeout', '30', 'drivers/nvme/host/core.c', 40),
        fromC(['nvme_core', 'nvme'], 'io_timeout', '60', 'drivers/nvme/host/pci.c', 90),
      ],
      bootParameters: [
        entry(['panic'], ['KNL'], 'panic=          [KNL] Kernel behaviour on panic: delay <timeout>'),
        entry(['isolcpus'], ['KNL', 'SMP', 'ISOL'], 'isolcpus=       [KNL,SMP,ISOL] Isolate a given set of CPUs from disturbance.\n                Format: [flag-list,]<cpu-list>'),
        entry(['zswap.enabled'], ['KNL'], 'zswap.enabled=  [KNL] Enable zswap.'),
        entry(['rcutree.kthread_prio'], ['KNL'], 'rcutree.kthread_prio= [KNL,BOOT] Set the SCHED_FIFO priority of the RCU per-CPU kthreads.'),
        entry(['arm64.nobti'], ['ARM64', 'EARLY'], 'arm64.nobti     [ARM64,EARLY] Unconditionally disable Branch Target Identification support'),
      ],
    },
    // A kernel no walk measured gives nothing.
    { series: '9.9', upstreamVersion: '9.9.1', moduleParamDefaults: [], bootParameters: [entry(['future_param'], ['KNL'], 'future_param=  [KNL] Not measured.')] },
  ];
  return measureParameters({ measured, modules: [modules], docs, kernels });
}

describe('boot and module parameters', () => {
  const { tunables, moved, unconfirmed, fromSource } = run();
  const page = (id: string) => {
    const found = tunables.get(id);
    if (!found) throw new Error(`no page ${id}: ${[...tunables.keys()].join(', ')}`);
    return found;
  };

  it('makes a module parameter page of each walked file, with its measured value, and moves the sysfs page there', () => {
    const enabled = page('module/zswap/enabled');
    expect(enabled).toMatchObject({ title: 'zswap.enabled', kind: 'module', subsystem: 'zswap', path: '/sys/module/zswap/parameters/enabled', writable: true });
    expect(enabled.kernels['7.2']).toMatchObject({ default: 'N', defaultKind: 'constant', mode: '0644', module: null, parameter: { presence: 'built-in', settable: 'runtime', type: 'bool', tags: ['KNL'] } });
    expect(page('module/zswap/max_pool_percent').kernels['7.2']!.parameter!.settable).toBe('read-only');
    expect(moved.get('sysfs/module/zswap/parameters/enabled')).toBe('module/zswap/enabled');
    // A module the boot loaded is credited in the walk: a loadable module, not the image.
    expect(page('module/bridge/hash_elasticity').kernels['7.2']).toMatchObject({ module: 'bridge', parameter: { presence: 'module' } });
  });

  it("takes a loadable module's parameters from its file, without a measured default", () => {
    expect(page('module/nvme_core/io_timeout').kernels['7.2']).toMatchObject({
      mode: '0644',
      writable: true,
      default: null,
      defaultKind: 'unmeasured',
      module: 'nvme_core',
      parameter: { presence: 'module', settable: 'runtime', type: 'uint', description: 'timeout in seconds for I/O' },
    });
    const zram = page('module/zram/num_devices');
    expect(zram.kernels['7.2']).toMatchObject({ mode: null, writable: false, parameter: { settable: 'load-time' } });
    expect(zram.summary).toBe('Number of pre-created zram devices');
  });

  it("gives a parameter no boot read its C initialiser, as a default of its own kind with its place; a measured value wins, and two values give none", () => {
    expect(page('module/zram/num_devices').kernels['7.2']).toMatchObject({
      default: '1',
      defaultKind: 'source',
      defaultSource: { file: 'drivers/block/zram/zram_drv.c', line: 54, kernel: '7.2', version: '7.2.13' },
    });
    expect(page('module/rcutree/kthread_prio').kernels['7.2']).toMatchObject({ default: '0', defaultKind: 'source', defaultSource: { file: 'kernel/rcu/tree.c' } });
    const enabled = page('module/zswap/enabled').kernels['7.2']!;
    expect(enabled).toMatchObject({ default: 'N', defaultKind: 'constant' });
    expect(enabled.defaultSource).toBeUndefined();
    expect(page('module/nvme_core/io_timeout').kernels['7.2']).toMatchObject({ default: null, defaultKind: 'unmeasured' });
    expect(fromSource).toEqual([{ kernel: '7.2', joined: 2, ambiguous: 1 }]);
  });

  it('names built-in parameters as the walks or the docs show them, never by a guess, and tells one without a file as load-time once walks read read-only files', () => {
    // kernel/rcu/tree.o: its parameters are rcutree.*, as the walk and kernel-parameters.txt show.
    expect([...tunables.keys()].filter((id) => id.includes('tree/'))).toEqual(['module/rcutree/jiffies_till_first_fqs', 'module/rcutree/kthread_prio']);
    expect(page('module/rcutree/kthread_prio').kernels['7.2']).toMatchObject({ parameter: { presence: 'built-in', settable: 'load-time', type: 'int', tags: ['KNL'] } });
    expect(unconfirmed).toEqual(['7.2: mmiotrace (1)']);
    // The walk read zswap's read-only max_pool_percent, so a missing exclusive_loads has no file.
    expect(page('module/zswap/exclusive_loads').kernels['7.2']).toMatchObject({ defaultKind: 'unmeasured', parameter: { presence: 'built-in', settable: 'load-time' } });
  });

  it('makes a file under /sys/module/kernel the face of the boot parameter of its name', () => {
    expect([...tunables.keys()].some((id) => id.startsWith('module/kernel/'))).toBe(false);
    const panic = page('boot/p/panic');
    expect(panic).toMatchObject({ title: 'panic', kind: 'boot', path: '/sys/module/kernel/parameters/panic', writable: true });
    expect(panic.kernels['7.2']).toMatchObject({ default: '0', mode: '0644', parameter: { presence: 'built-in', settable: 'runtime', tags: ['KNL'] } });
    expect(moved.get('sysfs/module/kernel/parameters/panic')).toBe('boot/p/panic');
    expect(setCommands({ ...panic, upstream: NO_UPSTREAM })).toEqual({ kind: 'boot', shell: 'echo 0 > /sys/module/kernel/parameters/panic', cmdline: 'panic=0' });
  });

  it('makes every other documented name a boot parameter, grouped by its first letter', () => {
    expect(page('boot/i/isolcpus')).toMatchObject({ title: 'isolcpus', kind: 'boot', path: null, subsystem: 'i', writable: false });
    expect(page('boot/i/isolcpus').kernels['7.2']).toMatchObject({ mode: null, defaultKind: 'unmeasured', parameter: { presence: 'documented', settable: 'boot', tags: ['KNL', 'SMP', 'ISOL'] } });
    // Tagged ARM64 only: no parameter of an amd64 kernel.
    expect(tunables.has('boot/a/arm64.nobti')).toBe(false);
    expect([...tunables.keys()].some((id) => id.includes('future_param'))).toBe(false);
  });

  it("gives each architecture's kernel of a series the entries of its architecture, from the series' one kernel-parameters.txt", () => {
    const both = run(new Map([['7.2', KERNEL], ['7.2-arm64', { release: '7.2.13+deb14-arm64', source: 'qemu' as const }]])).tunables;
    // Dotted, but no module has it: an early parameter of the architecture code, arm64's only.
    expect(both.get('boot/a/arm64.nobti')?.kind).toBe('boot');
    expect(Object.keys(both.get('boot/a/arm64.nobti')!.kernels)).toEqual(['7.2-arm64']);
    expect(Object.keys(both.get('boot/i/isolcpus')!.kernels)).toEqual(['7.2', '7.2-arm64']);
    expect(both.get('boot/i/isolcpus')!.kernels['7.2-arm64']).toMatchObject({ release: '7.2.13+deb14-arm64', parameter: { presence: 'documented' } });
  });

  it('gives a module parameter its three faces, and the file only where it is writable', () => {
    const withUpstream = (id: string) => ({ ...page(id), upstream: NO_UPSTREAM });
    expect(setCommands(withUpstream('module/zswap/enabled'))).toEqual({
      kind: 'module',
      shell: 'echo N > /sys/module/zswap/parameters/enabled',
      confFile: '/etc/modprobe.d/zswap.conf',
      confLine: 'options zswap enabled=N',
      cmdline: 'zswap.enabled=N',
    });
    expect(setCommands(withUpstream('module/zram/num_devices'))).not.toHaveProperty('shell');
    expect(setCommands(withUpstream('boot/i/isolcpus'))).toBeUndefined();
  });
});

describe('module files of another kernel', () => {
  it('are left out and named: one kernel per series', () => {
    const other = { ...modules, release: '7.2.99+deb14-amd64' };
    const { tunables, mismatched } = measureParameters({ measured: new Map(), modules: [other], docs: [], kernels: new Map([['7.2', KERNEL]]) });
    expect(mismatched).toEqual(['7.2: 7.2.99+deb14-amd64, walked 7.2.13+deb14-amd64']);
    expect(tunables.size).toBe(0);
  });
});

describe("a built-in module's name", () => {
  const shown = (entries: Record<string, string[]>) => new Map(Object.entries(entries).map(([name, params]) => [name, new Set(params)]));
  it('is its own where shown with one of its parameters, else the one other name showing two of them', () => {
    expect(builtInName('zswap', ['enabled', 'zpool'], [shown({ zswap: ['enabled'] })])).toBe('zswap');
    expect(builtInName('update', ['rcu_expedited', 'rcu_normal', 'x'], [shown({ rcupdate: ['rcu_expedited', 'rcu_normal'] })])).toBe('rcupdate');
    // One shared name is not enough, two owners are ambiguous unless one holds the object's name.
    expect(builtInName('update', ['rcu_expedited', 'x'], [shown({ rcupdate: ['rcu_expedited'] })])).toBeUndefined();
    const damon = shown({ damon_reclaim: ['enabled', 'quota_ms'], damon_lru_sort: ['enabled', 'quota_ms'] });
    expect(builtInName('reclaim', ['enabled', 'quota_ms'], [damon])).toBe('damon_reclaim');
    expect(builtInName('stat', ['enabled', 'quota_ms'], [damon])).toBeUndefined();
  });
});

describe('the summary of a kernel-parameters.txt entry', () => {
  it('is the first sentence after the names and tags, without Format lines and their continuations', () => {
    expect(bootEntrySummary(entry(['isolcpus'], [], 'isolcpus=       [KNL,SMP,ISOL] Isolate a given set of CPUs from disturbance.\n                Format: [flag-list,]<cpu-list>'))).toBe(
      'Isolate a given set of CPUs from disturbance.',
    );
    const acpi = 'acpi=           [HW,ACPI,X86,ARM64,RISCV64,EARLY]\n                Advanced Configuration and Power Interface\n                Format: { force | on | off | strict | noirq | rsdt |\n                          copy_dsdt | nospcr }\n                force -- enable ACPI if default was off';
    expect(bootEntrySummary(entry(['acpi'], [], acpi))).toBe('Advanced Configuration and Power Interface');
  });

  it('stops at a list of values, reads names on lines of their own, and does not end a sentence at "i.e."', () => {
    const panic = 'panic=          [KNL] Kernel behaviour on panic: delay <timeout>\n                timeout > 0: seconds before rebooting\n                timeout = 0: wait forever';
    expect(bootEntrySummary(entry(['panic'], [], panic))).toBe('Kernel behaviour on panic: delay <timeout>');
    const sunrpc = 'sunrpc.min_resvport=\nsunrpc.max_resvport=\n                [NFS,SUNRPC]\n                SunRPC servers often require that client requests originate\n                from a privileged port (i.e. a port in the range 0 < portnr < 1024).\n                An administrator can change this.';
    expect(bootEntrySummary(entry(['sunrpc.min_resvport', 'sunrpc.max_resvport'], [], sunrpc))).toBe(
      'SunRPC servers often require that client requests originate from a privileged port (i.e. a port in the range 0 < portnr < 1024).',
    );
    expect(bootEntrySummary(entry(['nosmt'], [], 'nosmt           [KNL,MIPS,PPC,EARLY]'))).toBeUndefined();
  });
});
