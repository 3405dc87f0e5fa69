/**
 * Finding one's way: the header's section links on every kind of page, the browse tree
 * (kind → subsystem → tunable) and the breadcrumbs back up it, a tunable page's "On this
 * page", previous / next within its subsystem and related tunables, all by keyboard too.
 * Orders and lists are checked against dist/tunables.json.
 */
import { expect, test, type Page } from '@playwright/test';
import { compareText } from '#core/kernels.ts';
import { addressOf, builtExport, type ExportedTunable } from './dist.ts';

const data = builtExport();
// amd64's kernels: their ids are their series, and their change pages `/changes/6.12-7.2/`.
const kernels = data.kernels.filter((k) => k.arch === 'amd64').map((k) => k.series);
const byName = (name: string) => data.tunables.find((t) => t.name === name)!;

/** The header's links, with the page each leads to (its h1). */
const SECTIONS = [
  { name: 'Browse', path: '/browse/', heading: 'Browse' },
  { name: 'Kernels', path: '/kernels/', heading: 'Kernels' },
  { name: 'Check my system', path: '/check/', heading: 'Check my system' },
  { name: 'About', path: '/about/', heading: 'About the data' },
];

/** One page of each type, and the header link marked as its section (none: no link is). */
const PAGES = [
  { type: 'home', path: '/', section: undefined },
  { type: 'tunable', path: '/sysctl/vm/dirty_ratio/', section: 'Browse' },
  { type: 'subsystem', path: '/sysctl/vm/', section: 'Browse' },
  { type: 'kind', path: '/module/', section: 'Browse' },
  { type: 'browse', path: '/browse/', section: 'Browse' },
  { type: 'kernels', path: '/kernels/', section: 'Kernels' },
  { type: 'kernel', path: `/kernels/${kernels.at(-1)}/`, section: 'Kernels' },
  { type: 'change pair', path: `/changes/${kernels.at(-2)}-${kernels.at(-1)}/`, section: 'Kernels' },
  { type: 'search', path: '/search/?q=swappiness', section: undefined },
  { type: 'check', path: '/check/', section: 'Check my system' },
  { type: 'about', path: '/about/', section: 'About' },
  { type: "writer's guide", path: '/writing/', section: 'About' },
  { type: 'needs writing', path: '/needs-writing/', section: 'About' },
  { type: 'not found', path: '/no-such-page/', section: undefined },
];

/** The tunables of one subsystem, in the order its page lists them. */
function subsystemMembers(kind: string, subsystem: string): ExportedTunable[] {
  return data.tunables.filter((t) => t.kind === kind && t.subsystem === subsystem).sort((a, b) => compareText(a.name, b.name) || compareText(a.url, b.url));
}

const siteNav = (page: Page) => page.getByRole('navigation', { name: 'Site' });
const pager = (page: Page) => page.getByRole('navigation', { name: /^Previous and next in / });

PAGES.forEach(({ type, path, section }, i) => {
  test(`the ${type} page's header links every section and marks its own`, async ({ page }) => {
    // A hang guard, not a speed limit: a kernel page lists every tunable of its kernel, slow to load beside a CPU hog.
    test.setTimeout(180_000);
    await page.goto(path);
    for (const { name, path: target } of SECTIONS) {
      const link = siteNav(page).getByRole('link', { name, exact: true });
      // Resolved by the browser, wherever the page is: relative links, or the 404 page's site paths.
      expect(await link.evaluate((a: HTMLAnchorElement) => new URL(a.href).pathname), name).toMatch(addressOrDirectory(target));
      if (name === section) await expect(link, name).toHaveAttribute('aria-current', target === path ? 'page' : 'true');
      else await expect(link, name).not.toHaveAttribute('aria-current');
    }
    // Each page follows one of the links, a different one from page to page.
    const { name, path: target, heading } = SECTIONS[i % SECTIONS.length]!;
    await siteNav(page).getByRole('link', { name, exact: true }).click();
    await expect(page).toHaveURL(addressOrDirectory(target));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  });
});

