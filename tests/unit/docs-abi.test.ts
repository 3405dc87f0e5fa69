import { describe, expect, it } from 'vitest';
import { parseAbiFile, scanAbi } from '../../scripts/docs/abi.ts';
import { abiMatcher } from '#core/abi-match.ts';
import type { RawAbiEntry } from '../../scripts/docs/abi.ts';
import { makeTempDir, writeTreeFile } from '../helpers/fake-tree.ts';

const FILE = 'Documentation/ABI/testing/sysfs-test';
const parse = (text: string) => parseAbiFile(text, FILE, 'testing');

describe('ABI files parse into entries', () => {
  it('reads every field, several What lines and continuation What lines, and ignores Users', () => {
    const [entry, ...rest] = parse([
      'What:\t\t/sys/kernel/mm/ksm/run',
      'What:\t\t/sys/kernel/mm/ksm/sleep_millisecs',
      '\t\t/sys/kernel/mm/ksm/pages_to_scan',
      'Date:\t\tSeptember 2009',
      'KernelVersion:\t2.6.32',
      'Contact:\tLinux memory management mailing list <linux-mm@kvack.org>',
      'Description:\tKernel Samepage Merging daemon sysfs interface',
      '',
      '\t\tSee Documentation/admin-guide/mm/ksm.rst for more information.',
      'Users:\t\tksmtuned',
      '\t\tand others',
    ].join('\n'));
    expect(rest).toEqual([]);
    expect(entry).toEqual({
      file: FILE,
      line: 1,
      status: 'testing',
      what: ['/sys/kernel/mm/ksm/run', '/sys/kernel/mm/ksm/sleep_millisecs', '/sys/kernel/mm/ksm/pages_to_scan'],
      date: 'September 2009',
      kernelVersion: '2.6.32',
      contact: 'Linux memory management mailing list <linux-mm@kvack.org>',
      description: 'Kernel Samepage Merging daemon sysfs interface\n\nSee Documentation/admin-guide/mm/ksm.rst for more information.',
    } satisfies RawAbiEntry);
  });

  it('splits entries with or without blank lines between them, keeping column-0 labels like Values:', () => {
    const entries = parse([
      'What: \t\t/sys/devices/system/cpu/dscr_default',
      'Date:\t\t13-May-2014',
      'Contact:',
      'Description:\tWrites are equivalent to writing to',
      '\t\t/sys/devices/system/cpu/cpuN/dscr on all CPUs.',
      'Values:\t\t64 bit unsigned integer (bit field)',
      'What:           /sys/devices/system/cpu/cpuX/topology/die_id',
      'Description:    the CPU die ID of cpuX.',
    ].join('\n'));
    expect(entries.map((e) => [e.line, e.what])).toEqual([
      [1, ['/sys/devices/system/cpu/dscr_default']],
      [7, ['/sys/devices/system/cpu/cpuX/topology/die_id']],
    ]);
    expect(entries[0]!.description).toBe('Writes are equivalent to writing to\n/sys/devices/system/cpu/cpuN/dscr on all CPUs.\nValues:         64 bit unsigned integer (bit field)');
    expect(entries[0]).not.toHaveProperty('contact');
    expect(entries[1]!.description).toBe('the CPU die ID of cpuX.');
  });

  it('dedents tabs and spaces alike, keeps nested indentation and one blank line per paragraph break', () => {
    const [entry] = parse([
      'What:\t\t/sys/block/<disk>/queue/scheduler',
      'Description:',
      '\t\tWhen read, this file will display the current and available',
      '                IO schedulers for this block device:',
      '',
      '',
      '\t\t    # cat /sys/block/sda/queue/scheduler',
      '\t\t    noop [deadline] cfq',
      '',
      '\t\tWriting a name selects it.   ',
    ].join('\n'));
    expect(entry!.description).toBe([
      'When read, this file will display the current and available',
      'IO schedulers for this block device:',
      '',
      '    # cat /sys/block/sda/queue/scheduler',
      '    noop [deadline] cfq',
      '',
      'Writing a name selects it.',
    ].join('\n'));
  });

  it('dedents to the column of the words on the Description: line, so what is nested under them stays nested', () => {
    const [entry] = parse('What:\t\t/sys/bus/hid/drivers/hid-corsair-void/<dev>/fw_version_headset\nDescription:\t(R) The firmware version of the headset\n\t\t\t* Returns -ENODATA if no version was reported\n');
    expect(entry!.description).toBe('(R) The firmware version of the headset\n        * Returns -ENODATA if no version was reported');
  });

  it('reads tags written without a colon, in lower case, or with a semicolon', () => {
    const entries = parse([
      'what:\t\t/sys/kernel/mm/damon/',
      'contact:\tSJ Park <sj@kernel.org>',
      'Description:\tInterface for DAMON.',
      '',
      'What            /sys/bus/cxl/devices/memX/security/erase',
      'Date:           June, 2023',
      'KernelVersion\tv6.5',
      'Description:\t(WO) Erase.',
      '',
      'What;           /sys/power/pm_trace_dev_match',
      'Description:\tDevices that may have caused the hang.',
    ].join('\n'));
    expect(entries.map((e) => e.what[0])).toEqual(['/sys/kernel/mm/damon/', '/sys/bus/cxl/devices/memX/security/erase', '/sys/power/pm_trace_dev_match']);
    expect(entries[0]!.contact).toBe('SJ Park <sj@kernel.org>');
    expect(entries[1]!.kernelVersion).toBe('v6.5');
  });

  it('accepts fields in other orders: Users before Description, Contact before the What it belongs to', () => {
    const entries = parse([
      'What:\t\tAudit Login UID',
      'Date:\t\t2005-02-01',
      'Users:\t\taudit and login applications',
      'Description:',
      '\t\tThe /proc/$pid/loginuid pseudofile.',
      '',
      'Contact:\tDaniil Lunev <dlunev@chromium.org>',
      'What:\t\t/sys/bus/platform/drivers/ufshcd/*/capabilities/',
      'What:\t\t/sys/bus/platform/devices/*.ufs/capabilities/',
      'Date:\t\tAugust 2022',
      'Description:\tThe group represents the effective capabilities.',
      '',
      'What:\t\t/sys/fs/f2fs/<disk>/discard_idle_interval',
      'Contact:\t"Chao Yu" <yuchao0@huawei.com>',
      'Contact:\t"Sahitya Tummala" <quic_stummala@quicinc.com>',
      'Description:\tControls the idle timing of discard thread.',
    ].join('\n'));
    expect(entries.map((e) => [e.line, e.what.length, e.description])).toEqual([
      [1, 1, 'The /proc/$pid/loginuid pseudofile.'],
      [8, 2, 'The group represents the effective capabilities.'],
      [13, 1, 'Controls the idle timing of discard thread.'],
    ]);
    expect(entries[1]!.contact).toBe('Daniil Lunev <dlunev@chromium.org>');
    expect(entries[2]!.contact).toBe('"Chao Yu" <yuchao0@huawei.com>, "Sahitya Tummala" <quic_stummala@quicinc.com>');
  });

  it('skips RST-ish prose and headings before the first entry and between entries', () => {
    const entries = parse([
      'PCIe Device AER statistics',
      '--------------------------',
      '',
      'These attributes show up under all the devices that are AER capable.',
      '',
      'What:\t\t/sys/bus/pci/devices/<dev>/aer_dev_correctable',
      'Date:\t\tJuly 2018',
      'Description:\tList of correctable errors. Sample output::',
      '',
      '\t\t    Receiver Error 2',
      '',
      'PCIe Rootport AER statistics',
      '----------------------------',
      '',
      'These attributes show up under only the rootports.',
      '',
      'What:\t\t/sys/bus/pci/devices/<dev>/aer_rootport_total_err_cor',
      'Description:\tTotal number of ERR_COR messages.',
    ].join('\n'));
    expect(entries.map((e) => e.line)).toEqual([6, 17]);
    expect(entries[0]!.description).toBe('List of correctable errors. Sample output::\n\n    Receiver Error 2');
  });

  it('drops words between What paths that are not paths', () => {
    const [entry] = parse('What:\t\t/sys/bus/firewire/drivers/sbp2/fw*/ieee1394_id\n\t\tformerly\n\t\t/sys/bus/ieee1394/drivers/sbp2/fw*/ieee1394_id\nDescription:\tSCSI target port identifier.\n');
    expect(entry!.what).toEqual(['/sys/bus/firewire/drivers/sbp2/fw*/ieee1394_id', '/sys/bus/ieee1394/drivers/sbp2/fw*/ieee1394_id']);
  });

  it('finds no entry in a file that is not in ABI format', () => {
    expect(parse('NOTE: all the ABIs listed here are deprecated.\n\n| Deprecated | Alternative |\nWhat happens next is up to you.\n')).toEqual([]);
    expect(parse('')).toEqual([]);
  });

  it('scans a tree by status folder, with paths relative to the root, and reports skipped files', async () => {
    const root = makeTempDir('abi-');
    writeTreeFile(root, 'Documentation/ABI/README', 'What:\t\tnot an entry: the README is no status folder\n');
    writeTreeFile(root, 'Documentation/ABI/stable/sysfs-block', 'What:\t\t/sys/block/<disk>/stat\nDescription:\tStatistics.\n');
    writeTreeFile(root, 'Documentation/ABI/testing/sysfs-kernel-mm', '\nWhat:\t\t/sys/kernel/mm/ksm/run\nDescription:\tRun.\n');
    writeTreeFile(root, 'Documentation/ABI/testing/prose', 'Just words.\n');
    writeTreeFile(root, 'Documentation/ABI/obsolete/blob', Buffer.from([0x57, 0x68, 0x61, 0x74, 0x3a, 0, 1, 2]));
    writeTreeFile(root, 'Documentation/ABI/removed/sysfs-class-rfkill', 'What:\t\t/sys/class/rfkill/rfkill[0-9]+/claim\nDescription:\tGone.\n');
    const skipped: string[] = [];
    const entries = await scanAbi(root, (file, reason) => skipped.push(`${file}: ${reason}`));
    expect(entries.map((e) => [e.status, e.file, e.line])).toEqual([
      ['stable', 'Documentation/ABI/stable/sysfs-block', 1],
      ['testing', 'Documentation/ABI/testing/sysfs-kernel-mm', 2],
      ['removed', 'Documentation/ABI/removed/sysfs-class-rfkill', 1],
    ]);
    expect(skipped.sort()).toEqual(['Documentation/ABI/obsolete/blob: binary file', 'Documentation/ABI/testing/prose: no What: entry']);
  });
});

