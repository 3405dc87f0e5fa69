/**
 * Terminal conventions of `kernel-tunables`: colour only on a terminal with NO_COLOR unset
 * (https://no-color.org), usage errors that exit 2.
 */
import { styleText } from 'node:util';

/** A mistake in how the command was called, or input it cannot read: exits 2. */
export class UsageError extends Error {}

/** The tunable pages cannot be read or do not make valid data: exits 2. */
export class DataError extends Error {}

type Format = Parameters<typeof styleText>[0];

/** Colour for this stream: a TTY, and NO_COLOR absent or empty. FORCE_COLOR is not honoured: pipes stay plain. */
export function colourOn(stream: NodeJS.WriteStream): boolean {
  const noColour = process.env.NO_COLOR;
  return stream.isTTY === true && (noColour === undefined || noColour === '');
}

/** `paint(['red', 'bold'], text)`: styled on a colour terminal, the text itself elsewhere. */
export function painter(stream: NodeJS.WriteStream = process.stdout): (format: Format, text: string) => string {
  const on = colourOn(stream);
  return (format, text) => (on ? styleText(format, text, { validateStream: false }) : text);
}

/**
 * Columns padded to the widest cell, up to `cap` characters: a longer cell overflows its
 * column rather than widening it for every row. The last column is left as is.
 */
export function columns(rows: readonly string[][], gap = '  ', cap = 48): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, Math.min(cell.length, cap))));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join(gap).trimEnd());
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
