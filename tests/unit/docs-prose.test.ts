/**
 * The sysctl prose parser on fixtures of each layout the kernel's Documentation uses,
 * the names checked against ctl_table entries, the boot parameters that document a
 * sysctl, and the source package helpers. Fixtures are cut down from real files.
 */
import { describe, expect, it } from 'vitest';
import type { CtlTableEntry } from '#core/schemas/docs.ts';
import { bootParameterDocs, paramSetters } from '../../scripts/docs/boot-params.ts';
import { parseKernelParameters } from '../../scripts/docs/kernel-parameters.ts';
import { dataExpression, definesStatic, placeOnCtlTables, ucountVariables, type DataVariable } from '../../scripts/docs/ctl-join.ts';
import { fillGaps, headingDirectory, headingNames, parseSysctlRst, statedDefault, sysctlName, type RawSysctlDoc } from '../../scripts/docs/sysctl-prose.ts';
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

\`\`/proc/sys/net/unix/*\`\`
========================

max_dgram_qlen - INTEGER
	The maximum length of dgram socket receive queue
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
      ['net.unix.max_dgram_qlen'],
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

describe('a directory\'s files listed in one paragraph', () => {
  it('gives them the text of their section, from the latest transition on', () => {
    const SUNRPC = `===================================
Documentation for /proc/sys/sunrpc/
===================================

Copyright (c) 1998, 1999,  Rik van Riel <riel@nl.linux.org>

------------------------------------------------------------------------------

The files in this directory can be used to (re)set the debug
flags of the SUN Remote Procedure Call (RPC) subsystem.

The files in there are used to control the debugging flags:
rpc_debug, nfs_debug, nfsd_debug and nlm_debug.

These flags are for kernel hackers only.
`;
    const docs = parseSysctlRst('Documentation/admin-guide/sysctl/sunrpc.rst', SUNRPC);
    expect(names(docs)).toEqual([['sunrpc.rpc_debug', 'sunrpc.nfs_debug', 'sunrpc.nfsd_debug', 'sunrpc.nlm_debug']]);
    expect(docs[0]).toMatchObject({ line: 9 });
    expect(docs[0]!.rst).toMatch(/^The files in this directory[^]*kernel hackers only\.$/);
  });

  it('leaves a colon before prose alone', () => {
    const FS = `Documentation for /proc/sys/fs/
===============================

The files in this directory show up in \`\`/proc/sys/fs\`\`:
see below.
`;
    expect(parseSysctlRst('Documentation/admin-guide/sysctl/fs.rst', FS)).toEqual([]);
  });
});

