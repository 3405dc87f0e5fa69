/** The loader's sharing of equal facts (src/lib/shared-values.ts): same values, one object per distinct value. */
import { describe, expect, it } from 'vitest';
import { valueSharer } from '../../src/lib/shared-values.ts';

const parameter = () => ({ presence: 'module', settable: 'load-time', type: 'int', description: null, tags: [] as string[] });
const facts = (release: string) => ({ title: 'x.y', kernels: { '6.1': { release, parameter: parameter() }, '6.12': { release: 'r2', parameter: parameter() } } });

describe('valueSharer', () => {
  it('returns equal values, with one object for equal parts across calls', () => {
    const share = valueSharer();
    const [a, b] = [share(facts('r1')), share(facts('r1b'))];
    expect(a).toEqual(facts('r1'));
    expect(b).toEqual(facts('r1b'));
    expect(a.kernels['6.1'].parameter).toBe(a.kernels['6.12'].parameter);
    expect(a.kernels['6.1'].parameter).toBe(b.kernels['6.12'].parameter);
    expect(a.kernels['6.12']).toBe(b.kernels['6.12']);
    expect(a.kernels['6.1']).not.toBe(b.kernels['6.1']);
  });

  it('keeps apart values JSON would confuse or that differ only in key order', () => {
    const share = valueSharer();
    const values = share([{ v: null }, { v: 'null' }, { v: 0 }, { v: '0' }, { v: -0 }, { v: [] }, { v: {} }, { v: false }, { a: 1, b: 2 }, { b: 2, a: 1 }]);
    expect(new Set(values).size).toBe(values.length);
    expect(Object.keys(values[9]!)).toEqual(['b', 'a']);
    expect(Object.is(values[4]!.v, -0)).toBe(true);
  });
});
