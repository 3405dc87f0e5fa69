/** Recommendations joined to pages, and whether a value meets one (src/core/recommendations.ts). */
import { describe, expect, it } from 'vitest';
import { defaultVerdict, groupRecommendations, kernelVerdicts, meetsRecommendation, recommendationsByPage, recommendationText, targetPages } from '#core/recommendations.ts';
import { RECOMMENDATIONS_SCHEMA_VERSION, type RecommendationsFile } from '#core/schemas/recommendations.ts';
import { parseCmdline } from '#core/sysctl-check/parameters-parse.ts';
import { profileNames, recommendationFindings, resolveProfile } from '#core/sysctl-check/recommendations.ts';

describe('the page a recommendation is about', () => {
  it('is the sysctl, sysfs, boot or module parameter page; an instance of a pattern names it', () => {
    expect(targetPages({ kind: 'sysctl', name: 'vm.swappiness' })).toEqual({ ids: ['sysctl/vm/swappiness'] });
    expect(targetPages({ kind: 'sysctl', name: 'net.ipv4.conf.all.accept_redirects' })).toEqual({ ids: ['sysctl/net/ipv4/conf/_interface_/accept_redirects'], instance: 'all' });
    expect(targetPages({ kind: 'sysfs', name: '/sys/kernel/mm/transparent_hugepage/enabled' })).toEqual({ ids: ['sysfs/kernel/mm/transparent_hugepage/enabled'] });
    expect(targetPages({ kind: 'boot', name: 'audit' })).toEqual({ ids: ['boot/a/audit'] });
    // A file of every device, named by its pattern.
    expect(targetPages({ kind: 'sysfs', name: '/sys/block/<device>/queue/read_ahead_kb' })).toEqual({ ids: ['sysfs/block/_device_/queue/read_ahead_kb'] });
    expect(targetPages({ kind: 'module', name: 'nvme-core.io_timeout' })).toEqual({ ids: ['module/nvme_core/io_timeout'] });
    // A dotted word of the command line is a module's parameter, else the kernel's own boot parameter of that name.
    expect(targetPages({ kind: 'boot', name: 'iommu.strict' })).toEqual({ ids: ['module/iommu/strict', 'boot/i/iommu.strict'] });
  });

  it('is none for a glob or a name that is no path', () => {
    expect(targetPages({ kind: 'sysfs', name: '/sys/devices/virtual/workqueue/*/cpumask' })).toEqual({ ids: [] });
    expect(targetPages({ kind: 'sysfs', name: 'kernel/mm/ksm/run' })).toEqual({ ids: [] });
    expect(targetPages({ kind: 'module', name: 'nomodule' })).toEqual({ ids: [] });
  });

  it('gathers every source by page, in source and profile order, keeping what no page fits apart', () => {
    const file = (source: 'tuned' | 'ssg', settings: RecommendationsFile['settings']): RecommendationsFile => ({
      schemaVersion: RECOMMENDATIONS_SCHEMA_VERSION,
      source,
      packages: [{ name: source, version: '1' }],
      suite: 'sid',
      licence: 'MIT',
      homepage: 'https://example.org/',
      profiles: [...new Set(settings.map((s) => s.profile))].map((id) => ({ id, title: `Title of ${id}` })),
      settings,
    });
    const { byPage, unplaced } = recommendationsByPage(
      [
      file('tuned', [
        { profile: 'throughput-performance', target: { kind: 'sysctl', name: 'vm.swappiness' }, comparison: 'equals', value: '10', via: '[sysctl] vm.swappiness' },
        { profile: 'realtime', target: { kind: 'sysfs', name: '/sys/devices/virtual/workqueue/*/cpumask' }, comparison: 'equals', value: '1', via: '[sysfs]' },
      ]),
      file('ssg', [
        { profile: 'debian13:anssi', target: { kind: 'sysctl', name: 'vm.swappiness' }, comparison: 'equals', value: '1', via: 'sysctl_vm_swappiness' },
        { profile: 'debian13:anssi', target: { kind: 'boot', name: 'iommu.strict' }, comparison: 'equals', value: '1', via: 'grub2_iommu_strict_argument' },
      ]),
      ],
      new Set(['sysctl/vm/swappiness', 'boot/i/iommu.strict']),
    );
    expect(byPage.get('sysctl/vm/swappiness')!.map((r) => [r.source, r.profile, r.profileTitle, r.value])).toEqual([
      ['ssg', 'debian13:anssi', 'Title of debian13:anssi', '1'],
      ['tuned', 'throughput-performance', 'Title of throughput-performance', '10'],
    ]);
    expect(byPage.get('boot/i/iommu.strict')!.map((r) => r.via)).toEqual(['grub2_iommu_strict_argument']);
    expect(unplaced).toEqual([{ source: 'tuned', profile: 'realtime', target: { kind: 'sysfs', name: '/sys/devices/virtual/workqueue/*/cpumask' }, comparison: 'equals', value: '1', via: '[sysfs]' }]);
  });
});

