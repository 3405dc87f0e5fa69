/**
 * The sysctl prose parser on fixtures of each layout the kernel's Documentation uses,
 * and the source package helpers. Fixtures are cut down from real files.
 */
import { describe, expect, it } from 'vitest';
import { headingDirectory, headingNames, parseSysctlRst, statedDefault, sysctlName } from '../../scripts/docs/sysctl-prose.ts';
import { sourcePackageOfMeta, upstreamOf } from '../../scripts/docs/sources.ts';

const names = (docs: { names: string[] }[]) => docs.map((d) => d.names);

describe('headings of the admin guide', () => {
  const KERNEL = `===================================
Documentation for /proc/sys/kernel/
===================================

Copyright
=========

Copyright (c) 1998, 1999,  Rik van Riel

acct
====

::

    highwater lowwater frequency

domainname & hostname
=====================

These files can be used to set the NIS/YP domainname.

msgmax, msgmnb, and msgmni
==========================

Default value is 8192.

bootloader_type (x86 only)
==========================

The default value is 0x0.

sched_util_clamp_min:
=====================

Max allowed *minimum* utilization.

overflowgid/overflowuid
-----------------------

default: 65534

random
======

This is a directory, with the following entries:

* \`\`boot_id\`\`: a UUID generated the first time this is retrieved, and
  unvarying after that;

* \`\`poolsize\`\`: the entropy pool size, in bits;
`;

  const docs = parseSysctlRst('Documentation/admin-guide/sysctl/kernel.rst', KERNEL);

  it('names each tunable below the directory of the title, lists split, notes and colons dropped', () => {
    expect(names(docs)).toEqual([
      ['kernel.acct'],
      ['kernel.domainname', 'kernel.hostname'],
      ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni'],
      ['kernel.bootloader_type'],
      ['kernel.sched_util_clamp_min'],
      ['kernel.overflowgid', 'kernel.overflowuid'],
      ['kernel.random'],
      ['kernel.random.boot_id'],
      ['kernel.random.poolsize'],
    ]);
  });

  it('records file, 1-based heading line, body and the stated default', () => {
    const acct = docs[0]!;
    expect(acct).toMatchObject({ file: 'Documentation/admin-guide/sysctl/kernel.rst', line: 10 });
    expect(acct.rst).toBe('::\n\n    highwater lowwater frequency');
    expect(docs[2]!.default).toBe('8192');
    expect(docs[3]!.default).toBe('0x0');
    expect(docs[5]!.default).toBe('65534');
    expect(docs[7]).toMatchObject({ line: KERNEL.split('\n').findIndex((line) => line.includes('boot_id')) + 1, rst: 'a UUID generated the first time this is retrieved, and\nunvarying after that;' });
  });

  it('takes numbered headings with and without a path as directories', () => {
    const NET = `================================
Documentation for /proc/sys/net/
================================

1. /proc/sys/net/core - Network core options
============================================

bpf_jit_enable
--------------

Enables the JIT.

2. /proc/sys/net/unix - Parameters for Unix domain sockets
----------------------------------------------------------

There is only one file in this directory.

4. TIPC
-------

tipc_rmem
---------

Receive memory.
`;
    expect(names(parseSysctlRst('Documentation/admin-guide/sysctl/net.rst', NET))).toEqual([['net.core.bpf_jit_enable'], ['net.tipc.tipc_rmem']]);
  });

  it('takes a paragraph that names its file as a section', () => {
    const FS = `Documentation for /proc/sys/fs/
===============================

\`\`/proc/sys/fs/mqueue/queues_max\`\` is a read/write file for
setting the maximum number of message queues.

\`\`/proc/sys/fs/mqueue/msg_max\`\` is a read/write file too.

Unrelated prose.
`;
    const docs = parseSysctlRst('Documentation/admin-guide/sysctl/fs.rst', FS);
    expect(names(docs)).toEqual([['fs.mqueue.queues_max'], ['fs.mqueue.msg_max']]);
    expect(docs[1]!.rst).toBe('``/proc/sys/fs/mqueue/msg_max`` is a read/write file too.');
  });
});

