/**
 * Builds a small tree laid out like / (proc/sys and sys) under a temp dir, holding the
 * awkward cases a real kernel produces, and runs the real scraper CLI on it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Snapshot } from '#core/schemas/snapshot.ts';

export const HOSTILE = {
  braces: '{props.x} {',
  script: '<script>window.__pwned = 1</script>',
  backticks: '``` `code` ```',
  frontmatter: '---\ntitle: pwned\n---',
};

export const ONE_MIB = 1024 * 1024;

export function makeTempDir(prefix: string): string {
  // global-setup.ts makes the parent and removes it when the run ends.
  const dir = mkdtempSync(join(process.env.LKT_TEST_TMP ?? tmpdir(), prefix));
  // The scraper may run as an unprivileged user (see runScrape): let it in.
  chmodSync(dir, 0o777);
  return dir;
}

export function writeTreeFile(root: string, path: string, content: string | Buffer, mode = 0o644): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

/** A tree with one of each case the walker must handle. */
export function makeFakeTree(): string {
  const root = makeTempDir('lkt-tree-');
  const w = (path: string, content: string | Buffer, mode?: number) => writeTreeFile(root, path, content, mode);
  w('proc/sys/kernel/osrelease', '6.1.0-99-amd64\n', 0o444);
  w('proc/meminfo', 'MemTotal:        4026532 kB\nMemFree:  1 kB\n');
  w('sys/devices/system/cpu/online', '0-3\n', 0o444);
  w('sys/devices/system/cpu/possible', '0-7\n', 0o444);
  w('proc/sys/vm/swappiness', '60\n');
  w('proc/sys/net/ipv4/tcp_rmem', '4096\t131072\t6291456\n');
  w('proc/sys/kernel/printk_multiline', 'line one\nline two\n');
  w('proc/sys/vm/drop_caches', '', 0o200);
  w('proc/sys/kernel/secret', 'hidden\n', 0o000);
  w('proc/sys/kernel/big', Buffer.alloc(ONE_MIB, 'x'));
  w('proc/sys/kernel/binary', Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x00, 0x0a]));
  w('proc/sys/kernel/hostile_braces', `${HOSTILE.braces}\n`);
  w('proc/sys/kernel/hostile_script', `${HOSTILE.script}\n`);
  w('proc/sys/kernel/hostile_backticks', `${HOSTILE.backticks}\n`);
  w('proc/sys/kernel/hostile_frontmatter', `${HOSTILE.frontmatter}\n`);
  for (const iface of ['all', 'default', 'eth0']) w(`proc/sys/net/ipv4/conf/${iface}/rp_filter`, iface === 'eth0' ? '1\n' : '2\n');
  // A FIFO: opening it for reading blocks until a writer comes, which never happens.
  execFileSync('mkfifo', [join(root, 'proc/sys/kernel/blocking')]);
  chmodSync(join(root, 'proc/sys/kernel/blocking'), 0o644);
  // sysfs: only owner-writable attributes are tunables.
  w('sys/kernel/mm/transparent_hugepage/enabled', 'always [madvise] never\n');
  w('sys/kernel/mm/transparent_hugepage/hpage_pmd_size', '2097152\n', 0o444);
  // A module parameter's file is walked even read-only: it shows what was set at load or boot.
  w('sys/module/loop/parameters/max_loop', '8\n', 0o444);
  w('sys/module/loop/refcnt', '0\n', 0o444);
  w('sys/kernel/debug/dangerous', 'must never be read\n');
  w('sys/devices/pci0000:00/0000:00:01.0/resource0', 'device memory\n', 0o600);
  w('sys/devices/virtual/net/eth0/mtu', '1500\n');
  w('sys/devices/system/cpu/cpu0/online', '1\n');
  w('sys/devices/system/cpu/cpu1/online', '1\n');
  mkdirSync(join(root, 'sys/class/net'), { recursive: true });
  symlinkSync('../../devices/virtual/net/eth0', join(root, 'sys/class/net/eth0'));
  // A symlink loop: following it would never end.
  symlinkSync('../..', join(root, 'sys/devices/virtual/net/eth0/subsystem'));
  return root;
}

export interface ScrapeRun {
  status: number | null;
  stderr: string;
  snapshot?: Snapshot;
}

/**
 * Runs `scripts/scrape/cli.ts` as a user would. As root, file modes do not stop reads,
 * so the run drops to `nobody` to meet EACCES the way the kernel gives it.
 */
export function runScrape(args: string[], outDir = makeTempDir('lkt-out-'), env: NodeJS.ProcessEnv = {}): ScrapeRun {
  const out = join(outDir, 'snapshot.json');
  const asRoot = process.getuid?.() === 0;
  const run = spawnSync(process.execPath, ['scripts/scrape/cli.ts', ...args, '--out', out], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
    ...(asRoot && { uid: 65534, gid: 65534 }),
  });
  let snapshot: Snapshot | undefined;
  try {
    snapshot = JSON.parse(readFileSync(out, 'utf8')) as Snapshot;
  } catch {
    snapshot = undefined;
  }
  // Dropped to nobody, the run cannot even start when the checkout sits below a private
  // directory (such as one made by mktemp -d): say so instead of failing without a word.
  const unstarted = run.error && `could not start the scraper${asRoot ? ' as user nobody' : ''}: ${(run.error as NodeJS.ErrnoException).code ?? run.error.message}${asRoot ? ` (every directory above ${process.cwd()} must let other users through)` : ''}`;
  return { status: run.status, stderr: unstarted || run.stderr, snapshot };
}