describe('sysctls named in full outside the sysctl documents', () => {
  it('takes a path that is a definition term or a list item, with its indented body', () => {
    const RT = `System wide settings
--------------------

/proc/sys/kernel/sched_rt_period_us:
  The scheduling period that is equivalent to 100% CPU bandwidth.

/proc/sys/kernel/sched_rt_runtime_us:
  A global limit on how much time real-time scheduling may use.

  * sched_rt_runtime_us takes values from -1 to sched_rt_period_us.

Default behaviour
-----------------

By default all bandwidth goes to /proc/sys/kernel/sched_rt_period_us.
`;
    const docs = parseSysctlRst('Documentation/scheduler/sched-rt-group.rst', RT);
    expect(names(docs)).toEqual([['kernel.sched_rt_period_us'], ['kernel.sched_rt_runtime_us']]);
    expect(docs[1]).toMatchObject({ line: 7, rst: 'A global limit on how much time real-time scheduling may use.\n\n* sched_rt_runtime_us takes values from -1 to sched_rt_period_us.' });

    const KEYS = `Four new sysctl files have been added:

  *  /proc/sys/kernel/keys/root_maxkeys
     /proc/sys/kernel/keys/root_maxbytes

     These files hold the maximum number of keys that root may have.

  *  /proc/sys/kernel/keys/maxkeys

     These files hold the maximum number of keys of each non-root user.

  *  /proc/sys/kernel/keys/nothing_below
`;
    const keys = parseSysctlRst('Documentation/security/keys/core.rst', KEYS);
    expect(names(keys)).toEqual([['kernel.keys.root_maxkeys', 'kernel.keys.root_maxbytes'], ['kernel.keys.maxkeys']]);
    expect(keys[0]!.rst).toBe('These files hold the maximum number of keys that root may have.');
  });

  it('gives a literal block or block quote that only lists sysctls its whole section', () => {
    const DEVPTS = `=====================
The Devpts Filesystem
=====================

Each mount of the devpts filesystem is now distinct.

Total count of pty pairs in all instances is limited by sysctls::

    kernel.pty.max = 4096	- global limit
    kernel.pty.nr		- current count of ptys

Per-instance limit could be set by adding mount option \`\`max=<count>\`\`.
`;
    const devpts = parseSysctlRst('Documentation/filesystems/devpts.rst', DEVPTS);
    expect(names(devpts)).toEqual([['kernel.pty.max', 'kernel.pty.nr']]);
    expect(devpts[0]).toMatchObject({ line: 2 });
    expect(devpts[0]!.rst).toMatch(/^Each mount[^]*mount option/);

    const CFS = `4.  SOME FEATURES OF CFS
========================

There is only one central tunable (you have to switch on CONFIG_SCHED_DEBUG):

   /proc/sys/kernel/sched_min_granularity_ns

which can be used to tune the scheduler.

System wide settings
--------------------

This is tunable via procfs::

	/proc/sys/kernel/sched_cfs_bandwidth_slice_us (default=5ms)
`;
    const cfs = parseSysctlRst('Documentation/scheduler/sched-design-CFS.rst', CFS);
    expect(cfs.map((d) => [d.names, d.line])).toEqual([[['kernel.sched_min_granularity_ns'], 1], [['kernel.sched_cfs_bandwidth_slice_us'], 10]]);
    expect(cfs[0]!.rst).not.toContain('This is tunable');
  });

  it('takes a setting to copy, a command or prose around a path for no listing', () => {
    const IAVF = `If you have multiple interfaces, turn on ARP filtering by entering::

    # echo 1 > /proc/sys/net/ipv4/conf/all/arp_filter

or by adding the following line to the file /etc/sysctl.conf::

    net.ipv4.conf.all.arp_filter = 1

A passing mention of /proc/sys/net/core/somaxconn: no section.
`;
    expect(parseSysctlRst('Documentation/networking/device_drivers/ethernet/intel/iavf.rst', IAVF)).toEqual([]);
  });

  it('takes a sentence that introduces a sysctl by name: an item with its text, a paragraph with the rest of its section', () => {
    const FSVERITY = `- If the sysctl "fs.verity.require_signatures" is set to 1 and the
  file is not signed, then opening the file will fail.

3. A new sysctl "fs.verity.require_signatures" is made available.
   When set to 1, the kernel requires that all verity files have a
   correctly signed digest.

The data that the signature must be a signature of follows.
`;
    const fsverity = parseSysctlRst('Documentation/filesystems/fsverity.rst', FSVERITY);
    expect(fsverity).toMatchObject([{ names: ['fs.verity.require_signatures'], line: 4 }]);
    expect(fsverity[0]!.rst).toBe('A new sysctl "fs.verity.require_signatures" is made available.\nWhen set to 1, the kernel requires that all verity files have a\ncorrectly signed digest.');

    const MFD = `Sysctl:
========

The new pid namespaced sysctl vm.memfd_noexec has 3 values:

 - 0: MEMFD_NOEXEC_SCOPE_EXEC

The value of vm.memfd_noexec is passed to child namespace.

Other
=====
`;
    const mfd = parseSysctlRst('Documentation/userspace-api/mfd_noexec.rst', MFD);
    expect(mfd).toMatchObject([{ names: ['vm.memfd_noexec'], line: 4 }]);
    expect(mfd[0]!.rst).toMatch(/^The new pid[^]*passed to child namespace\.$/);
  });

  it('takes the files a paragraph introduces under a /proc/sys directory: named by headings or by terms', () => {
    const YAMA = `====
Yama
====

Yama can be controlled at run-time through sysctls in \`\`/proc/sys/kernel/yama\`\`:

ptrace_scope
============

As Linux grows in popularity, it will become a larger target.

0 - classic ptrace permissions:
    a process can attach to any other process.
`;
    const yama = parseSysctlRst('Documentation/admin-guide/LSM/Yama.rst', YAMA);
    expect(yama).toMatchObject([{ names: ['kernel.yama.ptrace_scope'], line: 7 }]);
    expect(yama[0]!.rst).toContain('0 - classic ptrace permissions:');

    const SECCOMP = `Sysctls
=======

Seccomp's sysctl files can be found in the \`\`/proc/sys/kernel/seccomp/\`\`
directory. Here's a description of each file in that directory:

\`\`actions_avail\`\`:
	A read-only ordered list of seccomp return values.

\`\`actions_logged\`\`:
	A read-write ordered list of seccomp return values.

Adding architecture support
===========================

\`\`not_a_file\`\`:
	Text after the listing ended.
`;
    const seccomp = parseSysctlRst('Documentation/userspace-api/seccomp_filter.rst', SECCOMP);
    expect(seccomp.map((d) => [d.names, d.line, d.rst])).toEqual([
      [['kernel.seccomp.actions_avail'], 7, 'A read-only ordered list of seccomp return values.'],
      [['kernel.seccomp.actions_logged'], 10, 'A read-write ordered list of seccomp return values.'],
    ]);
  });

  it('keeps a name in the first section of the file that documents it', () => {
    const TWICE = `/proc/sys/net/core/rps_sock_flow_entries:
  The number of entries in the global flow table.

Set it through::

  /proc/sys/net/core/rps_sock_flow_entries
  /proc/sys/net/core/flow_limit_table_len
`;
    expect(names(parseSysctlRst('Documentation/networking/scaling.rst', TWICE))).toEqual([['net.core.rps_sock_flow_entries'], ['net.core.flow_limit_table_len']]);
  });
});

