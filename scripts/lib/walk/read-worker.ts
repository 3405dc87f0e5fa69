/**
 * Child process that performs the actual file reads for the scraper. Reads of /proc and
 * /sys can block indefinitely (a FIFO, /sys/power/wakeup_count, a hung driver); Node
 * cannot cancel a read blocked in the kernel, but the parent can kill this process and
 * start another, so the walk goes on. Protocol: first `{"ready": true}` on stdout once
 * the worker runs (the parent times reads from then on, not from the spawn); then one JSON
 * request per stdin line, `{"path": string, "max": number}`, and one JSON reply per stdout
 * line, `{"data": base64}` or `{"error": "EACCES"}`.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';

function readBounded(path: string, max: number): Buffer {
  // O_NOFOLLOW: never read through a symlink the walk did not choose to follow.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buffer = Buffer.alloc(max);
    let length = 0;
    while (length < max) {
      const n = readSync(fd, buffer, length, max - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { path, max } = JSON.parse(line) as { path: string; max: number };
  let reply: { data: string } | { error: string };
  try {
    reply = { data: readBounded(path, max).toString('base64') };
  } catch (error) {
    reply = { error: (error as NodeJS.ErrnoException).code ?? 'EIO' };
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
