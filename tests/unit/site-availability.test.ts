import { describe, expect, it } from 'vitest';
import { availability } from '#core/availability.ts';

const MEASURED = ['5.10', '6.1', '6.12', '7.2'];

describe('availability against the measured kernels', () => {
  it('spans every kernel', () => {
    expect(availability(MEASURED, MEASURED)).toBe('5.10 – 7.2');
  });

  it('names the only kernel when one is measured', () => {
    expect(availability(['6.18'], ['6.18'])).toBe('6.18');
  });

  it('says since when the older kernels lack it', () => {
    expect(availability(MEASURED, ['6.12', '7.2'])).toBe('since 6.12');
    expect(availability(MEASURED, ['7.2'])).toBe('since 7.2');
  });

  it('says where it was removed', () => {
    expect(availability(MEASURED, ['5.10', '6.1', '6.12'])).toBe('5.10 – 6.12, removed in 7.2');
    expect(availability(MEASURED, ['6.1', '6.12'])).toBe('6.1 – 6.12, removed in 7.2');
    expect(availability(MEASURED, ['5.10'])).toBe('5.10, removed in 6.1');
  });

  it('lists the runs and the gaps', () => {
    expect(availability(MEASURED, ['5.10', '6.12', '7.2'])).toBe('5.10, 6.12 – 7.2 (not in 6.1)');
    expect(availability(MEASURED, ['6.1', '7.2'])).toBe('6.1, 7.2 (not in 5.10, 6.12)');
  });

  it('says so when no measured kernel has it, and ignores kernels not measured', () => {
    expect(availability(MEASURED, [])).toBe('on none of the measured kernels');
    expect(availability(MEASURED, ['6.18'])).toBe('on none of the measured kernels');
    expect(availability(MEASURED, ['4.19', ...MEASURED])).toBe('5.10 – 7.2');
  });
});