describe('definition lists of the networking files', () => {
  const IP = `=========
IP Sysctl
=========

/proc/sys/net/ipv4/* Variables
==============================

ip_forward - BOOLEAN
	Forward Packets between interfaces.

	Default: 0 (disabled)

neigh/default/gc_thresh1 - INTEGER
	Minimum number of entries to keep.
	Default: 128

TCP variables
=============

tcp_fin_timeout - INTEGER (seconds)
	The length of time an orphaned connection will remain.
	Default value is 60

Alexey Kuznetsov.

\`\`conf/interface/*\`\`
	changes special settings per interface

rp_filter - INTEGER
	- 0 - No source validation.
	- 1 - Strict mode (default)

/proc/sys/net/ipv6/* Variables
==============================

\`\`conf/all/*\`\`:
	Change all the interface-specific settings.

conf/all/forwarding - BOOLEAN
	Enable global IPv6 forwarding.

\`\`icmp/*\`\`:
===========

ratelimit - INTEGER
	Limit the maximal rates.

/proc/sys/net/bridge/* Variables:
=================================

bridge-nf-call-arptables - BOOLEAN

	- 1 : pass bridged ARP traffic to arptables' FORWARD chain.
`;
  const docs = parseSysctlRst('Documentation/networking/ip-sysctl.rst', IP);

  it('names terms below the latest /proc/sys heading and directory term, per-interface directories collapsed', () => {
    expect(names(docs)).toEqual([
      ['net.ipv4.ip_forward'],
      ['net.ipv4.neigh.<interface>.gc_thresh1'],
      ['net.ipv4.tcp_fin_timeout'],
      ['net.ipv4.conf.<interface>.rp_filter'],
      ['net.ipv6.conf.<interface>.forwarding'],
      ['net.ipv6.icmp.ratelimit'],
      ['net.bridge.bridge-nf-call-arptables'],
    ]);
  });

  it('keeps the type as written, the default, and only the indented body', () => {
    expect(docs[0]).toMatchObject({ line: 8, type: 'BOOLEAN', default: '0 (disabled)', rst: 'Forward Packets between interfaces.\n\nDefault: 0 (disabled)' });
    expect(docs[1]!.default).toBe('128');
    expect(docs[2]).toMatchObject({ type: 'INTEGER (seconds)', default: '60' });
    expect(docs[2]!.rst).not.toContain('Kuznetsov');
    expect(docs[3]!.default).toBe('1');
  });

  it('reads the directory of smaller files from their heading, fixing the one the docs get wrong', () => {
    const SEG6 = `/proc/sys/net/conf/<iface>/seg6_* variables:
============================================

seg6_enabled - BOOL
	Accept or drop SR-enabled IPv6 packets on this interface.

/proc/sys/net/netfilter/nf_conntrack_* Variables:
=================================================

nf_conntrack_acct - BOOLEAN
	- 0 - disabled (default)
`;
    const docs = parseSysctlRst('Documentation/networking/seg6-sysctl.rst', SEG6);
    expect(names(docs)).toEqual([['net.ipv6.conf.<interface>.seg6_enabled'], ['net.netfilter.nf_conntrack_acct']]);
    expect(docs[1]!.default).toBe('0');
  });
});

describe('small helpers', () => {
  it('headingNames', () => {
    expect(headingNames('a, b and c')).toEqual(['a', 'b', 'c']);
    expect(headingNames('a & b')).toEqual(['a', 'b']);
    expect(headingNames('a/b')).toEqual(['a', 'b']);
    expect(headingNames('panic_on_io_nmi (x86 only):')).toEqual(['panic_on_io_nmi']);
    expect(headingNames('Introduction')).toEqual([]);
    expect(headingNames('INET peer storage')).toEqual([]);
  });
  it('headingDirectory', () => {
    expect(headingDirectory('/proc/sys/net/ipv4/vs/* Variables:')).toBe('net/ipv4/vs');
    expect(headingDirectory('``proc/sys/net/sctp/*`` Variables:')).toBe('net/sctp');
    expect(headingDirectory('Documentation for /proc/sys/vm/')).toBe('vm');
    expect(headingDirectory('TCP variables')).toBeUndefined();
  });
  it('statedDefault', () => {
    expect(statedDefault('Default: 1 (enabled)')).toBe('1 (enabled)');
    expect(statedDefault('text\n\tdefault: 128\n')).toBe('128');
    expect(statedDefault('default 30 - hard timeout in seconds')).toBe('30');
    expect(statedDefault('Defaults to 4096.')).toBeUndefined();
    expect(statedDefault('Functional default: enabled if local forwarding is disabled.')).toBeUndefined();
    expect(statedDefault('Some text. The default value is ``100``.')).toBe('100');
  });
  it('sysctlName collapses instances the way the generator does', () => {
    expect(sysctlName('net/ipv4/conf/default/rp_filter')).toBe('net.ipv4.conf.<interface>.rp_filter');
    expect(sysctlName('vm/swappiness')).toBe('vm.swappiness');
  });
  it('linux-source package names and versions', () => {
    expect(sourcePackageOfMeta('linux-source-6.1 (= 6.1.192-2)')).toBe('linux-source-6.1');
    expect(sourcePackageOfMeta('foo')).toBeUndefined();
    expect(upstreamOf('6.1.192-2')).toBe('6.1.192');
    expect(upstreamOf('6.13~rc7-1~exp1')).toBe('6.13-rc7');
  });
});
