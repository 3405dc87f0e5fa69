/**
 * The refresh pipeline's pure parts: the walker's record stream → snapshot, apt output
 * parsing, hazard patterns for grep -E, shapes, the boot pool.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/fake-tree.ts';
import { REFERENCE_COMMAND_LINE } from '#core/kernels.ts';
import { describe, expect, it } from 'vitest';
import { snapshot as snapshotSchema } from '#core/schemas/snapshot.ts';
import { SYSFS_HAZARD_FILES } from '../../scripts/lib/walk/hazards.ts';
import { ARCH_PROFILES } from '../../scripts/refresh/arch.ts';
import { lastStage, parseShape, qemuArgs, qemuProgram, shapeName } from '../../scripts/refresh/boot.ts';
import { resizeDeviceTree } from '../../scripts/refresh/device-tree.ts';
import { hostSuite } from '../../scripts/refresh/busybox.ts';
import { kernelIdOfRelease, kernelLabel, plan } from '../../scripts/refresh/run.ts';
import { errnoName } from '../../scripts/refresh/errno.ts';
import { fileNameEre, portsConfig } from '../../scripts/refresh/initramfs.ts';
import { limit } from '../../scripts/refresh/limit.ts';
import { hardDependencies, loadPlan, modinfo, moduleName, softDependencies } from '../../scripts/refresh/modules.ts';
import { archCacheDir, candidateVersion, prepareKernel, dependencyClause, dependencyNames, madisonVersions, imageOfMeta, kernelPackageNames, parseStanza, sourcesList } from '../../scripts/lib/apt.ts';
import { parseRecords, RecordError, recordsToSnapshot, splitAtMarker } from '../../scripts/refresh/records.ts';
import { creditModules, LOADED_TOGETHER, moduleCredits } from '../../scripts/refresh/credit.ts';

const MARK = Buffer.from('random-marker-bytes-0123');
const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64');

/** An R record as the walker writes it: each file's bytes followed by the marker, errors on stderr. */
function readRecord(pass: number, first: number, contents: (string | Buffer)[], stderr = '', status = stderr ? 1 : 0): string {
  const stdout = Buffer.concat(contents.flatMap((c) => [Buffer.from(c), MARK]));
  return ['R', pass, first, contents.length, status, b64(stdout), b64(stderr)].join('\t');
}

const BIG = 'x'.repeat(16385); // head reads MAX_BYTES + 1 to tell a value was cut
const BINARY = Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x00, 0x0a]);

const files = [
  ['644', '/proc/sys/vm/swappiness'],
  ['200', '/proc/sys/vm/drop_caches'],
  ['644', '/proc/sys/net/ipv6/conf/all/stable_secret'],
  ['444', '/proc/sys/kernel/random/boot_id'],
  ['644', '/sys/kernel/mm/big'],
  ['644', '/sys/devices/pci0000:00/0000:00:02.0/config'],
  ['644', '/sys/power/blocking'],
];

/** A walk of the files above, both passes; `message` is what head says about drop_caches. */
const stream = (message = 'Permission denied') => {
  const stderr = `head: /proc/sys/vm/drop_caches: ${message}\nhead: /proc/sys/net/ipv6/conf/all/stable_secret: Input/output error\n`;
  return [
    'BEGIN\t6.1.0-56-amd64\tx86_64\t0-3\t0-63\tMemTotal:        4008652 kB\t2.12',
    `M\t${b64(MARK)}`,
    'S\t/sys/kernel/debug\tdebugfs: debugging interface, reads can have side effects',
    'T\tlisted\t3.88',
    ...files.map(([mode, path]) => `P\t${mode}\t${path}`),
    readRecord(1, 1, ['60\n', '', '', 'aaaa-1\n', BIG, BINARY], stderr),
    readRecord(1, 7, [''], '', 137),
    readRecord(2, 1, ['60\n', '', '', 'bbbb-2\n', BIG, BINARY], stderr),
    'X\tsctp\tsctp\tinsmod: can\'t insert \'/modules/sctp.ko\': unknown symbol in module, or unknown parameter',
    'P\t644\t/proc/sys/net/netfilter/nf_conntrack_max\tnf_conntrack',
    readRecord(1, 8, ['65536\n']),
    readRecord(2, 8, ['65536\n']),
    'N\tnet\t/proc/sys/net/netfilter/nf_conntrack_max\tvisible',
    'N\tuts\t/proc/sys/kernel/random/boot_id\tglobal',
    'N\tipc\t/proc/sys/vm/swappiness\tuntested: sh: write error: Invalid argument',
    'N\tuser\t/sys/kernel/mm/big\tnamespaced',
    "L\t/sys/block/vda\t'/sys/block/vda' -> '../devices/pci0000:00/0000:00:05.0/virtio2/block/vda'",
    "L\t/sys/bus/pci/drivers/virtio-pci/0000:00:05.0\t'/sys/bus/pci/drivers/virtio-pci/0000:00:05.0' -> '../../../../devices/pci0000:00/0000:00:05.0'",
    'T\tread 1\t6.05',
    `END\t${files.length + 1}\t7.71`,
    '',
  ].join('\n');
};
const STREAM = stream();

