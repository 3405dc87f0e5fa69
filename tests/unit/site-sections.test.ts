import { describe, expect, it } from 'vitest';
import { currentness, SITE_SECTIONS } from '../../src/lib/site-sections.ts';

/** The header link each page marks, and how. */
function marked(pathname: string): [string, string][] {
  return SITE_SECTIONS.flatMap((section) => {
    const current = currentness(section, pathname);
    return current ? [[section.name, current]] : [];
  });
}

describe('the header section a page is in', () => {
  it("is the section's own page, or one of its pages below", () => {
    expect(marked('/browse/')).toEqual([['Browse', 'page']]);
    expect(marked('/sysctl/vm/swappiness/')).toEqual([['Browse', 'true']]);
    expect(marked('/module/')).toEqual([['Browse', 'true']]);
    expect(marked('/boot/i/isolcpus/')).toEqual([['Browse', 'true']]);
    expect(marked('/kernels/')).toEqual([['Kernels', 'page']]);
    expect(marked('/kernels/6.12/')).toEqual([['Kernels', 'true']]);
    expect(marked('/changes/6.1-6.12/')).toEqual([['Kernels', 'true']]);
    expect(marked('/check/')).toEqual([['Check my system', 'page']]);
    expect(marked('/about/')).toEqual([['About', 'page']]);
    expect(marked('/writing/')).toEqual([['About', 'true']]);
    expect(marked('/needs-writing/')).toEqual([['About', 'true']]);
  });

  it('is none for the home, search and missing pages', () => {
    for (const pathname of ['/', '/search/', '/404', '/404.html']) expect(marked(pathname), pathname).toEqual([]);
  });
});
