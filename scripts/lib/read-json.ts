/** Placeholder; replaced by the shared helper. */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { issueText } from '#core/zod-error.ts';
export async function readJsonChecked<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T> {
  let json: unknown;
  try { json = JSON.parse(await readFile(file, 'utf8')); } catch (error) { throw new Error(`${file}: not valid JSON: ${(error as Error).message}`); }
  const checked = schema.safeParse(json);
  if (!checked.success) throw new Error(`${file}: not valid ${what}: ${issueText(checked.error.issues[0]!)}`);
  return checked.data;
}