describe('walker record stream', () => {
  const records = parseRecords(STREAM);
  const snap = recordsToSnapshot(records, { maxBytes: 16384, run: 2 });
  const entry = (path: string) => snap.entries.find((e) => e.path === path);

  it('gives a valid qemu snapshot with kernel, machine shape and run', () => {
    expect(snapshotSchema.parse(snap)).toBeTruthy();
    expect(snap).toMatchObject({ source: 'qemu', run: 2, kernel: { release: '6.1.0-56-amd64', series: '6.1' } });
    expect(snap.machine).toEqual({ arch: 'x86_64', cpus: 4, possibleCpus: 64, memoryKiB: 4008652 });
  });

  it('refuses a BEGIN without the possible CPUs, or with fewer possible than online', () => {
    const oldWalker = STREAM.replace('\t0-3\t0-63\t', '\t0-3\t');
    expect(() => parseRecords(oldWalker)).toThrow(/line 1 \(BEGIN\): expected 6 fields, got 5/);
    expect(() => parseRecords(STREAM.replace('\t0-3\t0-63\t', '\t0-3\t0-1\t'))).toThrow(/fewer possible CPUs \(0-1\) than online \(0-3\)/);
  });

  it('keeps values with their modes, sorted by path, kinds from the path', () => {
    expect(entry('/proc/sys/vm/swappiness')).toEqual({ path: '/proc/sys/vm/swappiness', kind: 'sysctl', mode: '0644', value: '60\n' });
    expect(entry('/sys/kernel/mm/big')?.kind).toBe('sysfs');
    expect(snap.entries.map((e) => e.path)).toEqual([...snap.entries.map((e) => e.path)].sort());
  });

  it('names errors by errno, from open and from read', () => {
    expect(entry('/proc/sys/vm/drop_caches')).toMatchObject({ mode: '0200', error: 'EACCES' });
    expect(entry('/proc/sys/vm/drop_caches')?.value).toBeUndefined();
    expect(entry('/proc/sys/net/ipv6/conf/all/stable_secret')?.error).toBe('EIO');
  });

  it('records a read killed at its time bound as timeout', () => {
    expect(entry('/sys/power/blocking')?.error).toBe('timeout');
  });

  it('caps a long value and marks it truncated', () => {
    expect(entry('/sys/kernel/mm/big')).toMatchObject({ value: 'x'.repeat(16384), truncated: true });
  });

  it('encodes bytes that are not UTF-8 as base64', () => {
    const config = entry('/sys/devices/pci0000:00/0000:00:02.0/config');
    expect(config?.encoding).toBe('base64');
    expect(Buffer.from(config!.value!, 'base64')).toEqual(BINARY);
  });

  it('marks values that differ between the two reads as changed, and only those', () => {
    expect(snap.entries.filter((e) => e.changed).map((e) => e.path)).toEqual(['/proc/sys/kernel/random/boot_id']);
  });

  it('resolves device links and ignores other symlinks', () => {
    expect(snap.links).toEqual({ '/sys/block/vda': '/sys/devices/pci0000:00/0000:00:05.0/virtio2/block/vda' });
  });

  it('credits a file that appeared with a module to it', () => {
    expect(entry('/proc/sys/net/netfilter/nf_conntrack_max')).toMatchObject({ value: '65536\n', module: 'nf_conntrack', namespace: 'net' });
    expect(snap.entries.filter((e) => e.module).length).toBe(1);
    expect(records.moduleFailures).toEqual([{ module: 'sctp', file: 'sctp', message: "insmod: can't insert '/modules/sctp.ko': unknown symbol in module, or unknown parameter" }]);
  });

  it('scopes a file to a namespace when a new namespace sees it or keeps its own copy, not otherwise', () => {
    expect(entry('/sys/kernel/mm/big')?.namespace).toBe('user');
    expect(entry('/proc/sys/kernel/random/boot_id')?.namespace).toBeUndefined(); // global
    expect(entry('/proc/sys/vm/swappiness')?.namespace).toBeUndefined(); // untested
  });

  it('lists skipped hazards and reports the stages', () => {
    expect(snap.skipped).toEqual([{ path: '/sys/kernel/debug', reason: 'debugfs: debugging interface, reads can have side effects' }]);
    expect(records.stages.map((s) => s.name)).toEqual(['begin', 'listed', 'read 1', 'end']);
  });

  it('tolerates carriage returns from a cooked tty', () => {
    expect(recordsToSnapshot(parseRecords(STREAM.replaceAll('\n', '\r\n')), { maxBytes: 16384, run: 2 })).toEqual(snap);
  });

  it('rejects a stream cut short, with the last stage reached', () => {
    const cut = STREAM.slice(0, STREAM.indexOf('\nEND'));
    expect(() => parseRecords(cut)).toThrow(/ends before END \(last stage: read 1\)/);
  });

  it('says how far a walk got when the VM was stopped', () => {
    expect(lastStage(STREAM.slice(0, STREAM.indexOf('\nR\t')))).toBe('the walk\'s last stage was "listed"');
    expect(lastStage('')).toBe('the walker never started');
  });

  it('rejects an empty stream and one whose batch lost a marker', () => {
    expect(() => parseRecords('')).toThrow(RecordError);
    expect(() => splitAtMarker(Buffer.concat([Buffer.from('60\n'), MARK, Buffer.from('1\n')]), MARK, 2)).toThrow(/1 markers, expected 2/);
  });

  it('keeps a file whose error is no strerror text among the skipped, with the message', () => {
    const odd = stream('Weird failure');
    const skipped = recordsToSnapshot(parseRecords(odd), { maxBytes: 16384, run: 1 }).skipped;
    expect(skipped).toContainEqual({ path: '/proc/sys/vm/drop_caches', reason: 'unknown read error: Weird failure' });
  });
});

