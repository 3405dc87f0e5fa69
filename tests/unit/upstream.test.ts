/** Joining measured tunables with what each kernel documents and defines. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ctlEntryOf, DESCRIPTION_PRECEDENCE, differsMaterially, documentedType, indexKernelDocs, indexManPages, joinUpstream, NO_UPSTREAM, pickDescription, summaryOf, type Candidate,
} from '../../scripts/generate/upstream.ts';
import { coverage, needsWriting, rangeCoverage, share } from '#core/coverage.ts';
import { buildExport } from '#core/export.ts';
import { sourceUrl } from '#core/source-links.ts';
import { defaultDisagreement, plainText, rangeLines, rangeText, statedAcrossKernels, statedLine, typeLines, typeText, unitInName } from '#core/upstream.ts';
import { inSeconds } from '#core/values.ts';
import { sourceArchOf } from '#core/kernels.ts';
import { valueTypeOf } from '../../scripts/docs/ctl-table.ts';
import { descriptionOrigin, DOCS_SCHEMA_VERSION, type CtlTableEntry, type DescriptionOrigin, type KernelDocs, type ManPageDoc, type SysctlDoc } from '#core/schemas/docs.ts';
import type { KernelFacts, KernelUpstream } from '#core/schemas/tunable.ts';

const doc = (names: string[], markdown: string, over: Partial<SysctlDoc> = {}): SysctlDoc => ({ names, markdown, file: 'Documentation/admin-guide/sysctl/vm.rst', line: 10, origin: 'documentation', ...over });
const ctl = (procname: string, over: Partial<CtlTableEntry> = {}): CtlTableEntry => ({
  procname,
  name: null,
  mode: '0644',
  handler: 'proc_dointvec_minmax',
  type: 'integer',
  min: '0',
  max: '200',
  file: 'mm/vmscan.c',
  line: 42,
  ...over,
});
const kernel = (series: string, over: Partial<KernelDocs> = {}): KernelDocs => ({
  schemaVersion: DOCS_SCHEMA_VERSION,
  series,
  sourceVersion: `${series}.1-1`,
  upstreamVersion: `${series}.1`,
  sysctls: [],
  ctlTables: [],
  abi: [],
  bootParameters: [],
  bootTags: {},
  moduleParamDefaults: [],
  ...over,
});
const facts = (value: string): KernelFacts => ({ release: 'r', source: 'qemu', mode: '0644', writable: true, default: value, defaultKind: 'constant', namespace: null, module: null });
const swappiness = (kernels: string[]) => ({
  kind: 'sysctl' as const,
  title: 'vm.swappiness',
  path: '/proc/sys/vm/swappiness',
  kernels: Object.fromEntries(kernels.map((k) => [k, facts('60')])),
});
const noAbi = () => undefined;
/** The man pages' index of a man-pages 6.20 holding these descriptions. */
const manPagesOf = (sysctls: ManPageDoc[]) => indexManPages({ schemaVersion: DOCS_SCHEMA_VERSION, sourceVersion: '6.20-2', upstreamVersion: '6.20', sysctls });

const SWAPPINESS_OLD = 'This control is used to define how aggressive the kernel will swap memory pages. The default value is 60.';
const SWAPPINESS_NEW =
  'This control is used to define the rough relative IO cost of swapping and filesystem paging, as a value between 0 and 200. At 100, the VM assumes equal IO cost and will thus apply memory pressure to the page cache and swap-backed pages equally.';

