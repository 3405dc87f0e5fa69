/**
 * Runs one build and measures it from outside: wall time, CPU time and peak memory of its
 * whole process tree, and every line it logs with the millisecond it arrived (Astro's own timestamps are
 * whole seconds, too coarse to split a build into phases).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface LogLine {
  /** Milliseconds since the command started. */
  at: number;
  text: string;
}

export interface Run {
  seconds: number;
  /** User + system CPU time of the whole process tree: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  /** Highest sum of VmRSS over the process and all its descendants, in bytes, at any sample. */
  peakRssBytes: number;
  lines: LogLine[];
}

/** How often the process tree's memory is sampled: a peak shorter than this can be missed. */
const SAMPLE_MS = 100;

/** pid → parent pid of every process now alive (from /proc/<pid>/stat). */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: the fields after its last ')' are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(name), ppid);
    } catch {
      // Exited between the listing and the read.
    }
  }
  return map;
}

function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of `root` and every descendant, summed (shared pages count once per process). */
export function treeRssBytes(root: number): number {
  const byParent = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rssBytes(pid);
    stack.push(...(byParent.get(pid) ?? []));
  }
  return total;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * A shell runs the command and, once it has reaped it, saves its own /proc stat: its
 * cutime and cstime then hold the CPU time of the command and every descendant it reaped
 * (Node offers no rusage of children).
 */
const WRAPPER = '"$@"; status=$?; cat /proc/$$/stat > "$BENCH_STAT_FILE"; exit $status';

function childrenCpuSeconds(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  // Fields after the command name's ')': state is field 3, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/**
 * Runs `command` to completion; a non-zero exit throws with the end of its log.
 * `onLine` sees each line as it comes (progress for a long build).
 */
export function measure(command: string, args: string[], options: { cwd?: string; env?: Record<string, string>; onLine?: (line: string) => void } = {}): Promise<Run> {
  const statDir = mkdtempSync(join(tmpdir(), 'lkt-bench-stat-'));
  const statFile = join(statDir, 'stat');
  const started = performance.now();
  const child = spawn('sh', ['-c', WRAPPER, 'sh', command, ...args], {
    cwd: options.cwd,
    // No colours: the log is parsed.
    env: { ...process.env, ...options.env, FORCE_COLOR: '0', NO_COLOR: '1', BENCH_STAT_FILE: statFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const collect = (stream: NodeJS.ReadableStream) =>
    createInterface({ input: stream }).on('line', (text) => {
      lines.push({ at: performance.now() - started, text });
      options.onLine?.(text);
    });
  collect(child.stdout!);
  collect(child.stderr!);
  let peakRssBytes = 0;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, treeRssBytes(child.pid!))), SAMPLE_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      try {
        if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${lines.slice(-30).map((l) => l.text).join('\n')}`);
        resolve({ seconds, cpuSeconds: childrenCpuSeconds(statFile), peakRssBytes, lines });
      } catch (error) {
        reject(error as Error);
      } finally {
        rmSync(statDir, { recursive: true, force: true });
      }
    });
  });
}