describe("a values walk's module files, credited from the kernel's full walk", () => {
  const full = {
    links: {},
    entries: [
      { path: '/proc/sys/net/netfilter/nf_conntrack_max', kind: 'sysctl' as const, mode: '0644', module: 'nf_conntrack' },
      { path: '/proc/sys/net/ipv4/conf/br0/forwarding', kind: 'sysctl' as const, mode: '0644', module: 'bridge' },
      { path: '/proc/sys/vm/swappiness', kind: 'sysctl' as const, mode: '0644' },
    ],
  };
  const values = (paths: string[]) =>
    [
      'BEGIN\t6.1.0-56-amd64\tx86_64\t0-3\t0-3\tMemTotal:        4008652 kB\t2.12',
      `M\t${b64(MARK)}`,
      'P\t644\t/proc/sys/vm/swappiness',
      ...paths.map((path) => `P\t644\t${path}\t${LOADED_TOGETHER}`),
      readRecord(1, 1, ['60\n', ...paths.map(() => '1\n')]),
      `END\t${paths.length + 1}\t7.71`,
    ].join('\n');

  it('credits a file to the module that made the same path in the full walk', () => {
    const { records, uncredited } = creditModules(parseRecords(values(['/proc/sys/net/netfilter/nf_conntrack_max'])), moduleCredits(full));
    const snap = recordsToSnapshot(records, { maxBytes: 16384, run: 1 });
    expect(snap.entries.find((e) => e.path.endsWith('nf_conntrack_max'))?.module).toBe('nf_conntrack');
    expect(snap.entries.find((e) => e.path.endsWith('swappiness'))?.module).toBeUndefined();
    expect(uncredited).toEqual([]);
  });

  it("credits another instance of a tunable (a bridge this shape has more of) to the module of the full walk's instance", () => {
    const { records } = creditModules(parseRecords(values(['/proc/sys/net/ipv4/conf/br1/forwarding'])), moduleCredits(full));
    expect(records.files.at(-1)).toEqual({ mode: '644', path: '/proc/sys/net/ipv4/conf/br1/forwarding', module: 'bridge' });
  });

  it('leaves a file no module of the full walk made without one, and says which', () => {
    const { records, uncredited } = creditModules(parseRecords(values(['/proc/sys/net/sctp/rto_min'])), moduleCredits(full));
    expect(uncredited).toEqual(['/proc/sys/net/sctp/rto_min']);
    expect(records.files.at(-1)?.module).toBeUndefined();
  });

  it('refuses to make a snapshot of a values walk whose module files were not credited', () => {
    expect(() => recordsToSnapshot(parseRecords(values(['/proc/sys/net/netfilter/nf_conntrack_max'])), { maxBytes: 16384, run: 1 })).toThrow(
      /nf_conntrack_max came with the modules loaded together: credit it from the kernel's full walk/,
    );
  });
});