/** A directory page as the built pages link it (naming index.html), or as a site path (the 404 page). */
function addressOrDirectory(sitePath: string): RegExp {
  return new RegExp(`${addressOf(sitePath).source}|${sitePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

test('the browse tree leads from a tunable up to its subsystem and kind in one click, and down to another tunable', async ({ page }) => {
  await page.goto('/sysctl/vm/dirty_ratio/');
  const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
  await expect(breadcrumb.getByRole('listitem')).toHaveText(['Home', 'Browse', 'sysctl', 'vm', 'vm.dirty_ratio']);
  await breadcrumb.getByRole('link', { name: 'vm', exact: true }).click();
  await expect(page).toHaveURL(addressOf('/sysctl/vm/'));
  await page.goBack();
  await breadcrumb.getByRole('link', { name: 'sysctl', exact: true }).click();
  await expect(page).toHaveURL(addressOf('/sysctl/'));

  await siteNav(page).getByRole('link', { name: 'Browse' }).click();
  await expect(page).toHaveURL(addressOf('/browse/'));
  const total = data.tunables.length;
  await expect(page.getByRole('main')).toContainText(`All ${total} tunables`);
  // Every kind with its subsystems' counts: sysctl's `net` as the export counts it.
  const sysctl = page.getByRole('region', { name: /^sysctl/ });
  await expect(sysctl.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'net', exact: true }) })).toHaveText(
    `net ${subsystemMembers('sysctl', 'net').length}`,
  );
  await sysctl.getByRole('heading').getByRole('link', { name: 'sysctl' }).click();
  await expect(page).toHaveURL(addressOf('/sysctl/'));
  await page.getByRole('main').getByRole('link', { name: 'kernel', exact: true }).click();
  await expect(page).toHaveURL(addressOf('/sysctl/kernel/'));
  await page.getByRole('main').getByRole('link', { name: 'kernel.pid_max', exact: true }).click();
  await expect(page).toHaveURL(addressOf('/sysctl/kernel/pid_max/'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('kernel.pid_max');
});

test('previous and next follow the subsystem page: the first has no previous, the last no next', async ({ page }) => {
  const members = subsystemMembers('sysctl', 'vm');
  expect(members.length).toBeGreaterThan(3);
  const [first, second] = members;
  const [beforeLast, last] = members.slice(-2);

  await page.goto(first!.url);
  await expect(pager(page)).toHaveAccessibleName('Previous and next in sysctl: vm');
  await expect(pager(page).getByRole('link')).toHaveCount(1);
  await pager(page).getByRole('link', { name: `Next ${second!.name}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(second!.name);
  await pager(page).getByRole('link', { name: `Previous ${first!.name}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first!.name);

  await page.goto(last!.url);
  await expect(pager(page).getByRole('link')).toHaveCount(1);
  await pager(page).getByRole('link', { name: `Previous ${beforeLast!.name}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(beforeLast!.name);
  await expect(pager(page).getByRole('link', { name: `Next ${last!.name}` })).toBeVisible();

  // On the subsystem page, the same order.
  await page.goto('/sysctl/vm/');
  await expect(page.getByRole('rowheader')).toHaveText(members.map((t) => t.name));
});

test('a subsystem of one tunable has no previous / next', async ({ page }) => {
  const alone = data.tunables.find((t) => t.kind === 'module' && subsystemMembers('module', t.subsystem).length === 1)!;
  await page.goto(alone.url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(alone.name);
  await expect(pager(page)).toHaveCount(0);
});

test('related tunables: vm.dirty_ratio is defined beside vm.dirty_background_ratio, and documented with its peers elsewhere', async ({ page }) => {
  await page.goto('/sysctl/vm/dirty_ratio/');
  const related = page.getByRole('region', { name: 'Related tunables' });
  const nearIt = related.getByRole('listitem').filter({ hasText: /^Defined near it in mm\/page-writeback\.c:/ });
  await expect(nearIt.getByRole('link', { name: 'vm.dirty_background_ratio', exact: true })).toBeVisible();
  await expect(related.getByRole('link')).toHaveCount(8);
  await expect(related.getByRole('link', { name: 'vm.dirty_ratio', exact: true })).toHaveCount(0);
  await nearIt.getByRole('link', { name: 'vm.dirty_background_ratio', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('vm.dirty_background_ratio');
  await expect(page.getByRole('region', { name: 'Related tunables' }).getByRole('link', { name: 'vm.dirty_ratio', exact: true })).toBeVisible();

  // Boot parameters one kernel-parameters.txt entry documents together.
  const failures = ['fail_make_request', 'fail_page_alloc', 'fail_usercopy'].map(byName);
  await page.goto(failures[1]!.url);
  const together = page.getByRole('region', { name: 'Related tunables' }).getByRole('listitem').filter({ hasText: /^Documented together in Documentation\/admin-guide\/kernel-parameters\.txt:/ });
  for (const other of [failures[0]!, failures[2]!]) await expect(together.getByRole('link', { name: other.name, exact: true })).toBeVisible();
});

for (const name of ['vm.dirty_ratio', 'nvme_core.io_timeout', 'isolcpus', '/sys/devices/<device>/power/control']) {
  test(`"On this page" of ${name} lists every section, and each link lands on its heading`, async ({ page }) => {
    await page.goto(byName(name).url);
    const contents = page.getByRole('navigation', { name: 'On this page' });
    const targets = await contents.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    // Every section heading of the article (and of the writer's body), in order; nothing else.
    const headings = await page.locator('article :is(h2, h3)[id]:not(#toc-title)').evaluateAll((all) => all.map((h) => `#${h.id}`));
    expect(targets).toEqual(headings);
    expect(targets).toEqual(expect.arrayContaining(['#tunable-defaults', '#tunable-description']));
    const heading = (target: string) => page.locator(`[id="${target.slice(1)}"]`);
    const last = contents.getByRole('link').last();
    const text = (await last.textContent())!;
    await last.click();
    await expect(page).toHaveURL(new RegExp(`${targets.at(-1)}$`));
    await expect(heading(targets.at(-1)!)).toHaveText(text);
    await expect(heading(targets.at(-1)!)).toBeInViewport();
  });
}

test('by keyboard alone: Tab reaches the skip link, the header links and the next tunable; Enter follows it', async ({ page }) => {
  const members = subsystemMembers('sysctl', 'vm');
  const at = members.findIndex((t) => t.name === 'vm.dirty_ratio');
  await page.goto('/sysctl/vm/dirty_ratio/');
  const focused = () => page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    return { text: element.textContent?.trim() ?? '', rel: element.getAttribute('rel') };
  });
  const seen: string[] = [];
  for (let presses = 0; presses < 500; presses++) {
    await page.keyboard.press('Tab');
    const { text, rel } = await focused();
    seen.push(text);
    if (rel === 'next') break;
  }
  expect(seen[0]).toBe('Skip to content');
  expect(seen.slice(1, 6)).toEqual(['Linux Kernel Tunables', ...SECTIONS.map((s) => s.name)]);
  expect(seen.at(-1)).toBe(`Next ${members[at + 1]!.name}`);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(addressOf(members[at + 1]!.url));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(members[at + 1]!.name);

  // The skip link, followed, puts the next Tab in the page: its breadcrumb.
  await page.keyboard.press('Tab');
  expect((await focused()).text).toBe('Skip to content');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  expect((await focused()).text).toBe('Home');
});
