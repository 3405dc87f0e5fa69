/**
 * Search under `npm run dev` (src/lib/dev-search-index.ts): the dev server serves the last
 * build's search indexes, and without one its search page says how to get one. A real
 * `astro dev` over a small content folder, with the build folder (LKT_OUT_DIR) filled in
 * between requests as a build would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/fake-tree.ts';
import { freePort } from '../helpers/free-port.ts';

const VM_FACTS = JSON.parse(readFileSync('content/facts/sysctl/vm.json', 'utf8')) as { tunables: Record<string, unknown> };

describe('npm run dev', () => {
  let dev: ChildProcess;
  let root: string;
  let outDir: string;
  let output = '';

  beforeAll(async () => {
    const content = makeTempDir('lkt-dev-content-');
    mkdirSync(join(content, 'tunables/sysctl/vm'), { recursive: true });
    mkdirSync(join(content, 'facts/sysctl'), { recursive: true });
    writeFileSync(join(content, 'tunables/sysctl/vm/swappiness.mdx'), readFileSync('content/tunables/sysctl/vm/swappiness.mdx'));
    writeFileSync(join(content, 'facts/sysctl/vm.json'), JSON.stringify({ ...VM_FACTS, tunables: { 'sysctl/vm/swappiness': VM_FACTS.tunables['sysctl/vm/swappiness'] } }));
    outDir = join(content, 'dist');
    const port = await freePort();
    root = `http://127.0.0.1:${port}`;
    // Astro's dev server answers every request with 404 where it sees VITEST in its
    // environment: the server a writer starts has none.
    const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
    // Its own process group, so the test ends the server and its children, and nothing else.
    dev = spawn('npx', ['astro', 'dev', '--port', String(port), '--host', '127.0.0.1'], {
      detached: true,
      env: { ...environment, LKT_CONTENT_DIR: content, LKT_OUT_DIR: outDir },
    });
    dev.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    dev.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    // Up when it answers; the project's hook limit guards a server that never comes up. A
    // request the starting server holds is given up and asked again.
    for (;;) {
      if (dev.exitCode !== null) throw new Error(`astro dev exited:\n${output}`);
      const answered = await fetch(`${root}/`, { signal: AbortSignal.timeout(30_000) }).then((response) => response.ok, () => false);
      if (answered) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
    if (dev?.pid === undefined || dev.exitCode !== null) return;
    const exited = once(dev, 'exit');
    process.kill(-dev.pid, 'SIGTERM');
    await exited;
  });

  it('without a build, says when it starts and on the search page how to get search', async () => {
    expect(output).toContain('no search index in');
    expect(output).toContain('npm run build');
    const page = await (await fetch(`${root}/search/`)).text();
    expect(page).toContain('Dev server: search needs an index, which a build writes. Run <code>npm run build</code> once');
    expect((await fetch(`${root}/pagefind/pagefind.js`)).status).toBe(404);
  });

  it("serves the last build's search indexes as soon as a build has written them, and says it searches them", async () => {
    mkdirSync(join(outDir, 'pagefind'), { recursive: true });
    mkdirSync(join(outDir, 'search/offline'), { recursive: true });
    writeFileSync(join(outDir, 'pagefind/pagefind.js'), 'export const built = true;\n');
    writeFileSync(join(outDir, 'pagefind/pagefind-entry.json'), '{"version":"1"}');
    writeFileSync(join(outDir, 'search/offline-index.js'), 'globalThis.lktOfflineIndex = {};\n');
    writeFileSync(join(outDir, 'search/offline/w0.js'), 'globalThis.lktOfflineParts = {};\n');
    const pagefind = await fetch(`${root}/pagefind/pagefind.js`);
    expect(pagefind.status).toBe(200);
    expect(pagefind.headers.get('content-type')).toMatch(/javascript/);
    expect(await pagefind.text()).toBe('export const built = true;\n');
    expect(await (await fetch(`${root}/pagefind/pagefind-entry.json`)).text()).toBe('{"version":"1"}');
    expect(await (await fetch(`${root}/search/offline-index.js`)).text()).toContain('lktOfflineIndex');
    expect(await (await fetch(`${root}/search/offline/w0.js`)).text()).toContain('lktOfflineParts');
    const page = await (await fetch(`${root}/search/`)).text();
    expect(page).toContain('Dev server: search uses the index of the last <code>npm run build</code>');
  });
});
