import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { builtExport } from './dist.ts';
import { typeInHeaderBox } from './live-search.ts';
import { ARCHES_URL, changesUrl, kernelUrl } from '#core/paths.ts';

const { kernels } = builtExport();
// The newest kernel of each architecture and the changes page that leads to it.
const newest = Object.values(Object.groupBy(kernels, (k) => k.arch)).map((ids) => ({ from: ids!.at(-2)?.id, to: ids!.at(-1)!.id }));
/** Each page as it first shows, or (`typing`) with the header box's results as you type open. */
const PAGES: { name: string; path: string; typing?: string }[] = [
  { name: 'home', path: '/' },
  { name: 'tunable', path: '/sysctl/vm/swappiness/' },
  { name: 'tunable with results as you type', path: '/sysctl/vm/swappiness/', typing: 'swap' },
  { name: 'tunable with a flagged documented default', path: '/sysctl/kernel/perf_event_paranoid/' },
  { name: 'generic device-model attribute', path: '/sysfs/devices/_device_/power/control/' },
  { name: 'about the data', path: '/about/' },
  { name: "writer's guide, with its asides", path: '/writing/' },
  { name: 'needs writing', path: '/needs-writing/' },
  { name: 'subsystem index', path: '/sysctl/vm/' },
  { name: 'module parameter', path: '/module/nvme_core/io_timeout/' },
  { name: 'boot parameter', path: '/boot/i/isolcpus/' },
  { name: 'modules index', path: '/module/' },
  { name: 'search with results', path: '/search/?q=swappiness' },
  { name: 'check with a report', path: '/check/' },
  { name: 'not found', path: '/no-such-page/' },
  { name: 'kernels summary', path: '/kernels/' },
  { name: 'recommendation profile', path: '/profiles/tuned/throughput-performance/' },
  ...newest.map(({ to }) => ({ name: `kernel ${to}`, path: kernelUrl(to) })),
  ...newest.flatMap(({ from, to }) => (from ? [{ name: `changes to ${to}`, path: changesUrl(from, to) }] : [])),
  { name: 'tunable with a default per architecture', path: '/sysctl/vm/mmap_min_addr/' },
  { name: 'differences between architectures', path: ARCHES_URL },
];

for (const { name, path, typing } of PAGES) {
  test(`${name} page has no serious accessibility violation, light or dark`, async ({ page }) => {
    // A hang guard: a kernel page lists every tunable of its kernel, and beside a CPU hog
    // loading and checking it took a minute.
    test.setTimeout(300_000);
    await page.goto(path);
    if (path.startsWith('/search/')) await expect(page.getByRole('status')).toHaveText(/match/);
    if (typing) await expect((await typeInHeaderBox(page, typing)).results.getByRole('link').first()).toBeVisible();
    if (path === '/check/') {
      await page.getByRole('button', { name: 'Try an example' }).click();
      await expect(page.getByRole('status')).toHaveText(/^Checked/);
    }
    // Table rows come from one component each: the first hundred show what all of them do.
    // The rest are removed, not excluded: axe still builds its tree of excluded nodes, and a
    // kernel page's thousands of rows took it past 2 min beside a CPU hog.
    await page.locator('tbody').evaluateAll((bodies) => {
      for (const body of bodies as HTMLTableSectionElement[]) for (const row of [...body.rows].slice(100)) row.remove();
    });
    // Both colour schemes on the one page load: the big pages' loading is most of the time.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations
        .filter(({ impact }) => impact === 'serious' || impact === 'critical')
        .map(({ id, nodes }) => `${colorScheme}: ${id}: ${nodes.map(({ target }) => target.join(' ')).join(', ')}`);
      expect(serious).toEqual([]);
    }
  });
}

test('an unknown address gets the 404 page', async ({ page }) => {
  const response = await page.goto('/no-such-page/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});