describe('pid namespace write test', () => {
  const pidFiles = ['/proc/sys/kernel/ns_last_pid', '/proc/sys/kernel/pid_max', '/proc/sys/vm/memfd_noexec'];
  const walk = (verdicts: string[]) =>
    [
      'BEGIN\t7.2.13+deb14-amd64\tx86_64\t0\t0-63\tMemTotal:       16379836 kB\t6.63',
      `M\t${b64(MARK)}`,
      ...pidFiles.map((path) => `P\t644\t${path}`),
      readRecord(1, 1, ['131\n', '65536\n', '0\n']),
      readRecord(2, 1, ['131\n', '65536\n', '0\n']),
      ...pidFiles.map((path, i) => `N\tpid\t${path}\t${verdicts[i]}`),
      `END\t${pidFiles.length}\t103.66`,
    ].join('\n');

  it('scopes to the pid namespace what a child pid namespace wrote without moving the parent', () => {
    const snap = recordsToSnapshot(parseRecords(walk(['namespaced', 'namespaced', 'namespaced'])), { maxBytes: 16384, run: 1 });
    expect(snap.entries.map((e) => [e.path, e.namespace])).toEqual(pidFiles.map((path) => [path, 'pid']));
  });

  it('leaves global what the child changed for the parent too, and what it could not test', () => {
    const records = parseRecords(walk(['namespaced', 'global', 'untested: sh: write error: Operation not permitted']));
    expect(records.namespaces.map((n) => n.verdict)).toEqual(['namespaced', 'global', 'untested: sh: write error: Operation not permitted']);
    const snap = recordsToSnapshot(records, { maxBytes: 16384, run: 1 });
    expect(snap.entries.map((e) => e.namespace)).toEqual(['pid', undefined, undefined]);
  });

  /** A shell function of the walker, run by the VM's shell. */
  const walker = readFileSync(new URL('../../scripts/refresh/vm/walk.sh', import.meta.url), 'utf8');
  const shellFunction = (name: string) => new RegExp(`^${name}\\(\\) \\{[^]*?^\\}$`, 'm').exec(walker)![0];
  const runs = (script: string) => {
    try {
      execFileSync('/bin/busybox', ['sh', '-c', `${shellFunction('far_from')}\n${shellFunction('kept_own')}\n${script}`]);
      return true;
    } catch {
      return false;
    }
  };

  it('judges kernel.ns_last_pid, which every process started moves, by which value it stayed near', () => {
    // The child writes a value 10000 away, inside the smallest pid_max (32768).
    expect(execFileSync('/bin/busybox', ['sh', '-c', `${shellFunction('far_from')}\nfar_from 300; far_from 30000`]).toString()).toBe('10300\n20000\n');
    // Per pid namespace: the parent's last pid moved on by the test's own processes only.
    expect(runs('kept_own 304 300 10300')).toBe(true);
    expect(runs('kept_own 29996 30000 20000')).toBe(true);
    // Shared: the parent's last pid followed the child's write.
    expect(runs('kept_own 10302 300 10300')).toBe(false);
    expect(runs('kept_own 20003 30000 20000')).toBe(false);
  });
});

