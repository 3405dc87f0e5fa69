import { describe, expect, it } from 'vitest';
import { pageContents } from '../../src/lib/page-contents.ts';
import { renderBody } from '../../src/lib/render-body.ts';

describe('"On this page"', () => {
  it("lists a page's sections and its body's headings in order, each h3 under its h2", () => {
    const body = renderBody('## Tuning for <code>databases</code>\n\ntext\n\n### Why & when\n\nmore\n', { pageDir: 'sysctl/vm/x/' });
    const html = [
      '<section><h2 id="tunable-defaults">Defaults per kernel</h2><table></table></section>',
      // Scoped styles add attributes; the id need not come first.
      '<section><h2 data-astro-cid-x id="tunable-upstream">What the kernel says</h2></section>',
      `<section><h2 id="tunable-description">Description</h2>${body.html}</section>`,
      '<h4 id="deep">Too deep</h4><h2>No id</h2>',
    ].join('');
    expect(pageContents(html, body.headings)).toEqual([
      { id: 'tunable-defaults', html: 'Defaults per kernel', children: [] },
      { id: 'tunable-upstream', html: 'What the kernel says', children: [] },
      { id: 'tunable-description', html: 'Description', children: [] },
      { id: 'tuning-for-databases', html: 'Tuning for databases', children: [{ id: 'why--when', html: 'Why &amp; when', children: [] }] },
    ]);
  });

  it("takes a body heading's text as the body renderer read it, not its markup", () => {
    const body = renderBody('## See [the <em>docs</em>](https://docs.kernel.org/ "a>b")\n', { pageDir: 'sysctl/vm/x/' });
    expect(body.html).toContain('<a href');
    expect(pageContents(body.html, body.headings)).toEqual([{ id: 'see-the-docs', html: 'See the docs', children: [] }]);
  });
});