describe('entries that name their file in a field list', () => {
  // Cut down from Documentation/arch/arm64/legacy_instructions.rst (Documentation/arm64/ before 6.6).
  const LEGACY = `===================
Legacy instructions
===================

The emulation mode can be controlled by writing to sysctl nodes
(/proc/sys/abi). The following explains the different execution
behaviours and the corresponding values of the sysctl nodes -

* Undef
    Value: 0

  Generates undefined instruction abort.

* Emulate
    Value: 1

  Uses software emulation.

Supported legacy instructions
-----------------------------
* SWP{B}

:Node: /proc/sys/abi/swp
:Status: Obsolete
:Default: Undef (0)

* SETEND

:Node: /proc/sys/abi/setend
:Status: Deprecated
:Default: Emulate (1)*

  Note: All the cpus on the system must have mixed endian support at EL0
  for this feature to be enabled.
`;
  const docs = parseSysctlRst('Documentation/arch/arm64/legacy_instructions.rst', LEGACY);

  it('documents each node with its entry, after the introduction that says what the values mean', () => {
    expect(names(docs)).toEqual([['abi.swp'], ['abi.setend']]);
    const [swp, setend] = docs;
    expect(swp!.line).toBe(23);
    expect(swp!.rst).toMatch(/^The emulation mode can be controlled by writing to sysctl nodes\n/);
    expect(swp!.rst).toContain('* Undef\n    Value: 0\n\n  Generates undefined instruction abort.');
    expect(swp!.rst).toMatch(/\* SWP\{B\}\n\n:Node: \/proc\/sys\/abi\/swp\n:Status: Obsolete\n:Default: Undef \(0\)$/);
    // An entry ends at the next one; its indented notes are its own.
    expect(swp!.rst).not.toContain('SETEND');
    expect(setend!.rst).toMatch(/:Default: Emulate \(1\)\*\n\n {2}Note: All the cpus on the system must have mixed endian support at EL0\n {2}for this feature to be enabled\.$/);
    expect(setend!.rst).not.toContain('SWP');
  });

  it('takes no field-list value as the default: "Undef (0)" is a mode with its value, not the value as written', () => {
    expect(docs.map((d) => d.default)).toEqual([undefined, undefined]);
  });
});

