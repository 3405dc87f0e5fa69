import { describe, expect, it } from 'vitest';
import { portableHtml, portableUrl, type ScriptSource } from '../../src/lib/portable-links.ts';

const TUNABLE = 'sysctl/vm/swappiness/';

/** A script reader that must not be called: pages without module scripts never need one. */
const noScripts: ScriptSource = (src) => Promise.reject(new Error(`unexpected script read: ${src}`));

describe('portableUrl', () => {
  it('makes a site-absolute directory link relative and names its index.html', () => {
    expect(portableUrl('/sysctl/vm/', TUNABLE)).toBe('../index.html');
    expect(portableUrl('/sysctl/net/ipv4/tcp_max_orphans/', TUNABLE)).toBe('../../net/ipv4/tcp_max_orphans/index.html');
    expect(portableUrl('/', TUNABLE)).toBe('../../../index.html');
  });

  it('links the home page to itself from the root', () => {
    expect(portableUrl('/', '')).toBe('index.html');
    expect(portableUrl('/sysctl/vm/swappiness/', '')).toBe('sysctl/vm/swappiness/index.html');
  });

  it('makes a site-absolute file link relative without adding index.html', () => {
    expect(portableUrl('/tunables.json', TUNABLE)).toBe('../../../tunables.json');
    expect(portableUrl('/tunables.json', '')).toBe('tunables.json');
    expect(portableUrl('/_astro/style.css', 'search/')).toBe('../_astro/style.css');
  });

  it('keeps the query and the fragment after the file name', () => {
    expect(portableUrl('/search/?q=a#x', '')).toBe('search/index.html?q=a#x');
    expect(portableUrl('/search/?q=a#x', TUNABLE)).toBe('../../../search/index.html?q=a#x');
    expect(portableUrl('/sysctl/vm/#list', TUNABLE)).toBe('../index.html#list');
    expect(portableUrl('/tunables.json?v=2', TUNABLE)).toBe('../../../tunables.json?v=2');
  });

  it('leaves external, protocol-relative, mailto, data, in-page and empty URLs alone', () => {
    for (const url of ['https://kernel.org/doc/', 'HTTP://EXAMPLE.COM/', '//cdn.example.com/a.js', 'mailto:someone@example.com', 'data:image/png;base64,AAAA', '#frag', '', '?q=x']) {
      expect(portableUrl(url, TUNABLE), url).toBe(url);
    }
  });

  it('names index.html in an already relative directory link, and leaves a relative file link alone', () => {
    expect(portableUrl('../tcp_max_orphans/', TUNABLE)).toBe('../tcp_max_orphans/index.html');
    expect(portableUrl('../tcp_max_orphans/?q=1#a', TUNABLE)).toBe('../tcp_max_orphans/index.html?q=1#a');
    expect(portableUrl('..', TUNABLE)).toBe('../index.html');
    expect(portableUrl('./', TUNABLE)).toBe('./index.html');
    expect(portableUrl('../tunables.json', TUNABLE)).toBe('../tunables.json');
    expect(portableUrl('../index.html', TUNABLE)).toBe('../index.html');
  });
});

