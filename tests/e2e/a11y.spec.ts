import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'tunable', path: '/sysctl/vm/swappiness/' },
  { name: 'subsystem index', path: '/sysctl/vm/' },
  { name: 'search with results', path: '/search/?q=swappiness' },
  { name: 'not found', path: '/no-such-page/' },
];

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} scheme`, () => {
    test.use({ colorScheme });

    for (const { name, path } of PAGES) {
      test(`${name} page has no serious accessibility violation`, async ({ page }) => {
        await page.goto(path);
        if (path.startsWith('/search/')) await expect(page.getByRole('status')).toHaveText(/match/);
        const { violations } = await new AxeBuilder({ page }).analyze();
        const serious = violations
          .filter(({ impact }) => impact === 'serious' || impact === 'critical')
          .map(({ id, nodes }) => `${id}: ${nodes.map(({ target }) => target.join(' ')).join(', ')}`);
        expect(serious).toEqual([]);
      });
    }
  });
}

test('an unknown address gets the 404 page', async ({ page }) => {
  const response = await page.goto('/no-such-page/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});
