import { describe, expect, it } from 'vitest';
import { compareKernelIds, debianArch, kernelId, kernelIdOf, parseKernelId } from '#core/kernels.ts';

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