describe('errno names from strerror text', () => {
  it('maps glibc messages and kernel-internal codes', () => {
    expect(errnoName('Permission denied')).toBe('EACCES');
    expect(errnoName('Input/output error')).toBe('EIO');
    expect(errnoName('Invalid argument')).toBe('EINVAL');
    expect(errnoName('Operation not permitted')).toBe('EPERM');
    expect(errnoName('Operation not supported')).toBe('ENOTSUP');
    expect(errnoName('Unknown error 524')).toBe('ENOTSUPP');
    expect(errnoName('no such message')).toBeUndefined();
  });
});

describe('apt output', () => {
  const SID_IMAGE = `Package: linux-image-7.2.13+deb14-amd64
Version: 7.2.13-1
Depends: dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, linux-base-7.2.13+deb14-amd64 (= 7.2.13-1), linux-binary-7.2.13+deb14-amd64 (= 7.2.13-1), linux-modules-7.2.13+deb14-amd64 (= 7.2.13-1)
Description: Linux 7.2.13 for 64-bit PCs
 continued description
Filename: pool/main/l/linux-signed-amd64/linux-image-7.2.13+deb14-amd64_7.2.13-1_amd64.deb
Size: 1892

Package: linux-image-7.2.13+deb14-amd64
Version: 7.2.12-1
`;

  it('reads the first stanza, joining continuation lines', () => {
    const fields = parseStanza(SID_IMAGE);
    expect(fields.get('Version')).toBe('7.2.13-1');
    expect(fields.get('Description')).toBe('Linux 7.2.13 for 64-bit PCs\ncontinued description');
    expect(fields.get('Size')).toBe('1892');
  });

  it('lists dependency names without versions', () => {
    expect(dependencyNames('kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120) | linux-initramfs-tool, libc6:amd64')).toEqual([
      'kmod',
      'linux-base',
      'initramfs-tools',
      'linux-initramfs-tool',
      'libc6',
    ]);
  });

  it('finds the candidate version, or none', () => {
    expect(candidateVersion('linux-image-amd64:\n  Installed: (none)\n  Candidate: 6.1.192-2\n')).toBe('6.1.192-2');
    expect(candidateVersion('linux-image-amd64:\n  Installed: (none)\n  Candidate: (none)\n')).toBeUndefined();
  });

  it('follows the metapackage to the versioned image', () => {
    expect(imageOfMeta('linux-base-amd64 (= 7.2.13-1), linux-image-7.2.13+deb14-amd64 (= 7.2.13-1)')).toBe('linux-image-7.2.13+deb14-amd64');
    expect(() => imageOfMeta('linux-base')).toThrow(/no versioned image/);
  });

  it('takes the kernel and modules packages behind a signed 7.x image, the image alone before', () => {
    expect(kernelPackageNames('linux-image-7.2.13+deb14-amd64', parseStanza(SID_IMAGE).get('Depends'))).toEqual([
      'linux-image-7.2.13+deb14-amd64',
      'linux-binary-7.2.13+deb14-amd64',
      'linux-modules-7.2.13+deb14-amd64',
      'linux-base-7.2.13+deb14-amd64',
    ]);
    expect(kernelPackageNames('linux-image-6.1.0-56-amd64', 'kmod, linux-base (>= 4.3~)')).toEqual(['linux-image-6.1.0-56-amd64']);
  });
});

