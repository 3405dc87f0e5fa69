/**
 * The page body renderer (src/lib/render-body.ts) that replaced @astrojs/mdx: the render
 * check of what the pages hold — GFM tables, code, escapes, the generated block's comment
 * markers, plain HTML elements — and what it refuses with a line number.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { gfm } from 'micromark-extension-gfm';
import { mdxjs } from 'micromark-extension-mdxjs';
import { describe, expect, it } from 'vitest';
import { readTunables } from '../../src/data/tunables.ts';
import { BodyError, renderBody, renderTree } from '../../src/lib/render-body.ts';

describe('renderBody', () => {
  it('renders GFM tables with alignment and escaped pipes', () => {
    const { html } = renderBody('| name | value |\n|:-----|------:|\n| a \\| b | `1` |\n');
    expect(html).toContain('<th align="left">name</th>');
    expect(html).toContain('<th align="right">value</th>');
    expect(html).toContain('<td align="left">a | b</td>');
    expect(html).toContain('<td align="right"><code>1</code></td>');
  });

  it('keeps code text literal: markup, braces and backticks are shown, never parsed', () => {
    const { html } = renderBody('```\nif (a < b) { return `x`; } <script>alert(1)</script>\n```\n\nInline `<b>{x}</b>`.\n');
    expect(html).toContain('<pre><code>if (a &lt; b) { return `x`; } &lt;script>alert(1)&lt;/script>\n</code></pre>');
    expect(html).toContain('<code>&lt;b>{x}&lt;/b></code>');
    expect(html).not.toContain('<script>');
  });

  it('shows MDX escapes as the characters they escape', () => {
    const { html } = renderBody('Values \\{0..200\\} and \\<script> stay text; 5 \\* 3 \\_ok\\_.\n');
    expect(html).toBe('<p>Values {0..200} and &lt;script> stay text; 5 * 3 _ok_.</p>');
  });

  it('drops comment expressions such as the generated block markers', () => {
    const { html } = renderBody('{/* generated start 0123456789ab: … */}\n\nText {/* inline */} here.\n\n{/* generated end */}\n');
    expect(html).toBe('<p>Text  here.</p>');
  });

  it('renders plain HTML elements written as JSX, and links and emphasis', () => {
    const { html } = renderBody('Press <kbd>Ctrl</kbd>, see [vm.swappiness](../swappiness/) and *this*.\n\n<details><summary>More</summary>Hidden</details>\n');
    expect(html).toContain('<kbd>Ctrl</kbd>');
    expect(html).toContain('<a href="../swappiness/index.html">vm.swappiness</a>');
    expect(html).toContain('<em>this</em>');
    expect(html).toContain('<details><summary>More</summary>Hidden</details>');
  });

  it('gives headings ids as Astro does, and lists them', () => {
    const { html, headings } = renderBody('## Notes on *tuning*\n\n## Notes on tuning\n');
    expect(html).toContain('<h2 id="notes-on-tuning">Notes on <em>tuning</em></h2>');
    expect(html).toContain('<h2 id="notes-on-tuning-1">');
    expect(headings).toEqual([
      { depth: 2, slug: 'notes-on-tuning', text: 'Notes on tuning' },
      { depth: 2, slug: 'notes-on-tuning-1', text: 'Notes on tuning' },
    ]);
  });

  const refusal = (body: string, bodyLine = 1): BodyError => {
    try {
      renderBody(body, bodyLine);
    } catch (error) {
      if (error instanceof BodyError) return error;
      throw error;
    }
    throw new Error('rendered without complaint');
  };

  it('refuses what would need JavaScript, naming the line in the file', () => {
    expect(refusal('Fine.\n\n{1 + 1}\n', 5)).toMatchObject({ line: 7, message: expect.stringContaining('would need JavaScript') });
    expect(refusal('import X from "x";\n\nText\n')).toMatchObject({ line: 1, message: expect.stringContaining('import and export') });
    expect(refusal('a\n\n<Aside>hi</Aside>\n', 10)).toMatchObject({ line: 12, message: expect.stringContaining('<Aside> is a component') });
    expect(refusal('<script>alert(1)</script>\n')).toMatchObject({ message: expect.stringContaining('<script> is not allowed') });
    expect(refusal('<a href="x" onclick="steal()">x</a>\n')).toMatchObject({ message: expect.stringContaining('would run a script') });
    expect(refusal('<a href={url}>x</a>\n')).toMatchObject({ message: expect.stringContaining('computed by JavaScript') });
  });

  it('names the line of text that is not valid MDX', () => {
    expect(refusal('Fine.\n\nBroken {expression\n', 20)).toMatchObject({ line: 22, message: expect.stringContaining('not valid MDX') });
  });
});

describe('the parser', () => {
  it('reads a leading --- as a rule, not as front matter (the reader split that off)', () => {
    expect(renderBody('---\n\ntext\n').html).toBe('<hr>\n<p>text</p>');
  });

  // The site parses with Satteri for speed, the generator writes with micromark's MDX
  // grammar: a page the two read differently would show other than its writer wrote it.
  it("reads every committed page as the generator's micromark MDX grammar does", () => {
    const pages = readTunables('content');
    expect(pages.length).toBeGreaterThan(1000);
    const differing = pages
      .filter(({ id, body }) => {
        const generatorTree = fromMarkdown(body, { extensions: [mdxjs(), gfm()], mdastExtensions: [mdxFromMarkdown(), gfmFromMarkdown()] });
        return renderTree(generatorTree, 1, `${id}/`).html !== renderBody(body, 1, `${id}/`).html;
      })
      .map(({ file }) => file);
    expect(differing).toEqual([]);
  }, 120_000);
});

describe('links in a body', () => {
  it('are relative to the page and name index.html, as every other link of the site', () => {
    const { html } = renderBody('See [dirty_ratio](../dirty_ratio/), [the index](/sysctl/vm/) and [docs](https://docs.kernel.org/).\n', 1, 'sysctl/vm/swappiness/');
    expect(html).toContain('<a href="../dirty_ratio/index.html">dirty_ratio</a>');
    expect(html).toContain('<a href="../index.html">the index</a>');
    expect(html).toContain('<a href="https://docs.kernel.org/">docs</a>');
  });
});
