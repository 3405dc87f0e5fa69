import { describe, expect, it } from 'vitest';
import { portableUrl } from '../../src/lib/portable-links.ts';

const TUNABLE = 'sysctl/vm/swappiness/';

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