describe('a paragraph that gives the command setting a sysctl', () => {
  // Cut down from Documentation/arch/arm64/tagged-address-abi.rst: the paragraph sits in a numbered item.
  const TAGGED = `2. User addresses accessed by the kernel (e.g. \`\`write()\`\`).

   The ABI properties described above are thread-scoped, inherited on
   clone() and fork() and cleared on exec().

   Calling \`\`prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE, 0, 0, 0)\`\`
   returns \`\`-EINVAL\`\` if the AArch64 Tagged Address ABI is globally
   disabled by \`\`sysctl abi.tagged_addr_disabled=1\`\`. The default
   \`\`sysctl abi.tagged_addr_disabled\`\` configuration is 0.

This feature was added in kernel 3.4 together with
\`\`sysctl kernel.pty.reserve\`\`.
`;

  it('documents the sysctl it sets with that paragraph alone; a name without a value set is a passing mention', () => {
    const docs = parseSysctlRst('Documentation/arch/arm64/tagged-address-abi.rst', TAGGED);
    expect(names(docs)).toEqual([['abi.tagged_addr_disabled']]);
    expect(docs[0]).toMatchObject({
      line: 6,
      rst: 'Calling ``prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE, 0, 0, 0)``\nreturns ``-EINVAL`` if the AArch64 Tagged Address ABI is globally\ndisabled by ``sysctl abi.tagged_addr_disabled=1``. The default\n``sysctl abi.tagged_addr_disabled`` configuration is 0.',
    });
  });
});

describe('sysctl documents and mentions elsewhere', () => {
  it('lets a mention elsewhere document only what the sysctl documents leave out', () => {
    const documents = [{ file: 'Documentation/networking/ip-sysctl.rst', line: 1, names: ['net.sctp.addip_enable'], rst: 'Enable.' }];
    const mentions = [{ file: 'Documentation/security/SCTP.rst', line: 34, names: ['net.sctp.addip_enable', 'net.sctp.addip_noauth_enable'], rst: 'Hooks.' }];
    expect(names(fillGaps(documents, mentions))).toEqual([['net.sctp.addip_enable'], ['net.sctp.addip_noauth_enable']]);
  });
});

const entry = (name: string | null, procname: string, file: string, line: number): CtlTableEntry => ({ name, procname, file, line, mode: '0644', handler: 'proc_dointvec', type: 'integer', min: null, max: null });
const doc = (names: string[], rst = 'Text.'): RawSysctlDoc => ({ file: 'Documentation/networking/ip-sysctl.rst', line: 1, names, rst });

