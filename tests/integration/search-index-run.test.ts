/** The search-index stage imported: run() on a tiny built site, with the real Pagefind. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFLINE_INDEX_FILE } from '#core/schemas/offline-index.ts';
import { OfflineSearch } from '../../src/lib/search/offline-search.ts';
import { fileIndex } from '../helpers/offline-index.ts';
import { StageError } from '../../scripts/lib/stage.ts';
import { run } from '../../scripts/search-index/run.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><nav>Home</nav>` +
  `<article data-pagefind-body><h1 data-pagefind-meta="title">${title}</h1><p>${body}</p></article></body></html>`;

/** Two tunable pages and a home page that Pagefind leaves out (no data-pagefind-body). */
function builtSite(): string {
  const dist = makeTempDir('lkt-dist-');
  const files = {
    'index.html': '<!doctype html><html lang="en"><head><title>Home</title></head><body><p>Welcome</p></body></html>',
    'sysctl/vm/swappiness/index.html': page('vm.swappiness', 'How eagerly the kernel swaps.'),
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
    expect(progress).toEqual([expect.stringMatching(/^pagefind: indexed 2 pages \(of 3 HTML files\)/), expect.stringMatching(/^offline index: 2 pages/)]);
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