describe('modules to load', () => {
  const ko = Buffer.concat([
    Buffer.from('\x7fELF…code…\0'),
    Buffer.from('alias=crypto-crc32c\0alias=crc32c\0depends=nf_defrag_ipv6,libcrc32c\0softdep=pre: crc32c sha256 post: mpls-gso\0name=nf_conntrack\0'),
  ]);

  it('reads .modinfo fields, dependencies and pre soft dependencies', () => {
    expect(modinfo(ko, 'alias')).toEqual(['crypto-crc32c', 'crc32c']);
    expect(hardDependencies(ko)).toEqual(['nf_defrag_ipv6', 'libcrc32c']);
    expect(softDependencies(ko)).toEqual(['crc32c', 'sha256']);
    expect(hardDependencies(Buffer.from('\0depends=\0'))).toEqual([]);
  });

  it('names modules by file, dashes as underscores', () => {
    expect(moduleName('crc32c-intel.ko.xz')).toBe('crc32c_intel');
    expect(moduleName('sctp.ko')).toBe('sctp');
    expect(moduleName('modules.order')).toBeUndefined();
  });

  it('plans dependencies first, each module once, skipping modules the kernel lacks', () => {
    const deps: Record<string, string[]> = { br_netfilter: ['bridge'], bridge: ['stp', 'llc'], stp: ['llc'], nf_conntrack: ['libcrc32c'] };
    const available = new Set(['br_netfilter', 'bridge', 'stp', 'llc', 'nf_conntrack', 'libcrc32c']);
    expect(loadPlan(['ipv6', 'bridge', 'br_netfilter', 'nf_conntrack'], available, (name) => deps[name] ?? [])).toEqual([
      { module: 'bridge', load: ['llc', 'stp', 'bridge'] },
      { module: 'br_netfilter', load: ['br_netfilter'] },
      { module: 'nf_conntrack', load: ['libcrc32c', 'nf_conntrack'] },
    ]);
  });

  it('fails on a missing dependency or a cycle', () => {
    expect(() => loadPlan(['a'], new Set(['a']), () => ['b'])).toThrow(/a depends on b/);
    expect(() => loadPlan(['a'], new Set(['a', 'b']), (name) => (name === 'a' ? ['b'] : ['a']))).toThrow(/cycle: a → b → a/);
  });
});

describe('hazard file patterns in the VM', () => {
  const grep = (ere: string, lines: string[]) =>
    execFileSync('sh', ['-c', 'grep -E "$0" || true', ere], { input: lines.join('\n') }).toString().split('\n').filter(Boolean);

  it('turns each scraper hazard into an ERE that grep -E matches on exactly the same file names', () => {
    const paths = ['resource', 'resource0', 'resource12_wc', 'resource0_wcx', 'rom', 'romx', 'brom'].map((name) => `/sys/devices/pci0000:00/0000:00:02.0/${name}`);
    for (const { name } of SYSFS_HAZARD_FILES) {
      const expected = paths.filter((path) => name.test(path.split('/').at(-1)!));
      expect(grep(fileNameEre(name), paths)).toEqual(expected);
    }
  });

  it('refuses syntax grep -E does not share', () => {
    expect(() => fileNameEre(/^a\w+$/)).toThrow(/grep -E/);
    expect(() => fileNameEre(/^(?:a)$/)).toThrow(/grep -E/);
  });
});

describe('machine shapes and the boot pool', () => {
  it('parses CPUSxMiB', () => {
    expect(parseShape('4x4096')).toEqual({ cpus: 4, memoryMiB: 4096 });
    expect(() => parseShape('4G')).toThrow(/CPUSxMEBIBYTES/);
  });

  it('parses CPUS/POSSIBLExMiB, and names each shape back as it was written', () => {
    expect(parseShape('1/64x16384')).toEqual({ cpus: 1, possibleCpus: 64, memoryMiB: 16384 });
    for (const name of ['1x1024', '4x4096', '1/64x16384']) expect(shapeName(parseShape(name))).toBe(name);
    // As many possible as online is the plain shape, one name for one machine.
    expect(parseShape('4/4x4096')).toEqual({ cpus: 4, memoryMiB: 4096 });
    expect(() => parseShape('4/2x4096')).toThrow(/possible at least online/);
    expect(() => parseShape('1/x4096')).toThrow(/CPUS\/POSSIBLExMEBIBYTES/);
  });

  it('boots possible CPUs as present CPUs the kernel leaves offline: -smp POSSIBLE and maxcpus=ONLINE', () => {
    const boot = (shape: string, extraWords?: string[]) => {
      const args = qemuArgs({ vmlinuz: 'k', initrd: 'i', shape: parseShape(shape), workDir: 'w', timeoutSeconds: 1, ...(extraWords && { extraWords }) });
      return [args[args.indexOf('-smp') + 1], args[args.indexOf('-m') + 1], args[args.indexOf('-append') + 1]];
    };
    expect(boot('1/64x16384')).toEqual(['64', '16384', `${REFERENCE_COMMAND_LINE} maxcpus=1`]);
    expect(boot('4x4096')).toEqual(['4', '4096', REFERENCE_COMMAND_LINE]);
    // A probe's words come last, so they still win.
    expect(boot('1/64x16384', ['panic=7'])[2]).toBe(`${REFERENCE_COMMAND_LINE} maxcpus=1 panic=7`);
  });

  it('runs at most N tasks at once, all of them', async () => {
    const slot = limit(2);
    let running = 0;
    let most = 0;
    const done = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        slot(async () => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running--;
          return i;
        }),
      ),
    );
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
  });
});

