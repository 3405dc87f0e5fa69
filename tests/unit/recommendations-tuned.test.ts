/** TuneD's tuned.conf read as recommendations: sections, comparisons, inheritance, variables. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTunedConf, resolveTunedProfiles } from '../../scripts/recommendations/tuned.ts';

const dir = 'tests/fixtures/recommendations/tuned';
const confs = new Map(readdirSync(dir).map((name) => [name, parseTunedConf(readFileSync(join(dir, name, 'tuned.conf'), 'utf8'), `${name}/tuned.conf`)]));
const { profiles, settings, skipped } = resolveTunedProfiles(confs);
const of = (profile: string) => settings.filter((s) => s.profile === profile);
const find = (profile: string, name: string) => of(profile).find((s) => s.target.name === name);

describe('TuneD profiles', () => {
  it('reads [sysctl] with its comparisons, the comment above as rationale, variables expanded and slashes as dots', () => {
    expect(find('base', 'vm.swappiness')).toMatchObject({ target: { kind: 'sysctl' }, comparison: 'equals', value: '10', rationale: 'Swap less.', via: '[sysctl] vm.swappiness' });
    expect(find('base', 'net.core.somaxconn')).toMatchObject({ comparison: 'at-least', value: '2048' });
    expect(find('base', 'kernel.sched_latency_ns')).toMatchObject({ comparison: 'at-most', value: '24000000' });
    expect(find('base', 'net.ipv4.tcp_fin_timeout')).toMatchObject({ value: '30' });
  });

  it('reads [vm]: a percentage of dirty_bytes is the ratio sysctl; transparent_hugepages is the sysfs attribute', () => {
    expect(find('base', 'vm.dirty_ratio')).toMatchObject({ value: '40', via: '[vm] dirty_bytes', rationale: 'Start writeback at this share of memory.' });
    expect(find('base', 'vm.dirty_background_ratio')).toMatchObject({ value: '10' });
    expect(find('child', '/sys/kernel/mm/transparent_hugepage/enabled')).toMatchObject({ target: { kind: 'sysfs' }, value: 'never' });
  });

  it('keeps a conditional section as its condition, and leaves out plugins that set no tunable', () => {
    expect(find('base', 'kernel.numa_balancing')).toMatchObject({ value: '0', condition: 'uname_regex=aarch64', via: '[sysctl.arm] kernel.numa_balancing' });
    expect(of('devices').map((s) => s.via)).not.toContain('[disk] apm');
    expect(of('devices').map((s) => s.via)).not.toContain('[cpu] latency_high');
  });

  it('merges included profiles: the later option wins, replace=1 drops the earlier section, inline comments are not values', () => {
    expect(profiles.find((p) => p.id === 'child')).toEqual({ id: 'child', title: 'child', description: 'Child of base', includes: ['base'] });
    expect(find('child', 'vm.swappiness')).toMatchObject({ value: '1' });
    expect(find('child', 'vm.swappiness')!.inheritedFrom).toBeUndefined();
    expect(find('child', 'net.core.somaxconn')).toMatchObject({ value: '2048', inheritedFrom: 'base' });
    expect(find('child', 'vm.dirty_ratio')).toBeUndefined();
  });

  it('reads [sysfs] paths, a module parameter file as that parameter', () => {
    expect(find('child', '/sys/kernel/mm/ksm/run')).toMatchObject({ target: { kind: 'sysfs' }, value: '0' });
    expect(find('child', 'nvme_core.io_timeout')).toMatchObject({ target: { kind: 'module' }, value: '4294967295' });
  });

  it('reads boot parameters from every cmdline option, + adding to the included ones and - taking away', () => {
    expect(of('base').filter((s) => s.target.kind === 'boot').map((s) => [s.target.name, s.value])).toEqual([['nosoftlockup', ''], ['skew_tick', '1']]);
    expect(of('child').filter((s) => s.target.kind === 'boot').map((s) => [s.target.name, s.value, s.inheritedFrom])).toEqual([['skew_tick', '1', 'base'], ['tsc', 'reliable', undefined]]);
  });

  it('follows includes two deep, honours enabled=false, and says which include is not a profile', () => {
    expect(profiles.find((p) => p.id === 'grandchild')!.includes).toEqual(['child', 'base']);
    // Its [sysctl] instance is off, inherited options and all; [sysctl.arm] is another instance.
    expect(of('grandchild').filter((s) => s.target.kind === 'sysctl').map((s) => s.via)).toEqual(['[sysctl.arm] kernel.numa_balancing']);
    expect(find('grandchild', '/sys/kernel/mm/ksm/run')).toMatchObject({ inheritedFrom: 'child' });
    expect(skipped).toContain("grandchild include=/etc/tuned/admin-variables.conf: not a profile of the package (a file of the admin's, or chosen on the machine)");
  });

  it('leaves out what TuneD computes on the machine, and keeps the fixed words beside it', () => {
    expect(of('computed').map((s) => [s.target.name, s.value])).toEqual([['nosoftlockup', '']]);
    expect(skipped).toContain('computed [sysfs] /sys/devices/virtual/workqueue/cpumask: computed on the machine (${f:cpulist2hex:${f:cpulist_invert:0}})');
    expect(skipped).toContain('computed [bootloader] cmdline: nohz_full=${f:cpulist_invert:0} is computed on the machine');
  });

  it("reads the device and module plugins' options as the files they write, a device's by its pattern", () => {
    expect(of('devices').map((s) => [s.target.kind, s.target.name, s.comparison, s.value, s.condition])).toEqual([
      ['module', 'cpuidle_haltpoll.force', 'equals', '', undefined],
      ['module', 'cpuidle_haltpoll.guest_halt_poll_ns', 'equals', '200000', undefined],
      ['module', 'snd_ac97_codec.power_save', 'equals', '10', undefined],
      ['module', 'snd_hda_intel.power_save', 'equals', '10', undefined],
      // 8192 sectors of 512 bytes: 4096 KiB.
      ['sysfs', '/sys/block/<device>/queue/read_ahead_kb', 'at-least', '4096', 'devices=sd*'],
      ['sysfs', '/sys/devices/system/cpu/<cpu>/cpufreq/scaling_governor', 'equals', 'performance', undefined],
      ['sysfs', '/sys/devices/system/cpu/intel_pstate/min_perf_pct', 'equals', '100', undefined],
    ]);
  });

  it('names file and line of an option outside any section, and of a profile that includes itself', () => {
    expect(() => parseTunedConf('# top\nvm.swappiness=1\n', 'bad/tuned.conf')).toThrow('bad/tuned.conf:2: an option before any [section]');
    const loop = new Map([['a', parseTunedConf('[main]\ninclude=b\n', 'a')], ['b', parseTunedConf('[main]\ninclude=a\n', 'b')]]);
    expect(() => resolveTunedProfiles(loop)).toThrow(/includes itself: a → b → a/);
  });
});
