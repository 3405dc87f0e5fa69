/**
 * What a writer finds on the site: the guide, which file a page comes from and when it last
 * changed, the edit link where a repository is configured (npm test configures one), and
 * the list of tunables that need writing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { contentRoot, parsePageFile } from '../../src/data/tunables.ts';
import { editUrl, repositoryUrl } from '../../src/lib/page-source.ts';
import { pagesByName, renderBody } from '../../src/lib/render-body.ts';
import { addressOf, builtExport } from './dist.ts';

const data = builtExport();
/** A page's MDX file as the site names it: relative to the checkout. */
const fileOf = (id: string) => relative('.', join(contentRoot(), 'tunables', `${id}.mdx`));

test('the footer leads to the writer\'s guide, whose examples render as pages render them', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Writing these pages' }).click();
  await expect(page).toHaveURL(addressOf('/writing/'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Writing these pages');
  for (const section of ['Where to write', 'What is generated: do not edit', 'Preview', 'Linking another tunable', 'Notes, cautions and dangers', 'Style']) {
    await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
  }
  await expect(page.getByText('npm run dev', { exact: true }).first()).toBeVisible();
  // The asides: one note per type, each named by the title it shows.
  for (const title of ['Note', 'Caution', 'Danger']) await expect(page.getByRole('note', { name: title })).toBeVisible();
  // The <Tunable> example is a working link to the tunable's page.
  await page.getByRole('link', { name: 'how eagerly the kernel swaps' }).click();
  await expect(page).toHaveURL(addressOf('/sysctl/vm/swappiness/'));
});

test('a tunable page names its MDX file and the date of the last commit that changed it', async ({ page }) => {
  const file = fileOf('sysctl/vm/swappiness');
  const git = spawnSync('git', ['log', '-1', '--format=%cs', '--', file], { encoding: 'utf8' });
  const lastCommit = git.stdout.trim();
  expect(lastCommit, 'the checkout holds the page\'s history').toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await page.goto('/sysctl/vm/swappiness/');
  const source = page.locator('.page-source');
  await expect(source.getByRole('code')).toHaveText(file);
  await expect(source).toContainText('Last updated');
  await expect(source.locator('time')).toHaveAttribute('datetime', lastCommit);
  await source.getByRole('link', { name: 'how to write a page' }).click();
  await expect(page).toHaveURL(addressOf('/writing/'));
});

test('"Edit this page" opens the file in the configured repository, and is absent without one', async ({ page }) => {
  // As the build decided (src/lib/site-data.ts): npm test sets LKT_REPOSITORY_URL for the build and for these tests.
  const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { repository?: unknown };
  const expected = editUrl(repositoryUrl(process.env.LKT_REPOSITORY_URL, packageJson.repository), fileOf('sysctl/vm/swappiness'));
  await page.goto('/sysctl/vm/swappiness/');
  const edit = page.locator('.page-source').getByRole('link', { name: 'Edit this page' });
  if (expected) await expect(edit).toHaveAttribute('href', expected);
  else await expect(edit).toHaveCount(0);
});

test('Needs writing lists, by kind and subsystem, a sysctl that nothing describes, and leads to its page', async ({ page }) => {
  // A sysctl no kernel documents whose page holds no words of a writer's either (as the renderer tells them to the loader).
  const idOf = (url: string) => url.slice(1, -1);
  const names = pagesByName(data.tunables.map((t) => ({ id: idOf(t.url), data: { title: t.name } })));
  const unwritten = data.tunables.find((t) => {
    if (t.kind !== 'sysctl' || t.status !== 'present' || t.docSource !== null) return false;
    const file = fileOf(idOf(t.url));
    const { body } = parsePageFile(file, readFileSync(file, 'utf8'));
    return !renderBody(body, { pageDir: `${idOf(t.url)}/`, pages: names }).writersWords;
  });
  expect(unwritten, 'the content has an undocumented sysctl').toBeDefined();
  await page.goto('/about/');
  await page.getByRole('link', { name: 'Needs writing' }).click();
  await expect(page).toHaveURL(addressOf('/needs-writing/'));
  const sysctls = page.getByRole('region', { name: /^sysctl: \d+/ });
  await expect(sysctls.getByRole('heading', { level: 3, name: new RegExp(`^${unwritten!.subsystem} \\(\\d+\\)$`) })).toBeVisible();
  await sysctls.getByRole('link', { name: unwritten!.name, exact: true }).click();
  await expect(page).toHaveURL(addressOf(unwritten!.url));
});
