/** The package stage imported: run() on a tiny fake dist folder. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InvalidDataError } from '#core/zod-error.ts';
import { StageError } from '../../scripts/lib/stage.ts';
import { run } from '../../scripts/package/run.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

// As an export from before a second architecture wrote it (no kernel id, no arch): still read, as amd64's.
const EXPORT = { schemaVersion: 1, kernels: [{ series: '6.1', release: '6.1.0-99-amd64', source: 'qemu' }], tunables: [] };

function fakeDist(files: Record<string, string>): string {
  const dist = makeTempDir('lkt-dist-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dist, name)), { recursive: true });
    writeFileSync(join(dist, name), text);
  }
  return dist;
}

const SITE = {
  'index.html': '<!doctype html><title>x</title>',
  'search/offline-index.js': 'window.index = {};',
  'pagefind/pagefind-entry.json': '{}',
  'tunables.json': JSON.stringify(EXPORT),
};

describe('package run()', () => {
  it('zips the site under one folder with a README naming the kernels, and reports it', async () => {
    const dist = fakeDist(SITE);
    const out = join(makeTempDir('lkt-zip-'), 'offline.zip');
    const progress: { files: number }[] = [];
    const report = await run({ dist, out, date: new Date('2026-01-02T00:00:00Z'), onProgress: (p) => progress.push(p) });
    expect(report).toMatchObject({ dist, out, folder: 'linux-kernel-tunables', files: 4 });
    expect(progress).toEqual([{ files: 4, bytes: report.bytes, dist }]);
    const entries = unzipSync(readFileSync(out));
    expect(Object.keys(entries).sort()).toEqual([
      'linux-kernel-tunables/README.txt',
      'linux-kernel-tunables/index.html',
      'linux-kernel-tunables/pagefind/pagefind-entry.json',
      'linux-kernel-tunables/search/offline-index.js',
      'linux-kernel-tunables/tunables.json',
    ]);
    const readme = new TextDecoder().decode(entries['linux-kernel-tunables/README.txt']);
    expect(readme).toContain('Built 2026-01-02');
    expect(readme).toContain('6.1 (6.1.0-99-amd64)');
    expect(report.archiveBytes).toBe(readFileSync(out).length);
  });

  it('fails with exit code 2 when the site was not built', async () => {
    const { 'search/offline-index.js': _, ...partial } = SITE;
    const failure = await run({ dist: fakeDist(partial), out: join(makeTempDir('lkt-zip-'), 'x.zip') }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StageError);
    expect((failure as StageError).exitCode).toBe(2);
    expect((failure as StageError).message).toMatch(/search\/offline-index\.js is missing: build the site first/);
  });

  it('names the file and field of an invalid tunables.json', async () => {
    const dist = fakeDist({ ...SITE, 'tunables.json': JSON.stringify({ ...EXPORT, kernels: [{ id: '6.1', series: 6 }] }) });
    const failure = await run({ dist, out: join(makeTempDir('lkt-zip-'), 'x.zip') }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidDataError);
    expect((failure as Error).message).toBe(`${join(dist, 'tunables.json')}: not valid tunables export: kernels.0.series: Invalid input: expected string, received number`);
  });

  it('the CLI prints the same lines as before and exits 2 without a build', () => {
    const dist = fakeDist(SITE);
    const out = join(makeTempDir('lkt-zip-'), 'offline.zip');
    const ok = spawnSync(process.execPath, ['scripts/package/cli.ts', '--dist', dist, '--out', out], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(new RegExp(`^packing 4 files \\(0\\.0 MiB\\) from ${dist}\nwrote ${out} \\(0\\.0 MiB\\): unzip it and open linux-kernel-tunables/index.html\n$`));
    const empty = spawnSync(process.execPath, ['scripts/package/cli.ts', '--dist', makeTempDir('lkt-empty-'), '--out', out], { encoding: 'utf8' });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('build the site first');
  });
});
