/**
 * The Linux man-pages as a fallback description: roff through pandoc, every layout the
 * pages use for /proc/sys files (full-path tagged paragraphs, nested directories, bare
 * names under a "/proc interfaces" section), pointers and directories left out, hostile
 * text escaped.
 */
import { describe, expect, it } from 'vitest';
import { licenseOf, readManPage, sectionDirectory, termNames } from '../../scripts/docs/man-pages.ts';
import { assertMdx } from '../../scripts/docs/rst.ts';

const PROC_SYS_KERNEL = String.raw`.\" Copyright, the authors of the Linux man-pages project
.\"
.\" SPDX-License-Identifier: GPL-3.0-or-later
.\"
.TH proc_sys_kernel 5 2026-02-08 "Linux man-pages 6.20"
.SH NAME
/proc/sys/kernel/ \- control a range of kernel parameters
.SH DESCRIPTION
.TP
.I /proc/sys/kernel/
This directory contains files controlling a range of kernel parameters.
.TP
.IR /proc/sys/kernel/pty " (since Linux 2.6.4)"
This directory contains two files relating to the number of UNIX 98
pseudoterminals on the system.
.RS
.TP
.I /proc/sys/kernel/pty/max
This file defines the maximum number of pseudoterminals.
.TP
.I /proc/sys/kernel/pty/nr
This read-only file indicates how many pseudoterminals are currently in use.
.RE
.TP
.IR /proc/sys/fs/pipe\-max\-size " (since Linux 2.6.35)"
See
.BR pipe (7).
.TP
.I /proc/sys/kernel/hostile
Writes {props.x} and <script>window.__man = 1</script> as text.
`;

const ARP = String.raw`.\" SPDX-License-Identifier: Linux-man-pages-1-para
.TH arp 7 2026-02-08 "Linux man-pages 6.20"
.SH NAME
arp \- Linux ARP kernel module.
.SH DESCRIPTION
This kernel protocol module implements the Address Resolution Protocol.
.TP
.I ATF_COM
Lookup complete.
.SS /proc interfaces
ARP supports a range of
.I /proc
interfaces to configure parameters on a global or per-interface basis.
The interfaces can be accessed by reading or writing the
.I /proc/sys/net/ipv4/neigh/*/*
files.
.TP
.IR anycast_delay " (since Linux 2.2)"
The maximum number of jiffies to delay before replying to a
IPv6 neighbor solicitation message.
.TP
.IR gc_thresh1 " (since Linux 2.2)"
The minimum number of entries to keep in the ARP cache.
`;

describe('man pages → sysctl descriptions', () => {
  it('reads full-path terms, nested ones too, with line and licence; directories and pointers are not descriptions', async () => {
    const docs = await readManPage('man5/proc_sys_kernel.5', PROC_SYS_KERNEL);
    expect(docs.map((d) => [d.names, d.line, d.license])).toEqual([
      [['kernel.pty.max'], 18, 'GPL-3.0-or-later'],
      [['kernel.pty.nr'], 21, 'GPL-3.0-or-later'],
      [['kernel.hostile'], 29, 'GPL-3.0-or-later'],
    ]);
    expect(docs[0]!.markdown).toBe('This file defines the maximum number of pseudoterminals.');
  });

  it('escapes hostile text: the description stays valid MDX and shows braces and tags as text', async () => {
    const hostile = (await readManPage('man5/proc_sys_kernel.5', PROC_SYS_KERNEL)).find((d) => d.names[0] === 'kernel.hostile')!;
    expect(() => assertMdx(hostile.markdown)).not.toThrow();
    expect(hostile.markdown).toContain('\\{props.x}');
    expect(hostile.markdown).toContain('\\<script>');
  });

  it('names bare terms of a "/proc interfaces" section after the directory its prose names, per interface', async () => {
    const docs = await readManPage('man7/arp.7', ARP);
    expect(docs.map((d) => d.names[0])).toEqual(['net.ipv4.neigh.<interface>.anycast_delay', 'net.ipv4.neigh.<interface>.gc_thresh1']);
    expect(docs[1]!.markdown).toBe('The minimum number of entries to keep in the ARP cache.');
    expect(docs[0]!.license).toBe('Linux-man-pages-1-para');
  });

  it('reads terms and section prose', () => {
    expect(termNames('/proc/sys/kernel/pty/max', undefined)).toEqual(['kernel.pty.max']);
    expect(termNames('/proc/sys/kernel/msgmax, /proc/sys/kernel/msgmnb (since Linux 2.2)', undefined)).toEqual(['kernel.msgmax', 'kernel.msgmnb']);
    expect(termNames('/proc/sys/fs/inotify/ (since Linux 2.6.13)', undefined)).toEqual([]);
    expect(termNames('tcp_abort_on_overflow (Boolean; default: disabled)', 'net/ipv4')).toEqual(['net.ipv4.tcp_abort_on_overflow']);
    // Outside a /proc section a bare word is a constant or an option, never a file.
    expect(termNames('ATF_COM', undefined)).toEqual([]);
    expect(sectionDirectory('files in the directory /proc/sys/net/ipv4/.')).toBe('net/ipv4');
    expect(sectionDirectory('the /proc/sys/net/ipv4/neigh/*/* files')).toBe('net/ipv4/neigh/*');
    expect(sectionDirectory('see /proc/sys/kernel/pid_max')).toBeUndefined();
    expect(licenseOf('.\\" SPDX-License-Identifier: GPL-3.0-or-later\n')).toBe('GPL-3.0-or-later');
  });
});
