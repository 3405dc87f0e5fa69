/**
 * Reads files through a killable child process (read-worker.ts) so that every read is
 * bounded in size and in time. Requests are pipelined: the worker gets a whole batch of
 * paths and answers one line per path, in order, so the walk pays no round trip per file.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./read-worker.ts', import.meta.url));

export type ReadResult = { bytes: Buffer } | { error: string };

export interface BoundedReaderOptions {
  /** Bytes to read at most (one more is requested, to tell a truncated value). */
  maxBytes: number;
  /** Milliseconds a single read may take before it counts as blocked and is abandoned. */
  timeoutMs: number;
}

/** How long a worker may take to start (a busy machine can take seconds to start Node). */
const WORKER_START_MS = 60_000;

/**
 * Runs one worker over `paths` until it has answered them all or one read blocks. Returns
 * the answers it got; when a read blocked, the worker is killed and that read is the next
 * one unanswered.
 */
function runWorker(paths: string[], options: BoundedReaderOptions): Promise<{ answers: ReadResult[]; blocked: boolean }> {
  return new Promise((resolve, reject) => {
    const worker = spawn(process.execPath, [WORKER], { stdio: ['pipe', 'pipe', 'ignore'] });
    const lines = createInterface({ input: worker.stdout });
    const answers: ReadResult[] = [];
    let ready = false;
    let done = false;
    let timer: ReturnType<typeof setTimeout>;
    const finish = (blocked: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      lines.close();
      if (blocked) worker.kill('SIGKILL');
      else worker.stdin.end();
      resolve({ answers, blocked });
    };
    // The clock restarts with every answer: it measures one read, not the batch, and not
    // the worker's start-up, which on a busy machine alone can take longer than a read may.
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(true), options.timeoutMs);
    };
    lines.on('line', (line) => {
      const reply = JSON.parse(line) as { ready: true } | { data: string } | { error: string };
      if ('ready' in reply) {
        ready = true;
        return arm();
      }
      answers.push('data' in reply ? { bytes: Buffer.from(reply.data, 'base64') } : reply);
      if (answers.length === paths.length) finish(false);
      else arm();
    });
    // A worker that dies mid-batch leaves its current read unanswered, like a blocked one.
    worker.on('exit', () => ready && answers.length < paths.length && finish(true));
    // One that never gets going is no read's fault: the walk cannot go on.
    const failStart = (why: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      worker.kill('SIGKILL');
      reject(new Error(`the read worker ${why}`));
    };
    timer = setTimeout(() => failStart(`did not start within ${WORKER_START_MS / 1000} s`), WORKER_START_MS);
    worker.on('error', (error) => failStart(`could not start: ${error.message}`));
    worker.on('exit', (code, signal) => !ready && failStart(`exited before it started (${signal ?? `exit code ${code}`})`));
    worker.stdin.on('error', () => {});
    worker.stdin.write(paths.map((path) => `${JSON.stringify({ path, max: options.maxBytes + 1 })}\n`).join(''));
  });
}

/** Reads every path; a read that blocks becomes `{ error: 'timeout' }` and the rest go on. */
export async function readAll(paths: string[], options: BoundedReaderOptions, onRead?: (done: number) => void): Promise<ReadResult[]> {
  const results: ReadResult[] = [];
  while (results.length < paths.length) {
    const { answers, blocked } = await runWorker(paths.slice(results.length), options);
    results.push(...answers);
    if (blocked) results.push({ error: 'timeout' });
    onRead?.(results.length);
  }
  return results;
}
