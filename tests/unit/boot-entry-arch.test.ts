import { describe, expect, it } from 'vitest';
import { bootEntryOnArch } from '#core/parameters.ts';

describe("a kernel-parameters.txt entry's architecture tags", () => {
  it('keeps an entry no architecture tag limits on every kernel', () => {
    expect(bootEntryOnArch(['KNL'], 'amd64')).toBe(true);
    expect(bootEntryOnArch([], 'arm64')).toBe(true);
    // "Integrity measurement architecture" is a feature, not an architecture.
    expect(bootEntryOnArch(['IMA'], 'arm64')).toBe(true);
  });

  it("leaves an ARM64-only entry off amd64's kernels, and an x86 one off arm64's", () => {
    expect(bootEntryOnArch(['ARM64', 'EARLY'], 'amd64')).toBe(false);
    expect(bootEntryOnArch(['ARM64', 'EARLY'], 'arm64')).toBe(true);
    expect(bootEntryOnArch(['X86', 'EARLY'], 'arm64')).toBe(false);
    expect(bootEntryOnArch(['X86-64'], 'amd64')).toBe(true);
    expect(bootEntryOnArch(['KNL', 'X86'], 'amd64')).toBe(true);
  });

  it('keeps an entry of several architectures on each of them', () => {
    expect(bootEntryOnArch(['X86', 'ARM64', 'PPC'], 'amd64')).toBe(true);
    expect(bootEntryOnArch(['X86', 'ARM64', 'PPC'], 'arm64')).toBe(true);
  });

  it("counts 32-bit x86 and 32-bit ARM, other architectures' spellings and BUGS= as other kernels", () => {
    expect(bootEntryOnArch(['X86-32'], 'amd64')).toBe(false);
    expect(bootEntryOnArch(['ARM'], 'arm64')).toBe(false);
    expect(bootEntryOnArch(['PPC'], 'amd64')).toBe(false);
    expect(bootEntryOnArch(['M68k'], 'arm64')).toBe(false);
    expect(bootEntryOnArch(['BUGS=X86-32'], 'amd64')).toBe(false);
    expect(bootEntryOnArch(['BUGS=X86'], 'amd64')).toBe(true);
  });

  it('keeps every entry on an architecture it has no tags for', () => {
    expect(bootEntryOnArch(['X86'], 'riscv64')).toBe(true);
  });
});
