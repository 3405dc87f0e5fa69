/**
 * The comment on the struct field a sysctl's `.data` points into: how the field is found
 * (root variable or pointer, struct by struct, each step unambiguous), which comments are
 * the field's own, and that the kernel's words reach the page as text, never as markup.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { toString } from 'mdast-util-to-string';
import { mdxjs } from 'micromark-extension-mdxjs';
import { describe, expect, it } from 'vitest';
import { ctlDataVariables } from '../../scripts/docs/ctl-join.ts';
import { assertMdx } from '../../scripts/docs/rst.ts';
import type { Definition } from '../../scripts/docs/source-comments.ts';
import {
  fieldComments, fieldPath, memberLines, pointerStruct, resolveField, scanStructFields, structFieldDoc, structLines, type StructDefinitions,
} from '../../scripts/docs/struct-fields.ts';
import { kernelDocs, type CtlTableEntry } from '#core/schemas/docs.ts';

const lines = (text: string) => text.split('\n');
/** 0-based index of the first line holding `needle`. */
const indexOf = (text: string, needle: string) => lines(text).findIndex((line) => line.includes(needle));

const NETNS_SCTP_H = `/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __NETNS_SCTP_H__
#define __NETNS_SCTP_H__

struct netns_sctp {
	/* UDP tunneling listening sock. */
	struct sock *udp4_sock;
	struct sock *udp6_sock;

	/* Note: rto_alpha and rto_beta are really defined as inverse
	 * powers of two to facilitate integer operations.
	 */
	int rto_alpha;
	int rto_beta;

	/* next fields are set through sysctl { and so on } */
	int max_burst;
	int cookie_preserve_enable;

	/* Threshold for autoclose timeout, in seconds. */
	unsigned long max_autoclose;
};
#endif
`;

const NET_NAMESPACE_H = `struct net {
	refcount_t		passive;
	struct {
		int		max_autoclose;	/* a nested struct's member, not ours */
	} other;
#if IS_ENABLED(CONFIG_IP_SCTP)
	struct netns_sctp	sctp;
#endif
	struct netns_ipv6	ipv6;
	possible_net_t		typedefd;
};
`;

const TOPOLOGY_H = `struct sched_domain {
	/* These fields must be setup */
	struct sched_domain __rcu *parent;	/* top domain must be null terminated */
	unsigned long min_interval;	/* Minimum balance interval ms */
	unsigned long max_interval;	/* Maximum balance interval ms */
	int flags;			/* See SD_* */

	/* idle_balance() stats */
	u64 max_newidle_lb_cost;
	unsigned long next_decay_max_lb_cost;
};
`;

const file = (name: string, text: string) => ({ file: name, lines: lines(text) });
/** The definitions of `struct name` in the given files, as the tree scan would collect them. */
function structsIn(...files: { file: string; lines: string[] }[]): StructDefinitions {
  return (name) => files.flatMap((f) => structLines(f.lines, name).map((index): Definition => ({ ...f, index })));
}

describe('the path from .data to a field', () => {
  it('reads a variable’s or a pointer’s members, and nothing with indexing or calls', () => {
    expect(fieldPath('init_net.sctp.max_autoclose')).toEqual({ root: 'init_net', pointer: false, members: ['sctp', 'max_autoclose'] });
    expect(fieldPath('sd->min_interval')).toEqual({ root: 'sd', pointer: true, members: ['min_interval'] });
    expect(fieldPath('dqstats.stat[DQST_LOOKUPS]')).toBeUndefined();
    expect(fieldPath('sysctl_sched_latency')).toBeUndefined();
  });

  it('takes a pointer’s struct only when every declaration agrees', () => {
    expect(pointerStruct('static void f(struct sched_domain *sd)\n{\n\tstruct sched_domain *sd;\n}', 'sd')).toBe('sched_domain');
    expect(pointerStruct('void f(struct sched_domain *sd);\nvoid g(struct sched_group *sd);', 'sd')).toBeUndefined();
  });

  it('finds members declared directly in the struct, not in a nested one or a comment', () => {
    const net = lines(NET_NAMESPACE_H);
    expect(memberLines(net, 0, 'sctp')).toEqual([indexOf(NET_NAMESPACE_H, 'netns_sctp')]);
    expect(memberLines(net, 0, 'max_autoclose')).toEqual([]);
    const sctp = lines(NETNS_SCTP_H);
    expect(memberLines(sctp, indexOf(NETNS_SCTP_H, 'struct netns_sctp {'), 'max_burst')).toEqual([indexOf(NETNS_SCTP_H, 'int max_burst;')]);
  });

  it('follows embedded structs, and stops at one it has not looked up, a typedef, or a struct defined twice', () => {
    const structs = structsIn(file('include/net/net_namespace.h', NET_NAMESPACE_H), file('include/net/netns/sctp.h', NETNS_SCTP_H));
    expect(resolveField('net', ['sctp', 'max_autoclose'], structs)).toMatchObject({ field: { file: 'include/net/netns/sctp.h', struct: 'netns_sctp', field: 'max_autoclose', index: indexOf(NETNS_SCTP_H, 'unsigned long max_autoclose') } });
    expect(resolveField('net', ['typedefd', 'x'], structs)).toBeUndefined();
    expect(resolveField('net', ['sctp', 'max_autoclose'], (name) => (name === 'net' ? structs(name) : undefined))).toEqual({ unknown: 'netns_sctp' });
    const twice = structsIn(file('include/net/net_namespace.h', NET_NAMESPACE_H), file('include/net/netns/sctp.h', NETNS_SCTP_H), file('arch/x/sctp.h', NETNS_SCTP_H));
    expect(resolveField('net', ['sctp', 'max_autoclose'], twice)).toBeUndefined();
  });
});

