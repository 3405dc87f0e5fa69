/** The search-index stage imported: run() on a tiny built site, with the real Pagefind. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stem } from 'porter2';
import { describe, expect, it } from 'vitest';
import { OFFLINE_INDEX_FILE } from '#core/offline-index-files.ts';
import { SEARCH_SCRIPT_FILE, SEARCH_SCRIPT_GLOBAL } from '../../src/lib/search/loader.ts';
import { OfflineSearch } from '../../src/lib/search/offline-search.ts';
import { fileIndex } from '../helpers/offline-index.ts';
import { StageError } from '../../scripts/lib/stage.ts';
import { run } from '../../scripts/search-index/run.ts';
import { readPagefindBundle } from '../../scripts/search-index/pagefind-bundle.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

const page = (title: string, body: string, more = '') =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><nav>Home</nav>` +
  `<article data-pagefind-body><h1 data-pagefind-meta="title">${title}</h1><p>${body}</p>${more}</article></body></html>`;

/** A tunable page's table and facts as Astro writes them: no white space between the cells. */
const TABLE =
  '<table><caption>On each kernel</caption><thead><tr><th scope="col">Kernel</th><th scope="col">Default</th></tr></thead>' +
  '<tbody><tr><th scope="row">6.1<div class="release">6.1.0-57-amd64</div></th><td><code>60</code></td></tr></tbody></table>' +
  '<dl><dt>Type</dt><dd>integer</dd><dt>Valid range</dt><dd>0 – 200</dd></dl>';

/** Two tunable pages and a home page that Pagefind leaves out (no data-pagefind-body). */
function builtSite(): string {
  const dist = makeTempDir('lkt-dist-');
  const files = {
    'index.html': '<!doctype html><html lang="en"><head><title>Home</title></head><body><p>Welcome</p></body></html>',
    'sysctl/vm/swappiness/index.html': page('vm.swappiness', 'How eagerly the kernel swaps.', TABLE),
    'sysctl/fs/file-max/index.html': page('fs.file-max', 'The limit on open files.'),
  };
  for (const [name, html] of Object.entries(files)) {
    mkdirSync(dirname(join(dist, name)), { recursive: true });
    writeFileSync(join(dist, name), html);
  }
  return dist;
}

describe('search-index run()', () => {
  it('writes Pagefind’s index and the offline index from it, and reports both', async () => {
    const dist = builtSite();
    const progress: string[] = [];
    const report = await run({ dist, onProgress: (line) => progress.push(line) });
    expect(report).toMatchObject({ dist, htmlFiles: 3, indexedPages: 2 });
    expect(existsSync(join(dist, 'pagefind/pagefind-entry.json'))).toBe(true);
    // The offline index is classic scripts: a core that defines one global, and parts that add themselves to another.
    const { core, load } = fileIndex(dist);
    expect(core.pageCount).toBe(2);
    const titles = await Promise.all([0, 1].map(async (page) => (await new OfflineSearch(core, load).page(page)).title));
    expect(titles.sort()).toEqual(['fs.file-max', 'vm.swappiness']);
    const files = [OFFLINE_INDEX_FILE, ...readdirSync(join(dist, 'search/offline')).map((name) => `search/offline/${name}`)];
    expect(report.offlineFiles).toBe(files.length);
    expect(report.offlineBytes).toBe(files.reduce((sum, file) => sum + readFileSync(join(dist, file)).length, 0));
    expect(progress).toEqual([
      expect.stringMatching(/^pagefind: indexed 2 pages \(of 3 HTML files\)/),
      expect.stringMatching(/^offline index: 2 pages/),
      expect.stringMatching(/^search script: /),
    ]);
    // Search, one classic script: it assigns its global, and imports nothing.
    const script = readFileSync(join(dist, SEARCH_SCRIPT_FILE), 'utf8');
    expect(script).toContain(SEARCH_SCRIPT_GLOBAL);
    expect(script).not.toMatch(/^\s*(import|export)\b/m);
    expect(report.searchScriptGzipBytes).toBe(gzipSync(script).length);
  });

  it('keeps the cells of a table and the terms of a list apart in the index, in the page served as Astro wrote it', async () => {
    const dist = builtSite();
    const written = readFileSync(join(dist, 'sysctl/vm/swappiness/index.html'), 'utf8');
    await run({ dist });
    const words = new Set((await readPagefindBundle(join(dist, 'pagefind'))).words.keys());
    // Pagefind's words are stemmed and keep letters and digits only.
    for (const word of ['integer', 'type', 'kernel', 'default', 'valid', 'range', '61057amd64']) expect(words, word).toContain(stem(word));
    // Pagefind runs on without a break after th, dt, dd and caption: these were its words.
    for (const glued of ['typeinteger', 'kerneldefault', 'range0', 'kernelkernel', '6161057amd64']) expect(words, glued).not.toContain(stem(glued));
    expect(readFileSync(join(dist, 'sysctl/vm/swappiness/index.html'), 'utf8')).toBe(written);
  });

  it('refuses a folder with no built site, naming the command that builds one', async () => {
    const empty = makeTempDir('lkt-empty-');
    await expect(run({ dist: empty })).rejects.toThrow(StageError);
    await expect(run({ dist: empty })).rejects.toThrow(/no built site in .*npm run build/);
  });

  it('runs from its CLI and says what it did on stderr', () => {
    const dist = builtSite();
    const result = spawnSync(process.execPath, ['scripts/search-index/cli.ts', '--dist', dist], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\[search-index\] pagefind: indexed 2 pages/);
    expect(result.stderr).toMatch(/\[search-index\] offline index: 2 pages/);
  });
});
