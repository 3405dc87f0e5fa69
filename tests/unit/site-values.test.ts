import { describe, expect, it } from 'vitest';
import { defaultText, formatShapes, inSeconds, scalingText, scopeText, shapeLabels } from '#core/values.ts';
import type { KernelFacts } from '#core/schemas/tunable.ts';

const GiB = 2 ** 20;
const facts = (over: Partial<KernelFacts>): KernelFacts => ({ release: '6.1.0', source: 'qemu', mode: '0644', writable: true, default: '60', defaultKind: 'constant', namespace: null, module: null, ...over });

describe('machine shapes', () => {
  it('read as booted: MemTotal a little under a whole GiB rounds to it', () => {
    expect(shapeLabels([{ cpus: 1, memoryKiB: 1_004_000 }, { cpus: 4, memoryKiB: 4_028_000 }])).toEqual(['1 CPU, 1 GiB', '4 CPUs, 4 GiB']);
  });

  it('show MiB below one GiB and leave unknown memory out', () => {
    expect(shapeLabels([{ cpus: 2, memoryKiB: 460_000 }, { cpus: 1, memoryKiB: 0 }])).toEqual(['2 CPUs, 449 MiB', '1 CPU']);
  });

  it('take decimals only when whole GiB would make two shapes look the same', () => {
    expect(shapeLabels([{ cpus: 1, memoryKiB: 1.4 * GiB }, { cpus: 1, memoryKiB: 1.2 * GiB }])).toEqual(['1 CPU, 1.4 GiB', '1 CPU, 1.2 GiB']);
    expect(shapeLabels([{ cpus: 1, memoryKiB: 1.4 * GiB }, { cpus: 1, memoryKiB: 0.9 * GiB }])).toEqual(['1 CPU, 1.4 GiB', '1 CPU, 922 MiB']);
  });

  it('say how many CPUs are possible where more are than online', () => {
    expect(shapeLabels([{ cpus: 1, memoryKiB: 4 * GiB }, { cpus: 1, possibleCpus: 64, memoryKiB: 16 * GiB }])).toEqual(['1 CPU, 4 GiB', '1 CPU (64 possible), 16 GiB']);
  });

  it('list each value after its shape', () => {
    const shapes = [
      { cpus: 1, memoryKiB: GiB, value: '7663' },
      { cpus: 4, memoryKiB: 4 * GiB, value: '31862' },
    ];
    expect(formatShapes(shapes)).toBe('1 CPU, 1 GiB: 7663; 4 CPUs, 4 GiB: 31862');
  });
});

describe('the text of a default', () => {
  it('is the value, or says why there is none', () => {
    expect(defaultText(facts({}))).toBe('60');
    expect(defaultText(facts({ default: '' }))).toBe('(empty)');
    expect(defaultText(facts({ default: null, defaultKind: 'volatile' }))).toBe('runtime state (no default)');
    expect(defaultText(facts({ default: null, defaultKind: 'unreadable', error: 'EACCES' }))).toBe('unreadable: EACCES');
  });

  it('says what a machine-scaled value follows, and nothing more than the shapes tell', () => {
    expect(scalingText(['memory'])).toBe('scales with memory');
    expect(scalingText(['cpus'])).toBe('scales with the number of CPUs');
    expect(scalingText(['cpus', 'memory'])).toBe('scales with CPUs and memory');
    expect(scalingText([])).toBe('differs between machine shapes');
    expect(scalingText(undefined)).toBe('differs between machine shapes');
  });

  it('names the shapes of a value that scales with the machine', () => {
    const shapes = [
      { cpus: 1, memoryKiB: GiB, value: '7663' },
      { cpus: 4, memoryKiB: 4 * GiB, value: '31862' },
    ];
    expect(defaultText(facts({ default: null, defaultKind: 'machine', shapes, scalesWith: ['memory'] }))).toBe('scales with memory (1 CPU, 1 GiB: 7663; 4 CPUs, 4 GiB: 31862)');
  });

  it('states the rule the shapes agree on, in the badge what it follows', () => {
    const rule = { per: 'possible-cpu', factor: 1024, min: 32768 } as const;
    const shapes = [
      { cpus: 1, memoryKiB: 4 * GiB, value: '32768' },
      { cpus: 1, possibleCpus: 64, memoryKiB: 16 * GiB, value: '65536' },
    ];
    expect(defaultText(facts({ default: null, defaultKind: 'machine', shapes, scalesWith: [], rule }))).toBe(
      '1024 per possible CPU, at least 32768 (1 CPU, 4 GiB: 32768; 1 CPU (64 possible), 16 GiB: 65536)',
    );
    expect(scalingText([], rule)).toBe('scales with possible CPUs');
    expect(scalingText(['memory'], { per: 'memory-mib', factor: 8 })).toBe('scales with memory');
  });
});

describe('namespace scope', () => {
  it('is global only where namespaces were tested (reference kernels)', () => {
    expect(scopeText({ namespace: 'net', source: 'qemu' })).toBe('per net namespace');
    expect(scopeText({ namespace: null, source: 'qemu' })).toBe('global');
    expect(scopeText({ namespace: null, source: 'live' })).toBe('namespaces not tested');
    // A pattern whose instances differ: neigh.default.* is the initial namespace's alone.
    expect(scopeText({ namespace: 'net', source: 'qemu', instanceNamespaces: { default: null } })).toBe('per net namespace; default: global');
  });

  it('gives a USER_HZ or millisecond time in seconds, and nothing for other types', () => {
    expect(inSeconds('80', 'centiseconds')).toBe('0.8 s');
    expect(inSeconds('5000', 'milliseconds')).toBe('5 s');
    expect(inSeconds('60', 'jiffies')).toBeNull();
    expect(inSeconds('1 2', 'centiseconds')).toBeNull();
    expect(inSeconds('100', undefined)).toBeNull();
  });
});
