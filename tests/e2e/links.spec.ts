/** Checks on the built files themselves: no browser needed, so they read dist/ from disk. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { DIST, htmlFiles } from './dist.ts';

const pages = htmlFiles().map((file) => ({ file: relative(DIST, file), html: readFileSync(file, 'utf8') }));

/** `/foo/` → dist/foo/index.html, `/foo.json` → dist/foo.json; query and fragment dropped. */
function targetOf(link: string): string {
  const path = decodeURIComponent(link.replace(/[?#].*$/, '').replaceAll('&amp;', '&'));
  return path.endsWith('/') ? join(DIST, path, 'index.html') : join(DIST, path);
}

test('no internal link or asset is broken', () => {
  expect(pages.length).toBeGreaterThan(0);
  const checked = new Map<string, boolean>();
  const broken: string[] = [];
  for (const { file, html } of pages) {
    const base = `/${dirname(file)}/`;
    // Site-absolute links and relative ones (the generator links tunables to each other relatively).
    for (const [, link] of html.matchAll(/\s(?:href|src|action)="((?![a-z][a-z0-9+.-]*:|\/\/|#)[^"]+)"/gi)) {
      const target = targetOf(link!.startsWith('/') ? link! : posix.join(base, link!));
      if (!checked.has(target)) checked.set(target, existsSync(target));
      if (!checked.get(target)) broken.push(`${file} → ${link}`);
    }
  }
  expect(broken).toEqual([]);
});

test('no page but 404.html links site-absolutely: each works from disk and under any base path', () => {
  const absolute = pages
    .filter(({ file }) => file !== '404.html')
    .flatMap(({ file, html }) => [...html.matchAll(/\s(?:href|src|action)="(\/(?!\/)[^"]*)"/gi)].map(([, link]) => `${file} → ${link}`));
  expect(absolute).toEqual([]);
});

test('beyond the search loader every page inlines, only the check page and a tunable page\'s copy buttons ship JavaScript', () => {
  const scriptsOf = (html: string) => [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map(([, body]) => body!);
  const scriptsOn = (file: string) => scriptsOf(pages.find((page) => page.file === file)!.html);
  // About's one script: the loader its header's search box inlines (src/lib/search/loader.ts).
  const [loader, ...moreOnAbout] = scriptsOn('about/index.html');
  expect(moreOnAbout).toEqual([]);
  expect(gzipSync(loader!).length).toBeLessThan(1024);
  // A tunable page adds its copy buttons (src/components/CopyButtons.astro), the same on every page.
  const [copy, ...more] = scriptsOn('sysctl/vm/swappiness/index.html').filter((body) => body !== loader);
  expect(more).toEqual([]);
  expect(copy).toContain('Copied');
  expect(pages.filter(({ html }) => scriptsOf(html).some((body) => body !== loader && body !== copy)).map(({ file }) => file)).toEqual(['check/index.html']);
  // The copy buttons only where there is code to copy: tunable pages.
  expect(pages.filter(({ html }) => scriptsOf(html).includes(copy!) && !html.includes('data-copy-code')).map(({ file }) => file)).toEqual([]);
  // No script file either: search itself (search/search.js) comes when a page needs it.
  expect(pages.filter(({ html }) => /<script\b[^>]*\bsrc=/.test(html)).map(({ file }) => file)).toEqual([]);
});
