/** Runs a command to completion and returns its stdout; a failure carries the command and its stderr. */
import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  /** Written to the command's stdin, which is closed after it. */
  input?: string | Buffer;
  /** How a failure names the command (default: the whole command line). */
  label?: string;
}

export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(stdout));
      const why = Buffer.concat(stderr).toString().trim() || `exit ${code ?? signal}`;
      reject(new Error(`${options.label ?? `${command} ${args.join(' ')}`} failed: ${why}`));
    });
    child.stdin.end(options.input);
  });
}

export async function runText(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return (await run(command, args, options)).toString('utf8');
}
