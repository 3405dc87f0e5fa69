/**
 * The host's side of the accepted-values agent (vm/accept.sh): boots a kernel with the
 * agent's initramfs, its third serial port a Unix socket, and turns the agent's line
 * protocol into `SysctlIo` calls. Every operation has a time limit; when the VM dies or
 * stops answering, the pending call throws `AgentGone` with the console's last lines, and
 * qemu is killed, so the caller can boot a fresh VM and go on.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { qemuArgs, qemuProgram, tail, withDeviceTree, type BootOptions } from './boot.ts';
import type { ReadResult, SysctlIo, WriteResult } from './accepted.ts';

export class AgentGone extends Error {}

export interface Agent extends SysctlIo {
  /** Seconds from qemu's start to the agent's READY. */
  readySeconds: number;
  /** Asks the agent to power off and waits for qemu to exit (kills it after a few seconds). */
  close(): Promise<void>;
}

export interface AgentOptions extends Omit<BootOptions, 'agentSocket'> {
  /** Seconds one read or write may take before the VM counts as gone. */
  operationSeconds: number;
}

/** `OK\t4096\t131072` → ok, value `4096\t131072` (a vector's tabs are the value's); `OK` after a write. */
export function parseReply(line: string): ReadResult {
  const tab = line.indexOf('\t');
  const status = tab < 0 ? line : line.slice(0, tab);
  const text = tab < 0 ? '' : line.slice(tab + 1);
  if (status === 'OK') return { ok: true, value: text };
  if (status === 'ERR') return { ok: false, error: text };
  throw new AgentGone(`the agent answered "${line}"`);
}

/** Boots the agent and waits for READY within `timeoutSeconds` (the boot's time limit). */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  await rm(options.workDir, { recursive: true, force: true });
  await mkdir(options.workDir, { recursive: true });
  const socketPath = join(options.workDir, 'agent.sock');
  const started = performance.now();
  const boot = await withDeviceTree({ ...options, agentSocket: socketPath });
  const qemu = spawn(qemuProgram(boot), qemuArgs(boot), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exited = false;
  qemu.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A VM must not outlive the run that drives it, even when the run crashes.
  const killOnExit = () => qemu.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exit = new Promise<void>((resolve) =>
    qemu.on('close', () => {
      exited = true;
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  qemu.on('error', () => (exited = true));

  const gone = async (why: string) => {
    qemu.kill('SIGKILL');
    await exit;
    const console = await readFile(join(options.workDir, 'console.log'), 'utf8').catch(() => '');
    const shown = console.trim() ? `; console (${join(options.workDir, 'console.log')}), last lines:\n${tail(console).replace(/^/gm, '    ')}` : '';
    return new AgentGone(`${why}${stderr.trim() ? `; qemu: ${stderr.trim()}` : ''}${shown}`);
  };

  let socket: Socket | undefined;
  while (!socket) {
    if (exited) throw await gone('qemu exited before its agent socket opened');
    if (performance.now() - started > 10_000) throw await gone('qemu did not open its agent socket within 10 s');
    socket = await new Promise<Socket | undefined>((resolve) => {
      const attempt = connect(socketPath);
      attempt.once('connect', () => resolve(attempt));
      attempt.once('error', () => resolve(undefined));
    });
    if (!socket) await sleep(100);
  }
  const connection = socket;

  // Lines arrive in order; each operation waits for the next one.
  let buffered = '';
  const lines: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let closed = false;
  connection.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      lines.push(buffered.slice(0, newline).replace(/\r$/, ''));
      buffered = buffered.slice(newline + 1);
    }
    if (waiting && lines.length > 0) waiting(lines.shift());
  });
  const onClose = () => {
    closed = true;
    waiting?.(undefined);
  };
  connection.on('close', onClose);
  connection.on('error', onClose);

  async function nextLine(seconds: number, what: string): Promise<string> {
    if (lines.length > 0) return lines.shift()!;
    if (closed || exited) throw await gone(`the VM went away before ${what}`);
    let timer: NodeJS.Timeout | undefined;
    const line = await new Promise<string | undefined | 'timeout'>((resolve) => {
      waiting = resolve;
      timer = setTimeout(() => resolve('timeout'), seconds * 1000);
    });
    clearTimeout(timer);
    waiting = undefined;
    if (line === 'timeout') throw await gone(`no answer within ${seconds} s to ${what}`);
    if (line === undefined) throw await gone(`the VM went away during ${what}`);
    return line;
  }

  const ready = await nextLine(options.timeoutSeconds, 'the agent was ready');
  if (ready !== 'READY') throw await gone(`the agent said "${ready}" instead of READY`);
  const readySeconds = (performance.now() - started) / 1000;

  async function operation(words: string[], what: string): Promise<ReadResult> {
    if (words.some((word) => /[\t\n]/.test(word))) throw new Error(`${what}: a path or value holding a tab or newline cannot be sent`);
    const line = words.join('\t');
    connection.write(`${line}\n`);
    return parseReply(await nextLine(options.operationSeconds, what));
  }

  return {
    readySeconds,
    read: (path) => operation(['R', path], `reading ${path}`),
    write: async (path, text): Promise<WriteResult> => {
      const reply = await operation(['W', path, text], `writing "${text}" to ${path}`);
      return reply.ok ? { ok: true } : reply;
    },
    async close() {
      if (!exited) connection.write('Q\n');
      const timer = setTimeout(() => qemu.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
      connection.destroy();
    },
  };
}