describe('joining a sysctl with its documentation and definition', () => {
  const indexes = [
    kernel('5.10', { sysctls: [doc(['vm.swappiness'], SWAPPINESS_OLD, { default: '60' })], ctlTables: [ctl('swappiness', { max: '100', line: 7 })] }),
    kernel('7.2', { sysctls: [doc(['vm.swappiness'], SWAPPINESS_NEW, { line: 900 })], ctlTables: [ctl('swappiness', { name: 'vm.swappiness' })] }),
  ].map((k) => indexKernelDocs(k, noAbi));

  it('shows the newest text and definition, pinned to that kernel', () => {
    const { upstream, text } = joinUpstream(swappiness(['5.10', '7.2']), indexes);
    expect(text?.markdown).toBe(SWAPPINESS_NEW);
    expect(text?.source).toEqual({ origin: 'kernel', file: 'Documentation/admin-guide/sysctl/vm.rst', line: 900, kernel: '7.2', version: '7.2.1' });
    expect(upstream).toMatchObject({ type: 'integer', range: { min: '0', max: '200' }, definedIn: { file: 'mm/vmscan.c', line: 42, kernel: '7.2' } });
  });

  it("keeps each kernel's own type, range, definition and documented default: bounds change between kernels", () => {
    const { kernels } = joinUpstream(swappiness(['5.10', '7.2']), indexes);
    expect(kernels['5.10']).toEqual({ type: 'integer', handler: 'proc_dointvec_minmax', range: { min: '0', max: '100' }, definedIn: { file: 'mm/vmscan.c', line: 7, kernel: '5.10', version: '5.10.1' }, documentedDefault: '60' });
    expect(kernels['7.2']).toEqual({ type: 'integer', handler: 'proc_dointvec_minmax', range: { min: '0', max: '200' }, definedIn: { file: 'mm/vmscan.c', line: 42, kernel: '7.2', version: '7.2.1' }, documentedDefault: null });
    // Only the kernels measured: a kernel's docs say nothing of a page it does not have.
    expect(Object.keys(joinUpstream(swappiness(['7.2']), indexes).kernels)).toEqual(['7.2']);
  });

  it('notes an older kernel whose text differs materially', () => {
    expect(joinUpstream(swappiness(['5.10', '7.2']), indexes).text?.older).toEqual([{ kernels: ['5.10'], markdown: SWAPPINESS_OLD }]);
    expect(differsMaterially(SWAPPINESS_NEW, `${SWAPPINESS_NEW} `)).toBe(false);
    expect(differsMaterially(SWAPPINESS_NEW, SWAPPINESS_NEW.replace('equally', 'alike'))).toBe(false);
  });

  it("takes a man page's text only where no kernel documents the sysctl, naming its licence", () => {
    const manPages = manPagesOf([
        { names: ['vm.swappiness'], file: 'man5/proc_sys_vm.5', line: 10, license: 'GPL-3.0-or-later', markdown: 'The man page on swappiness.' },
        { names: ['kernel.pty.max'], file: 'man5/proc_sys_kernel.5', line: 340, license: 'GPL-3.0-or-later', markdown: 'This file defines the maximum number of pseudoterminals.' },
      ]);
    expect(joinUpstream(swappiness(['7.2']), indexes, manPages).text?.markdown).toBe(SWAPPINESS_NEW);
    const pty = { ...swappiness(['7.2']), title: 'kernel.pty.max', path: '/proc/sys/kernel/pty/max' };
    const { text, upstream } = joinUpstream(pty, indexes, manPages);
    expect(text?.markdown).toBe('This file defines the maximum number of pseudoterminals.');
    expect(upstream.docSource).toEqual({ origin: 'man-pages', file: 'man5/proc_sys_kernel.5', line: 340, version: '6.20', license: 'GPL-3.0-or-later' });
    expect(joinUpstream(pty, indexes).text).toBeNull();
  });

  it("shares a man page's text between the names of one ctl_table entry, and says so", () => {
    const neighbour = { file: 'net/core/neighbour.c', line: 3835 };
    const index = indexKernelDocs(
      kernel('7.2', { ctlTables: [ctl('locktime', { name: 'net.ipv4.neigh.<interface>.locktime', ...neighbour }), ctl('locktime', { name: 'net.ipv6.neigh.<interface>.locktime', ...neighbour })] }),
      noAbi,
    );
    const manPages = manPagesOf([{ names: ['net.ipv4.neigh.<interface>.locktime'], file: 'man7/arp.7', line: 200, license: 'Linux-man-pages-1-para', markdown: 'The minimum number of jiffies to keep an ARP entry.' }]);
    const ipv6 = { ...swappiness(['7.2']), title: 'net.ipv6.neigh.<interface>.locktime', path: '/proc/sys/net/ipv6/neigh/<interface>/locktime' };
    expect(joinUpstream(ipv6, [index], manPages).text?.markdown).toBe(
      'The minimum number of jiffies to keep an ARP entry.\n\nThis text documents `net.ipv4.neigh.<interface>.locktime`; the same `ctl_table` entry (`net/core/neighbour.c:3835`) registers both names.',
    );
  });

  it("shares a man page's text between two entries that store into one variable", () => {
    const variable = 'init_user_ns.ucount_max[UCOUNT_INOTIFY_INSTANCES]';
    const index = indexKernelDocs(
      kernel('7.2', {
        ctlTables: [
          ctl('max_user_instances', { name: 'fs.inotify.max_user_instances', file: 'fs/notify/inotify/inotify_user.c', line: 62, data: variable }),
          ctl('max_inotify_instances', { name: 'user.max_inotify_instances', file: 'kernel/ucount.c', line: 85, data: variable }),
        ],
      }),
      noAbi,
    );
    const manPages = manPagesOf([{ names: ['fs.inotify.max_user_instances'], file: 'man5/proc_sys_fs_inotify.5', line: 20, license: 'GPL-3.0-or-later', markdown: 'An upper limit on inotify instances.' }]);
    const user = { ...swappiness(['7.2']), title: 'user.max_inotify_instances', path: '/proc/sys/user/max_inotify_instances' };
    expect(joinUpstream(user, [index], manPages).text?.markdown).toBe(
      `An upper limit on inotify instances.\n\nThis text documents \`fs.inotify.max_user_instances\`; both names store into \`${variable}\`.`,
    );
  });

  it("takes each kernel's first text of an origin: its second section is no older text", () => {
    const twice = [
      kernel('5.10', { sysctls: [doc(['vm.swappiness'], SWAPPINESS_NEW), doc(['vm.swappiness'], SWAPPINESS_OLD, { line: 99 })] }),
      kernel('7.2', { sysctls: [doc(['vm.swappiness'], SWAPPINESS_NEW, { line: 900 }), doc(['vm.swappiness'], SWAPPINESS_OLD, { line: 999 })] }),
    ].map((k) => indexKernelDocs(k, noAbi));
    const { text } = joinUpstream(swappiness(['5.10', '7.2']), twice);
    expect(text).toMatchObject({ markdown: SWAPPINESS_NEW, source: { line: 900, kernel: '7.2' }, older: [] });
  });

  it('prefers the kernels that measured the tunable', () => {
    const { text, upstream } = joinUpstream(swappiness(['5.10']), indexes);
    expect(text?.source).toMatchObject({ origin: 'kernel', kernel: '5.10' });
    expect(upstream.documentedDefault).toBe('60');
    expect(upstream.range).toEqual({ min: '0', max: '100' });
  });

  it('matches a definition by procname only when every candidate agrees', () => {
    const index = indexKernelDocs(kernel('6.1', { ctlTables: [ctl('gc_thresh1', { file: 'net/ipv4/arp.c' }), ctl('gc_thresh1', { file: 'net/ipv6/ndisc.c' }), ctl('hops', { max: '5' }), ctl('hops', { max: '9' })] }), noAbi);
    expect(ctlEntryOf(index, 'net.ipv4.neigh.default.gc_thresh1')?.file).toBe('net/ipv4/arp.c');
    expect(ctlEntryOf(index, 'net.x.hops')).toBeUndefined();
    expect(ctlEntryOf(index, 'net.x.missing')).toBeUndefined();
  });

  it('finds nothing, and says so with nulls, for an undocumented tunable', () => {
    expect(joinUpstream({ ...swappiness(['7.2']), title: 'vm.unknown' }, indexes)).toEqual({
      upstream: { type: null, range: null, definedIn: null, docSource: null, documentedDefault: null, abi: null },
      // Said per kernel too: this kernel's docs were read and state nothing (lint must not borrow another kernel's range).
      kernels: { '7.2': { type: null, range: null, definedIn: null, documentedDefault: null } },
      text: null,
    });
  });

  it("carries each kernel's registration under the page's own name, never one found by procname alone", () => {
    const syncookies = ctl('tcp_syncookies', { name: 'net.ipv4.tcp_syncookies', file: 'net/ipv4/sysctl_net_ipv4.c', registered: ['per-net'] });
    const index = indexKernelDocs(kernel('7.2', { ctlTables: [syncookies] }), noAbi);
    const page = (title: string) => ({ kind: 'sysctl' as const, title, path: `/proc/sys/${title.replaceAll('.', '/')}`, kernels: { '7.2': facts('1') } });
    expect(joinUpstream(page('net.ipv4.tcp_syncookies'), [index]).kernels['7.2']?.registered).toEqual(['per-net']);
    const byProcname = joinUpstream(page('net.other.tcp_syncookies'), [index]).kernels['7.2'];
    expect(byProcname?.definedIn?.file).toBe('net/ipv4/sysctl_net_ipv4.c');
    expect(byProcname).not.toHaveProperty('registered');
  });

  it("carries each kernel's open bounds, with the page of a sysctl a bound names where there is one, and the export names only the sysctl", () => {
    const rtoMin = ctl('rto_min', { name: 'net.sctp.rto_min', handler: 'proc_sctp_do_rto_min', min: '1', max: null, openBounds: { max: { written: '&init_net.sctp.rto_max', sysctl: 'net.sctp.rto_max' } } });
    const indexes = [indexKernelDocs(kernel('7.2', { ctlTables: [rtoMin] }), noAbi)];
    const tunable = { kind: 'sysctl' as const, title: 'net.sctp.rto_min', path: '/proc/sys/net/sctp/rto_min', kernels: { '7.2': facts('1000') } };
    const pages = (name: string) => (name === 'net.sctp.rto_max' ? 'sysctl/net/sctp/rto_max' : undefined);
    const joined = joinUpstream(tunable, indexes, undefined, pages);
    expect(joined.kernels['7.2']).toMatchObject({
      handler: 'proc_sctp_do_rto_min',
      range: { min: '1', max: null },
      openBounds: { max: { written: '&init_net.sctp.rto_max', sysctl: 'net.sctp.rto_max', sysctlPage: 'sysctl/net/sctp/rto_max' } },
    });
    // No page of that sysctl: nothing to link.
    expect(joinUpstream(tunable, indexes).kernels['7.2']!.openBounds).toEqual({ max: { written: '&init_net.sctp.rto_max', sysctl: 'net.sctp.rto_max' } });
    const page = { ...tunable, subsystem: 'net', placeholders: [], summary: 's', writable: true, status: 'present' as const, namespace: null, module: null, upstream: joined.upstream };
    const [exported] = buildExport([{ id: 'sysctl/net/sctp/rto_min', data: { ...page, kernels: { '7.2': { ...facts('1000'), upstream: joined.kernels['7.2']! } } } }]).tunables;
    expect(exported!.kernels['7.2']).toMatchObject({ handler: 'proc_sctp_do_rto_min', openBounds: { max: { written: '&init_net.sctp.rto_max', sysctl: 'net.sctp.rto_max' } } });
    expect(exported!.kernels['7.2']!.openBounds!.max).not.toHaveProperty('sysctlPage');
  });

  it('maps the documented type when no definition gives one', () => {
    expect(documentedType('INTEGER')).toBe('integer');
    expect(documentedType('BOOLEAN')).toBe('boolean');
    expect(documentedType('vector of 3 INTEGERs: min, default, max')).toBe('integer vector');
    expect(documentedType('STRING')).toBe('string');
    expect(documentedType('something else')).toBeNull();
  });
});

