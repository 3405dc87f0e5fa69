/** Internal links as pages write them (src/lib/href.ts): relative to the page, from disk too. */
import { describe, expect, it } from 'vitest';
import { href } from '../../src/lib/href.ts';

const page = (path: string) => new URL(path, 'https://linux-kernel-tunables.example');

describe('href', () => {
  it('makes a site path relative to the page rendering it, naming index.html for a folder', () => {
    expect(href(page('/sysctl/vm/swappiness/'), '/sysctl/vm/')).toBe('../index.html');
    expect(href(page('/sysctl/vm/swappiness/'), '/kernels/6.1/')).toBe('../../../kernels/6.1/index.html');
    expect(href(page('/'), '/check/')).toBe('check/index.html');
    expect(href(page('/'), '/')).toBe('index.html');
    expect(href(page('/search/'), '/tunables.json')).toBe('../tunables.json');
  });

  it('keeps site paths on the 404 page, which a server sends at any depth', () => {
    expect(href(page('/404/'), '/kernels/')).toBe('/kernels/');
    expect(href(page('/404.html'), '/')).toBe('/');
  });

  it('refuses what is not a site path', () => {
    expect(() => href(page('/'), 'kernels/')).toThrow(/must start with \//);
  });
});
