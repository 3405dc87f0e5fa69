import { expect, test, type Locator } from '@playwright/test';
import { builtExport, newestOf } from './dist.ts';

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