describe('which comments are the field’s', () => {
  const sctp = lines(NETNS_SCTP_H);
  const comments = (field: string) => fieldComments(sctp, indexOf(NETNS_SCTP_H, ` ${field};`), field).map((c) => c.text.trim());

  it('takes the comment above a field alone, and one heading a run that names the field', () => {
    expect(comments('max_autoclose')).toEqual(['/* Threshold for autoclose timeout, in seconds. */']);
    expect(comments('rto_beta')).toEqual(['/* Note: rto_alpha and rto_beta are really defined as inverse\n\t * powers of two to facilitate integer operations.\n\t */']);
  });

  it('leaves a heading of a run that does not name the field', () => {
    expect(comments('udp4_sock')).toEqual([]);
    expect(comments('max_burst')).toEqual([]);
  });

  it('takes the comment trailing the field first', () => {
    const topology = lines(TOPOLOGY_H);
    expect(fieldComments(topology, indexOf(TOPOLOGY_H, 'max_interval'), 'max_interval').map((c) => c.text.trim())).toEqual(['/* Maximum balance interval ms */']);
  });
});

describe('a doc from the comment on a field', () => {
  const sctp = file('include/net/netns/sctp.h', NETNS_SCTP_H);
  const at = (field: string, source = sctp, struct = 'netns_sctp') => ({ ...source, index: indexOf(source.lines.join('\n'), ` ${field};`), struct, field });

  it('quotes the comment after a lead-in naming the field, its struct and its file', () => {
    const doc = structFieldDoc(['net.sctp.max_autoclose'], at('max_autoclose'));
    expect(doc).toMatchObject({ file: 'include/net/netns/sctp.h', line: indexOf(NETNS_SCTP_H, 'Threshold') + 1, names: ['net.sctp.max_autoclose'], origin: 'struct-field' });
    expect(doc?.markdown).toBe("The kernel's documentation does not describe it; the comment on the field `max_autoclose` of `struct netns_sctp` in `include/net/netns/sctp.h` says:\n\n> Threshold for autoclose timeout, in seconds.");
    assertMdx(doc!.markdown);
  });

  it('skips a comment that only labels the field', () => {
    const topology = file('include/linux/sched/topology.h', TOPOLOGY_H);
    expect(structFieldDoc(['kernel.sched_domain.<cpu>.<domain>.flags'], at('flags', topology, 'sched_domain'))).toBeUndefined();
    expect(structFieldDoc(['kernel.sched_domain.<cpu>.<domain>.max_newidle_lb_cost'], at('max_newidle_lb_cost', topology, 'sched_domain'))).toBeUndefined();
  });

  it('escapes hostile comment text: no expression, no element, the words kept', () => {
    const hostile = file('include/x.h', 'struct x {\n\tint knob;\t/* Set {x} to <script>alert(1)</script> and `tick` when *deep* [now](x). */\n};\n');
    const doc = structFieldDoc(['kernel.knob'], at('knob', hostile, 'x'));
    assertMdx(doc!.markdown);
    const tree = fromMarkdown(doc!.markdown, { extensions: [mdxjs()], mdastExtensions: [mdxFromMarkdown()] });
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'blockquote']);
    expect(toString(tree.children[1])).toBe('Set {x} to <script>alert(1)</script> and `tick` when *deep* [now](x).');
  });
});

