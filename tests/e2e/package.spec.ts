/** npm run package: one archive that, unpacked anywhere, reads and searches offline. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { DIST } from './dist.ts';

test('the offline archive unpacks to a site that searches from disk, with a README', async ({ page }) => {
  test.setTimeout(120_000);
  const scratch = mkdtempSync(join(tmpdir(), 'lkt-package-'));
  try {
    const archive = join(scratch, 'offline.zip');
    const run = spawnSync(process.execPath, ['scripts/package/cli.ts', '--dist', DIST, '--out', archive], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/wrote .*offline\.zip/);

    const entries = unzipSync(readFileSync(archive));
    for (const [name, bytes] of Object.entries(entries)) {
      if (name.endsWith('/')) continue;
      mkdirSync(dirname(join(scratch, name)), { recursive: true });
      writeFileSync(join(scratch, name), bytes);
    }
    const folder = join(scratch, 'linux-kernel-tunables');
    const readme = readFileSync(join(folder, 'README.txt'), 'utf8');
    expect(readme).toContain('Open index.html');
    expect(readme).toContain('python3 -m http.server');

    await page.goto(`${pathToFileURL(folder).href}/search/index.html?q=swappiness`);
    await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link').first()).toHaveText('vm.swappiness');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('packaging without a built site fails with a clear message', () => {
  const empty = mkdtempSync(join(tmpdir(), 'lkt-empty-'));
  try {
    const run = spawnSync(process.execPath, ['scripts/package/cli.ts', '--dist', empty, '--out', join(empty, 'x.zip')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('build the site first');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
