import { describe, expect, it } from 'vitest';
import { availability } from '#core/availability.ts';
import { archesOf, compareKernelIds, debianArch, kernelId, kernelIdOf, kernelLabel, measuredKernels, newestFacts, newestFirst, newestKernelId, otherArchOnly, parseKernelId } from '#core/kernels.ts';
import { kernelsText } from '#core/upstream.ts';

describe('kernel ids', () => {
  it('keeps the series as the id of an amd64 kernel, so older export readers keep working', () => {
    expect(kernelId('6.1', 'amd64')).toBe('6.1');
    expect(kernelId('6.1', 'arm64')).toBe('6.1-arm64');
  });

  it('reads an id back into series and architecture', () => {
    expect(parseKernelId('6.12')).toEqual({ series: '6.12', arch: 'amd64' });
    expect(parseKernelId('7.2-arm64')).toEqual({ series: '7.2', arch: 'arm64' });
    expect(() => parseKernelId('6.1.0-57-arm64')).toThrow(/not a kernel id/);
  });

  it("names a snapshot's kernel by the Debian name of its machine", () => {
    expect(debianArch('aarch64')).toBe('arm64');
    expect(debianArch('x86_64')).toBe('amd64');
    expect(debianArch('riscv64')).toBe('riscv64');
    expect(kernelIdOf({ kernel: { series: '6.1' }, machine: { arch: 'aarch64' } })).toBe('6.1-arm64');
  });

  it('orders by series numerically, then amd64 before the other architectures', () => {
    expect(['6.12-arm64', '6.1-arm64', '6.12', '5.10', '6.1'].sort(compareKernelIds)).toEqual(['5.10', '6.1', '6.1-arm64', '6.12', '6.12-arm64']);
  });
});

describe('facts keyed by kernel id', () => {
  const facts = (release: string) => ({ release, source: 'qemu' as const, mode: '0644', writable: true, default: '1', defaultKind: 'constant' as const, namespace: null, module: null });
  const kernels = { '6.1': facts('6.1.0-57-amd64'), '6.1-arm64': facts('6.1.0-57-arm64'), '6.12-arm64': facts('6.12.1-arm64') };

  it("leads with the newest amd64 kernel that has the tunable, else the newest of any architecture", () => {
    expect(newestKernelId(['6.1', '6.1-arm64', '6.12-arm64'])).toBe('6.1');
    expect(newestFacts(kernels)).toEqual({ id: '6.1', facts: kernels['6.1'] });
    expect(newestKernelId(['6.1-arm64', '6.12-arm64'])).toBe('6.12-arm64');
    expect(newestKernelId([])).toBeUndefined();
  });

  it('names each measured kernel by id, series and architecture, amd64 first within a series', () => {
    expect(measuredKernels([{ title: 'abi.swp', status: 'present', kernels }])).toEqual([
      { id: '6.1', series: '6.1', arch: 'amd64', release: '6.1.0-57-amd64', source: 'qemu' },
      { id: '6.1-arm64', series: '6.1', arch: 'arm64', release: '6.1.0-57-arm64', source: 'qemu' },
      { id: '6.12-arm64', series: '6.12', arch: 'arm64', release: '6.12.1-arm64', source: 'qemu' },
    ]);
  });

  it('never runs a span of kernels across architectures', () => {
    const measured = ['6.1', '6.1-arm64', '6.12', '6.12-arm64', '7.2', '7.2-arm64'];
    // Where both architectures are measured, each run names its architectures; arches with the same run share it.
    expect(kernelsText(['6.1', '6.12', '7.2'], measured)).toBe('6.1 – 7.2 (amd64)');
    expect(kernelsText(['6.1', '6.1-arm64', '6.12', '6.12-arm64'], measured)).toBe('6.1 – 6.12 (amd64 and arm64)');
    expect(kernelsText(['6.12', '7.2', '6.1-arm64', '7.2-arm64'], measured)).toBe('6.12 – 7.2 (amd64), 6.1, 7.2 (arm64)');
    // One architecture measured: no label, as before arm64.
    expect(kernelsText(['6.1', '6.12'], ['6.1', '6.12', '7.2'])).toBe('6.1 – 6.12');
    expect(availability(measured, ['6.12', '7.2', '6.1-arm64', '6.12-arm64', '7.2-arm64'])).toBe('amd64: since 6.12; arm64: 6.1 – 7.2');
    expect(availability(['6.1', '6.12'], ['6.12'])).toBe('since 6.12');
    // abi.swp: arm64's alone, amd64 goes unsaid (its badge says "arm64 only").
    expect(availability(measured, ['6.1-arm64', '6.12-arm64'])).toBe('arm64: 6.1 – 6.12, removed in 7.2');
    expect(availability(measured, [])).toBe('on none of the measured kernels');
  });
});

describe('kernel ids as the operator tools name them', () => {
  it('labels each with its architecture, lists architectures amd64 first, and names a tunable of other architectures only', () => {
    expect(kernelLabel('6.1')).toBe('6.1 (amd64)');
    expect(kernelLabel('6.1-arm64')).toBe('6.1 (arm64)');
    expect(archesOf(['6.12-arm64', '7.2-arm64', '6.12', '5.10-riscv64'])).toEqual(['amd64', 'arm64', 'riscv64']);
    expect(otherArchOnly('abi.swp', ['6.1-arm64', '6.12-arm64'], 'amd64')).toBe('abi.swp exists on arm64 only');
    expect(otherArchOnly('vm.swappiness', ['6.1', '6.1-arm64'], 'amd64')).toBeUndefined();
  });
});

describe('the newest statement', () => {
  it("looks at amd64's kernels newest first, then the other architectures'", () => {
    expect(newestFirst(['6.1', '6.1-arm64', '7.2', '7.2-arm64'])).toEqual(['7.2', '6.1', '7.2-arm64', '6.1-arm64']);
    expect(newestFirst(['6.1-arm64', '6.12-arm64'])).toEqual(['6.12-arm64', '6.1-arm64']);
  });
});
