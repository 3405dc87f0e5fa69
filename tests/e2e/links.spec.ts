/** Checks on the built files themselves: no browser needed, so they read dist/ from disk. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
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

test('only the search and check pages ship JavaScript, and a tunable page its copy buttons alone', () => {
  const scriptsOf = (html: string) => [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map(([, body]) => body!);
  // A tunable page's one script: the copy buttons (src/components/CopyButtons.astro), the same on every page.
  const [copy, ...more] = scriptsOf(pages.find(({ file }) => file === 'sysctl/vm/swappiness/index.html')!.html);
  expect(more).toEqual([]);
  expect(copy).toContain('Copied');
  const withOthers = pages.filter(({ html }) => scriptsOf(html).some((body) => body !== copy)).map(({ file }) => file).sort();
  expect(withOthers).toEqual(['check/index.html', 'search/index.html']);
  // The copy buttons only where there is code to copy: tunable pages.
  expect(pages.filter(({ html }) => scriptsOf(html).includes(copy!) && !html.includes('data-copy-code')).map(({ file }) => file)).toEqual([]);
});
