/**
 * The line under a tunable page (src/lib/page-source.ts): whether it links "Edit this page"
 * and where, and each page's last commit date from one `git log` over the pages.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editUrl, lastCommitDates, readLastCommitDates, repositoryUrl } from '../../src/lib/page-source.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

const FILE = 'content/tunables/sysctl/vm/swappiness.mdx';

describe('the edit link', () => {
  it('is absent without a configured repository', () => {
    expect(repositoryUrl(undefined, undefined)).toBeUndefined();
    expect(editUrl(repositoryUrl(undefined, undefined), FILE)).toBeUndefined();
  });

  it("opens the file on the main branch of package.json's repository, in each way npm lets it be written", () => {
    for (const written of ['https://github.com/lkt/site', 'git+https://github.com/lkt/site.git', 'github:lkt/site', 'lkt/site', 'git@github.com:lkt/site.git', { type: 'git', url: 'git+https://github.com/lkt/site.git' }]) {
      expect(editUrl(repositoryUrl(undefined, written), FILE), JSON.stringify(written)).toBe('https://github.com/lkt/site/edit/main/content/tunables/sysctl/vm/swappiness.mdx');
    }
  });

  it('takes LKT_REPOSITORY_URL over package.json, and none at all when it is set empty', () => {
    expect(repositoryUrl('https://git.example.org/docs/lkt/', 'lkt/site')).toBe('https://git.example.org/docs/lkt');
    expect(repositoryUrl('', 'lkt/site')).toBeUndefined();
  });

  it('refuses an address it cannot make edit links from, naming where it is written', () => {
    expect(() => repositoryUrl(undefined, 'svn://example.org/lkt')).toThrow('package.json "repository" "svn://example.org/lkt"');
    expect(() => repositoryUrl('ftp://x', undefined)).toThrow('LKT_REPOSITORY_URL "ftp://x"');
  });

  it('escapes what a URL path cannot hold, and is absent for a file outside the repository', () => {
    expect(editUrl('https://github.com/lkt/site', 'content/tunables/module/a#b/x y.mdx')).toBe('https://github.com/lkt/site/edit/main/content/tunables/module/a%23b/x%20y.mdx');
    expect(editUrl('https://github.com/lkt/site', '../elsewhere/tunables/sysctl/vm/swappiness.mdx')).toBeUndefined();
    expect(editUrl('https://github.com/lkt/site', '/tmp/content/tunables/sysctl/vm/swappiness.mdx')).toBeUndefined();
  });
});

describe('last commit dates', () => {
  it("are each file's newest commit in the log", () => {
    const log = '\x002026-11-30\n\ncontent/tunables/a.mdx\n\x002026-11-02\n\ncontent/tunables/a.mdx\ncontent/tunables/b.mdx\n';
    expect(lastCommitDates(log)).toEqual(new Map([
      ['content/tunables/a.mdx', '2026-11-30'],
      ['content/tunables/b.mdx', '2026-11-02'],
    ]));
  });

  it('are read from the repository, relative to the working directory, with one git log', () => {
    const repo = makeTempDir('lkt-git-');
    const git = (date: string, ...args: string[]) => {
      const env = { ...process.env, GIT_AUTHOR_DATE: `${date}T12:00:00Z`, GIT_COMMITTER_DATE: `${date}T12:00:00Z` };
      const run = spawnSync('git', ['-c', 'user.name=Writer', '-c', 'user.email=writer@example.org', ...args], { cwd: repo, encoding: 'utf8', env });
      if (run.status !== 0) throw new Error(run.stderr);
    };
    const commitOn = (date: string, file: string) => {
      writeFileSync(join(repo, file), date);
      git(date, 'add', file);
      git(date, 'commit', '-qm', `change ${file}`);
    };
    git('2025-01-01', 'init', '-q');
    mkdirSync(join(repo, 'pages'));
    commitOn('2025-01-10', 'pages/a.mdx');
    commitOn('2025-03-05', 'pages/b.mdx');
    commitOn('2025-06-20', 'pages/a.mdx');
    commitOn('2025-07-01', 'elsewhere.txt');
    expect(readLastCommitDates('pages', repo)).toEqual(new Map([
      ['pages/a.mdx', '2025-06-20'],
      ['pages/b.mdx', '2025-03-05'],
    ]));
  });

  it('are none outside a repository (a tarball)', () => {
    expect(readLastCommitDates(makeTempDir('lkt-no-git-'))).toEqual(new Map());
  });
});
