/**
 * Integration: `npm run refresh` on one real Debian suite (bookworm, 6.1), its amd64 and
 * its arm64 kernel each booted twice, and once with 4 possible CPUs of which one is online, under qemu, beside a suite that does not exist (its
 * failure must not cost bookworm's snapshots). Needs qemu-system-x86, qemu-system-arm,
 * busybox-static and cpio installed (CI's .ci/run does that) and reaches Debian's archive
 * unless .cache/ already holds the kernels and arm64's busybox.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { snapshot as snapshotSchema, type Snapshot } from '#core/schemas/snapshot.ts';
import { kernelModules, type KernelModules } from '#core/schemas/modules.ts';
import { bootProbeResults } from '#core/schemas/boot-probes.ts';
import { acceptedResults } from '#core/schemas/accepted.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

/**
 * Hang guards, not speed tests. qemu emulates the CPU (no KVM): alone two amd64 boots run at
 * once and take about 2 min, two arm64 boots about 3.5 min; beside a CPU hog they were still
 * loading modules when a 240 s limit killed them. A boot gets 20 min; the whole run
 * (downloads, initramfs, the boots two at a time) 5 min more than two boots' limits.
 */
const BOOT_LIMIT_S = 1200;
const RUN_LIMIT_MS = (2 * BOOT_LIMIT_S + 300) * 1000;

