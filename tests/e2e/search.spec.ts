import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { stem } from 'porter2';
import { builtExport, DIST, newestOf } from './dist.ts';
import { typeInHeaderBox } from './live-search.ts';
import { readPagefindBundle } from '../../scripts/search-index/pagefind-bundle.ts';
import { SEARCH_SCRIPT_FILE } from '../../src/lib/search/loader.ts';

/** The number that starts the live result count, e.g. `12 tunables match …`. */
async function resultCount(status: Locator): Promise<number> {
  const match = /^(\d+) tunables? match/.exec((await status.textContent()) ?? '');
  if (!match) throw new Error(`no result count in "${await status.textContent()}"`);
  return Number(match[1]);
}

test('searching "swappiness" from the home page leads to vm.swappiness', async ({ page }) => {
  await page.goto('/');
  const box = page.getByRole('main').getByRole('searchbox', { name: 'Search tunables' });
  await box.fill('swappiness');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\/index\.html\?q=swappiness$/);

  const first = page.getByRole('list', { name: 'Search results' }).getByRole('link').first();
  await expect(first).toHaveText('vm.swappiness');
  await first.click();
  await expect(page).toHaveURL(/\/sysctl\/vm\/swappiness\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('vm.swappiness');
});

test('a filter narrows a broad search', async ({ page }) => {
  // Every tunable page has a "Defaults per kernel" section, so this query matches them all.
  await page.goto('/search/?q=defaults');
  const status = page.getByRole('status');
  await expect(status).toHaveText(/^\d+ tunables? match/);
  const everything = await resultCount(status);

  await page.getByLabel('Kind').selectOption('sysfs');
  await expect(status).toContainText('with these filters');
  const sysfsOnly = await resultCount(status);
  expect(sysfsOnly).toBeGreaterThan(0);
  expect(sysfsOnly).toBeLessThan(everything);
  await expect(page).toHaveURL(/[?&]kind=sysfs/);

  const results = page.getByRole('list', { name: 'Search results' }).getByRole('listitem');
  await expect(results.first()).toContainText('sysfs');
  await expect(results.filter({ hasNotText: 'sysfs' })).toHaveCount(0);
});

test('the kernel, namespace and scaling filters find exactly the tunables the export says', async ({ page }) => {
  const { kernels, tunables } = builtExport();
  const newest = kernels.at(-1)!.series;
  const expected = {
    kernel: [newest, tunables.filter((t) => t.status === 'present' && t.kernels[newest]).length],
    namespace: ['global', tunables.filter((t) => t.namespace === null).length],
    scales: ['yes', tunables.filter((t) => newestOf(t).defaultKind === 'machine').length],
  } as const;
  const status = page.getByRole('status');
  for (const [name, [value, count]] of Object.entries(expected)) {
    await page.goto(`/search/?${name}=${encodeURIComponent(value)}`);
    await expect(status, name).toHaveText(/with these filters/);
    expect(await resultCount(status), `${name}=${value}`).toBe(count);
  }
});

test('the header box shows the first results as the reader types, and the keyboard reaches them', async ({ page }) => {
  const live: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith(SEARCH_SCRIPT_FILE) || request.url().includes('/pagefind/')) live.push(request.url());
  });
  await page.goto('/sysctl/vm/swappiness/');
  // Nothing of search loads with the page: only when the reader reaches for the box.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('vm.swappiness');
  expect(live).toEqual([]);

  const { box, results } = await typeInHeaderBox(page, 'ip forward');
  const links = results.getByRole('link');
  await expect(links.first()).toHaveText('net.ipv4.ip_forward');
  expect(await links.count()).toBeLessThanOrEqual(8);
  const all = page.getByRole('banner').getByRole('link', { name: /^All \d+ results for “ip forward”$/ });
  await expect(all).toHaveAttribute('href', /\/search\/index\.html\?q=ip\+forward$/);

  // ↓ into the list, ↑ back to the box, Escape closes the list.
  await box.press('ArrowDown');
  await expect(links.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(box).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(results).toBeHidden();
  await expect(box).toBeFocused();
  // ↓ opens it again, a second ↓ goes in.
  await box.press('ArrowDown');
  await expect(results).toBeVisible();
  await expect(box).toBeFocused();

  // Typing again opens it; Enter on a result follows it.
  await box.press('End');
  await box.pressSequentially('ing');
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/ match(es)? “ip forwarding”\.$/);
  await box.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/sysctl\/net\/ipv4\/ip_forward\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('net.ipv4.ip_forward');
});

test('Enter in the header box still submits the search to the search page', async ({ page }) => {
  await page.goto('/sysctl/vm/swappiness/');
  const { box } = await typeInHeaderBox(page, 'panic');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\/index\.html\?q=panic$/);
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link').first()).toHaveText('panic');
});

test('the index keeps table cells apart: a kernel series and its release are two words, not one', async () => {
  const words = new Set((await readPagefindBundle(join(DIST, 'pagefind'))).words.keys());
  // Pagefind's words keep letters and digits only, stemmed: `6.1.0-57-amd64` is `61057amd64`.
  const word = (text: string) => stem(text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''));
  for (const { series, release } of builtExport().kernels) {
    expect(words, release).toContain(word(release));
    expect(words, `${series} run into ${release}`).not.toContain(word(`${series}${release}`));
  }
  // A definition list's term and its definition, a file mode and the scope noted under it.
  for (const glued of ['Typeinteger', '0644global']) expect(words, glued).not.toContain(word(glued));
});