describe('whether a value meets a recommendation', () => {
  it('compares text after whitespace, numbers as numbers, and a sysfs choice by its chosen word', () => {
    expect(meetsRecommendation('10\n', { comparison: 'equals', value: '10' })).toBe(true);
    expect(meetsRecommendation('4096\t131072\t6291456', { comparison: 'equals', value: '4096 131072 6291456' })).toBe(true);
    expect(meetsRecommendation('always [madvise] never', { comparison: 'equals', value: 'never' })).toBe(false);
    expect(meetsRecommendation('always madvise [never]', { comparison: 'equals', value: 'never' })).toBe(true);
    expect(meetsRecommendation('60', { comparison: 'equals', value: '10' })).toBe(false);
  });

  it('reads at least and at most as numbers, beyond what a double holds exactly', () => {
    expect(meetsRecommendation('4096', { comparison: 'at-least', value: '2048' })).toBe(true);
    expect(meetsRecommendation('128', { comparison: 'at-least', value: '2048' })).toBe(false);
    expect(meetsRecommendation('18446744073709551615', { comparison: 'at-most', value: '18446744073709551614' })).toBe(false);
  });

  it('cannot tell without a value, or for text compared as a number', () => {
    expect(meetsRecommendation(null, { comparison: 'equals', value: '1' })).toBeUndefined();
    expect(meetsRecommendation('fq_codel', { comparison: 'at-least', value: '1' })).toBeUndefined();
  });
});

describe('a page\'s recommendations grouped', () => {
  it('makes one row of one rule many profiles share, with every profile, the first rationale and each reference once', () => {
    const rule = { source: 'ssg' as const, via: 'sysctl_kernel_kptr_restrict', comparison: 'equals' as const, value: '1' };
    const groups = groupRecommendations([
      { ...rule, profile: 'debian13:anssi', profileTitle: 'ANSSI', rationale: 'Hides addresses.', references: [{ scheme: 'CIS', id: '1.5.1' }] },
      { ...rule, profile: 'ubuntu2404:cis', profileTitle: 'CIS', references: [{ scheme: 'CIS', id: '1.5.1' }, { scheme: 'STIG', id: 'V-1' }] },
      { ...rule, value: '2', profile: 'rhel9:stig', profileTitle: 'STIG' },
    ]);
    expect(groups.map((g) => [g.value, g.profiles.map((p) => p.id), g.rationale, g.references.map((r) => r.id)])).toEqual([
      ['1', ['debian13:anssi', 'ubuntu2404:cis'], 'Hides addresses.', ['1.5.1', 'V-1']],
      ['2', ['rhel9:stig'], undefined, []],
    ]);
    expect(recommendationText({ comparison: 'at-least', value: '2048' })).toBe('≥ 2048');
    expect(recommendationText({ comparison: 'equals', value: '' })).toBe('= (set)');
  });
});

describe("a kernel's default against a recommendation", () => {
  it('says whether it meets it, comparing the instance a pattern setting names, or why it cannot tell', () => {
    const facts = { default: null, defaultKind: 'constant' as const, instances: [{ instance: 'all', value: '0\n' }, { instance: 'default', value: '1\n' }] };
    expect(defaultVerdict(facts, { comparison: 'equals', value: '1', instance: 'default' })).toEqual({ text: 'meets it', meets: true });
    expect(defaultVerdict(facts, { comparison: 'equals', value: '1', instance: 'all' })).toEqual({ text: 'differs', meets: false });
    expect(defaultVerdict({ default: null, defaultKind: 'machine' }, { comparison: 'at-least', value: '2048' })).toEqual({ text: 'depends on the machine' });
    expect(defaultVerdict({ default: null, defaultKind: 'volatile' }, { comparison: 'equals', value: '1' })).toEqual({ text: 'runtime state' });
  });
});

