/** The coverage report imported: run() on a small content folder (a page and its facts). */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportTable, run } from '../../scripts/coverage/run.ts';
import { StageError } from '../../scripts/lib/stage.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

const SWAPPINESS_PAGE = readFileSync('content/tunables/sysctl/vm/swappiness.mdx', 'utf8');
const VM_FACTS = JSON.parse(readFileSync('content/facts/sysctl/vm.json', 'utf8')) as { tunables: Record<string, unknown> };

/** A content folder holding vm.swappiness only; `facts` edits its facts. */
function content(facts: (swappiness: Record<string, unknown>) => Record<string, unknown> = (f) => f): string {
  const dir = makeTempDir('lkt-content-');
  mkdirSync(join(dir, 'tunables/sysctl/vm'), { recursive: true });
  mkdirSync(join(dir, 'facts/sysctl'), { recursive: true });
  writeFileSync(join(dir, 'tunables/sysctl/vm/swappiness.mdx'), SWAPPINESS_PAGE);
  const swappiness = facts(VM_FACTS.tunables['sysctl/vm/swappiness'] as Record<string, unknown>);
  writeFileSync(join(dir, 'facts/sysctl/vm.json'), JSON.stringify({ ...VM_FACTS, tunables: { 'sysctl/vm/swappiness': swappiness } }));
  return dir;
}

describe('coverage run()', () => {
  it('counts the tunables per kind and subsystem, and prints them as a table', async () => {
    const report = await run({ content: content() });
    expect(report.pageCount).toBe(1);
    expect(report.rows.map((r) => [r.kind, r.subsystem, r.tunables])).toEqual([
      ['sysctl', null, 1],
      ['sysctl', 'vm', 1],
    ]);
    const table = reportTable(report);
    expect(table[0]).toMatch(/^ +tunables {2}description {2}\(man-pages\) {2}type {2}range {2}defined in$/);
    expect(table[1]).toMatch(/^sysctl \(all\) +1 +100%/);
  });

  it('prints each kernel\'s network namespace agreement, and each disagreement once with the kernels it is on', () => {
    const neighDefault = { name: 'net.ipv4.neigh.<interface>.gc_stale_time', instance: 'default', registered: ['per-net' as const], measured: null };
    const shared = { name: 'net.foo.shared', registered: ['global' as const], measured: 'net' as const };
    const lines = reportTable({
      content: 'content',
      pageCount: 0,
      rows: [],
      ranges: [],
      netns: [
        { kernel: '6.1', compared: 40, agreeing: 39, disagreements: [neighDefault] },
        { kernel: '7.2', compared: 50, agreeing: 48, disagreements: [neighDefault, shared] },
      ],
    });
    expect(lines.slice(lines.findIndex((line) => line.startsWith('sysctls under net.')) + 1)).toEqual([
      '  6.1: 39 of 40 agree (97%)',
      '  7.2: 48 of 50 agree (96%)',
      'where they disagree:',
      '  net.foo.shared: registered global; a child network namespace shows it — 7.2',
      '  net.ipv4.neigh.<interface>.gc_stale_time (default): registered per-net; a child network namespace does not show it — 6.1, 7.2',
    ]);
  });

  it('says so when the content folder holds no pages', async () => {
    await expect(run({ content: join(makeTempDir('lkt-content-'), 'missing') })).rejects.toThrow(StageError);
  });

  it('the CLI prints the table on stdout, and facts the schema rejects as file and field, exit 1', () => {
    const ok = spawnSync(process.execPath, ['scripts/coverage/cli.ts', '--content', content()], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout.split('\n')[1]).toMatch(/^sysctl \(all\) +1 /);
    const dir = content((facts) => ({ ...facts, status: 'gone' }));
    const broken = spawnSync(process.execPath, ['scripts/coverage/cli.ts', '--content', dir], { encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`${join(dir, 'facts/sysctl/vm.json')}: tunables.sysctl/vm/swappiness.status: `);
  });
});