describe('names placed on the ctl_table entries of the same tree', () => {
  const ENTRIES = [
    entry('net.ipv4.route.min_pmtu', 'min_pmtu', 'net/ipv4/route.c', 10),
    entry('net.ipv4.route.mtu_expires', 'mtu_expires', 'net/ipv4/route.c', 20),
    entry('net.ipv6.route.mtu_expires', 'mtu_expires', 'net/ipv6/route.c', 20),
    entry('net.ipv4.neigh.<interface>.mcast_solicit', 'mcast_solicit', 'net/core/neighbour.c', 3810),
    entry('net.ipv6.neigh.<interface>.mcast_solicit', 'mcast_solicit', 'net/core/neighbour.c', 3810),
    entry('net.core.xfrm_aevent_etime', 'xfrm_aevent_etime', 'net/xfrm/xfrm_sysctl.c', 8),
    entry('net.ipv4.conf.<interface>.gc_thresh', 'gc_thresh', 'net/ipv4/devinet.c', 5),
    entry('net.ipv6.conf.<interface>.gc_thresh', 'gc_thresh', 'net/ipv6/addrconf.c', 5),
    entry('net.ipv4.tcp_x', 'tcp_x', 'net/ipv4/sysctl_net_ipv4.c', 1),
    entry(null, 'tcp_x', 'net/ipv4/tcp.c', 1),
    entry('net.netfilter.nf_conntrack_max', 'nf_conntrack_max', 'net/netfilter/nf_conntrack_standalone.c', 644),
    entry('net.nf_conntrack_max', 'nf_conntrack_max', 'net/netfilter/nf_conntrack_standalone.c', 925),
    entry('kernel.loadpin.enforce', 'enforce', 'security/loadpin/loadpin.c', 59),
    entry('kernel.other.enforce', 'enforce', 'security/other/other.c', 9),
  ];
  const DATA = new Map<string, DataVariable>([
    ['net/netfilter/nf_conntrack_standalone.c:644', { expression: 'nf_conntrack_max' }],
    ['net/netfilter/nf_conntrack_standalone.c:925', { expression: 'nf_conntrack_max' }],
    ['security/loadpin/loadpin.c:59', { expression: 'enforce', staticIn: 'security/loadpin/loadpin.c' }],
    ['security/other/other.c:9', { expression: 'enforce', staticIn: 'security/other/other.c' }],
  ]);
  const place = (...docs: RawSysctlDoc[]) => placeOnCtlTables(docs, ENTRIES, DATA);

  it('moves a name the docs file under the wrong directory to the one entry below the nearest shared directory', () => {
    expect(names(place(doc(['net.ipv4.min_pmtu']), doc(['net.ipv4.mtu_expires']), doc(['net.ipv4.conf.<interface>.mcast_solicit'])))).toEqual([
      ['net.ipv4.route.min_pmtu'],
      ['net.ipv4.route.mtu_expires'],
      ['net.ipv4.neigh.<interface>.mcast_solicit'],
      ['net.ipv6.neigh.<interface>.mcast_solicit'],
    ]);
  });

  it('reads a C variable named sysctl_<procname> as the file, and leaves ambiguous, unresolved and unknown names alone', () => {
    expect(names(place(doc(['net.core.sysctl_xfrm_aevent_etime']), doc(['net.gc_thresh']), doc(['net.ipv4.tcp_x']), doc(['net.ipv4.nothing'])))).toEqual([
      ['net.core.xfrm_aevent_etime'],
      ['net.gc_thresh'],
      ['net.ipv4.tcp_x'],
      ['net.ipv4.nothing'],
    ]);
  });

  it('shares a text with the other names of one entry or one variable, last and with a note, never over a text of their own', () => {
    const shared = place(doc(['net.ipv4.neigh.<interface>.mcast_solicit'], 'Probes.'), doc(['net.netfilter.nf_conntrack_max'], 'Size.'), doc(['kernel.loadpin.enforce']));
    expect(shared.slice(3)).toEqual([
      { ...doc(['net.ipv6.neigh.<interface>.mcast_solicit']), rst: 'Probes.\n\nThis text documents ``net.ipv4.neigh.<interface>.mcast_solicit``; the same ``ctl_table`` entry (``net/core/neighbour.c:3810``) registers both names.' },
      { ...doc(['net.nf_conntrack_max']), rst: 'Size.\n\nThis text documents ``net.netfilter.nf_conntrack_max``; both names store into ``nf_conntrack_max``.' },
    ]);
    expect(names(place(doc(['net.ipv4.neigh.<interface>.mcast_solicit']), doc(['net.ipv6.neigh.<interface>.mcast_solicit'])))).toEqual([
      ['net.ipv4.neigh.<interface>.mcast_solicit'],
      ['net.ipv6.neigh.<interface>.mcast_solicit'],
    ]);
  });

  it('reads the variable of an entry, and whether a file keeps it to itself', () => {
    const SOURCE = `static int enforce = 1;
static struct ctl_table tables[] = {
	{
		.procname	= "nf_conntrack_max",
		.data		= &nf_conntrack_max,
		.mode		= 0644,
	},
	{
		.procname	= "no_data",
		.proc_handler	= proc_do_something,
	},
	{
		.procname	= "null",
		.data		= NULL,
	},
	NEIGH_SYSCTL_ENTRY(MCAST_PROBES, "mcast_solicit"),
	{
		.procname	= "tcp_rmem",
		.data		= &init_net.ipv4.sysctl_tcp_rmem,
	},
};
`;
    expect([4, 9, 13, 16, 18].map((line) => dataExpression(SOURCE, line))).toEqual(['nf_conntrack_max', undefined, undefined, undefined, 'init_net.ipv4.sysctl_tcp_rmem']);
    expect(definesStatic(SOURCE, 'enforce')).toBe(true);
    expect(definesStatic(SOURCE, 'nf_conntrack_max')).toBe(false);
  });
});

