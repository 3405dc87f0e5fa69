/** modprobe.d and command-line settings: read (parameters-parse.ts) and checked (parameters.ts) against fixture data. */
import { describe, expect, it } from 'vitest';
import type { CheckData } from '#core/schemas/check.ts';
import { lintParameters, packKernels, parameterCatalog, typeProblem, unpackKernels } from '#core/sysctl-check/parameters.ts';
import { formatOf, parseCmdline, parseModprobe } from '#core/sysctl-check/parameters-parse.ts';

type Tunable = CheckData['tunables'][number];
type Facts = Tunable['kernels'][string];

const facts = (parameter: NonNullable<Facts['parameter']>, more: Partial<Facts> = {}): Facts => ({
  default: null,
  defaultKind: 'unmeasured',
  mode: null,
  namespace: null,
  module: null,
  parameter,
  ...more,
});

const parameter = (name: string, kind: 'boot' | 'module', kernels: Record<string, Facts>, path: string | null = null): Tunable => ({
  name,
  kind,
  path,
  url: `/${kind}/${name}/`,
  type: null,
  range: null,
  kernels,
});

const DATA: CheckData = {
  kernels: [
    { id: '6.12', series: '6.12', arch: 'amd64', release: '6.12.1-amd64', source: 'qemu' },
    { id: '7.2', series: '7.2', arch: 'amd64', release: '7.2.1-amd64', source: 'qemu' },
  ],
  tunables: [
    parameter('nvme_core.io_timeout', 'module', {
      '7.2': facts({ presence: 'module', settable: 'runtime', type: 'uint', description: 'timeout', tags: [] }, { mode: '0644', module: 'nvme_core' }),
    }, '/sys/module/nvme_core/parameters/io_timeout'),
    parameter('zswap.enabled', 'module', {
      '7.2': facts({ presence: 'built-in', settable: 'runtime', type: 'bool', description: null, tags: [] }, { default: 'N', defaultKind: 'constant', mode: '0644' }),
    }, '/sys/module/zswap/parameters/enabled'),
    parameter('zram.num_devices', 'module', { '7.2': facts({ presence: 'module', settable: 'load-time', type: 'uint', description: null, tags: [] }) }),
    parameter('snd_hda_intel.power_save', 'module', { '6.12': facts({ presence: 'module', settable: 'runtime', type: 'xint', description: null, tags: [] }) }),
    parameter('isolcpus', 'boot', { '7.2': facts({ presence: 'documented', settable: 'boot', type: null, description: null, tags: ['KNL'] }) }),
    parameter('arm64.nobti', 'boot', { '7.2': facts({ presence: 'documented', settable: 'boot', type: null, description: null, tags: ['ARM64'] }) }),
    { name: 'vm.swappiness', kind: 'sysctl', path: '/proc/sys/vm/swappiness', url: '/sysctl/vm/swappiness/', type: 'integer', range: null, kernels: {} },
  ],
};
const catalog = parameterCatalog(DATA);

describe('reading modprobe.d', () => {
  it('reads options (quoted values, several per line, continued lines), blacklist, install and softdep, and names a line it cannot read', () => {
    const text = '# comment\noptions nvme-core io_timeout=30 name="a b"\noptions zram \\\n  num_devices=4\nblacklist pcspkr\ninstall floppy /bin/false\nsoftdep nvme pre: nvme_core\noptions\nfrobnicate x\n';
    const { settings, commands, problems } = parseModprobe({ name: 'local.conf', text });
    expect(settings.map(({ line, module, name, value }) => [line, module, name, value])).toEqual([
      [2, 'nvme_core', 'io_timeout', '30'],
      [2, 'nvme_core', 'name', 'a b'],
      [3, 'zram', 'num_devices', '4'],
    ]);
    expect(commands.map(({ line, command, module }) => [line, command, module])).toEqual([
      [5, 'blacklist', 'pcspkr'],
      [6, 'install', 'floppy'],
      [7, 'softdep', 'nvme'],
    ]);
    expect(problems).toEqual([
      { file: 'local.conf', line: 8, message: expect.stringContaining('options needs a module name') },
      { file: 'local.conf', line: 9, message: expect.stringContaining('"frobnicate" is not a modprobe.d command') },
    ]);
  });
});

