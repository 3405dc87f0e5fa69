/**
 * The page body renderer (src/lib/render-body.ts) that replaced @astrojs/mdx: the render
 * check of what the pages hold — GFM tables, code, escapes, the generated block's comment
 * markers, plain HTML elements —, the two components pages may use without an import
 * (`<Tunable>`, `<Aside>`), whether a writer wrote words of their own, and what it refuses
 * with a line number.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { gfm } from 'micromark-extension-gfm';
import { mdxjs } from 'micromark-extension-mdxjs';
import { describe, expect, it } from 'vitest';
import { readTunables } from '../../src/data/tunables.ts';
import { BodyError, pagesByName, renderBody, renderTree } from '../../src/lib/render-body.ts';

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
      renderBody(body, { bodyLine });
    } catch (error) {
      if (error instanceof BodyError) return error;
      throw error;
    }
    throw new Error('rendered without complaint');
  };

  it('refuses what would need JavaScript, naming the line in the file', () => {
    expect(refusal('Fine.\n\n{1 + 1}\n', 5)).toMatchObject({ line: 7, message: expect.stringContaining('would need JavaScript') });
    expect(refusal('import X from "x";\n\nText\n')).toMatchObject({ line: 1, message: expect.stringContaining('import and export') });
    expect(refusal('a\n\n<Chart>hi</Chart>\n', 10)).toMatchObject({ line: 12, message: expect.stringContaining('<Chart> is a component: tunable pages have only <Tunable> and <Aside>') });
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
    const byName = pagesByName(pages);
    const differing = pages
      .filter(({ id, body }) => {
        const generatorTree = fromMarkdown(body, { extensions: [mdxjs(), gfm()], mdastExtensions: [mdxFromMarkdown(), gfmFromMarkdown()] });
        const context = { pageDir: `${id}/`, pages: byName };
        return renderTree(generatorTree, context).html !== renderBody(body, context).html;
      })
      .map(({ file }) => file);
    expect(differing).toEqual([]);
    // A hang guard: about 30 s alone, and past 120 s with two qemu boots and a build on the 2 cores.
  }, 600_000);
});

describe('links in a body', () => {
  it('are relative to the page and name index.html, as every other link of the site', () => {
    const { html } = renderBody('See [dirty_ratio](../dirty_ratio/), [the index](/sysctl/vm/) and [docs](https://docs.kernel.org/).\n', { pageDir: 'sysctl/vm/swappiness/' });
    expect(html).toContain('<a href="../dirty_ratio/index.html">dirty_ratio</a>');
    expect(html).toContain('<a href="../index.html">the index</a>');
    expect(html).toContain('<a href="https://docs.kernel.org/">docs</a>');
  });
});

/** A small content's names: one sysctl, one name two kinds share, one pattern page. */
const PAGES = pagesByName([
  { id: 'sysctl/vm/swappiness', data: { title: 'vm.swappiness' } },
  { id: 'sysctl/vm/dirty_ratio', data: { title: 'vm.dirty_ratio' } },
  { id: 'sysctl/sunrpc/min_resvport', data: { title: 'sunrpc.min_resvport' } },
  { id: 'module/sunrpc/min_resvport', data: { title: 'sunrpc.min_resvport' } },
  { id: 'sysctl/net/ipv4/conf/_interface_/rp_filter', data: { title: 'net.ipv4.conf.<interface>.rp_filter' } },
]);
const ON_DIRTY_RATIO = { pageDir: 'sysctl/vm/dirty_ratio/', pages: PAGES };

const refusedWith = (body: string, context: Parameters<typeof renderBody>[1]): BodyError => {
  try {
    renderBody(body, context);
  } catch (error) {
    if (error instanceof BodyError) return error;
    throw error;
  }
  throw new Error('rendered without complaint');
};