/** Entries as the parser makes them, from What lines as the kernel writes them. */
function entries(...specs: [status: RawAbiEntry['status'], ...what: string[]][]): RawAbiEntry[] {
  return specs.map(([status, ...what], i) => ({ file: FILE, line: i + 1, what, status, description: `entry ${i}` }));
}

const matchedWhat = (list: RawAbiEntry[], page: string) => abiMatcher(list)(page)?.what[0];

describe('page paths match ABI What patterns', () => {
  it('treats any ABI variable segment as one of our placeholders', () => {
    const list = entries(
      ['testing', '/sys/block/<disk>/queue/scheduler'],
      ['testing', '/sys/class/net/<iface>/mtu'],
      ['testing', '/sys/class/net/<iface>/queues/tx-<queue>/xps_cpus'],
      ['stable', '/sys/devices/system/node/nodeX/compact'],
      ['testing', '/sys/class/tty/ttyS<x>/console'],
      ['testing', '/sys/kernel/slab/<cache>/min_partial'],
      ['testing', '/sys/kernel/mm/mempolicy/weighted_interleave/nodeN'],
      ['stable', '/sys/class/rfkill/rfkill[0-9]+/state'],
      ['testing', '/sys/devices/system/xen_cpu/xen_cpu#/online'],
    );
    const match = abiMatcher(list);
    expect(match('/sys/block/<device>/queue/scheduler')).toBe(list[0]);
    expect(match('/sys/class/net/<interface>/mtu')).toBe(list[1]);
    expect(match('/sys/class/net/<interface>/queues/<tx-queue>/xps_cpus')).toBe(list[2]);
    expect(match('/sys/devices/system/node/<node>/compact')).toBe(list[3]);
    expect(match('/sys/class/tty/<tty>/console')).toBe(list[4]);
    expect(match('/sys/kernel/slab/<slab-cache>/min_partial')).toBe(list[5]);
    expect(match('/sys/kernel/mm/mempolicy/weighted_interleave/<node>')).toBe(list[6]);
    expect(match('/sys/class/rfkill/<rfkill>/state')).toBe(list[7]);
    expect(match('/sys/devices/system/xen_cpu/<xen-cpu>/online')).toBe(list[8]);
    expect(match('/sys/block/<device>/queue/nomerges')).toBeUndefined();
  });

  it('matches literal instance names against X, N, [0-9]+ and {a,b}, and not words that merely start alike', () => {
    const list = entries(
      ['testing', '/sys/devices/system/machinecheck/machinecheckX/bank<Y>'],
      ['stable', '/sys/class/rfkill/rfkill[0-9]+/state'],
      ['testing', '/sys/bus/cxl/devices/decoderX.Y/{start,size}'],
      ['testing', '/sys/devices/system/cpu/cpuX/cpufreq/scaling_max_freq'],
      ['testing', '/sys/devices/LNXSYSTM:00/power/wakeup'],
    );
    const match = abiMatcher(list);
    expect(match('/sys/devices/system/machinecheck/machinecheck3/bank7')).toBe(list[0]);
    expect(match('/sys/class/rfkill/rfkill0/state')).toBe(list[1]);
    expect(match('/sys/bus/cxl/devices/decoder0.1/size')).toBe(list[2]);
    expect(match('/sys/bus/cxl/devices/decoder0.1/sizes')).toBeUndefined();
    expect(match('/sys/devices/system/cpu/cpufreq/cpufreq/scaling_max_freq')).toBeUndefined();
    expect(match('/sys/devices/LNXSYSTM:00/power/wakeup')).toBe(list[4]);
    expect(match('/sys/devices/LNX0SYSTM:00/power/wakeup')).toBeUndefined();
  });

  it('lets ... span any number of segments', () => {
    const list = entries(['testing', '/sys/bus/pci/drivers/.../bind'], ['testing', '/sys/devices/.../online'], ['testing', '/sys/.../uevent']);
    expect(matchedWhat(list, '/sys/bus/pci/drivers/<pci-driver>/bind')).toBe('/sys/bus/pci/drivers/.../bind');
    expect(matchedWhat(list, '/sys/devices/system/container/PNP0A06:00/online')).toBe('/sys/devices/.../online');
    expect(matchedWhat(list, '/sys/module/8250/uevent')).toBe('/sys/.../uevent');
    expect(matchedWhat(list, '/sys/bus/spi/drivers/<spi-driver>/bind')).toBeUndefined();
  });

  it('finds attributes documented under /sys/devices for pages named by their class, bus or block link', () => {
    const list = entries(['testing', '/sys/devices/.../power/async'], ['testing', '/sys/devices/*/of_node'], ['testing', '/sys/class/block/<disk>/inflight']);
    expect(matchedWhat(list, '/sys/class/tty/<tty>/power/async')).toBe('/sys/devices/.../power/async');
    expect(matchedWhat(list, '/sys/bus/pci/devices/<pci-device>/power/async')).toBe('/sys/devices/.../power/async');
    expect(matchedWhat(list, '/sys/block/<device>/power/async')).toBe('/sys/devices/.../power/async');
    expect(matchedWhat(list, '/sys/bus/platform/devices/<platform-device>/of_node')).toBe('/sys/devices/*/of_node');
    expect(matchedWhat(list, '/sys/block/<device>/inflight')).toBe('/sys/class/block/<disk>/inflight');
  });

  it('does not take a device of one kind for another: pciX is no vtconsole', () => {
    const list = entries(['testing', '/sys/bus/pci/drivers/.../bind', '/sys/devices/pciX/.../bind']);
    expect(matchedWhat(list, '/sys/class/vtconsole/<vtconsole>/bind')).toBeUndefined();
  });

  it('needs the file and something beyond /sys named: catch-all patterns document nothing', () => {
    const list = entries(
      ['testing', '/sys/.../<device>/<UUID>/'],
      ['testing', '/sys/.../in_capacitanceY_adaptive_thresh_rising_timeout'],
      ['testing', 'Audit Login UID'],
      ['testing', '$(readlink -f /sys/bus/dax/devices/daxX.Y)/../dax_region/size'],
    );
    const match = abiMatcher(list);
    expect(match('/sys/kernel/mm/ksm/run')).toBeUndefined();
    expect(match('/sys/class/gpio/<gpio>')).toBeUndefined();
    expect(match('/sys/bus/dax/size')).toBeUndefined();
  });

  it('reads What lines with words after the path or a trailing comma', () => {
    const list = entries(['testing', '/sys/bus/iio/devices/triggerX/name = "bmg160-any-motion-devX"'], ['testing', '/sys/class/power_supply/<supply_name>/online,']);
    expect(matchedWhat(list, '/sys/bus/iio/devices/trigger0/name')).toBe(list[0]!.what[0]);
    expect(matchedWhat(list, '/sys/class/power_supply/<power-supply>/online')).toBe(list[1]!.what[0]);
  });

  it('prefers the most literal segments, then stable over testing over obsolete over removed, then file order', () => {
    const list = entries(
      ['testing', '/sys/devices/.../online'],
      ['testing', '/sys/devices/system/cpu/cpuX/online'],
      ['removed', '/sys/class/net/<iface>/mtu'],
      ['obsolete', '/sys/class/net/<iface>/mtu'],
      ['testing', '/sys/class/net/<iface>/mtu'],
      ['stable', '/sys/class/net/<iface>/mtu'],
      ['testing', '/sys/class/net/<iface>/mtu'],
      ['testing', '/sys/class/net/<iface>/carrier'],
      ['testing', '/sys/class/net/<iface>/carrier'],
    );
    const match = abiMatcher(list);
    expect(match('/sys/devices/system/cpu/<cpu>/online')).toBe(list[1]);
    expect(match('/sys/devices/system/memory/<memory-block>/online')).toBe(list[0]);
    expect(match('/sys/class/net/<interface>/mtu')).toBe(list[5]);
    expect(match('/sys/class/net/<interface>/carrier')).toBe(list[7]);
    expect(abiMatcher(list.slice(2, 4))('/sys/class/net/<interface>/mtu')).toBe(list[3]);
  });

  it('falls back to the nearest directory entry at most two levels up, never to a shallow one', () => {
    const list = entries(
      ['testing', '/sys/kernel/mm/transparent_hugepage/'],
      ['testing', '/sys/firmware/acpi/interrupts/'],
      ['stable', '/sys/devices/system/cpu/'],
      ['testing', '/sys/class/'],
      ['testing', '/sys/kernel/mm/transparent_hugepage/enabled'],
    );
    const match = abiMatcher(list);
    expect(match('/sys/kernel/mm/transparent_hugepage/enabled')).toBe(list[4]);
    expect(match('/sys/kernel/mm/transparent_hugepage/defrag')).toBe(list[0]);
    expect(match('/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none')).toBe(list[0]);
    expect(match('/sys/firmware/acpi/interrupts/gpe0A')).toBe(list[1]);
    expect(match('/sys/devices/system/cpu/<cpu>/hotplug/fail')).toBeUndefined();
    expect(match('/sys/class/misc/<misc>/dev')).toBeUndefined();
  });
});