describe('reading a command line', () => {
  it('reads /proc/cmdline: module.param, quoted values, flags; not BOOT_IMAGE, not what follows --', () => {
    const { settings } = parseCmdline({ name: '/proc/cmdline', text: 'BOOT_IMAGE=/vmlinuz root=UUID=1 ro quiet nvme-core.io_timeout=30 dyndbg="file x.c +p" -- single\n' });
    expect(settings.map(({ module, name, value }) => [module, name, value])).toEqual([
      [undefined, 'root', 'UUID=1'],
      [undefined, 'ro', undefined],
      [undefined, 'quiet', undefined],
      ['nvme_core', 'io_timeout', '30'],
      [undefined, 'dyndbg', 'file x.c +p'],
    ]);
  });

  it("reads /etc/default/grub's two variables, with their lines, and nothing else of it", () => {
    const text = 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet splash"\n# GRUB_CMDLINE_LINUX="commented"\nGRUB_CMDLINE_LINUX=\'isolcpus=2-3\'\nGRUB_TIMEOUT=5\n';
    expect(formatOf({ name: '/etc/default/grub', text })).toBe('cmdline');
    const { settings } = parseCmdline({ name: 'grub', text });
    expect(settings.map(({ line, written }) => [line, written])).toEqual([
      [2, 'quiet'],
      [2, 'splash'],
      [4, 'isolcpus=2-3'],
    ]);
  });

  it("hands the sysctl. words to the sysctl checker, at their line, as sysctl.conf lines", () => {
    const { settings, sysctls } = parseCmdline({ name: 'grub', text: 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX="quiet sysctl.vm.swappiness=10 sysctl.kernel/panic=5"\n' });
    expect(settings.map(({ written }) => written)).toEqual(['quiet']);
    expect(sysctls).toEqual([
      { name: 'grub', text: '\nvm.swappiness = 10' },
      { name: 'grub', text: '\nkernel/panic = 5' },
    ]);
  });

  it('tells formats by place: modprobe.d/, modprobe.conf, cmdline, else sysctl', () => {
    expect(formatOf({ name: '/etc/modprobe.d/local.conf', text: '' })).toBe('modprobe');
    expect(formatOf({ name: '/etc/modprobe.conf', text: '' })).toBe('modprobe');
    expect(formatOf({ name: '/proc/cmdline', text: 'quiet' })).toBe('cmdline');
    expect(formatOf({ name: '/etc/sysctl.d/99.conf', text: 'vm.swappiness = 10' })).toBe('sysctl');
  });
});

describe('checking parameter settings', () => {
  const lint = (format: 'modprobe' | 'cmdline', text: string, series = '7.2') =>
    lintParameters([format === 'modprobe' ? parseModprobe({ name: 'f', text }) : parseCmdline({ name: 'f', text })], catalog, series).map(({ line, kind, message }) => ({ line, kind, message }));

  it('says a modprobe option of a built-in module never applies, and what to write instead', () => {
    expect(lint('modprobe', 'options zswap enabled=1')).toContainEqual({ line: 1, kind: 'built-in', message: expect.stringContaining('put zswap.enabled=1 on the kernel command line') });
    expect(lint('cmdline', 'zswap.enabled=1').map(({ kind }) => kind)).not.toContain('built-in');
  });

  it('names unknown parameters with the closest names, and a kernel that lacks one', () => {
    expect(lint('modprobe', 'options nvme_core io_timout=30')).toEqual([{ line: 1, kind: 'unknown-key', message: expect.stringContaining('did you mean nvme_core.io_timeout?') }]);
    expect(lint('cmdline', 'isolcpu=1')).toEqual([{ line: 1, kind: 'unknown-key', message: expect.stringContaining('did you mean isolcpus?') }]);
    expect(lint('cmdline', 'splash')).toEqual([{ line: 1, kind: 'for-init', message: expect.stringContaining('hands it to init') }]);
    expect(lint('modprobe', 'options snd_hda_intel power_save=1')).toEqual([{ line: 1, kind: 'not-on-kernel', message: expect.stringContaining('not on 7.2') }]);
    // A boot parameter is no module option, and a dotted boot parameter is found as written.
    expect(lint('modprobe', 'options isolcpus x=1')[0]!.kind).toBe('unknown-key');
    expect(lint('cmdline', 'arm64.nobti')).toEqual([]);
  });

  it('refuses values the type refuses, and compares the rest with the default as the kernel reads it', () => {
    expect(lint('cmdline', 'nvme_core.io_timeout=-1')[0]).toMatchObject({ kind: 'out-of-range', message: expect.stringContaining("outside uint's range") });
    expect(lint('modprobe', 'options zram num_devices=four')).toEqual([{ line: 1, kind: 'out-of-range', message: expect.stringContaining('"four" is not a number') }]);
    expect(lint('cmdline', 'zswap.enabled=n').map(({ kind }) => kind)).toEqual(['same-as-default', 'runtime-settable']);
    expect(lint('cmdline', 'zswap.enabled=on').map(({ kind }) => kind)).toEqual(['differs-from-default', 'runtime-settable']);
  });

  it('notes what could be set at runtime instead, and options of a blacklisted module', () => {
    expect(lint('modprobe', 'options nvme_core io_timeout=30')).toEqual([{ line: 1, kind: 'runtime-settable', message: expect.stringContaining('echo 30 > /sys/module/nvme_core/parameters/io_timeout') }]);
    expect(lint('modprobe', 'options zram num_devices=4')).toEqual([]);
    const both = lintParameters([parseModprobe({ name: 'a.conf', text: 'options zram num_devices=4' }), parseModprobe({ name: 'b.conf', text: 'blacklist zram' })], catalog, '7.2');
    expect(both).toEqual([expect.objectContaining({ file: 'a.conf', kind: 'blacklisted', message: expect.stringContaining('blacklisted at b.conf:1') })]);
  });

  it('reads types as the kernel does', () => {
    expect(typeProblem('0x10', 'int')).toBeUndefined();
    expect(typeProblem('256', 'byte')).toMatch(/outside byte's range/);
    expect(typeProblem('1,2,x', 'array of int')).toMatch(/"x" is not a number/);
    expect(typeProblem(undefined, 'bool')).toBeUndefined();
    expect(typeProblem(undefined, 'charp')).toMatch(/no value/);
    expect(typeProblem('maybe', 'bool')).toMatch(/not a boolean/);
    expect(typeProblem('anything at all', 'charp')).toBeUndefined();
  });
});

describe("check/parameters.js's packing", () => {
  it('joins kernels of equal facts under one key and unpacks them as they were', () => {
    const same = facts({ presence: 'module', settable: 'runtime', type: 'uint', description: null, tags: [] });
    const kernels = { '5.10': same, '6.1': same, '7.2': facts({ presence: 'built-in', settable: 'runtime', type: 'uint', description: null, tags: [] }) };
    const packed = packKernels(kernels);
    expect(Object.keys(packed)).toEqual(['5.10 6.1', '7.2']);
    expect(unpackKernels(packed)).toEqual(kernels);
  });
});
