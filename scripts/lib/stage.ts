/**
 * What the stages' run() and thin CLIs share: errors meant for the user (a sentence, no
 * stack trace), option checks that hold for run() and the CLI alike, and the CLI's
 * parse → run → print → exit code.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { InvalidDataError } from '#core/zod-error.ts';

/** A failure the user can act on: bad options, missing or invalid input. */
export class StageError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: ErrorOptions & { exitCode?: number } = {}) {
    super(message, options);
    this.name = 'StageError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Options run() cannot work with. */
export class OptionsError extends StageError {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/** Throws an OptionsError unless the named option is a positive whole number. */
export function requirePositiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new OptionsError(`${name} must be a positive whole number (got ${value})`);
  return value;
}

/** A commander argument parser for a positive whole number. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/**
 * Runs a stage for its CLI: StageError and InvalidDataError become their message and exit
 * code (anything else is a bug and keeps its stack trace); `print` shows the report and
 * returns the exit code.
 */
export async function runCli<R>(program: Command, task: () => Promise<R>, print: (report: R) => number): Promise<void> {
  let report: R;
  try {
    report = await task();
  } catch (error) {
    if (error instanceof StageError) program.error(error.message, { exitCode: error.exitCode });
    if (error instanceof InvalidDataError) program.error(error.message, { exitCode: 1 });
    throw error;
  }
  process.exitCode = print(report);
}