describe('a second architecture', () => {
  it("boots arm64 on qemu's virt board with the recorded CPU, its console on the PL011 and the records on a PCI serial port", () => {
    const args = qemuArgs({ arch: 'arm64', vmlinuz: 'k', initrd: 'i', shape: parseShape('1/64x4096'), workDir: 'w', timeoutSeconds: 1, agentSocket: 'a.sock', deviceTree: 'w/possible-cpus.dtb' });
    expect(qemuProgram({ arch: 'arm64' })).toBe('qemu-system-aarch64');
    expect(args.slice(0, 10)).toEqual(['-accel', 'tcg', '-M', 'virt,gic-version=3', '-cpu', ARCH_PROFILES.arm64.cpuModel, '-nic', 'none', '-m', '4096']);
    expect(args[args.indexOf('-append') + 1]).toBe('console=ttyAMA0 quiet panic=-1 maxcpus=1');
    expect(args.filter((arg) => arg.startsWith('pci-serial'))).toEqual(['pci-serial,chardev=records', 'pci-serial,chardev=agent']);
    expect(args).toContain('file,id=records,path=w/records.txt');
    // The guest's devices for those ports, in the initramfs for /init.
    expect(portsConfig('arm64')).toBe('RECORDS=/dev/ttyS0\nAGENT=/dev/ttyS1\n');
    expect(portsConfig('amd64')).toBe('RECORDS=/dev/ttyS1\nAGENT=/dev/ttyS2\n');
  });

  it("runs only arm64's online CPUs: a device tree lists the possible ones, and without it the boot is refused", () => {
    const options = { arch: 'arm64', vmlinuz: 'k', initrd: 'i', shape: parseShape('1/64x4096'), workDir: 'w', timeoutSeconds: 1 } as const;
    const args = qemuArgs({ ...options, deviceTree: 'w/possible-cpus.dtb' });
    expect([args[args.indexOf('-smp') + 1], args[args.indexOf('-dtb') + 1]]).toEqual(['1', 'w/possible-cpus.dtb']);
    expect(() => qemuArgs(options)).toThrow(/needs the device tree of its possible CPUs/);
    // A shape without offline CPUs boots with qemu's own tree; amd64 runs its offline CPUs.
    expect(qemuArgs({ ...options, shape: parseShape('4x4096') })).not.toContain('-dtb');
    expect(qemuArgs({ ...options, arch: 'amd64' })).not.toContain('-dtb');
  });

  it("resizes qemu's dumped device tree, keeping its blocks and setting the header's total size", () => {
    // Header (40 bytes), an empty reservation map (16), a structure block (8), strings (4), then qemu's free room.
    const blob = Buffer.alloc(256, 0xff);
    for (const [at, value] of [[0, 0xd00dfeed], [4, 256], [8, 56], [12, 64], [16, 40], [32, 4], [36, 8]] as const) blob.writeUInt32BE(value, at);
    blob.write('strs', 64);
    for (const size of [68, 1000]) {
      const resized = resizeDeviceTree(blob, size);
      expect([resized.length, resized.readUInt32BE(4), resized.toString('latin1', 64, 68)]).toEqual([size, size, 'strs']);
      expect(resized.subarray(68).every((byte) => byte === 0)).toBe(true);
    }
    expect(blob.readUInt32BE(4)).toBe(256);
    expect(() => resizeDeviceTree(blob, 67)).toThrow(/take 68 bytes, more than 67/);
    expect(() => resizeDeviceTree(Buffer.alloc(64), 100)).toThrow(/not a flattened device tree/);
    blob.writeUInt32BE(300, 12);
    expect(() => resizeDeviceTree(blob, 1000)).toThrow(/past the 256 bytes/);
  });

  it('keeps amd64 booting as before, naming the CPU qemu emulated by default', () => {
    const args = qemuArgs({ vmlinuz: 'k', initrd: 'i', shape: parseShape('1x1024'), workDir: 'w', timeoutSeconds: 1 });
    expect(qemuProgram({})).toBe('qemu-system-x86_64');
    expect(args.slice(0, 4)).toEqual(['-accel', 'tcg', '-cpu', 'qemu64']);
    expect(args.filter((arg) => arg === '-serial')).toHaveLength(2);
  });

  it('names each kernel by its id: a Debian release ends in its arch', () => {
    expect(kernelIdOfRelease('6.1.0-57-arm64')).toBe('6.1-arm64');
    expect(kernelIdOfRelease('6.12.118+deb13-amd64')).toBe('6.12');
    expect(() => kernelIdOfRelease('6.1.0')).toThrow(/Debian arch/);
    expect(kernelLabel({ suite: 'bookworm', arch: 'arm64' })).toBe('bookworm arm64');
    expect(kernelLabel({ suite: 'bookworm', arch: 'amd64' })).toBe('bookworm');
  });

  it("resolves each arch's packages with its own sources list and cache folder", () => {
    expect(sourcesList('bookworm', 'arm64')).toBe('deb [arch=arm64] http://deb.debian.org/debian bookworm main\ndeb [arch=arm64] http://deb.debian.org/debian-security bookworm-security main\n');
    expect(archCacheDir('.cache/kernels', 'sid', 'arm64')).toBe('.cache/kernels/sid-arm64');
    expect(archCacheDir('.cache/kernels', 'sid')).toBe('.cache/kernels/sid');
    expect(imageOfMeta('linux-image-6.1.0-57-arm64 (= 6.1.192-3)', 'arm64')).toBe('linux-image-6.1.0-57-arm64');
  });

  it("takes arm64's busybox from the host's own suite", () => {
    expect(hostSuite('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n')).toBe('bookworm');
    expect(() => hostSuite('ID=debian\n')).toThrow(/VERSION_CODENAME/);
  });

  it('refuses an arch it cannot boot, naming the ones it can', () => {
    expect(plan({ arches: ['arm64'] }).arches).toEqual(['arm64']);
    expect(plan().arches).toEqual(['amd64', 'arm64']);
    expect(() => plan({ arches: ['riscv64'] })).toThrow(/riscv64.*amd64, arm64/);
    expect(() => plan({ arches: ['arm64', 'arm64'] })).toThrow(/given twice/);
  });
});

