/** Machine rules: found from the shapes booted, applied to a machine asked about. */
import { describe, expect, it } from 'vitest';
import { expectedDefault, findMachineRule, parseCpus, parseMemorySize, ruleText, ruleValue } from '#core/machine-rules.ts';
import type { ShapeValue } from '#core/schemas/tunable.ts';

type Five = [string, string, string, string, string];

/**
 * The five default shapes as 7.2's MemTotal reports them: 1x1024, 1x4096, 4x4096,
 * 1/64x4096 (one CPU online of 64 possible) and 1x16384. `values` in that order.
 */
function shapes(values: Five): ShapeValue[] {
  return [
    { cpus: 1, memoryKiB: 986_332, value: values[0] },
    { cpus: 1, memoryKiB: 4_011_984, value: values[1] },
    { cpus: 4, memoryKiB: 4_011_212, value: values[2] },
    { cpus: 1, possibleCpus: 64, memoryKiB: 4_003_100, value: values[3] },
    { cpus: 1, memoryKiB: 16_379_836, value: values[4] },
  ];
}

/** The same shapes with memory in whole MiB, as no kernel reports it: only so that a memory rule can be exact. */
function roundShapes(values: Five): ShapeValue[] {
  return shapes(values).map((shape, i) => ({ ...shape, memoryKiB: [1024, 4096, 4096, 4096, 16384][i]! * 1024 }));
}

describe('finding the rule the shapes agree on', () => {
  it('finds a clamped rule per possible CPU: kernel.pid_max', () => {
    const rule = findMachineRule(shapes(['32768', '32768', '32768', '65536', '32768']));
    expect(rule).toEqual({ per: 'possible-cpu', factor: 1024, min: 32768 });
    expect(ruleText(rule!)).toBe('1024 per possible CPU, at least 32768');
  });

  it('finds a clamp from above', () => {
    expect(findMachineRule(shapes(['2', '2', '8', '16', '2']))).toEqual({ per: 'possible-cpu', factor: 2, max: 16 });
  });

  it('finds a rule per online CPU where the shape with more possible CPUs follows the online ones', () => {
    expect(findMachineRule(shapes(['4', '4', '16', '4', '4']))).toEqual({ per: 'online-cpu', factor: 4 });
  });

  it('finds a rule per MiB where the memory is exact', () => {
    expect(findMachineRule(roundShapes(['8192', '32768', '32768', '32768', '131072']))).toEqual({ per: 'memory-mib', factor: 8 });
  });

  it('states none where the only shape that moves differs in CPUs and memory at once: either could be the cause', () => {
    // nf_conntrack's expect_hashsize on 64 possible CPUs and 16 GiB at once: 16 per possible CPU fits, and so would a memory rule the kernel really uses.
    const confounded: ShapeValue[] = [
      { cpus: 1, memoryKiB: 986_332, value: '512' },
      { cpus: 1, memoryKiB: 4_011_984, value: '512' },
      { cpus: 4, memoryKiB: 4_011_212, value: '512' },
      { cpus: 1, possibleCpus: 64, memoryKiB: 16_379_836, value: '1024' },
    ];
    expect(findMachineRule(confounded)).toBeUndefined();
    // With a shape that differs in possible CPUs alone and reads the same, and one that differs in memory alone and moves: no CPU rule.
    expect(findMachineRule(shapes(['512', '512', '512', '512', '1024']))).toBeUndefined();
  });

  it('states none that misses a shape: fs.file-max follows memory, but not exactly', () => {
    expect(findMachineRule(shapes(['95362', '397923', '397636', '396500', '1634650']))).toBeUndefined();
  });

  it('states none where two fit: without a shape of more possible CPUs, possible and online are the same', () => {
    const threeShapes = shapes(['4', '4', '16', '4', '4']).slice(0, 3);
    expect(findMachineRule(threeShapes)).toBeUndefined();
  });

  it('states none for text, lists and numbers that are not whole', () => {
    expect(findMachineRule(shapes(['0', '0', '0-3', '0', '0']))).toBeUndefined();
    expect(findMachineRule(shapes(['10455 13943 20910', '45516 60691 91032', '45507 60679 91014', '1 2 3', '4 5 6']))).toBeUndefined();
    expect(findMachineRule(shapes(['-1', '-1', '-4', '-1', '-1']))).toBeUndefined();
  });

  it('takes no factor from a value that sits on a bound', () => {
    // 8192 per possible CPU between 32768 and 65536 would pass through the 4-CPU shape's 32768,
    // which is the bound itself: the factor is seen only on the shape with 64 possible CPUs.
    expect(findMachineRule(shapes(['32768', '32768', '32768', '65536', '32768']))?.factor).toBe(1024);
    expect(findMachineRule(shapes(['32768', '32768', '32768', '32768', '32768']))).toBeUndefined();
  });
});

