import { describe, expect, it } from 'vitest';
import { decodeIntegers, encodeIntegers } from '#core/vlq.ts';

const roundTrip = (values: number[]) => decodeIntegers(encodeIntegers(values));

/** A seeded generator, so a failing sequence can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('VLQ integers', () => {
  it('round-trips zero, small and negative numbers', () => {
    expect(roundTrip([0])).toEqual([0]);
    expect(roundTrip([1, 2, 3, 15, 16, 31, 32, 1000])).toEqual([1, 2, 3, 15, 16, 31, 32, 1000]);
    expect(roundTrip([-1, -2, -15, -16, -17, -1000])).toEqual([-1, -2, -15, -16, -17, -1000]);
    // -0 is not a distinct value in the index: it comes back as 0.
    expect(roundTrip([-0])).toEqual([0]);
  });

  it('round-trips large positive numbers up to Number.MAX_SAFE_INTEGER', () => {
    const large = [2 ** 31, 2 ** 32 + 5, 2 ** 52, Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER];
    expect(roundTrip(large)).toEqual(large);
  });

  it('round-trips large negative numbers while the zigzag value stays exact (|n| < 2^52)', () => {
    const large = [-(2 ** 31), -(2 ** 32 + 5), -(2 ** 52 - 1)];
    expect(roundTrip(large)).toEqual(large);
  });

  // Zigzag maps -n to 2n+1, an odd number above 2^53 for |n| >= 2^52 that a double cannot
  // hold: such values are refused rather than decoded with the wrong sign.
  it('refuses negative integers below −(2^52 − 1) instead of corrupting them', () => {
    expect(() => encodeIntegers([-Number.MAX_SAFE_INTEGER])).toThrow(/at least/);
    expect(() => encodeIntegers([-(2 ** 52)])).toThrow(/at least/);
  });

  it('round-trips a long random sequence of mixed magnitudes and signs', () => {
    const next = random(42);
    const values = Array.from({ length: 10_000 }, () => {
      const magnitude = Math.floor(next() * 2 ** Math.floor(next() * 50));
      return next() < 0.3 && magnitude > 0 ? -magnitude : magnitude;
    });
    expect(roundTrip(values)).toEqual(values);
  });

  it('accepts any iterable, such as a generator', () => {
    function* numbers() {
      yield 3;
      yield -4;
    }
    expect(decodeIntegers(encodeIntegers(numbers()))).toEqual([3, -4]);
  });

  it('is compact: 0..15 take one character each, and the empty list no characters', () => {
    const small = Array.from({ length: 16 }, (_, i) => i);
    expect(encodeIntegers(small)).toHaveLength(16);
    expect(encodeIntegers([-15])).toHaveLength(1);
    expect(encodeIntegers([16])).toHaveLength(2);
    expect(encodeIntegers([])).toBe('');
    expect(decodeIntegers('')).toEqual([]);
  });

  it('uses only base-64 characters that are safe inside a JSON string in a script tag', () => {
    expect(encodeIntegers([0, 1, -1, 1234567, -7654321, Number.MAX_SAFE_INTEGER])).toMatch(/^[A-Za-z0-9+/]*$/);
  });

  it('refuses to encode what is not a safe integer', () => {
    for (const bad of [1.5, Number.NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => encodeIntegers([1, bad]), String(bad)).toThrow(/not a safe integer/);
    }
  });

  it('names the position of a character that is not a base-64 digit', () => {
    const valid = encodeIntegers([1, 2, 3]);
    expect(() => decodeIntegers(`${valid}*A`)).toThrow(/at 3\b/);
    expect(() => decodeIntegers('A A')).toThrow(/at 1\b/);
    // Beyond ASCII, where a lookup table indexed by char code has no entry.
    expect(() => decodeIntegers('AAé')).toThrow(/at 2\b/);
  });

  it('rejects a string cut off in the middle of a number', () => {
    const encoded = encodeIntegers([5, 1000]);
    expect(encoded.length).toBeGreaterThan(2);
    expect(() => decodeIntegers(encoded.slice(0, -1))).toThrow(/end in the middle of a number/);
    // 'g' is 32: a continuation bit with nothing after it.
    expect(() => decodeIntegers('g')).toThrow(/end in the middle of a number/);
  });
});
