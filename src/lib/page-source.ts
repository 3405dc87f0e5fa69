/**
 * Where a tunable page comes from, for the line under it: its MDX file, a link to edit it
 * in the repository (when one is configured), and when a commit last touched it.
 *
 * The dates come from ONE `git log` over the pages' folder per build, parsed into a map
 * (at ~7,900 pages, a `git log` per page would cost minutes). Without git or outside a
 * repository (a tarball, a content folder elsewhere) there are no dates, and pages say
 * nothing about them. A shallow clone dates every page it did not fetch the history of to
 * its oldest fetched commit.
 */
import { spawnSync } from 'node:child_process';
import { isAbsolute, sep } from 'node:path';

/** The branch edit links open: the one writers' changes go to. */
const EDIT_BRANCH = 'main';

/**
 * The repository's web address, or undefined for none: `LKT_REPOSITORY_URL` when set (set
 * empty, it turns edit links off), else package.json's `repository` (a string or
 * `{ url }`, as npm allows). Accepts `https://host/owner/repo`, `git+https://host/owner/repo.git`,
 * `git@host:owner/repo.git` and GitHub's shorthands (`github:owner/repo`, `owner/repo`).
 */
export function repositoryUrl(fromEnvironment: string | undefined, fromPackage: unknown): string | undefined {
  if (fromEnvironment !== undefined) return fromEnvironment.trim() === '' ? undefined : webAddress(fromEnvironment.trim(), 'LKT_REPOSITORY_URL');
  const written = typeof fromPackage === 'object' && fromPackage !== null && 'url' in fromPackage ? fromPackage.url : fromPackage;
  if (written === undefined) return undefined;
  if (typeof written !== 'string' || written.trim() === '') throw new Error('package.json: "repository" must be a URL or { "url": URL }');
  return webAddress(written.trim(), 'package.json "repository"');
}

function webAddress(written: string, origin: string): string {
  const bare = written.replace(/^git\+/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(bare);
  if (shorthand) return `https://github.com/${shorthand[1]}`;
  const scp = /^git@([^:/]+):(.+)$/.exec(bare);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  if (/^https?:\/\/[^/]+\/.+/.test(bare)) return bare;
  throw new Error(`${origin} "${written}": not a repository address edit links can be made from (https://host/owner/repo)`);
}

/**
 * The page that edits `file` (relative to the repository's root, as the pages' `filePath`)
 * in the repository, GitHub-style: `<repository>/edit/main/<file>`. None without a
 * repository, or for a file outside it (a content folder elsewhere).
 */
export function editUrl(repository: string | undefined, file: string): string | undefined {
  if (repository === undefined || isAbsolute(file) || file.split(/[\\/]/)[0] === '..') return undefined;
  return `${repository}/edit/${EDIT_BRANCH}/${file.split(sep).join('/').split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * `git log --format=%x00%cs --name-only` output → each file's date (`YYYY-MM-DD`) of the
 * newest commit that touched it. The log lists newest first: a file's first date is its last.
 */
export function lastCommitDates(log: string): Map<string, string> {
  const dates = new Map<string, string>();
  for (const record of log.split('\0').slice(1)) {
    const [date, ...files] = record.split('\n');
    for (const file of files) if (file !== '' && !dates.has(file)) dates.set(file, date!);
  }
  return dates;
}

/**
 * The date each file under `dir` last changed in a commit, keyed by its path relative to
 * `cwd` (the working directory: as the loader's `filePath`). Empty without git or a repository.
 */
export function readLastCommitDates(dir: string, cwd = '.'): Map<string, string> {
  // --no-renames: a regeneration touches thousands of files, and rename detection is both slow and beside the point.
  const git = spawnSync('git', ['log', '--no-renames', '--format=%x00%cs', '--name-only', '--relative', '--', dir], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return git.status === 0 ? lastCommitDates(git.stdout) : new Map();
}