describe('the default a rule gives on a machine', () => {
  const pidMax = { per: 'possible-cpu', factor: 1024, min: 32768 } as const;

  it('follows possible CPUs, and takes online ones as possible when none are given', () => {
    expect(ruleValue(pidMax, { cpus: 4, possibleCpus: 64 })).toBe('65536');
    expect(ruleValue(pidMax, { cpus: 128 })).toBe('131072');
    expect(ruleValue(pidMax, { cpus: 4 })).toBe('32768');
    expect(ruleValue(pidMax, { memoryKiB: 16 * 2 ** 20 })).toBeUndefined();
  });

  it('rounds down per MiB, as the kernel divides, and cuts at the maximum', () => {
    expect(ruleValue({ per: 'memory-mib', factor: 3 }, { memoryKiB: 1536 })).toBe('4');
    expect(ruleValue({ per: 'online-cpu', factor: 2, max: 16 }, { cpus: 32, possibleCpus: 64 })).toBe('16');
  });

  it('says what it is per kernel: a rule, a rule wanting an input, the shapes only, the same everywhere, or nothing', () => {
    const measured = shapes(['95362', '397923', '397636', '396500', '1634650']);
    const machine = { cpus: 4, possibleCpus: 64 };
    expect(expectedDefault({ defaultKind: 'machine', default: null, rule: pidMax }, machine)).toEqual({ kind: 'rule', value: '65536', rule: pidMax });
    expect(expectedDefault({ defaultKind: 'machine', default: null, rule: { per: 'memory-mib', factor: 8 } }, machine)).toMatchObject({ kind: 'needs', input: 'memory' });
    expect(expectedDefault({ defaultKind: 'machine', default: null, shapes: measured }, machine)).toEqual({ kind: 'shapes', shapes: measured });
    expect(expectedDefault({ defaultKind: 'constant', default: '60' }, machine)).toEqual({ kind: 'same', value: '60' });
    expect(expectedDefault({ defaultKind: 'volatile', default: null }, machine)).toEqual({ kind: 'none' });
  });
});

describe('machines as an operator writes them', () => {
  it('reads sizes in binary units', () => {
    expect(parseMemorySize('16G')).toBe(16 * 2 ** 20);
    expect(parseMemorySize('4096M')).toBe(4 * 2 ** 20);
    expect(parseMemorySize('1.5GiB')).toBe(1.5 * 2 ** 20);
    expect(parseMemorySize('512k')).toBe(512);
    for (const bad of ['16', 'lots', '0G', '-1G']) expect(() => parseMemorySize(bad)).toThrow(/not a size/);
  });

  it('reads CPUs as N or ONLINE/POSSIBLE', () => {
    expect(parseCpus('4')).toEqual({ cpus: 4 });
    expect(parseCpus('4/64')).toEqual({ cpus: 4, possibleCpus: 64 });
    for (const bad of ['0', '4/2', 'four', '4/']) expect(() => parseCpus(bad)).toThrow(/ONLINE\/POSSIBLE/);
  });
});
