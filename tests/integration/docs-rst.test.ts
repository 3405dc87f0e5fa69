/**
 * RST → MDX-safe markdown through pandoc: every construct the kernel's sysctl and ABI
 * text uses, hostile text, and fragments pandoc rejects. Each output must render with the
 * site's own renderer of page bodies (MDX grammar, nothing that needs JavaScript).
 */
import { describe, expect, it, vi } from 'vitest';
import { dedent, preprocess, rstToMdx } from '../../scripts/docs/rst.ts';
import { renderBody } from '../../src/lib/render-body.ts';

/** Every pandoc process started, counted: the real runner still does the work. */
const pandocRuns = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../scripts/lib/run.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../scripts/lib/run.ts')>();
  return {
    ...original,
    runText: (...args: Parameters<typeof original.runText>) => {
      if (args[0] === 'pandoc') pandocRuns.count++;
      return original.runText(...args);
    },
  };
});

async function expectMdx(markdown: string): Promise<void> {
  expect(() => renderBody(markdown)).not.toThrow();
}

const FRAGMENTS = {
  paragraphs: 'First *emphasised* and **strong** paragraph\nwrapped.\n\nSecond with ``inline {literal}``.',
  literal: 'Example::\n\n    # cat /proc/sys/net/tipc/tipc_rmem\n    4252725 34021800 {x} <y>',
  indentedLiteral: 'Values:\n\n::\n\n  0 off\n  1 on',
  bullets: '- 0 - disabled (default)\n- not 0 - enabled\n\n  continued',
  enumerated: '1. one\n2. two\n\n#. auto',
  simpleTable: '==  ===========\n0   off\n1   on, with a\n    longer cell\n==  ===========',
  gridTable: '+-----+------+\n| a   | b    |\n+=====+======+\n| x   | - y  |\n|     | - z  |\n+-----+------+',
  roles: 'See :ref:`the docs <some-label>`, :doc:`/admin-guide/sysctl/vm`, :ref:`bare-label` and :c:func:`kmalloc`.',
  hostile: 'Text with {curly} and <script>alert(1)</script> and a < b > c, `broken`_ and <!-- comment -->.',
  rawHtml: '.. raw:: html\n\n   <img src=x onerror=alert(1)>',
  note: '.. note::\n\n   Mind the ``gap``.',
  heading: 'Sub section\n-----------\n\nBody.',
  tabs: '\tIndented with tabs\n\tunder a definition term.\n\n\tDefault: 0',
} as const;

describe('rstToMdx', () => {
  it('keeps order and length, and every output renders as a page body', async () => {
    const inputs = Object.values(FRAGMENTS);
    const outputs = await rstToMdx([...inputs]);
    expect(outputs).toHaveLength(inputs.length);
    for (const output of outputs) await expectMdx(output);
  });

  it('converts each construct', async () => {
    const keys = Object.keys(FRAGMENTS) as (keyof typeof FRAGMENTS)[];
    const out = Object.fromEntries((await rstToMdx(keys.map((k) => FRAGMENTS[k]))).map((md, i) => [keys[i], md])) as Record<keyof typeof FRAGMENTS, string>;
    expect(out.paragraphs).toBe('First *emphasised* and **strong** paragraph wrapped.\n\nSecond with `inline {literal}`.');
    expect(out.literal).toContain('```\n# cat /proc/sys/net/tipc/tipc_rmem\n4252725 34021800 {x} <y>\n```');
    expect(out.indentedLiteral).toContain('```\n0 off\n1 on\n```');
    expect(out.bullets).toBe('* 0 - disabled (default)\n\n* not 0 - enabled\n\n  continued');
    expect(out.enumerated).toMatch(/^1\. one\n2\. two/);
    expect(out.simpleTable).toMatch(/^\|.*\|\n\| -+ \| -+ \|\n\| 0 +\| off +\|\n\| 1 +\| on, with a longer cell \|$/);
    expect(out.gridTable).toMatch(/^```\n\+-+/);
    expect(out.roles).toBe('See the docs, /admin-guide/sysctl/vm, bare-label and `kmalloc`.');
    expect(out.hostile).toContain('\\{curly}');
    expect(out.hostile).toContain('\\<script>');
    expect(out.hostile).not.toContain('](');
    expect(out.rawHtml).toBe('```\n<img src=x onerror=alert(1)>\n```');
    expect(out.note).toBe('**Note**\n\nMind the `gap`.');
    expect(out.heading).toBe('**Sub section**\n\nBody.');
    expect(out.tabs).toBe('Indented with tabs under a definition term.\n\nDefault: 0');
  });

  it('never lets one bad fragment fail the others; what pandoc cannot read comes back as code', async () => {
    const sentinelLike = 'LKTSENTINELdeadbeef0000N0';
    const outputs = await rstToMdx(['Good one.', sentinelLike, '.. broken::\n\n+--+\n| x', '`unterminated', 'Last one.']);
    expect(outputs[0]).toBe('Good one.');
    expect(outputs[4]).toBe('Last one.');
    for (const output of outputs) await expectMdx(output);
  });

  it('runs a few pandoc processes for many fragments', async () => {
    const fragments = Array.from({ length: 600 }, (_, i) => `Section ${i} with \`\`code\`\` and {x}.`);
    const before = pandocRuns.count;
    const outputs = await rstToMdx(fragments);
    expect(outputs[599]).toBe('Section 599 with `code` and \\{x}.');
    expect(outputs).toHaveLength(600);
    // Counted, not timed: one process per fragment would cost seconds of start-up, and a
    // wall-clock bound fails on a busy machine however few processes run.
    expect(pandocRuns.count - before).toBeGreaterThan(0);
    expect(pandocRuns.count - before).toBeLessThanOrEqual(3);
  });

  it('returns [] for no fragments', async () => {
    expect(await rstToMdx([])).toEqual([]);
  });
});

describe('dedent and preprocess', () => {
  it('expands tabs to 8-column stops and removes the common indentation', () => {
    expect(dedent('\tone\n\t    two\n')).toBe('one\n    two');
  });
  it('keeps the last name of a domain role and drops Sphinx-only directives', () => {
    expect(preprocess(':c:func:`kmalloc`')).toBe(':func:`kmalloc`');
    expect(preprocess('.. contents:: :local:\n\nText')).toBe('\nText');
  });
});