describe('boot parameters that set a sysctl\'s variable', () => {
  const PARAMETERS = `	lockd.nlm_grace_period=P  [NFS] Assign grace period.
			Format: <integer>

	noautogroup	Disable scheduler automatic task group creation.

	sunrpc.min_resvport=
	sunrpc.max_resvport=
			[NFS,SUNRPC]
			SunRPC servers often require a privileged port.

	enforce=	[OTHER] Unrelated.
`;

  it('reads kernel-parameters.txt entries, names on consecutive lines sharing one text', () => {
    expect(parseKernelParameters(PARAMETERS)).toEqual([
      { line: 1, spelled: ['lockd.nlm_grace_period='], tags: ['NFS'], format: '<integer>', text: 'lockd.nlm_grace_period=P  [NFS] Assign grace period.\n                Format: <integer>' },
      { line: 4, spelled: ['noautogroup'], tags: [], text: 'noautogroup     Disable scheduler automatic task group creation.' },
      { line: 6, spelled: ['sunrpc.min_resvport=', 'sunrpc.max_resvport='], tags: ['NFS', 'SUNRPC'], text: 'sunrpc.min_resvport=\nsunrpc.max_resvport=\n                [NFS,SUNRPC]\n                SunRPC servers often require a privileged port.' },
      { line: 11, spelled: ['enforce='], tags: ['OTHER'], text: 'enforce=        [OTHER] Unrelated.' },
    ]);
  });

  const LOCKD = `static unsigned long nlm_grace_period;
module_param_call(nlm_grace_period, param_set_grace_period, param_get_ulong,
		  &nlm_grace_period, 0644);
/* module_param(commented_out, int, 0); */
`;
  const SCHED = `static int __init setup_autogroup(char *str)
{
	sysctl_sched_autogroup_enabled = 0;
	return 1;
}
__setup("noautogroup", setup_autogroup);
`;
  const XPRT = `module_param_named(min_resvport, xprt_min_resvport, portnr, 0644);
module_param_named(max_resvport, xprt_max_resvport, portnr, 0644);
`;
  const OTHER = `static bool enforce;
core_param(enforce, enforce, bool, 0);
`;

  it('finds the variables parameters set: module_param*, core_param, and what a __setup handler assigns', () => {
    expect(paramSetters(LOCKD)).toEqual([{ param: 'nlm_grace_period', module: true, variables: ['nlm_grace_period'] }]);
    expect(paramSetters(SCHED)).toEqual([{ param: 'noautogroup', module: false, variables: ['sysctl_sched_autogroup_enabled'] }]);
    expect(paramSetters(XPRT).map((s) => [s.param, s.variables])).toEqual([['min_resvport', ['xprt_min_resvport']], ['max_resvport', ['xprt_max_resvport']]]);
    expect(paramSetters(OTHER)).toEqual([{ param: 'enforce', module: false, variables: ['enforce'] }]);
  });

  it('documents a sysctl by the entry of a parameter that sets its variable, saying so; a module\'s spelled after its directory', () => {
    const entries = [
      entry('fs.nfs.nlm_grace_period', 'nlm_grace_period', 'fs/lockd/svc.c', 431),
      entry('kernel.sched_autogroup_enabled', 'sched_autogroup_enabled', 'kernel/sched/autogroup.c', 12),
      entry('sunrpc.max_resvport', 'max_resvport', 'net/sunrpc/xprtsock.c', 148),
      entry('kernel.loadpin.enforce', 'enforce', 'security/loadpin/loadpin.c', 59),
      entry('vm.documented', 'documented', 'mm/x.c', 1),
    ];
    const data = new Map<string, DataVariable>([
      ['fs/lockd/svc.c:431', { expression: 'nlm_grace_period', staticIn: 'fs/lockd/svc.c' }],
      ['kernel/sched/autogroup.c:12', { expression: 'sysctl_sched_autogroup_enabled' }],
      ['net/sunrpc/xprtsock.c:148', { expression: 'xprt_max_resvport', staticIn: 'net/sunrpc/xprtsock.c' }],
      ['security/loadpin/loadpin.c:59', { expression: 'enforce', staticIn: 'security/loadpin/loadpin.c' }],
      ['mm/x.c:1', { expression: 'documented' }],
    ]);
    const sources = [
      { file: 'fs/lockd/svc.c', source: LOCKD },
      { file: 'kernel/sched/core.c', source: SCHED },
      { file: 'net/sunrpc/xprtsock.c', source: XPRT },
      { file: 'security/other/other.c', source: OTHER },
    ];
    const docs = bootParameterDocs(parseKernelParameters(PARAMETERS), entries, data, sources);
    expect(docs.map((d) => [d.names, d.file, d.line, d.origin])).toEqual([
      [['fs.nfs.nlm_grace_period'], 'Documentation/admin-guide/kernel-parameters.txt', 1, 'kernel-parameters'],
      [['kernel.sched_autogroup_enabled'], 'Documentation/admin-guide/kernel-parameters.txt', 4, 'kernel-parameters'],
      [['sunrpc.max_resvport'], 'Documentation/admin-guide/kernel-parameters.txt', 6, 'kernel-parameters'],
    ]);
    expect(docs[0]!.rst).toBe('Documented as the boot parameter ``lockd.nlm_grace_period=``, which sets the same variable (``nlm_grace_period``):\n\n::\n\n    lockd.nlm_grace_period=P  [NFS] Assign grace period.\n                    Format: <integer>');
    expect(docs[2]!.rst).toMatch(/^Documented as the boot parameter ``sunrpc.max_resvport=``/);
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

describe('the user namespace limits store where fs.inotify and fs.fanotify do', () => {
  const table = 'static const struct ctl_table user_table[] = {\n\tUCOUNT_ENTRY("max_user_namespaces"),\n#ifdef CONFIG_INOTIFY_USER\n\tUCOUNT_ENTRY("max_inotify_instances"),\n#endif\n};\n';
  const header = 'enum ucount_type {\n\tUCOUNT_USER_NAMESPACES,\n#ifdef CONFIG_INOTIFY_USER\n\tUCOUNT_INOTIFY_INSTANCES,\n#endif\n\tUCOUNT_COUNTS,\n};\n';

  it('reads entry i as init_user_ns.ucount_max[i-th enum member]', () => {
    expect(Object.fromEntries(ucountVariables(table, header))).toEqual({
      max_user_namespaces: 'init_user_ns.ucount_max[UCOUNT_USER_NAMESPACES]',
      max_inotify_instances: 'init_user_ns.ucount_max[UCOUNT_INOTIFY_INSTANCES]',
    });
  });

  it('claims nothing when the two lists do not line up', () => {
    expect(ucountVariables(table, header.replace('\tUCOUNT_USER_NAMESPACES,\n', ''))).toEqual(new Map());
  });
});