describe('the one precedence of description origins', () => {
  it('names every origin once, in the order scripts/README.md states, and the join follows it for a tunable with candidates of every origin', () => {
    // Every origin the docs record, each once.
    expect(new Set(DESCRIPTION_PRECEDENCE).size).toBe(DESCRIPTION_PRECEDENCE.length);
    expect([...DESCRIPTION_PRECEDENCE].sort()).toEqual([...descriptionOrigin.options].sort());

    // scripts/README.md's sentence that names the list gives the same order.
    const readme = readFileSync(new URL('../../scripts/README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const sentence = /`DESCRIPTION_PRECEDENCE`.*?\.(?= )/.exec(readme)?.[0] ?? '';
    const named = [...sentence.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).filter((word) => (descriptionOrigin.options as readonly string[]).includes(word!));
    expect(named).toEqual([...DESCRIPTION_PRECEDENCE]);

    // The picker: whichever origins have candidates, the first of them in the list wins; a
    // kernel's recency never outranks an origin (the Documentation is 5.10's, the rest 7.2's).
    const candidate = (origin: DescriptionOrigin, series = '7.2'): Candidate => ({
      origin,
      markdown: `Text from ${origin}.`,
      source: { origin: 'kernel', file: `${origin}.txt`, line: 1, kernel: series, version: `${series}.1` },
      series,
    });
    const all = DESCRIPTION_PRECEDENCE.map((origin) => candidate(origin, origin === 'documentation' ? '5.10' : '7.2')).reverse();
    DESCRIPTION_PRECEDENCE.forEach((origin, i) => {
      const left = all.filter((c) => DESCRIPTION_PRECEDENCE.indexOf(c.origin) >= i);
      expect(pickDescription(left)?.markdown).toBe(`Text from ${origin}.`);
    });
    expect(pickDescription([])).toBeNull();

    // The join gathers every sysctl origin (all but `abi`) from the docs and man pages and picks by the list.
    const sysctlOrigins = DESCRIPTION_PRECEDENCE.filter((origin) => origin !== 'abi');
    const join = (origins: readonly DescriptionOrigin[]) => {
      const sysctls = origins.filter((o) => o !== 'man-page').map((o) => doc(['vm.swappiness'], `Text from ${o}.`, { origin: o as SysctlDoc['origin'], file: `${o}.txt` }));
      const indexes = [
        kernel('5.10', { sysctls: sysctls.filter((d) => d.origin === 'documentation') }),
        kernel('7.2', { sysctls: sysctls.filter((d) => d.origin !== 'documentation').reverse() }),
      ].map((k) => indexKernelDocs(k, noAbi));
      const manPages = origins.includes('man-page') ? manPagesOf([{ names: ['vm.swappiness'], file: 'man5/proc_sys_vm.5', line: 1, license: 'GPL-3.0-or-later', markdown: 'Text from man-page.' }]) : undefined;
      return joinUpstream(swappiness(['5.10', '7.2']), indexes, manPages);
    };
    sysctlOrigins.forEach((origin, i) => {
      const { text, upstream } = join(sysctlOrigins.slice(i));
      expect(text?.markdown).toBe(`Text from ${origin}.`);
      expect(upstream.docSource?.origin).toBe(origin === 'man-page' ? 'man-pages' : 'kernel');
    });
  });
});

describe('summaries and wording', () => {
  it('takes the first sentence as plain text, and cuts a long one at a word', () => {
    expect(summaryOf('This control is `used` to *define* things. More text.', 'vm.x')).toBe('This control is used to define things.');
    expect(summaryOf('```\ncode only\n```', 'vm.x')).toBeUndefined();
    // A lead-in that introduces a quoted comment is not the summary; the quote is.
    expect(summaryOf("The kernel's documentation does not describe it; the comment on `x` in `a.c` says:\n\n> Targeted preemption latency for CPU-bound tasks. More.", 'kernel.x')).toBe(
      'Targeted preemption latency for CPU-bound tasks.',
    );
    const long = summaryOf(`${'word '.repeat(60)}end.`, 'vm.x')!;
    expect(long.length).toBeLessThanOrEqual(201);
    expect(long.endsWith('word…')).toBe(true);
  });

  it('skips what only gives a default, a range or the possible values', () => {
    expect(summaryOf('default 10\n\nIt sets the always mode drop rate.', 'net.ipv4.vs.am_droprate')).toBe('It sets the always mode drop rate.');
    expect(summaryOf('Possible values:\n\n* 0 (disabled)\n* 1 (enabled)\n\nDefault: 1 (enabled)', 'net.bridge.x')).toBeUndefined();
    expect(summaryOf('default 0 Valid range: -20 (more favorable) .. 19 (less favorable)\n\nNiceness value to use for the estimation kthreads', 'net.ipv4.vs.est_nice')).toBe(
      'Niceness value to use for the estimation kthreads',
    );
    expect(summaryOf('Defaults to 100 (minimum allowed value). Requires vfs_cache_pressure.', 'vm.x')).toBe('Requires vfs_cache_pressure.');
    expect(summaryOf('default 210\n\nDefault is set to (hb_interval * path_max_retrans + rto_max)', 'net.netfilter.x')).toBeUndefined();
    // What says what it is, though it starts with the word, stays.
    expect(summaryOf('Default value of TTL field for outgoing IP packets.', 'net.ipv4.ip_default_ttl')).toBe('Default value of TTL field for outgoing IP packets.');
    expect(summaryOf('Default Maximum Transfer Unit', 'net.ipv6.conf.all.mtu')).toBe('Default Maximum Transfer Unit');
  });

  it('takes what follows a default written first, with a capital', () => {
    expect(summaryOf('default 552 - minimum Path MTU. Unless this is changed manually, each cached pmtu will never be lower.', 'net.ipv4.route.min_pmtu')).toBe('Minimum Path MTU.');
    expect(summaryOf('default 30 - hard timeout in seconds for acquire requests', 'net.core.xfrm_acq_expires')).toBe('Hard timeout in seconds for acquire requests');
  });

  it('ends a sentence neither inside a range nor after an abbreviation', () => {
    expect(summaryOf('Possible values: -8 (larger table) .. 8 (smaller table)\n\nDefault: -4\n\nControls the sizing of the connection hash table. More.', 'net.ipv4.vs.conn_lfactor')).toBe(
      'Controls the sizing of the connection hash table.',
    );
    expect(summaryOf('The machine hardware name, the same output as `uname -m` (e.g. `x86_64` or `aarch64`).', 'kernel.arch')).toBe(
      'The machine hardware name, the same output as uname -m (e.g. x86_64 or aarch64).',
    );
    expect(summaryOf('This parameter can be used to control the NMI watchdog (i.e. the hard lockup detector) on x86 systems. More.', 'kernel.nmi_watchdog')).toBe(
      'This parameter can be used to control the NMI watchdog (i.e. the hard lockup detector) on x86 systems.',
    );
    expect(summaryOf('Weighs tcp vs. udp buffers. More.', 'net.core.x')).toBe('Weighs tcp vs. udp buffers.');
  });

  it('does not open with a note: the next sentence or paragraph describes', () => {
    expect(summaryOf('NOTE: this latency value is not a timeslice. Targeted preemption latency for CPU-bound tasks.', 'kernel.sched_latency_ns')).toBe(
      'Targeted preemption latency for CPU-bound tasks.',
    );
    expect(summaryOf('Note: rto_alpha and rto_beta are inverse powers of two.', 'net.sctp.rto_alpha_exp_divisor')).toBeUndefined();
    // A "**Note**" title on its own line: the paragraph after it is the note's.
    expect(summaryOf('* 0 - (default) No enforcement.\n\n**Note**\n\nthis is not the same with force_mld_version.', 'net.ipv4.conf.all.force_igmp_version')).toBeUndefined();
    expect(summaryOf('Obsolete since linux-6.6 Count buffering overhead as bytes/2^tcp_adv_win_scale.\n\nPossible values are \\[-31, 31], inclusive.', 'net.ipv4.tcp_adv_win_scale')).toBe(
      'Count buffering overhead as bytes/2^tcp_adv_win_scale.',
    );
  });

  it('reads a first paragraph that ends in a colon as a sentence, unless it is the lead-in of a quote', () => {
    const hostname = [
      'These files can be used to set the NIS/YP domainname and the hostname of your box in exactly the same way as the commands domainname and hostname, i.e.:',
      '```\n# echo "darkstar" > /proc/sys/kernel/hostname\n```',
      'Note, however, that the classic darkstar.frop.org has the hostname "darkstar".',
    ].join('\n\n');
    expect(summaryOf(hostname, 'kernel.hostname')).toBe(
      'These files can be used to set the NIS/YP domainname and the hostname of your box in exactly the same way as the commands domainname and hostname.',
    );
    expect(summaryOf('Documented as the boot parameter `x=`, which sets the same variable (`x_var`):\n\n```\nx= [KNL] Text.\n```', 'kernel.x')).toBeUndefined();
  });

  it('takes the sentence that names this sysctl as code where one section documents several', () => {
    const msg = '`msgmax` is the maximum size of an IPC message, in bytes.\n\n`msgmnb` is the maximum size of an IPC queue, in bytes. 16384 by default.';
    const msgNames = ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni'];
    expect(summaryOf(msg, 'kernel.msgmnb', msgNames)).toBe('msgmnb is the maximum size of an IPC queue, in bytes.');
    expect(summaryOf(msg, 'kernel.msgmax', msgNames)).toBe('msgmax is the maximum size of an IPC message, in bytes.');
    // A section of one sysctl keeps its first sentence, whatever names the others.
    expect(summaryOf(msg, 'kernel.msgmnb')).toBe('msgmax is the maximum size of an IPC message, in bytes.');
    const aio = '`aio-nr` shows the current number of asynchronous io requests. `aio-max-nr` allows you to change the maximum value `aio-nr` can grow to.';
    expect(summaryOf(aio, 'fs.aio-max-nr', ['fs.aio-nr', 'fs.aio-max-nr'])).toBe('aio-max-nr allows you to change the maximum value aio-nr can grow to.');
    // A name in a path or a word is no sentence about it.
    const mac = '> This provides emulation with keypresses. It is controlled by:\\\n> /proc/sys/dev/mac_hid/mouse_button2_keycode';
    expect(summaryOf(mac, 'dev.mac_hid.mouse_button2_keycode', ['dev.mac_hid.mouse_button_emulation', 'dev.mac_hid.mouse_button2_keycode'])).toBe('This provides emulation with keypresses.');
  });

  it("carries the names of a section that documents several sysctls to the page's text", () => {
    const section = doc(['kernel.msgmax', 'kernel.msgmnb'], '`msgmax` is the maximum size of a message. `msgmnb` is the maximum size of a queue.');
    const indexes = [indexKernelDocs(kernel('7.2', { sysctls: [section] }), noAbi)];
    const { text } = joinUpstream({ kind: 'sysctl', title: 'kernel.msgmnb', path: '/proc/sys/kernel/msgmnb', kernels: { '7.2': facts('16384') } }, indexes);
    expect(text?.names).toEqual(['kernel.msgmax', 'kernel.msgmnb']);
    expect(summaryOf(text!.markdown, 'kernel.msgmnb', text!.names)).toBe('msgmnb is the maximum size of a queue.');
  });

  it('flags a documented default the kernels do not measure, naming them', () => {
    const kernels = { '5.10': facts('4096'), '6.1': facts('4096'), '7.2': facts('4096') };
    expect(defaultDisagreement('128', kernels)).toBe('The documentation says 128; kernels 5.10 – 7.2 measure 4096.');
    expect(defaultDisagreement('60 seconds', { '7.2': facts('60') })).toBeNull();
    expect(defaultDisagreement('enabled', kernels)).toBeNull();
    expect(defaultDisagreement(null, kernels)).toBeNull();
  });

  it("holds each kernel to its own documented default where its docs state another", () => {
    const stating = (documentedDefault: string): KernelFacts => ({ ...facts('4096'), upstream: { type: 'integer', range: null, definedIn: null, documentedDefault } });
    expect(defaultDisagreement('128', { '5.10': stating('4096'), '7.2': stating('128') })).toBe('The documentation says 128; kernel 7.2 measures 4096.');
    expect(defaultDisagreement('128', { '5.10': stating('4096') })).toBeNull();
  });

  it('states a fact once where the kernels agree, else per group of kernels, oldest first', () => {
    const stating = (max: string | null, file = 'kernel/hung_task.c'): KernelFacts => ({
      ...facts('0'),
      upstream: { type: 'integer', range: max === null ? null : { min: '0', max }, definedIn: { file, line: Number(max ?? 1), kernel: 'k', version: 'v' }, documentedDefault: null },
    });
    const kernels = { '5.10': stating(null), '6.1': stating('1'), '6.12': stating('1'), '7.2': stating('2147483647') };
    expect(statedAcrossKernels(kernels, (s) => s.range)).toEqual([
      { kernels: '5.10', value: null },
      { kernels: '6.1 – 6.12', value: { min: '0', max: '1' } },
      { kernels: '7.2', value: { min: '0', max: '2147483647' } },
    ]);
    expect(statedAcrossKernels(kernels, (s) => s.type)).toEqual([{ kernels: null, value: 'integer' }]);
    // Grouped by file, each group shows its newest kernel's line.
    expect(statedAcrossKernels(kernels, (s) => s.definedIn, (at) => at.file)).toEqual([{ kernels: null, value: kernels['7.2'].upstream!.definedIn }]);
    // Facts from before kernels kept their own statements: the page falls back to the newest kernel's.
    expect(statedAcrossKernels({ '7.2': facts('0') }, (s) => s.range)).toBeNull();
  });

  it('reads a documented default the way the docs write numbers before comparing', () => {
    const agrees = (documented: string, measured: string) => defaultDisagreement(documented, { '7.2': facts(measured) }) === null;
    expect(agrees('0xffff', '65535')).toBe(true);
    expect(agrees('0x0007 (source IP, destination IP and IP protocol)', '7')).toBe(true);
    expect(agrees('128 KB', '131072')).toBe(true);
    expect(agrees('4K', '4096')).toBe(true);
    expect(agrees('512kB   Minimum: 64kB   Maximum: 64MB', '524288')).toBe(true);
    expect(agrees('120,000', '120000')).toBe(true);
    expect(agrees('2hours', '7200')).toBe(true);
    expect(agrees('IP6_RT_PRIO_USER i.e. 1024', '1024')).toBe(true);
    expect(agrees('-1 (unlimited)', '-1')).toBe(true);
    // `~0` has the width of a type the text does not name: no comparison rather than a wrong flag.
    expect(agrees('~0', '65535')).toBe(true);
    expect(agrees('2', '3')).toBe(false);
    expect(agrees('5', '3')).toBe(false);
    expect(agrees('1 (enabled)', '0')).toBe(false);
    // A vector or a word measured is not a number to compare.
    expect(agrees('4096', '4096 16384 4194304')).toBe(true);
  });

  describe('open bounds, handlers and units in words', () => {
    const at = (series: string, line = 42) => ({ file: 'kernel/pid.c', line, kernel: series, version: `${series}.1` });
    const stating = (series: string, upstream: Partial<KernelUpstream>): KernelFacts => ({
      ...facts('0'),
      upstream: { type: 'integer', handler: 'proc_dointvec_minmax', range: null, definedIn: at(series), documentedDefault: null, ...upstream },
    });
    const page = (kernels: Record<string, KernelFacts>, title = 'kernel.example') => ({ title, kernels, upstream: NO_UPSTREAM });
    const pidMax = (series: string, line: number): Partial<KernelUpstream> => ({
      range: { min: null, max: '4194304' },
      openBounds: { min: { written: '&pid_max_min', boot: { file: 'kernel/pid.c', line, initial: '301', perPossibleCpu: '8' } } },
      definedIn: at(series, line + 100),
    });

    it('says what a boot rule makes of a bound, linked to its line at that kernel', () => {
      const [line] = rangeLines(page({ '7.2': stating('7.2', pidMax('7.2', 827)) }));
      expect(plainText(line!.phrases!)).toBe('at least max(301, 8 × possible CPUs), set at boot (kernel/pid.c:827) and at most 4194304');
      expect(line!.phrases).toContainEqual({ source: { file: 'kernel/pid.c', line: 827, version: '7.2.1' } });
      const ipcMni = { written: '&ipc_mni', boot: { file: 'ipc/ipc_sysctl.c', line: 328, initial: '32768', parameter: { name: 'ipcmni_extend', value: '16777216' } } };
      expect(statedLine(rangeLines(page({ '7.2': stating('7.2', { range: { min: '0', max: null }, openBounds: { max: ipcMni } }) })))).toBe(
        'at least 0 and at most 32768, or 16777216 when the kernel boots with `ipcmni_extend` (ipc/ipc_sysctl.c:328)',
      );
    });

    it("names the sysctl whose value bounds another, with its page where it has one, and C text it could not evaluate as such", () => {
      const rtoMax = { written: '&init_net.sctp.rto_max', sysctl: 'net.sctp.rto_max' };
      const [linked] = rangeLines(page({ '7.2': stating('7.2', { range: { min: '1', max: null }, openBounds: { max: { ...rtoMax, sysctlPage: 'sysctl/net/sctp/rto_max' } } }) }));
      expect(linked!.phrases).toEqual(['at least 1', ' and ', 'at most ', 'the value of ', { sysctl: 'net.sctp.rto_max', page: 'sysctl/net/sctp/rto_max' }]);
      expect(plainText(linked!.phrases!)).toBe('at least 1 and at most the value of net.sctp.rto_max');
      const [unlinked] = rangeLines(page({ '7.2': stating('7.2', { range: { min: '1', max: null }, openBounds: { max: rtoMax } }) }));
      expect(unlinked!.phrases).toContainEqual({ sysctl: 'net.sctp.rto_max' });
      // `.extra2 = &x` bounds by x's value: the page names x.
      const unevaluated = stating('7.2', { openBounds: { max: { written: 'MAX_SKB_FRAGS' } } });
      expect(statedLine(rangeLines(page({ '7.2': unevaluated })))).toBe('at most `MAX_SKB_FRAGS` (C expression not evaluated)');
      const xfs = stating('7.2', { openBounds: { min: { written: '&xfs_params.rotorstep.min' } } });
      expect(statedLine(rangeLines(page({ '7.2': xfs })))).toBe('at least `xfs_params.rotorstep.min` (C expression not evaluated)');
    });

    it('states an open bound once where the kernels agree on it, the line of a boot rule apart, else per kernel', () => {
      const agreeing = rangeLines(page({ '6.1': stating('6.1', pidMax('6.1', 800)), '7.2': stating('7.2', pidMax('7.2', 827)) }));
      expect(agreeing).toHaveLength(1);
      expect(agreeing[0]!.kernels).toBeNull();
      // The newest kernel's line, in its own tree.
      expect(agreeing[0]!.phrases).toContainEqual({ source: { file: 'kernel/pid.c', line: 827, version: '7.2.1' } });
      const differing = rangeLines(page({ '5.10': stating('5.10', { range: { min: '301', max: '4194304' } }), '6.1': stating('6.1', pidMax('6.1', 800)), '7.2': stating('7.2', pidMax('7.2', 827)) }));
      expect(statedLine(differing)).toBe('5.10: 301 – 4194304; 6.1 – 7.2: at least max(301, 8 × possible CPUs), set at boot (kernel/pid.c:827) and at most 4194304');
      // Where no kernel states a bound, there is nothing to say.
      expect(statedLine(rangeLines(page({ '7.2': stating('7.2', {}) })))).toBe('not known');
    });

    it('names the handler beside the type, per kernel where it changed', () => {
      expect(statedLine(typeLines(page({ '7.2': stating('7.2', {}) })))).toBe('integer, parsed by `proc_dointvec_minmax`');
      const [own] = typeLines(page({ '7.2': stating('7.2', { type: 'other', handler: 'xfs_panic_mask_proc_handler' }) }));
      expect(own!.phrases).toEqual(['parsed by a handler of its own: ', { code: 'xfs_panic_mask_proc_handler' }]);
      const changed = typeLines(page({ '6.1': stating('6.1', { handler: 'proc_dointvec' }), '6.12': stating('6.12', {}), '7.2': stating('7.2', {}) }));
      expect(statedLine(changed)).toBe('6.1: integer, parsed by `proc_dointvec`; 6.12 – 7.2: integer, parsed by `proc_dointvec_minmax`');
      // Facts from before kernels kept a handler: the type alone.
      expect(statedLine(typeLines({ title: 'kernel.example', kernels: { '7.2': facts('0') }, upstream: { ...NO_UPSTREAM, type: 'jiffies' } }))).toBe('integer, in seconds (kept in jiffies)');
    });

    it('states the time unit a name gives where the handler reads a plain number, and not where the handler converts', () => {
      const own = (type: 'integer' | 'long' | 'milliseconds', handler: string, title: string) => statedLine(typeLines(page({ '7.2': stating('7.2', { type, handler }) }, title)));
      expect(own('integer', 'dirty_writeback_centisecs_handler', 'vm.dirty_writeback_centisecs')).toBe('integer, in hundredths of a second (as its name says), parsed by `dirty_writeback_centisecs_handler`');
      expect(own('long', 'proc_dohung_task_timeout_secs', 'kernel.hung_task_timeout_secs')).toBe('long integer, in seconds (as its name says), parsed by `proc_dohung_task_timeout_secs`');
      expect(own('integer', 'sched_rr_handler', 'kernel.sched_rr_timeslice_ms')).toBe('integer, in milliseconds (as its name says), parsed by `sched_rr_handler`');
      expect(own('integer', 'proc_dointvec_minmax', 'kernel.sched_rt_period_us')).toMatch(/^integer, in microseconds/);
      expect(own('integer', 'proc_dointvec', 'kernel.sched_latency_ns')).toMatch(/^integer, in nanoseconds/);
      // The handler's own unit stands; a name without a unit adds none.
      expect(own('milliseconds', 'proc_dointvec_ms_jiffies', 'net.ipv4.neigh.<interface>.retrans_time_ms')).toBe('integer, in milliseconds (kept in jiffies), parsed by `proc_dointvec_ms_jiffies`');
      expect(own('integer', 'proc_dointvec', 'net.ipv4.tcp_syn_retries')).toBe('integer, parsed by `proc_dointvec`');
      expect(unitInName('net.ipv4.tcp_fastopen_blackhole_timeout_sec')).toBe('seconds');
      expect(unitInName('vm.dirty_bytes')).toBeNull();
    });

    it('gives each time handler the unit a reader writes in, and converts a USER_HZ or millisecond default to seconds', () => {
      const unitOf = (handler: string) => typeText(valueTypeOf(handler, false, null, null));
      expect(unitOf('proc_dointvec_jiffies')).toMatch(/in seconds/);
      expect(unitOf('proc_dointvec_userhz_jiffies')).toMatch(/in hundredths of a second/);
      for (const handler of ['proc_dointvec_ms_jiffies', 'proc_dointvec_ms_jiffies_minmax', 'proc_doulongvec_ms_jiffies_minmax']) expect(unitOf(handler)).toMatch(/in milliseconds/);
      expect(inSeconds('100', 'centiseconds')).toBe('1 s');
      expect(inSeconds('1500', 'milliseconds')).toBe('1.5 s');
      expect(inSeconds('30', 'jiffies')).toBeNull();
    });

    it('types every jiffies handler of the committed docs by the unit its name says, wrappers included', () => {
      const unitOfName = (handler: string) => (/userhz_jiffies/.test(handler) ? 'centiseconds' : /ms_jiffies/.test(handler) ? 'milliseconds' : 'jiffies');
      const mistyped = ['5.10', '6.1', '6.12', '7.2'].flatMap((series) => {
        const docs = JSON.parse(readFileSync(new URL(`../../content/docs/${series}.json`, import.meta.url), 'utf8')) as KernelDocs;
        return docs.ctlTables.filter((entry) => /jiffies/.test(entry.handler) && entry.type !== unitOfName(entry.handler)).map((entry) => `${series} ${entry.name ?? entry.procname}: ${entry.handler} → ${entry.type}`);
      });
      expect(mistyped).toEqual([]);
    });
  });

  it('words ranges and links a source line at its version', () => {
    expect(rangeText({ min: '0', max: '200' })).toBe('0 – 200');
    expect(rangeText({ min: '1', max: null })).toBe('at least 1');
    expect(sourceUrl({ file: 'mm/vmscan.c', line: 42, version: '6.1.192' })).toBe('https://elixir.bootlin.com/linux/v6.1.192/source/mm/vmscan.c#L42');
  });

  it('counts coverage per subsystem, totals first, present pages only; parameters by their total and their own words', () => {
    const upstream = { type: null, range: null, definedIn: null, docSource: null, documentedDefault: null, abi: null };
    const located = { file: 'f', line: 1, kernel: '7.2', version: '7.2.1' };
    const manPage = { origin: 'man-pages' as const, file: 'man5/proc_sys_vm.5', line: 3, version: '6.20', license: 'GPL-3.0-or-later' };
    const kernels = {};
    const parameter = (type: string | null, description: string | null) => ({
      '7.2': { release: 'r', source: 'qemu' as const, mode: null, writable: false, default: null, defaultKind: 'unmeasured' as const, namespace: null, module: null, parameter: { presence: 'module' as const, settable: 'load-time' as const, type, description, tags: [] } },
    });
    const rows = coverage([
      { kind: 'sysctl', subsystem: 'vm', status: 'present', kernels, upstream: { ...upstream, docSource: { origin: 'kernel', ...located }, type: 'integer' } },
      { kind: 'sysctl', subsystem: 'vm', status: 'present', kernels, upstream: { ...upstream, docSource: manPage } },
      { kind: 'sysctl', subsystem: 'vm', status: 'present', kernels, upstream },
      { kind: 'sysctl', subsystem: 'fs', status: 'present', kernels, upstream: { ...upstream, definedIn: located } },
      { kind: 'sysctl', subsystem: 'fs', status: 'vanished', kernels, upstream: { ...upstream, docSource: { origin: 'kernel', ...located } } },
      { kind: 'module', subsystem: 'loop', status: 'present', kernels: parameter('int', 'Maximum number of loop devices'), upstream },
      { kind: 'module', subsystem: 'zram', status: 'present', kernels: parameter('uint', null), upstream },
    ]);
    expect(rows.map((r) => [r.kind, r.subsystem, r.tunables, r.description, r.manPages, r.type, r.definedIn])).toEqual([
      ['module', null, 2, 1, 0, 2, 0],
      ['sysctl', null, 4, 2, 1, 1, 1],
      ['sysctl', 'fs', 1, 0, 0, 0, 1],
      ['sysctl', 'vm', 3, 2, 1, 1, 0],
    ]);
    expect(share(2, 3)).toBe('66%');
  });

  it('lists for writers, by kind and subsystem, the present tunables with no description from the kernel nor words of a writer', () => {
    const upstream = { type: null, range: null, definedIn: null, docSource: null, documentedDefault: null, abi: null };
    const documented = { ...upstream, docSource: { origin: 'kernel' as const, file: 'f', line: 1, kernel: '7.2', version: '7.2.1' } };
    const described = { '7.2': { release: 'r', source: 'qemu' as const, mode: null, writable: false, default: null, defaultKind: 'unmeasured' as const, namespace: null, module: null, parameter: { presence: 'module' as const, settable: 'load-time' as const, type: null, description: 'Loop devices', tags: [] } } };
    const entry = (id: string, data: Partial<Parameters<typeof coverage>[0][number]> = {}, written = false) => {
      const [kind, subsystem] = id.split('/') as ['sysctl' | 'module', string];
      return { id, written, data: { kind, subsystem, status: 'present' as const, kernels: {}, upstream, ...data } };
    };
    const groups = needsWriting(
      [
        entry('sysctl/vm/a'),
        entry('sysctl/vm/b', { upstream: documented }),
        entry('sysctl/vm/c', {}, true),
        entry('sysctl/fs/d'),
        entry('sysctl/fs/e', { status: 'vanished' }),
        entry('sysctl/vm/f'),
        entry('module/loop/max_loop', { kernels: described }),
        entry('module/zram/num_devices'),
      ],
      ({ written }) => written,
    );
    expect(groups.map(({ kind, count, subsystems }) => [kind, count, subsystems.map(({ subsystem, entries }) => [subsystem, entries.map(({ id }) => id)])])).toEqual([
      ['module', 1, [['zram', ['module/zram/num_devices']]]],
      [
        'sysctl',
        3,
        [
          ['fs', ['sysctl/fs/d']],
          ['vm', ['sysctl/vm/a', 'sysctl/vm/f']],
        ],
      ],
    ]);
  });

  it("counts per kernel the writable numeric sysctls with a range, from the source or measured: the issue's 90 % target", () => {
    const stating = (type: 'integer' | 'string', max: string | null, writable = true): KernelFacts => ({
      ...facts('0'),
      writable,
      upstream: { type, range: max === null ? null : { min: '0', max }, definedIn: null, documentedDefault: null },
    });
    const NONE = { type: null, range: null, definedIn: null, docSource: null, documentedDefault: null, abi: null };
    const page = (kernels: Record<string, KernelFacts>, status: 'present' | 'vanished' = 'present') => ({ kind: 'sysctl' as const, subsystem: 'kernel', status, kernels, upstream: NONE });
    expect(
      rangeCoverage([
        page({ '6.12': stating('integer', '1'), '7.2': stating('integer', null) }),
        page({ '7.2': stating('integer', '2') }),
        page({ '7.2': stating('string', null) }),
        page({ '7.2': stating('integer', '3', false) }),
        page({ '7.2': stating('integer', '4') }, 'vanished'),
        // Measured only: no type in the source, accepted values from the probe.
        page({ '7.2': { ...facts('0'), writable: true, accepted: { min: '0', max: '9' } } }),
        // Both: counted once in "either".
        page({ '7.2': { ...stating('integer', '5'), accepted: { min: '0', max: '5' } } }),
      ]),
    ).toEqual([
      { kernel: '6.12', numeric: 1, withRange: 1, measured: 0, either: 1 },
      { kernel: '7.2', numeric: 4, withRange: 2, measured: 2, either: 3 },
    ]);
  });
});

describe("one source tree, read as each architecture's kernels build it", () => {
  // 7.2 defines abi.tagged_addr_disabled for arm64 and for riscv; legacy_instructions.rst is arm64's.
  const tree = indexKernelDocs(kernel('7.2', {
    sysctls: [
      doc(['abi.tagged_addr_disabled'], 'The comment in riscv.', { file: 'arch/riscv/kernel/process.c', line: 400, origin: 'variable-comment' }),
      doc(['abi.swp'], 'Undef: Value 0.', { file: 'Documentation/arch/arm64/legacy_instructions.rst', line: 49 }),
    ],
    ctlTables: [
      ctl('tagged_addr_disabled', { name: 'abi.tagged_addr_disabled', file: 'arch/riscv/kernel/process.c', line: 415, max: '1' }),
      ctl('tagged_addr_disabled', { name: 'abi.tagged_addr_disabled', file: 'arch/arm64/kernel/process.c', line: 942, max: '1' }),
      ctl('swp', { name: 'abi.swp', file: 'arch/arm64/kernel/armv8_deprecated.c', line: 243, handler: 'emulation_proc_handler', min: null, max: null }),
    ],
  }), noAbi);
  const measuredOn = (title: string, ids: string[]) => ({ kind: 'sysctl' as const, title, path: `/proc/sys/${title.replaceAll('.', '/')}`, kernels: Object.fromEntries(ids.map((id) => [id, facts('0')])) });

  it("gives an arm64 kernel arm64's definition, not another architecture's of the same name", () => {
    const joined = joinUpstream(measuredOn('abi.tagged_addr_disabled', ['7.2-arm64']), [tree]);
    expect(joined.upstream.definedIn).toEqual({ file: 'arch/arm64/kernel/process.c', line: 942, kernel: '7.2', version: '7.2.1' });
    expect(joined.kernels['7.2-arm64']?.definedIn?.file).toBe('arch/arm64/kernel/process.c');
    // riscv's comment is no text of arm64's kernel.
    expect(joined.text).toBeNull();
  });

  it("shows an arm64 page its Documentation/arch/arm64 text and definition", () => {
    const joined = joinUpstream(measuredOn('abi.swp', ['6.12-arm64', '7.2-arm64']), [tree]);
    expect(joined.text?.source).toMatchObject({ file: 'Documentation/arch/arm64/legacy_instructions.rst', line: 49 });
    expect(joined.upstream.definedIn?.file).toBe('arch/arm64/kernel/armv8_deprecated.c');
    expect(joined.kernels['7.2-arm64']).toMatchObject({ handler: 'emulation_proc_handler', range: null });
  });

  it("knows an architecture's files in both layouts of Documentation", () => {
    const files = ['Documentation/arm64/legacy_instructions.rst', 'Documentation/arch/arm64/sve.rst', 'arch/x86/entry/vdso/vdso32-setup.c', 'Documentation/admin-guide/sysctl/abi.rst', 'kernel/sysctl.c'];
    expect(files.map(sourceArchOf)).toEqual(['arm64', 'arm64', 'x86', undefined, undefined]);
  });

  it("never gives an amd64 kernel what only another architecture's folders define or document", () => {
    const joined = joinUpstream(measuredOn('abi.swp', ['7.2']), [tree]);
    expect(joined.text).toBeNull();
    expect(joined.upstream.definedIn).toBeNull();
    expect(joined.kernels['7.2']).toMatchObject({ definedIn: null, type: null });
  });
});
