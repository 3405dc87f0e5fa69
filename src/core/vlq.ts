/**
 * Integers as base-64 variable-length quantities (the encoding of source maps): the offline
 * search index stores millions of small numbers, and as text in a script tag this is about
 * a third of their size as JSON arrays. Written here because the packages that do it only
 * encode the source-map layout; ours is a plain integer stream.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE_OF[ALPHABET.charCodeAt(i)] = i;

const CONTINUE = 32;
const DIGIT_MASK = 31;

/** Below −(2^52 − 1), zigzag's 2|n|+1 is an odd number above 2^53, which a double cannot hold. */
const LOWEST = -(2 ** 52 - 1);

/** Safe integers, negative ones down to −(2^52 − 1) (zigzag: the sign in the lowest bit). */
export function encodeIntegers(values: Iterable<number>): string {
  let out = '';
  for (const value of values) {
    if (!Number.isSafeInteger(value) || value < LOWEST) throw new Error(`cannot encode ${value}: not a safe integer of at least −(2^52 − 1)`);
    let rest = value < 0 ? -value * 2 + 1 : value * 2;
    do {
      let digit = rest % CONTINUE;
      rest = Math.floor(rest / CONTINUE);
      if (rest > 0) digit += CONTINUE;
      out += ALPHABET[digit];
    } while (rest > 0);
  }
  return out;
}

export function decodeIntegers(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let scale = 1;
  for (let i = 0; i < text.length; i++) {
    const digit = VALUE_OF[text.charCodeAt(i)] ?? -1;
    if (digit < 0) throw new Error(`not a base-64 digit at ${i}: ${JSON.stringify(text[i])}`);
    value += (digit & DIGIT_MASK) * scale;
    if (digit & CONTINUE) {
      scale *= CONTINUE;
      continue;
    }
    values.push(value % 2 === 1 ? -(value - 1) / 2 : value / 2);
    value = 0;
    scale = 1;
  }
  if (scale !== 1) throw new Error('the encoded integers end in the middle of a number');
  return values;
}