describe('a kernel whose newest build the archive lacks', () => {
  it("reads madison's versions newest first, once each, and the version a metapackage pins", () => {
    const madison = [
      'linux-image-arm64 | 5.10.262-1 | http://deb.debian.org/debian-security bullseye-security/main arm64 Packages',
      'linux-image-arm64 | 5.10.223-1 | http://deb.debian.org/debian bullseye/main arm64 Packages',
      'linux-image-arm64 | 5.10.223-1 | http://deb.debian.org/debian bullseye/main Sources',
    ].join('\n');
    expect(madisonVersions(madison)).toEqual(['5.10.262-1', '5.10.223-1']);
    expect(dependencyClause('linux-image-5.10.0-32-arm64 (= 5.10.223-1), kmod', 'linux-image-5.10.0-32-arm64')).toBe('linux-image-5.10.0-32-arm64 (= 5.10.223-1)');
    expect(dependencyClause('kmod', 'linux-image-5.10.0-32-arm64')).toBeUndefined();
  });

  it("keeps the cached older version's packages when the newer one's download fails", async () => {
    const root = makeTempDir('lkt-kernels-');
    const dirs = { apt: join(root, 'apt'), kernels: join(root, 'kernels') };
    const cached = join(archCacheDir(dirs.kernels, 'bullseye', 'arm64'), 'linux-image-5.10.0-32-arm64_5.10.223-1_arm64.deb');
    mkdirSync(join(cached, '..'), { recursive: true });
    writeFileSync(cached, 'the older kernel');
    // apt knows no such package here (no package lists): the download fails, as the archive's 404 did.
    const newer = { name: 'linux-image-5.10.0-46-arm64', version: '5.10.262-1', file: 'linux-image-5.10.0-46-arm64_5.10.262-1_arm64.deb', size: 1 };
    await expect(prepareKernel({ suite: 'bullseye', arch: 'arm64', version: '5.10.262-1', packages: [newer] }, dirs)).rejects.toThrow(/apt-get/);
    expect(existsSync(cached)).toBe(true);
  });
});
