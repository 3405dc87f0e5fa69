/**
 * One way to say what is wrong with a file a zod schema rejected: `file: field.path: message`
 * (`file:line: …` when the caller can tell the line), the first issue or every one.
 * Runtime-neutral: the caller reads the file; `readJsonChecked` in scripts/lib does that for JSON.
 */
import type { z } from 'zod';

export type IssuePath = readonly PropertyKey[];

export interface ZodErrorFormat {
  /** Every issue, one message each (default: the first only, which is usually the cause). */
  all?: boolean;
  /** With `all`, at most this many messages; a last one says how many more there were. */
  max?: number;
  /** What the file failed to be, between the file and the field: `file: not a valid snapshot: entries.3.mode: …`. */
  context?: string;
  /** What to do about it, after each message: `… (run npm run generate)`. */
  hint?: string;
  /** The line of the field in the file, when the caller can find it (e.g. in parsed YAML). */
  lineOf?: (path: IssuePath) => number | undefined;
}

/** `entries.3.mode`; `(root)` for the value itself. */
export function issuePath(path: IssuePath): string {
  return path.length === 0 ? '(root)' : path.map((key) => (typeof key === 'symbol' ? (key.description ?? 'symbol') : String(key))).join('.');
}

/** One message per issue reported (see ZodErrorFormat). */
export function zodErrorMessages(error: z.core.$ZodError, file: string, format: ZodErrorFormat = {}): string[] {
  const issues = format.all ? error.issues : error.issues.slice(0, 1);
  const max = format.all ? Math.max(1, format.max ?? Infinity) : 1;
  const shown = issues.length > max ? issues.slice(0, max) : issues;
  const messages = shown.map((issue) => {
    const line = format.lineOf?.(issue.path);
    const where = line === undefined ? file : `${file}:${line}`;
    return `${where}: ${format.context ? `${format.context}: ` : ''}${issuePath(issue.path)}: ${issue.message}${format.hint ? ` (${format.hint})` : ''}`;
  });
  if (shown.length < issues.length) messages.push(`${file}: … and ${issues.length - shown.length} more issue(s)`);
  return messages;
}

/** The messages as one text, a line each. */
export function formatZodError(error: z.core.$ZodError, file: string, format: ZodErrorFormat = {}): string {
  return zodErrorMessages(error, file, format).join('\n');
}

/** A file's content that a schema rejected; the message is formatZodError's. */
export class InvalidDataError extends Error {
  readonly file: string;
  readonly messages: readonly string[];
  constructor(file: string, messages: readonly string[], options?: ErrorOptions) {
    super(messages.join('\n'), options);
    this.name = 'InvalidDataError';
    this.file = file;
    this.messages = messages;
  }
}

/**
 * The value checked against the schema, or an InvalidDataError naming the file and field:
 * `checked(snapshot, value, file, { context: 'not a valid snapshot' })`.
 */
export function checked<S extends z.ZodType>(schema: S, value: unknown, file: string, format: ZodErrorFormat = {}): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidDataError(file, zodErrorMessages(result.error, file, format), { cause: result.error });
  return result.data;
}