describe('refresh of the bookworm kernels (amd64 and arm64) under qemu', () => {
  let status: number | null;
  let stderr: string;
  let snapshots: Snapshot[];
  let arm64: Snapshot[];
  let modulesOut: string;
  let out: string;
  const entry = (snap: Snapshot, path: string) => snap.entries.find((e) => e.path === path);

  beforeAll(() => {
    out = makeTempDir('lkt-refresh-');
    modulesOut = makeTempDir('lkt-modules-');
    const result = spawnSync(process.execPath, ['scripts/refresh/cli.ts', '--suites', 'bookworm,no-such-suite', '--arches', 'amd64,arm64', '--shapes', '1x1024,1/4x1024', '--out', out, '--modules-out', modulesOut, '--timeout', String(BOOT_LIMIT_S)], {
      encoding: 'utf8',
      timeout: RUN_LIMIT_MS,
    });
    status = result.status;
    stderr = result.stderr;
    const all = readdirSync(out)
      .sort()
      .map((name) => snapshotSchema.parse(JSON.parse(readFileSync(join(out, name), 'utf8'))));
    snapshots = all.filter((s) => s.machine.arch === 'x86_64');
    arm64 = all.filter((s) => s.machine.arch === 'aarch64');
  }, RUN_LIMIT_MS + 60_000);

  it('reports the suite that failed on each arch and exits 1, keeping the snapshots of the kernels that booted', () => {
    expect(status, stderr).toBe(1);
    expect(stderr).toMatch(/\nfailed: no-such-suite, no-such-suite arm64\n {2}no-such-suite: download: /);
    expect(stderr).toMatch(/\n {2}no-such-suite arm64: download: /);
    expect(stderr).toMatch(/ bookworm 6\.1\.0-\S+-amd64: 3 snapshot\(s\), module parameters in 6\.1\.json\n/);
    expect(stderr).toMatch(/ bookworm arm64 6\.1\.0-\S+-arm64: 3 snapshot\(s\), module parameters in 6\.1-arm64\.json\n/);
  });

  it("boots Debian's arm64 kernel of the suite, recording the CPU qemu emulated", () => {
    expect(arm64.map((s) => [s.kernel.series, s.run, s.machine.cpus, s.machine.cpuModel])).toEqual([
      ['6.1', 1, 1, 'max,pauth-impdef=on'],
      ['6.1', 2, 1, 'max,pauth-impdef=on'],
      ['6.1', 1, 1, 'max,pauth-impdef=on'],
    ]);
    expect(arm64[0]!.kernel.release).toMatch(/^6\.1\.0-\d+-arm64$/);
    expect(snapshots[0]!.machine.cpuModel).toBe('qemu64');
  });

  it('finds what differs between the arches: vm.mmap_min_addr, and sysctls only one of them has', () => {
    // Debian's configs set CONFIG_DEFAULT_MMAP_MIN_ADDR to 4096 on arm64 and 65536 on amd64 (kernel-hardening-checker#175).
    const mmapMinAddr = (snap: Snapshot) => entry(snap, '/proc/sys/vm/mmap_min_addr')?.value;
    expect(mmapMinAddr(arm64[0]!)).toMatch(/^\d+\n$/);
    expect(mmapMinAddr(arm64[0]!)).not.toBe(mmapMinAddr(snapshots[0]!));
    // SWP emulation for 32-bit ARM code is an arm64 sysctl; vsyscall32 an x86 one.
    expect(entry(arm64[0]!, '/proc/sys/abi/swp')).toMatchObject({ kind: 'sysctl' });
    expect(entry(snapshots[0]!, '/proc/sys/abi/swp')).toBeUndefined();
    expect(entry(snapshots[0]!, '/proc/sys/abi/vsyscall32')).toMatchObject({ kind: 'sysctl' });
    expect(entry(arm64[0]!, '/proc/sys/abi/vsyscall32')).toBeUndefined();
    // The same walker ran: modules loaded and namespaces tested there too.
    expect(entry(arm64[0]!, '/proc/sys/net/netfilter/nf_conntrack_max')?.module).toBe('nf_conntrack');
    expect(entry(arm64[0]!, '/proc/sys/net/ipv4/tcp_fin_timeout')?.namespace).toBe('net');
  });

  it('boots the first shape twice and writes a valid qemu snapshot per boot', () => {
    expect(snapshots.map((s) => [s.source, s.kernel.series, s.machine.cpus, s.run])).toEqual([
      ['qemu', '6.1', 1, 1],
      ['qemu', '6.1', 1, 2],
      ['qemu', '6.1', 1, 1],
    ]);
    expect(snapshots[0]!.machine.memoryKiB).toBeGreaterThan(900_000);
    expect(snapshots[0]!.machine.possibleCpus).toBe(1);
  });

  it('counts the possible CPUs of a shape with offline ones on both arches (on arm64 qemu runs only the online one)', () => {
    for (const snaps of [snapshots, arm64]) {
      expect(snaps.map((s) => [s.machine.cpus, s.machine.possibleCpus])).toEqual([[1, 1], [1, 1], [1, 4]]);
      // The same walk: every file of the plain shape, offline CPUs' own files besides.
      const paths = new Set(snaps[2]!.entries.map((e) => e.path));
      expect(snaps[0]!.entries.filter((e) => !paths.has(e.path))).toEqual([]);
    }
    expect(stderr).toMatch(/\[bookworm 6\.1\.0-\S+-arm64 1\/4x1024 run1\] \d+\.\d s \(walk/);
  });

  it('measures vm.swappiness = 60', () => {
    expect(snapshots).toHaveLength(3);
    for (const snap of snapshots) expect(entry(snap, '/proc/sys/vm/swappiness')).toMatchObject({ kind: 'sysctl', mode: '0644', value: '60\n' });
  });

  it('finds net.ipv4.tcp_fin_timeout per network namespace, kernel.hostname per UTS namespace, kernel.shmmax per IPC namespace', () => {
    expect(entry(snapshots[0]!, '/proc/sys/net/ipv4/tcp_fin_timeout')?.namespace).toBe('net');
    expect(entry(snapshots[0]!, '/proc/sys/kernel/hostname')?.namespace).toBe('uts');
    expect(entry(snapshots[0]!, '/proc/sys/kernel/shmmax')?.namespace).toBe('ipc');
    expect(entry(snapshots[0]!, '/proc/sys/vm/swappiness')?.namespace).toBeUndefined();
  });

  it('finds kernel.ns_last_pid per pid namespace, and kernel.pid_max global on 6.1 (per pid namespace only from 7.2 on)', () => {
    expect(entry(snapshots[0]!, '/proc/sys/kernel/ns_last_pid')?.namespace).toBe('pid');
    expect(entry(snapshots[0]!, '/proc/sys/kernel/pid_max')).toMatchObject({ value: '32768\n' });
    expect(entry(snapshots[0]!, '/proc/sys/kernel/pid_max')?.namespace).toBeUndefined();
  });

  it('credits module tunables to the module that brought them', () => {
    expect(entry(snapshots[0]!, '/proc/sys/net/netfilter/nf_conntrack_max')?.module).toBe('nf_conntrack');
    expect(entry(snapshots[0]!, '/proc/sys/net/bridge/bridge-nf-call-iptables')?.module).toBe('br_netfilter');
    expect(entry(snapshots[0]!, '/proc/sys/vm/swappiness')?.module).toBeUndefined();
  });

  it("runs the kernel's first boot as a full walk and the second as a values walk, credited from the first", () => {
    for (const arch of ['', ' arm64']) {
      expect(stderr).toMatch(new RegExp(`\\[bookworm 6\\.1\\.0-\\S+${arch ? '-arm64' : '-amd64'} 1x1024 run1\\] boot \\(full walk\\)`));
      expect(stderr).toMatch(new RegExp(`\\[bookworm 6\\.1\\.0-\\S+${arch ? '-arm64' : '-amd64'} 1x1024 run2\\] boot \\(values walk\\)`));
    }
    for (const [full, values] of [snapshots, arm64]) {
      // The values walk loaded the modules together; every file they brought is credited as the full walk credited it.
      const credited = (snap: Snapshot) => snap.entries.filter((e) => e.module).map((e) => `${e.path} ${e.module}`);
      expect(credited(values!)).toEqual(credited(full!));
      expect(credited(values!).length).toBeGreaterThan(500);
      expect(entry(values!, '/proc/sys/net/netfilter/nf_conntrack_max')).toMatchObject({ module: 'nf_conntrack', value: entry(full!, '/proc/sys/net/netfilter/nf_conntrack_max')!.value });
    }
  });

  it('tells boots apart: boot_id differs between the two runs', () => {
    const [a, b] = snapshots.map((s) => entry(s, '/proc/sys/kernel/random/boot_id')?.value);
    expect(a).toMatch(/^[0-9a-f-]{36}\n$/);
    expect(a).not.toBe(b);
  });

  it('reports progress and a summary on stderr', () => {
    expect(stderr).toMatch(/\[bookworm 6\.1\.0-\S+ 1x1024 run1\] boot/);
    expect(stderr).toMatch(/refresh finished in \d+ s/);
  });
  it("writes the kernel's module parameters, read from its package: type, description and when each can be set", () => {
    expect(readdirSync(modulesOut).sort()).toEqual(['6.1-arm64.json', '6.1.json']);
    const { series, release, modules }: KernelModules = kernelModules.parse(JSON.parse(readFileSync(join(modulesOut, '6.1.json'), 'utf8')));
    expect({ series, release }).toEqual({ series: '6.1', release: snapshots[0]!.kernel.release });
    const param = (module: string, name: string) => modules.find((m) => m.module === module)?.params.find((p) => p.name === name);
    expect(param('nvme_core', 'io_timeout')).toEqual({ name: 'io_timeout', type: 'uint', description: 'timeout in seconds for I/O', mode: '0644', access: 'runtime' });
    expect(param('loop', 'max_loop')).toMatchObject({ description: 'Maximum number of loop devices', mode: '0444', access: 'read-only' });
    expect(param('zram', 'num_devices')).toMatchObject({ type: 'uint', mode: '0000', access: 'load-time' });
    // Built in: typed from modules.builtin.modinfo; their permission bits are in the image, which a boot shows.
    expect(modules.find((m) => m.module === '8250')).toMatchObject({ builtIn: true, params: expect.arrayContaining([{ name: 'nr_uarts', type: 'uint', description: 'Maximum number of UARTs supported. (1-32)' }]) });
    const loadable = modules.filter((m) => !m.builtIn).flatMap((m) => m.params);
    // Debian's 6.1 amd64 kernels hold about 4,840 parameters in 1,250 modules (../shared/DESIGN.md).
    expect(loadable.length).toBeGreaterThan(4000);
    expect(new Set(loadable.map((p) => p.access))).toEqual(new Set(['runtime', 'read-only', 'load-time', undefined]));
    expect(stderr).toMatch(/\[bookworm\] \d+ module parameters in \d+ modules \(\d+ built in(, read before)?\)/);
    // arm64's own modules (DESIGN: about 3,400 parameters on 6.1), read the same way from its package.
    const arm64File = kernelModules.parse(JSON.parse(readFileSync(join(modulesOut, '6.1-arm64.json'), 'utf8')));
    expect(arm64File).toMatchObject({ series: '6.1', arch: 'arm64', release: arm64[0]!.kernel.release });
    const arm64Modules = arm64File.modules;
    expect(arm64Modules.filter((m) => !m.builtIn).flatMap((m) => m.params).length).toBeGreaterThan(3000);
  });

  describe('with --probes, against those two plain boots', () => {
    let probeStatus: number | null;
    let probeStderr: string;
    let probesOut: string;

    beforeAll(() => {
      // One probe rides in both boots of the smallest design. nf_conntrack is a loadable
      // module: only the walker handing it the command line's words, as modprobe does, moves it.
      const list = join(makeTempDir('lkt-probe-list-'), 'probes.json');
      writeFileSync(list, JSON.stringify({ schemaVersion: 1, leftOut: [], probes: [{ parameter: 'nf_conntrack.hashsize', value: '32768', why: 'default 8192 on 1 GiB' }] }));
      probesOut = makeTempDir('lkt-probes-');
      const result = spawnSync(process.execPath, ['scripts/refresh/cli.ts', '--suites', 'bookworm', '--arches', 'amd64', '--shapes', '1x1024,1/4x1024', '--out', out, '--probes', list, '--probes-out', probesOut, '--timeout', String(BOOT_LIMIT_S)], {
        encoding: 'utf8',
        timeout: RUN_LIMIT_MS,
      });
      probeStatus = result.status;
      probeStderr = result.stderr;
    }, RUN_LIMIT_MS + 60_000);

    it('credits nf_conntrack.hashsize=32768 with the conntrack hash size and its own file, and nothing with runtime state', () => {
      expect(probeStatus, probeStderr).toBe(0);
      expect(readdirSync(probesOut)).toEqual(['6.1.json']);
      const results = bootProbeResults.parse(JSON.parse(readFileSync(join(probesOut, '6.1.json'), 'utf8')));
      expect(results.batches).toEqual([['nf_conntrack.hashsize=32768'], ['nf_conntrack.hashsize=32768']]);
      const [probe] = results.probes;
      expect(probe).toMatchObject({ word: 'nf_conntrack.hashsize=32768', boots: [1, 2] });
      expect(probe!.moved).toEqual(
        expect.arrayContaining([
          { path: '/proc/sys/net/netfilter/nf_conntrack_buckets', from: expect.not.stringMatching(/^32768/), to: '32768\n' },
          { path: '/sys/module/nf_conntrack/parameters/hashsize', from: expect.not.stringMatching(/^32768/), to: '32768\n' },
        ]),
      );
      expect(probe!.moved.map((m) => m.path)).not.toContain('/proc/sys/kernel/random/boot_id');
      expect(results.volatile).toBeGreaterThan(0);
      // The plain boots stay as they were: probing writes no snapshot.
      expect(readdirSync(out)).toHaveLength(6);
    });
  });

  describe('with --accepted, on the targets of the first plain boot', () => {
    let acceptedStatus: number | null;
    let acceptedStderr: string;
    let acceptedOut: string;

    beforeAll(() => {
      acceptedOut = makeTempDir('lkt-accepted-');
      const only = 'vm.swappiness,net.ipv4.tcp_ecn,kernel.hung_task_panic,net.ipv4.conf.*.rp_filter,net.netfilter.nf_conntrack_max,kernel.modules_disabled';
      const result = spawnSync(
        process.execPath,
        ['scripts/refresh/cli.ts', '--suites', 'bookworm', '--arches', 'amd64', '--shapes', '1x1024,1/4x1024', '--out', out, '--accepted', 'content/accepted-probes.json', '--accepted-only', only, '--accepted-out', acceptedOut, '--timeout', String(BOOT_LIMIT_S)],
        { encoding: 'utf8', timeout: RUN_LIMIT_MS },
      );
      acceptedStatus = result.status;
      acceptedStderr = result.stderr;
    }, RUN_LIMIT_MS + 60_000);

    it("finds 6.1's exact bounds by writing, puts every value back, and leaves the denied alone", () => {
      expect(acceptedStatus, acceptedStderr).toBe(0);
      expect(readdirSync(acceptedOut)).toEqual(['6.1.json']);
      const file = acceptedResults.parse(JSON.parse(readFileSync(join(acceptedOut, '6.1.json'), 'utf8')));
      const range = (path: string) => {
        const result = file.results.find((r) => r.path === path);
        return result && [result.min, result.max];
      };
      expect(range('/proc/sys/vm/swappiness')).toEqual(['0', '200']);
      expect(range('/proc/sys/net/ipv4/tcp_ecn')).toEqual(['0', '2']);
      expect(range('/proc/sys/kernel/hung_task_panic')).toEqual(['0', '1']);
      // One instance of a pattern, lo: never all, which writes through to every interface.
      // 6.1's devinet_conf_proc is a plain proc_dointvec: any int, though only 0 – 2 mean something.
      expect(range('/proc/sys/net/ipv4/conf/lo/rp_filter')).toEqual(['-2147483648', '2147483647']);
      expect(file.results.map((r) => r.path)).not.toContain('/proc/sys/net/ipv4/conf/all/rp_filter');
      // A module's sysctl: the agent loads the curated modules first.
      expect(range('/proc/sys/net/netfilter/nf_conntrack_max')).toEqual(['0', '2147483647']);
      expect(file.left).toEqual([{ path: '/proc/sys/kernel/modules_disabled', reason: expect.stringMatching(/^denied: one way/) }]);
      expect(file.results.filter((r) => r.notRestored !== undefined)).toEqual([]);
      expect(file.changedAfter).toEqual([]);
      expect(file).toMatchObject({ killed: [], boots: 1, targetsFrom: expect.stringMatching(/-1cpu-1024M-run1\.json$/) });
      expect(acceptedStderr).toMatch(/\[bookworm\] 5 ranges, 0 skipped, 0 killed, 0 changed after/);
    });
  });
});