describe('settings checked against a profile (lint --profile)', () => {
  const tunables = [
    { name: 'vm.swappiness', kind: 'sysctl' as const, url: '/sysctl/vm/swappiness/', recommendations: [{ source: 'tuned' as const, profile: 'throughput-performance', comparison: 'equals' as const, value: '10', via: '[sysctl] vm.swappiness' }] },
    { name: 'net.core.somaxconn', kind: 'sysctl' as const, url: '/sysctl/net/core/somaxconn/', recommendations: [{ source: 'tuned' as const, profile: 'throughput-performance', comparison: 'at-least' as const, value: '2048', via: '[sysctl] net.core.somaxconn' }] },
    {
      name: 'net.ipv4.conf.<interface>.rp_filter',
      kind: 'sysctl' as const,
      url: '/sysctl/net/ipv4/conf/_interface_/rp_filter/',
      recommendations: [{ source: 'ssg' as const, profile: 'debian13:cis_level1_server', instance: 'all', comparison: 'equals' as const, value: '1', via: 'sysctl_net_ipv4_conf_all_rp_filter' }],
    },
    { name: 'audit', kind: 'boot' as const, url: '/boot/a/audit/', recommendations: [{ source: 'ssg' as const, profile: 'ubuntu2404:cis_level1_server', comparison: 'equals' as const, value: '1', via: 'grub2_audit_argument' }] },
  ];
  const names = profileNames(tunables);

  it('names every profile as source:profile, and takes any unique tail of a name', () => {
    expect(names).toEqual(['ssg:debian13:cis_level1_server', 'ssg:ubuntu2404:cis_level1_server', 'tuned:throughput-performance']);
    expect(resolveProfile('throughput-performance', names)).toBe('tuned:throughput-performance');
    expect(resolveProfile('debian13:cis_level1_server', names)).toBe('ssg:debian13:cis_level1_server');
    expect(() => resolveProfile('cis_level1_server', names)).toThrow('profile "cis_level1_server" could be ssg:debian13:cis_level1_server, ssg:ubuntu2404:cis_level1_server: give one of them');
    expect(() => resolveProfile('balanced', names)).toThrow(/no profile named "balanced"; known profiles: ssg:debian13/);
  });

  it('says which lines meet the profile and which differ, with what it asks for; a pattern by its instance', () => {
    const text = 'vm.swappiness = 10\nnet.core.somaxconn = 1024\nnet.ipv4.conf.all.rp_filter = 2\nnet.ipv4.conf.default.rp_filter = 2\nkernel.pid_max = 4194304\n';
    const findings = (profile: string) => recommendationFindings([{ name: '99.conf', text }], [], tunables, profile).map(({ line, kind, message }) => [line, kind, message]);
    expect(findings('tuned:throughput-performance')).toEqual([
      [1, 'meets-recommendation', 'tuned:throughput-performance (TuneD) recommends = 10'],
      [2, 'differs-from-recommendation', 'tuned:throughput-performance (TuneD) recommends ≥ 2048; this sets 1024'],
    ]);
    expect(findings('ssg:debian13:cis_level1_server')).toEqual([[3, 'differs-from-recommendation', 'ssg:debian13:cis_level1_server (ComplianceAsCode) recommends = 1; this sets 2']]);
  });

  it('checks the command line\'s boot parameters too', () => {
    const cmdline = parseCmdline({ name: 'cmdline', text: 'quiet audit=0\n' });
    expect(recommendationFindings([], [cmdline], tunables, 'ssg:ubuntu2404:cis_level1_server').map(({ kind, key }) => [kind, key])).toEqual([['differs-from-recommendation', 'audit=0']]);
  });
});

describe("every kernel's verdict", () => {
  it('is one where the kernels agree, else one per verdict with its kernels, oldest first', () => {
    const constant = (value: string) => ({ default: value, defaultKind: 'constant' as const });
    expect(kernelVerdicts({ '7.2': constant('0'), '6.1': constant('0') }, { comparison: 'equals', value: '1' })).toEqual([{ text: 'differs', meets: false, kernels: ['6.1', '7.2'] }]);
    expect(kernelVerdicts({ '7.2': constant('4096'), '5.10': constant('128'), '6.1-arm64': constant('4096') }, { comparison: 'at-least', value: '2048' })).toEqual([
      { text: 'differs', meets: false, kernels: ['5.10'] },
      { text: 'meets it', meets: true, kernels: ['6.1-arm64', '7.2'] },
    ]);
  });
});