describe('scanning a tree', () => {
  it('finds fields through init_net and through a set_table_entry pointer, and none through an ambiguous struct', async () => {
    const root = await mkdtemp(join(tmpdir(), 'struct-fields-'));
    try {
      const files: Record<string, string> = {
        'include/net/net_namespace.h': NET_NAMESPACE_H,
        'include/net/netns/sctp.h': NETNS_SCTP_H,
        'include/linux/sched/topology.h': TOPOLOGY_H,
        'net/core/net_namespace.c': 'struct net init_net;\n',
        'tools/testing/other.c': 'static int init_net = -1;\n',
        'net/sctp/sysctl.c': 'static struct ctl_table sctp_net_table[] = {\n\t{\n\t\t.procname\t= "max_autoclose",\n\t\t.data\t\t= &init_net.sctp.max_autoclose,\n\t},\n\t{\n\t\t.procname\t= "rto_beta_exp_divisor",\n\t\t.data\t\t= &init_net.sctp.rto_beta,\n\t},\n\t{\n\t\t.procname\t= "ambiguous",\n\t\t.data\t\t= &twice.field,\n\t},\n};\nstatic struct twice_s twice;\n',
        'include/a.h': 'struct twice_s {\n\tint field;\t/* Defined here with a comment long enough to count. */\n};\n',
        'include/b.h': 'struct twice_s {\n\tint field;\t/* And here, for another architecture, just as long. */\n};\n',
        'kernel/sched/debug.c': 'static struct ctl_table *\nsd_alloc_ctl_domain_table(struct sched_domain *sd)\n{\n\tset_table_entry(&table[0], "min_interval",\t  &sd->min_interval,\t    sizeof(long), 0644, proc_doulongvec_minmax);\n\tset_table_entry(&table[5], "flags",\t\t  &sd->flags,\t\t    sizeof(int),  0444, sd_ctl_doflags);\n}\n',
      };
      for (const [name, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, name)), { recursive: true });
        await writeFile(join(root, name), text);
      }
      const entry = (name: string, path: string, line: number): CtlTableEntry => ({ name, procname: name.split('.').at(-1)!, file: path, line, mode: '0644', handler: 'proc_dointvec', type: 'integer', min: null, max: null });
      const entries = [
        entry('net.sctp.max_autoclose', 'net/sctp/sysctl.c', 3),
        entry('net.sctp.rto_beta_exp_divisor', 'net/sctp/sysctl.c', 7),
        entry('net.sctp.ambiguous', 'net/sctp/sysctl.c', 11),
        entry('kernel.sched_domain.<cpu>.<domain>.min_interval', 'kernel/sched/debug.c', 4),
        entry('kernel.sched_domain.<cpu>.<domain>.flags', 'kernel/sched/debug.c', 5),
        entry('net.sctp.documented', 'net/sctp/sysctl.c', 3),
      ];
      const data = await ctlDataVariables(root, entries);
      expect(data.get('kernel/sched/debug.c:4')).toEqual({ expression: 'sd->min_interval' });
      const docs = await scanStructFields(root, entries, data);
      expect(docs.every((doc) => doc.origin === 'struct-field')).toBe(true);
      expect(docs.map(({ names, file, line }) => ({ names, file, line }))).toEqual([
        // A name another source documents still gets its candidate: the generator picks.
        { names: ['net.sctp.max_autoclose', 'net.sctp.documented'], file: 'include/net/netns/sctp.h', line: indexOf(NETNS_SCTP_H, 'Threshold') + 1 },
        { names: ['net.sctp.rto_beta_exp_divisor'], file: 'include/net/netns/sctp.h', line: indexOf(NETNS_SCTP_H, 'Note: rto_alpha') + 1 },
        { names: ['kernel.sched_domain.<cpu>.<domain>.min_interval'], file: 'include/linux/sched/topology.h', line: indexOf(TOPOLOGY_H, 'min_interval') + 1 },
      ]);
      kernelDocs.parse({ schemaVersion: 1, series: '5.10', sourceVersion: '5.10.1-1', upstreamVersion: '5.10.1', sysctls: docs, ctlTables: entries, abi: [] });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