describe('portableHtml', () => {
  const page = (body: string) => `<!doctype html><html lang="en"><head><link rel="stylesheet" href="/_astro/site.css"></head><body>${body}</body></html>`;

  it('rewrites href, src and action attributes but not text or other attributes', async () => {
    const html = page(
      '<a href="/sysctl/vm/" data-x="/a/">See /sysctl/vm/ for more</a><img src="/favicon.svg" alt="/b/"><form action="/search/"><input name="q"></form><a href="https://kernel.org/">out</a>',
    );
    const out = await portableHtml(html, TUNABLE, noScripts);
    expect(out).toBe(
      page(
        '<a href="../index.html" data-x="/a/">See /sysctl/vm/ for more</a><img src="../../../favicon.svg" alt="/b/"><form action="../../../search/index.html"><input name="q"></form><a href="https://kernel.org/">out</a>',
      ).replace('href="/_astro/site.css"', 'href="../../../_astro/site.css"'),
    );
  });

  it('keeps everything byte for byte when no URL needs rewriting', async () => {
    // Odd quoting and spacing survive: only the rewritten attributes are replaced.
    const html = `<!DOCTYPE html>\n<p class=x   id='y'>text &amp; more</p>\n<a href='https://example.com/' >x</a>`;
    expect(await portableHtml(html, TUNABLE, noScripts)).toBe(html);
  });

  it('escapes & in a rewritten URL, since the attribute is written anew', async () => {
    const out = await portableHtml('<a href="/search/?q=a&amp;kind=sysctl">s</a>', '', noScripts);
    expect(out).toBe('<a href="search/index.html?q=a&amp;kind=sysctl">s</a>');
  });

  it('rewrites unquoted and single-quoted attributes as well', async () => {
    const out = await portableHtml(`<a href=/sysctl/vm/>a</a><a href='/tunables.json'>b</a>`, TUNABLE, noScripts);
    expect(out).toBe('<a href="../index.html">a</a><a href="../../../tunables.json">b</a>');
  });

  it('leaves the contents of an inline script alone', async () => {
    const html = `<script>location.href = "/sysctl/vm/"; const s = '<a href="/x/">';</script><a href="/">home</a>`;
    const out = await portableHtml(html, TUNABLE, noScripts);
    expect(out).toBe(`<script>location.href = "/sysctl/vm/"; const s = '<a href="/x/">';</script><a href="../../../index.html">home</a>`);
  });

  it('inlines a module script with the code its reader returns', async () => {
    const read: string[] = [];
    const scriptSource: ScriptSource = async (src) => {
      read.push(src);
      return `console.log(${JSON.stringify(src)});`;
    };
    const html = page('<main>x</main><script type="module" src="/_astro/a.js"></script>');
    const out = await portableHtml(html, TUNABLE, scriptSource);
    expect(read).toEqual(['/_astro/a.js']);
    expect(out).toContain('<main>x</main><script type="module">console.log("/_astro/a.js");</script></body>');
    expect(out).not.toContain('src=');
  });

  it('refuses to inline code that contains </script, which would end the element early', async () => {
    const html = '<script type="module" src="/_astro/a.js"></script>';
    await expect(portableHtml(html, '', async () => 'const s = "</SCRIPT>";')).rejects.toThrow(/\/_astro\/a\.js.*<\/script/);
  });

  it('passes on a failure to read a module script', async () => {
    const html = '<script type="module" src="/_astro/missing.js"></script>';
    await expect(portableHtml(html, '', () => Promise.reject(new Error('ENOENT: /_astro/missing.js')))).rejects.toThrow(/ENOENT/);
  });

  it('keeps a classic script as a script with a relative src', async () => {
    const out = await portableHtml('<script src="/search/offline-index.js"></script>', 'search/', noScripts);
    expect(out).toBe('<script src="offline-index.js"></script>');
  });

  it('gives the same page when run on its own output (builds may re-run)', async () => {
    const scriptSource: ScriptSource = async () => 'import("./x.js").then(() => {});';
    const html = page(
      '<nav><a href="/">Home</a> <a href="/sysctl/vm/#top">vm</a> <a href="/search/?q=a&amp;b=c">search</a></nav>' +
        '<a href="../tcp_max_orphans/">sibling</a><img src="/icon.svg"><form action="/search/"></form>' +
        '<script src="/search/offline-index.js"></script><script type="module" src="/_astro/page.js"></script>',
    );
    const once = await portableHtml(html, TUNABLE, scriptSource);
    expect(once).not.toBe(html);
    expect(await portableHtml(once, TUNABLE, noScripts)).toBe(once);
  });
});

describe('portableHtml inside <noscript>', () => {
  // Its content is text to a tokenizer with scripting on, yet a reader without JavaScript follows its links.
  it('rewrites the links of the fallback markup too', async () => {
    const html = '<noscript><p>Browse from the <a href="/">home page</a> or <a href="/about/">about</a> &amp; more.</p></noscript>';
    const out = await portableHtml(html, 'search/', async () => '');
    expect(out).toBe('<noscript><p>Browse from the <a href="../index.html">home page</a> or <a href="../about/index.html">about</a> &amp; more.</p></noscript>');
  });
});
