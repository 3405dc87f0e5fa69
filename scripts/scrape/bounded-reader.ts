/**
 * Reads files through a killable child process (read-worker.ts) so that every read is
 * bounded in size and in time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./read-worker.ts', import.meta.url));

export type ReadResult = { bytes: Buffer } | { error: string };

export interface BoundedReaderOptions {
  /** Bytes to read at most. */
  maxBytes: number;
  /** Milliseconds before a read counts as blocked and is abandoned. */
  timeoutMs: number;
}

export class BoundedReader {
  #worker: ChildProcessWithoutNullStreams | undefined;
  #lines: Interface | undefined;
  #pending: ((line: string) => void) | undefined;
  readonly #options: BoundedReaderOptions;

  constructor(options: BoundedReaderOptions) {
    this.#options = options;
  }

  #start(): ChildProcessWithoutNullStreams {
    const worker = spawn(process.execPath, [WORKER], { stdio: ['pipe', 'pipe', 'pipe'] });
    worker.stderr.resume();
    this.#lines = createInterface({ input: worker.stdout });
    this.#lines.on('line', (line) => {
      const resolve = this.#pending;
      this.#pending = undefined;
      resolve?.(line);
    });
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
    });
    this.#worker = worker;
    return worker;
  }

  #kill(): void {
    this.#lines?.close();
    this.#worker?.kill('SIGKILL');
    this.#worker = undefined;
    this.#pending = undefined;
  }

  /** Reads up to `maxBytes` (one more is requested, to tell a truncated value). */
  read(path: string): Promise<ReadResult> {
    const worker = this.#worker ?? this.#start();
    return new Promise<ReadResult>((resolve) => {
      const timer = setTimeout(() => {
        this.#kill();
        resolve({ error: 'timeout' });
      }, this.#options.timeoutMs);
      this.#pending = (line) => {
        clearTimeout(timer);
        const reply = JSON.parse(line) as { data: string } | { error: string };
        resolve('data' in reply ? { bytes: Buffer.from(reply.data, 'base64') } : reply);
      };
      worker.stdin.write(`${JSON.stringify({ path, max: this.#options.maxBytes + 1 })}\n`);
    });
  }

  close(): void {
    this.#worker?.stdin.end();
    this.#lines?.close();
    this.#worker = undefined;
  }
}
