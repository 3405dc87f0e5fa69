/**
 * The C source's comments as the text of sysctls no Documentation describes: which
 * comments count (adjacent, prose, more than the name), which variable definition they
 * are read from, and that the kernel's words reach the page as text, never as markup.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { toString } from 'mdast-util-to-string';
import { mdxjs } from 'micromark-extension-mdxjs';
import { describe, expect, it } from 'vitest';
import type { DataVariable } from '../../scripts/docs/ctl-join.ts';
import { assertMdx } from '../../scripts/docs/rst.ts';
import {
  commentAbove, commentParagraphs, entryComments, isDescription, scanSourceComments, sourceCommentDocs, trailingComment, uniqueDefinition,
  type CommentedEntry, type SourceFile,
} from '../../scripts/docs/source-comments.ts';
import { kernelDocs, type CtlTableEntry } from '#core/schemas/docs.ts';

const lines = (text: string) => text.split('\n');
/** 0-based index of the first line holding `needle`. */
const indexOf = (text: string, needle: string) => lines(text).findIndex((line) => line.includes(needle));

const FAIR_C = `// SPDX-License-Identifier: GPL-2.0
/*
 * Completely Fair Scheduling (CFS) Class (SCHED_NORMAL/SCHED_BATCH)
 *
 *  Copyright (C) 2007 Red Hat, Inc., Ingo Molnar <mingo@redhat.com>
 */
#include "sched.h"

/*
 * Targeted preemption latency for CPU-bound tasks:
 *
 * NOTE: this latency value is not the same as the concept of
 * 'timeslice length' - timeslices in CFS are of variable length
 * and have no persistent notion like in traditional, time-slice
 * based scheduling concepts.
 *
 * (default: 6ms * (1 + ilog(ncpus)), units: nanoseconds)
 */
unsigned int sysctl_sched_latency			= 6000000ULL;
static unsigned int normalized_sysctl_sched_latency	= 6000000ULL;

/*
 * The initial- and re-scaling of tunables is configurable
 *
 * Options are:
 *
 *   SCHED_TUNABLESCALING_NONE - unscaled, always *1
 *   SCHED_TUNABLESCALING_LOG - scaled logarithmical, *1+ilog(ncpus)
 */
enum sched_tunable_scaling sysctl_sched_tunable_scaling = SCHED_TUNABLESCALING_LOG;
`;

/** A definition doc for `variable` in `source`, as the tree scan would ask for it. */
function docOn(source: string, variable: string, names = ['kernel.test']) {
  const file = { file: 'kernel/sched/fair.c', lines: lines(source) };
  const definition = uniqueDefinition({ expression: variable }, file.file, [file]);
  const [doc, ...rest] = sourceCommentDocs({ names, entry: { file: 'kernel/sysctl.c', lines: [], line: 1 }, variable, definition });
  expect(rest).toEqual([]);
  return doc;
}

