/** Recommendations joined to pages, and whether a value meets one (src/core/recommendations.ts). */
import { describe, expect, it } from 'vitest';
import { defaultVerdict, groupRecommendations, meetsRecommendation, recommendationsByPage, recommendationText, targetPages } from '#core/recommendations.ts';
import { RECOMMENDATIONS_SCHEMA_VERSION, type RecommendationsFile } from '#core/schemas/recommendations.ts';

describe('the page a recommendation is about', () => {
  it('is the sysctl, sysfs, boot or module parameter page; an instance of a pattern names it', () => {
    expect(targetPages({ kind: 'sysctl', name: 'vm.swappiness' })).toEqual({ ids: ['sysctl/vm/swappiness'] });
    expect(targetPages({ kind: 'sysctl', name: 'net.ipv4.conf.all.accept_redirects' })).toEqual({ ids: ['sysctl/net/ipv4/conf/_interface_/accept_redirects'], instance: 'all' });
    expect(targetPages({ kind: 'sysfs', name: '/sys/kernel/mm/transparent_hugepage/enabled' })).toEqual({ ids: ['sysfs/kernel/mm/transparent_hugepage/enabled'] });
    expect(targetPages({ kind: 'boot', name: 'audit' })).toEqual({ ids: ['boot/a/audit'] });
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
    expect(unplaced).toEqual([{ source: 'tuned', target: { kind: 'sysfs', name: '/sys/devices/virtual/workqueue/*/cpumask' } }]);
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
