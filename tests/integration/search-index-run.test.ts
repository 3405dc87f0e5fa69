/** The search-index stage imported: run() on a tiny built site, with the real Pagefind. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { OFFLINE_INDEX_FILE, OFFLINE_INDEX_GLOBAL, type OfflineIndex } from '#core/schemas/offline-index.ts';
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
    // The offline index is a classic script: it defines one global holding both pages.
    const context: Record<string, unknown> = {};
    runInNewContext(readFileSync(join(dist, OFFLINE_INDEX_FILE), 'utf8'), context);
    const offline = context[OFFLINE_INDEX_GLOBAL] as OfflineIndex;
    expect(offline.pages.map(({ title }) => title).sort()).toEqual(['fs.file-max', 'vm.swappiness']);
    expect(report.offlineBytes).toBe(readFileSync(join(dist, OFFLINE_INDEX_FILE)).length);
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