/** Every node of an MDX tree, to check no kernel text became an expression or a JSX element. */
function nodeTypes(markdown: string): string[] {
  const tree = fromMarkdown(markdown, { extensions: [mdxjs()], mdastExtensions: [mdxFromMarkdown()] });
  const types: string[] = [];
  const visit = (node: Nodes) => {
    types.push(node.type);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return types;
}

describe('finding the comment on a line', () => {
  it('takes the block comment that ends right above, from the line it opens on', () => {
    const comment = commentAbove(lines(FAIR_C), indexOf(FAIR_C, 'unsigned int sysctl_sched_latency'));
    expect(comment?.line).toBe(indexOf(FAIR_C, 'Targeted preemption') );
    expect(comment?.text.startsWith('/*\n * Targeted')).toBe(true);
  });

  it('takes `//` lines and one-line blocks, but not another line’s trailing comment', () => {
    expect(commentAbove(['// Number of tasks to move', '// in one balance run.', 'int x = 1;'], 2)).toEqual({ line: 1, text: '// Number of tasks to move\n// in one balance run.' });
    expect(commentAbove(['/* The delay to inject into packet reception. */', 'int x = 1;'], 1)?.line).toBe(1);
    expect(commentAbove(['int y = 2; /* how long to wait', '             before the next try */', 'int x = 1;'], 2)).toBeUndefined();
    expect(commentAbove(['/* one */ int y;', '/* two */', 'int x;'], 2)?.text).toBe('/* two */');
  });

  it('takes a trailing comment, continued over the lines until it closes, and not a `/*` inside a string', () => {
    expect(trailingComment(['int coda_hard;   /* allows signals during upcalls */'], 0)?.text).toBe('/* allows signals during upcalls */');
    expect(trailingComment(['int x = 3;\t/* seconds to wait', '\t\t * before giving up */', 'int y;'], 0)?.text).toBe('/* seconds to wait\n\t\t * before giving up */');
    expect(trailingComment(['.procname = "a/*b",'], 0)).toBeUndefined();
    expect(trailingComment(['int x = 3;'], 0)).toBeUndefined();
  });

  it('cleans a comment into paragraphs of lines, gutters and delimiters gone, layout kept', () => {
    expect(commentParagraphs('/*\n * First line\n * second line.\n *\n *   - indented item\n */')).toEqual([['First line', 'second line.'], ['  - indented item']]);
    expect(commentParagraphs('/* one line */')).toEqual([['one line']]);
    expect(commentParagraphs('// a\n// b')).toEqual([['a', 'b']]);
  });
});

describe('what counts as a description', () => {
  const subject = ['max_user_watches', 'inotify_max_user_watches'];
  it('keeps prose that says more than the name', () => {
    expect(isDescription([['The maximum number of inotify watches a user may hold before new ones fail.']], subject)).toBe(true);
    expect(isDescription([['secret interval has been deprecated']], ['ipfrag_secret_interval', 'ip4_frags_secret_interval_unused'])).toBe(true);
  });

  it('rejects licence headers, commented-out code, labels and restated names', () => {
    expect(isDescription([['SPDX-License-Identifier: GPL-2.0']], subject)).toBe(false);
    expect(isDescription([['Copyright (C) 2007 Red Hat, Inc., Ingo Molnar, all rights reserved']], subject)).toBe(false);
    expect(isDescription([['if (watches > max) return -ENOSPC;', 'the old limit check, kept for reference']], subject)).toBe(false);
    expect(isDescription([['Local NSM state']], subject)).toBe(false);
    expect(isDescription([['Maximum number of user watches per inotify instance']], subject)).toBe(false);
    expect(isDescription([['configurable via /proc/sys/fs/inotify/max_user_watches']], subject)).toBe(false);
  });
});

describe('a doc from the comment on the variable', () => {
  it('quotes the block comment above the definition after a lead-in naming the variable and file', () => {
    const doc = docOn(FAIR_C, 'sysctl_sched_latency', ['kernel.sched_latency_ns']);
    expect(doc).toMatchObject({ file: 'kernel/sched/fair.c', line: indexOf(FAIR_C, 'Targeted preemption'), names: ['kernel.sched_latency_ns'], origin: 'variable-comment' });
    expect(doc?.markdown).toBe([
      "The kernel's documentation does not describe it; the comment on `sysctl_sched_latency` in `kernel/sched/fair.c` says:",
      '',
      '> Targeted preemption latency for CPU-bound tasks:',
      '>',
      "> NOTE: this latency value is not the same as the concept of 'timeslice length' - timeslices in CFS are of variable length and have no persistent notion like in traditional, time-slice based scheduling concepts.",
      '>',
      '> (default: 6ms \\* (1 + ilog(ncpus)), units: nanoseconds)',
    ].join('\n'));
    assertMdx(doc!.markdown);
  });

  it('keeps a listing’s lines apart', () => {
    const doc = docOn(FAIR_C, 'sysctl_sched_tunable_scaling');
    expect(doc?.markdown).toContain('> SCHED_TUNABLESCALING_NONE - unscaled, always \\*1\\\n> SCHED_TUNABLESCALING_LOG');
  });

  it('takes a comment trailing the definition', () => {
    const source = '#include "coda_int.h"\n\nint coda_hard;  /* allows signals during upcalls to the cache manager */\n';
    expect(docOn(source, 'coda_hard')).toMatchObject({ line: 3, markdown: expect.stringContaining('> allows signals during upcalls to the cache manager') });
  });

  it('skips a comment a blank line away, a licence header and a short one', () => {
    expect(docOn('/*\n * How long to wait before scheduling an ACK after a packet.\n */\n\nunsigned long rxrpc_delay = 1;\n', 'rxrpc_delay')).toBeUndefined();
    expect(docOn('// SPDX-License-Identifier: GPL-2.0-only\n/*\n * Copyright (C) 2013 Red Hat, Inc. All Rights Reserved.\n */\nunsigned persistent_keyring_expiry = 3 * 24 * 3600;\n', 'persistent_keyring_expiry')).toBeUndefined();
    expect(docOn('/* Max TFMs number per key */\nint sysctl_tipc_max_tfms __read_mostly = 2;\n', 'sysctl_tipc_max_tfms', ['net.tipc.max_tfms'])).toBeUndefined();
  });

  it('escapes hostile comment text: no expression, no element, the words kept', () => {
    const source = '/*\n * Set {x} to <script>alert(1)</script> and `tick` when the *boosting* chain is [deep](x).\n * 1. a list that is not one\n */\nint hostile = 1;\n';
    const doc = docOn(source, 'hostile');
    assertMdx(doc!.markdown);
    expect(nodeTypes(doc!.markdown).filter((type) => !['root', 'paragraph', 'text', 'inlineCode', 'blockquote', 'break'].includes(type))).toEqual([]);
    const tree = fromMarkdown(doc!.markdown, { extensions: [mdxjs()], mdastExtensions: [mdxFromMarkdown()] });
    expect(toString(tree.children[1])).toBe('Set {x} to <script>alert(1)</script> and `tick` when the *boosting* chain is [deep](x).1. a list that is not one');
  });
});

describe('a doc from the comment on the ctl_table entry', () => {
  const TABLE = [
    'static struct ctl_table rxrpc_sysctl_table[] = {',
    '\t/* Values measured in milliseconds but used in jiffies */',
    '\t{',
    '\t\t.procname\t= "soft_ack_delay",',
    '\t\t.maxlen\t\t= sizeof(unsigned long),',
    '\t\t.extra2\t\t= &max_jiffies, /* the largest value the handler accepts */',
    '\t},',
    '\t{',
    '\t\t/* Whether a DCCP connection picked up mid-stream is tracked at all. */',
    '\t\t.procname\t= "nf_conntrack_dccp_loose",',
    '\t},',
    '\t[NF_SYSCTL_CT_PROTO_DCCP_TIMEOUT_CLOSING] = {',
    '\t\t.procname\t= "nf_conntrack_dccp_timeout_closing", /* seconds a closing DCCP connection stays tracked */',
    '\t},',
    '\tNEIGH_SYSCTL_ENTRY(retrans_time), /* how long to wait before resending a neighbour probe */',
    '};',
  ];
  const entryDoc = (line: number, name: string) => {
    const [doc, ...rest] = sourceCommentDocs({ names: [name], entry: { file: 'net/netfilter/nf_conntrack_standalone.c', lines: TABLE, line } } satisfies CommentedEntry);
    expect(rest).toEqual([]);
    return doc;
  };

  it('takes the comment between the entry’s brace and its procname, as a doc on the entry', () => {
    expect(entryDoc(10, 'net.netfilter.nf_conntrack_dccp_loose')).toMatchObject({
      file: 'net/netfilter/nf_conntrack_standalone.c',
      line: 9,
      origin: 'ctl-table-comment',
      markdown: "The kernel's documentation does not describe it; the comment on its `ctl_table` entry in `net/netfilter/nf_conntrack_standalone.c` says:\n\n> Whether a DCCP connection picked up mid-stream is tracked at all.",
    });
  });

  it('takes a comment trailing the procname or the entry macro', () => {
    expect(entryDoc(13, 'net.netfilter.nf_conntrack_dccp_timeout_closing')?.line).toBe(13);
    expect(entryDoc(15, 'net.ipv4.neigh.<interface>.retrans_time')?.markdown).toContain('> how long to wait before resending a neighbour probe');
  });

  it('leaves a label above the brace, which names a run of entries, and a comment on another field', () => {
    expect(entryComments(TABLE, 4)).toEqual([]);
    expect(entryDoc(4, 'net.rxrpc.soft_ack_delay')).toBeUndefined();
  });

  it('records the comment on the variable and the one on the entry both, each with its own origin and lead-in', () => {
    const definition = uniqueDefinition({ expression: 'sysctl_sched_latency' }, 'kernel/sched/fair.c', [{ file: 'kernel/sched/fair.c', lines: lines(FAIR_C) }]);
    const docs = sourceCommentDocs({ names: ['net.netfilter.nf_conntrack_dccp_loose'], entry: { file: 'net/netfilter/nf_conntrack_standalone.c', lines: TABLE, line: 10 }, variable: 'sysctl_sched_latency', definition });
    expect(docs.map(({ origin, file }) => ({ origin, file }))).toEqual([
      { origin: 'variable-comment', file: 'kernel/sched/fair.c' },
      { origin: 'ctl-table-comment', file: 'net/netfilter/nf_conntrack_standalone.c' },
    ]);
    expect(docs[0]!.markdown).toMatch(/^The kernel's documentation does not describe it; the comment on `sysctl_sched_latency` in/);
    expect(docs[1]!.markdown).toMatch(/^The kernel's documentation does not describe it; the comment on its `ctl_table` entry in/);
  });
});

describe('telling variables apart', () => {
  const file = (name: string, text: string): SourceFile => ({ file: name, lines: lines(text) });

  it('finds a static only in its own file, a global where it is defined once, and skips several definitions', () => {
    const own = file('kernel/sysctl.c', 'extern int max_lock_depth;\nstatic int enforce = 1;\n');
    const locking = file('kernel/locking/rtmutex.c', '/* comment */\nint max_lock_depth = 1024;\n');
    const other = file('security/other.c', 'static int max_lock_depth = 3;\nstatic int enforce = 0;\n');
    expect(uniqueDefinition({ expression: 'max_lock_depth' }, own.file, [own, locking, other])).toMatchObject({ file: 'kernel/locking/rtmutex.c', index: 1 });
    expect(uniqueDefinition({ expression: 'enforce', staticIn: own.file }, own.file, [own, other])).toMatchObject({ file: 'kernel/sysctl.c', index: 1 });
    const arm = file('arch/arm64/process.c', 'int tagged_addr_disabled;\n');
    const riscv = file('arch/riscv/process.c', 'int tagged_addr_disabled;\n');
    expect(uniqueDefinition({ expression: 'tagged_addr_disabled' }, own.file, [own, arm, riscv])).toBeUndefined();
    expect(uniqueDefinition({ expression: 'dqstats.stat[DQST_LOOKUPS]' }, own.file, [own])).toBeUndefined();
  });
});

describe('scanning a tree', () => {
  it('writes one doc per entry, documented or not (the generator picks), with its variable’s comment from another file, that parses with the kernel docs', async () => {
    const root = await mkdtemp(join(tmpdir(), 'source-comments-'));
    try {
      const files: Record<string, string> = {
        'kernel/sysctl.c': 'static struct ctl_table kern_table[] = {\n\t{\n\t\t.procname\t= "sched_latency_ns",\n\t\t.data\t\t= &sysctl_sched_latency,\n\t},\n\t{\n\t\t.procname\t= "documented",\n\t\t.data\t\t= &sysctl_sched_latency,\n\t},\n};\n',
        'kernel/sched/fair.c': FAIR_C,
      };
      for (const [name, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, name)), { recursive: true });
        await writeFile(join(root, name), text);
      }
      const entry = (name: string, line: number): CtlTableEntry => ({ name, procname: name.split('.').at(-1)!, file: 'kernel/sysctl.c', line, mode: '0644', handler: 'proc_dointvec', type: 'integer', min: null, max: null });
      const entries = [entry('kernel.sched_latency_ns', 3), entry('kernel.documented', 7)];
      const data = new Map<string, DataVariable>([['kernel/sysctl.c:3', { expression: 'sysctl_sched_latency' }], ['kernel/sysctl.c:7', { expression: 'sysctl_sched_latency' }]]);
      const docs = await scanSourceComments(root, entries, data);
      expect(docs.map(({ names, file, line, origin }) => ({ names, file, line, origin }))).toEqual([
        { names: ['kernel.sched_latency_ns'], file: 'kernel/sched/fair.c', line: indexOf(FAIR_C, 'Targeted preemption'), origin: 'variable-comment' },
        { names: ['kernel.documented'], file: 'kernel/sched/fair.c', line: indexOf(FAIR_C, 'Targeted preemption'), origin: 'variable-comment' },
      ]);
      const written = kernelDocs.parse(JSON.parse(JSON.stringify({ schemaVersion: 1, series: '5.10', sourceVersion: '5.10.1-1', upstreamVersion: '5.10.1', sysctls: docs, ctlTables: entries, abi: [] })));
      expect(written.sysctls[0]?.origin).toBe('variable-comment');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('reads docs written before `origin` existed as documentation', () => {
    const old = { schemaVersion: 1, series: '6.1', sourceVersion: '6.1.1-1', upstreamVersion: '6.1.1', sysctls: [{ file: 'Documentation/admin-guide/sysctl/vm.rst', line: 1, names: ['vm.swappiness'], markdown: 'Text.' }], ctlTables: [], abi: [] };
    expect(kernelDocs.parse(old).sysctls[0]?.origin).toBe('documentation');
  });
});