describe('<Tunable>', () => {
  it('links the page of the tunable it names, relative to the page, its text the name or its children', () => {
    const { html } = renderBody('Lower <Tunable name="vm.swappiness" /> first, or <Tunable name="net.ipv4.conf.<interface>.rp_filter">reverse path filtering</Tunable>.\n', ON_DIRTY_RATIO);
    expect(html).toBe(
      '<p>Lower <a href="../swappiness/index.html">vm.swappiness</a> first, or <a href="../../net/ipv4/conf/_interface_/rp_filter/index.html">reverse path filtering</a>.</p>',
    );
  });

  it('alone on its line, is a paragraph holding the link', () => {
    expect(renderBody('<Tunable name="vm.swappiness" />\n', ON_DIRTY_RATIO).html).toBe('<p><a href="../swappiness/index.html">vm.swappiness</a></p>');
  });

  it('chooses by kind where two kinds share a name, and asks for the kind where it is missing', () => {
    expect(renderBody('<Tunable name="sunrpc.min_resvport" kind="module" />\n', ON_DIRTY_RATIO).html).toContain('href="../../../module/sunrpc/min_resvport/index.html"');
    expect(refusedWith('<Tunable name="sunrpc.min_resvport" />\n', ON_DIRTY_RATIO).message).toContain('add kind="sysctl" or kind="module"');
  });

  it('fails on a name no kernel has, naming the line in the file, the name and the closest names', () => {
    const error = refusedWith('Fine.\n\nSee <Tunable name="vm.swapiness" />.\n', { ...ON_DIRTY_RATIO, bodyLine: 7 });
    expect(error.line).toBe(9);
    expect(error.message).toBe('<Tunable name="vm.swapiness">: no kernel has a tunable of that name (did you mean vm.swappiness?)');
    expect(refusedWith('<Tunable name="no.such" />\n', ON_DIRTY_RATIO).message).toContain('<Tunable name="no.such">: no kernel has a tunable of that name');
    // Without the content's names (a body rendered alone), nothing resolves.
    expect(refusedWith('<Tunable name="vm.swappiness" />\n', {}).message).toContain('no kernel has a tunable of that name');
  });

  it('refuses a missing name, an attribute it does not take and an unknown kind', () => {
    expect(refusedWith('<Tunable />\n', ON_DIRTY_RATIO).message).toContain('needs the tunable\'s name');
    expect(refusedWith('<Tunable name="vm.swappiness" title="x" />\n', ON_DIRTY_RATIO).message).toBe('<Tunable> takes name="…" and kind="…", not title');
    expect(refusedWith('<Tunable name="vm.swappiness" kind="proc" />\n', ON_DIRTY_RATIO).message).toContain('kind is one of sysctl, sysfs, boot, module');
  });
});

describe('<Aside>', () => {
  it('renders each type as a note named by its title, its text held in paragraphs', () => {
    for (const [type, title] of [['note', 'Note'], ['caution', 'Caution'], ['danger', 'Danger']]) {
      expect(renderBody(`<Aside type="${type}">Takes *effect* at once.</Aside>\n`).html).toBe(
        `<aside class="aside aside-${type}" role="note" aria-label="${title}"><p class="aside-title" aria-hidden="true">${title}</p><p>Takes <em>effect</em> at once.</p></aside>`,
      );
    }
  });

  it('is a note without a type, and holds Markdown blocks and a <Tunable>', () => {
    const { html } = renderBody('<Aside>\nFirst.\n\n- then <Tunable name="vm.swappiness" />\n</Aside>\n', ON_DIRTY_RATIO);
    expect(html).toMatch(/^<aside class="aside aside-note" role="note" aria-label="Note">/);
    expect(html).toContain('<p>First.</p>');
    expect(html).toContain('<li>then <a href="../swappiness/index.html">vm.swappiness</a></li>');
  });

  it('refuses an unknown type, another attribute, and an aside inside a line of text, naming the line', () => {
    expect(refusedWith('a\n\n<Aside type="warning">x</Aside>\n', { bodyLine: 4 })).toMatchObject({ line: 6, message: '<Aside type="warning">: type is one of note, caution, danger' });
    expect(refusedWith('<Aside type="note" title="Hm">x</Aside>\n', {}).message).toBe('<Aside> takes type="…", not title');
    expect(refusedWith('Text <Aside>x</Aside> more.\n', {}).message).toContain('<Aside> is a block');
  });
});

describe("a writer's words", () => {
  const BLOCK = '{/* generated start 0123456789ab: npm run generate rewrites this block; write outside it */}\n\nThe kernel says.\n\n{/* generated end */}\n';

  it('are what stands outside the generated block, comments apart', () => {
    expect(renderBody(BLOCK).writersWords).toBe(false);
    expect(renderBody(`{/* a writer's note to self */}\n\n${BLOCK}`).writersWords).toBe(false);
    expect(renderBody(`${BLOCK}\nSet it lower on machines with fast swap.\n`).writersWords).toBe(true);
    expect(renderBody(`## Why\n\n${BLOCK}`).writersWords).toBe(true);
  });

  it('are the whole body once the markers are gone', () => {
    expect(renderBody('The writer owns this page.\n').writersWords).toBe(true);
    expect(renderBody('').writersWords).toBe(false);
  });
});
