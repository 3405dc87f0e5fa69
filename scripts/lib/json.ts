/**
 * Reads a JSON file and checks it against a zod schema. Every failure names the file:
 * `file: cannot read the tunables export: ENOENT`, `file: not JSON: Unexpected token …`,
 * `file: not valid tunables export: kernels.0.series: Invalid input`.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { checked, InvalidDataError, type ZodErrorFormat } from '#core/zod-error.ts';

export type ReadJsonFormat = Omit<ZodErrorFormat, 'context' | 'lineOf'>;

/** The text as JSON checked against the schema; `what` names what the file should hold. */
function parseJsonChecked<S extends z.ZodType>(text: string, file: string, schema: S, what: string, format: ReadJsonFormat = {}): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidDataError(file, [`${file}: not JSON (expected ${what}): ${(error as Error).message}`], { cause: error });
  }
  return checked(schema, value, file, { ...format, context: `not valid ${what}` });
}

function unreadable(file: string, what: string, error: unknown): InvalidDataError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new InvalidDataError(file, [`${file}: cannot read ${what}: ${reason}`], { cause: error });
}

export async function readJsonChecked<S extends z.ZodType>(file: string, schema: S, what: string, format: ReadJsonFormat = {}): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(file, what, error);
  }
  return parseJsonChecked(text, file, schema, what, format);
}

export function readJsonCheckedSync<S extends z.ZodType>(file: string, schema: S, what: string, format: ReadJsonFormat = {}): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(file, what, error);
  }
  return parseJsonChecked(text, file, schema, what, format);
}
