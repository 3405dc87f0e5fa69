import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot as snapshotSchema, type Snapshot, type SnapshotEntry } from '#core/schemas/snapshot.ts';
import { HOSTILE, makeFakeTree, ONE_MIB, runScrape, type ScrapeRun } from '../helpers/fake-tree.ts';

describe('scraper on a fake tree', () => {
  let run: ScrapeRun;
  let snapshot: Snapshot;
  const entry = (path: string): SnapshotEntry => {
    const found = snapshot.entries.find((e) => e.path === path);
    if (!found) throw new Error(`no entry for ${path}`);
    return found;
  };

  beforeAll(() => {
    // The default per-read limit: a tighter one is beaten by a busy machine's scheduling alone.
    run = runScrape(['--root', makeFakeTree()]);
    if (!run.snapshot) throw new Error(`scrape failed (${run.status}):\n${run.stderr}`);
    snapshot = run.snapshot;
  });

  it('writes a valid snapshot with kernel release and machine shape', () => {
    expect(run.status).toBe(0);
    expect(snapshotSchema.parse(snapshot).kernel).toEqual({ release: '6.1.0-99-amd64', series: '6.1' });
    expect(snapshot.machine.cpus).toBe(4);
    // Defaults such as kernel.pid_max scale with the possible CPUs: the live walk records them too.
    expect(snapshot.machine.possibleCpus).toBe(8);
    expect(snapshot.machine.memoryKiB).toBe(4026532);
  });

  it('records ordinary and multi-line values with their modes', () => {
    expect(entry('/proc/sys/vm/swappiness')).toMatchObject({ kind: 'sysctl', mode: '0644', value: '60\n' });
    expect(entry('/proc/sys/kernel/printk_multiline').value).toBe('line one\nline two\n');
    expect(entry('/proc/sys/net/ipv4/tcp_rmem').value).toBe('4096\t131072\t6291456\n');
  });

  it('records EACCES for a write-only file and for an unreadable one', () => {
    expect(entry('/proc/sys/vm/drop_caches')).toMatchObject({ mode: '0200', error: 'EACCES' });
    expect(entry('/proc/sys/kernel/secret')).toMatchObject({ mode: '0000', error: 'EACCES' });
    expect(entry('/proc/sys/kernel/secret').value).toBeUndefined();
  });

  it('abandons a read that blocks, records a timeout and goes on', () => {
    expect(entry('/proc/sys/kernel/blocking').error).toBe('timeout');
    // Files after the FIFO in walk order were still read.
    expect(entry('/proc/sys/kernel/hostile_braces').value).toBe(`${HOSTILE.braces}\n`);
  });

  it('caps a 1 MiB value and marks it truncated', () => {
    const big = entry('/proc/sys/kernel/big');
    expect(big.truncated).toBe(true);
    expect(big.value!.length).toBe(16384);
    expect(big.value!.length).toBeLessThan(ONE_MIB);
  });

  it('encodes non-UTF-8 bytes as base64 and marks them', () => {
    const binary = entry('/proc/sys/kernel/binary');
    expect(binary.encoding).toBe('base64');
    expect(Buffer.from(binary.value!, 'base64')).toEqual(Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x00, 0x0a]));
  });

  it('keeps hostile values as the text read', () => {
    expect(entry('/proc/sys/kernel/hostile_script').value).toBe(`${HOSTILE.script}\n`);
    expect(entry('/proc/sys/kernel/hostile_frontmatter').value).toBe(`${HOSTILE.frontmatter}\n`);
  });

  it('keeps owner-writable sysfs attributes and module parameters, does not follow symlinks, skips hazards with a reason', () => {
    const sysfs = snapshot.entries.filter((e) => e.kind === 'sysfs').map((e) => e.path);
    expect(sysfs).toContain('/sys/kernel/mm/transparent_hugepage/enabled');
    expect(sysfs).not.toContain('/sys/kernel/mm/transparent_hugepage/hpage_pmd_size');
    expect(sysfs).toContain('/sys/module/loop/parameters/max_loop');
    expect(sysfs).not.toContain('/sys/module/loop/refcnt');
    expect(sysfs.some((p) => p.includes('/subsystem/'))).toBe(false);
    expect(sysfs.some((p) => p.startsWith('/sys/kernel/debug'))).toBe(false);
    expect(snapshot.skipped).toContainEqual({ path: '/sys/kernel/debug', reason: expect.stringContaining('debugfs') });
    expect(run.stderr).toMatch(/skipped \/sys\/kernel\/debug: debugfs/);
    expect(snapshot.skipped).toContainEqual({ path: '/sys/devices/pci0000:00/0000:00:01.0/resource0', reason: expect.stringContaining('PCI BAR') });
    expect(snapshot.links['/sys/class/net/eth0']).toBe('/sys/devices/virtual/net/eth0');
  });

  it('prints a summary of files read, skips and errors', () => {
    expect(run.stderr).toMatch(/read \d+ files \(\d+ sysctl, \d+ sysfs\) in [\d.]+ s/);
    expect(run.stderr).toMatch(/unreadable 2: EACCES/);
    expect(run.stderr).toMatch(/unreadable 1: timeout/);
    expect(run.stderr).toMatch(/passed over \d+: symlink/);
  });

  it('refuses to run without a source', () => {
    const bad = runScrape([]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--live or --root/);
  });
});

describe('scraper on a busy machine', () => {
  it('times each read from when the reader runs, not from its slow start', () => {
    // Every Node process (the scraper and each read worker it starts) first sleeps 1.5 s, as
    // start-up can take on a loaded machine; the per-read limit is 1 s. Only the FIFO blocks.
    const slowStart = `data:text/javascript,${encodeURIComponent('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500)')}`;
    const slow = runScrape(['--root', makeFakeTree(), '--timeout', '1000'], undefined, { NODE_OPTIONS: `--import=${slowStart}` });
    expect(slow.status, slow.stderr).toBe(0);
    const timedOut = slow.snapshot!.entries.filter((e) => e.error === 'timeout').map((e) => e.path);
    expect(timedOut).toEqual(['/proc/sys/kernel/blocking']);
    expect(slow.stderr).toMatch(/unreadable 1: timeout/);
  });
});

describe('scraper on the live kernel', () => {
  it('reads every file under /proc/sys', () => {
    const run = runScrape(['--live', '--reads', '1']);
    expect(run.status, run.stderr).toBe(0);
    const expected = Number(execFileSync('sh', ['-c', 'find /proc/sys -type f | wc -l'], { encoding: 'utf8' }).trim());
    const sysctls = run.snapshot!.entries.filter((e) => e.kind === 'sysctl');
    expect(sysctls.length).toBe(expected);
    expect(sysctls.find((e) => e.path === '/proc/sys/vm/swappiness')?.value).toMatch(/^\d+\n$/);
  }, 120_000);
});
