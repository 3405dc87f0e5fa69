/** The coverage report imported: run() on a few pages copied from content/tunables. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidDataError } from '#core/zod-error.ts';
import { pageFrontmatter, reportTable, run } from '../../scripts/coverage/run.ts';
import { StageError } from '../../scripts/lib/stage.ts';
import { makeTempDir } from './helpers/fake-tree.ts';

const SWAPPINESS = readFileSync('content/tunables/sysctl/vm/swappiness.mdx', 'utf8');

function pages(files: Record<string, string>): string {
  const dir = makeTempDir('lkt-pages-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('coverage run()', () => {
  it('counts the pages per kind and subsystem, and prints them as a table', async () => {
    const dir = pages({ 'sysctl/vm/swappiness.mdx': SWAPPINESS, 'notes.txt': 'not a page' });
    const report = await run({ pages: dir });
    expect(report.pageCount).toBe(1);
    expect(report.rows.map((r) => [r.kind, r.subsystem, r.tunables])).toEqual([
      ['sysctl', null, 1],
      ['sysctl', 'vm', 1],
    ]);
    const table = reportTable(report);
    expect(table[0]).toMatch(/^ +tunables {2}description {2}\(man-pages\) {2}type {2}range {2}defined in$/);
    expect(table[1]).toMatch(/^sysctl \(all\) +1 +\d+%/);
  });

  it('names the file, line and field of front matter the schema rejects', () => {
    const broken = SWAPPINESS.replace('kind: sysctl\n', 'kind: sysctls\n');
    const line = broken.split('\n').indexOf('kind: sysctls') + 1;
    expect(() => pageFrontmatter('p.mdx', broken)).toThrow(InvalidDataError);
    expect(() => pageFrontmatter('p.mdx', broken)).toThrow(new RegExp(`^p\\.mdx:${line}: front matter: kind: .* \\(run npm run generate\\)$`));
    expect(() => pageFrontmatter('p.mdx', 'no front matter')).toThrow(/^p\.mdx:1: no front matter/);
    expect(() => pageFrontmatter('p.mdx', '---\ntitle: [\n---\n')).toThrow(/^p\.mdx:\d+: front matter: /);
  });

  it('says so when the pages folder cannot be read', async () => {
    await expect(run({ pages: join(makeTempDir('lkt-pages-'), 'missing') })).rejects.toThrow(StageError);
  });

  it('the CLI prints the table on stdout, and a broken page as one line and exit 1', () => {
    const ok = spawnSync(process.execPath, ['scripts/coverage/cli.ts', '--pages', pages({ 'sysctl/vm/swappiness.mdx': SWAPPINESS })], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout.split('\n')[1]).toMatch(/^sysctl \(all\) +1 /);
    const dir = pages({ 'sysctl/vm/swappiness.mdx': SWAPPINESS.replace('status: present\n', 'status: gone\n') });
    const broken = spawnSync(process.execPath, ['scripts/coverage/cli.ts', '--pages', dir], { encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(new RegExp(`^${join(dir, 'sysctl/vm/swappiness.mdx')}:\\d+: front matter: status: .*\\n$`));
  });
});
