/**
 * Generic device-model attributes (uevent, power/*, bind, …): one page each, listing where
 * they appear; the addresses of the copies they replaced lead there, served and from disk.
 */
import { expect, test } from '@playwright/test';
import { addressOf, builtExport, FROM_DISK } from './dist.ts';

const CONTROL = '/sysfs/devices/_device_/power/control/';
/** One of the copies power/control replaced: an address links and bookmarks may still hold. */
const OLD_CONTROL = 'sysfs/bus/pci/devices/_pci-device_/power/control/';

test('power/control has one page that lists every place it appears and what it reads there', async ({ page }) => {
  const exported = builtExport().tunables.find((t) => t.url === CONTROL)!;
  const places = new Set(Object.values(exported.kernels).flatMap((facts) => facts.appearances ?? []));
  expect(places.size).toBeGreaterThan(10);

  await page.goto(CONTROL);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('/sys/devices/<device>/power/control');
  const table = page.getByRole('table', { name: /What it reads in each place/ });
  await expect(table.getByRole('rowheader')).toHaveCount(places.size);
  await expect(table.getByRole('rowheader', { name: '/sys/bus/pci/devices/<pci-device>/power/control' })).toBeVisible();
  await expect(page.getByText(/differs by where it appears/).first()).toBeVisible();
});

test('the address of a folded copy leads to the generic page, served and from disk', async ({ page }) => {
  await page.goto(`/${OLD_CONTROL}`);
  await expect(page).toHaveURL(addressOf(CONTROL));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('/sys/devices/<device>/power/control');

  await page.goto(`${FROM_DISK}${OLD_CONTROL}index.html`);
  await expect(page).toHaveURL(addressOf(CONTROL));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('/sys/devices/<device>/power/control');
});

test('a module name no longer finds copies of uevent; "uevent" finds the one page', async ({ page }) => {
  // Before the copies were folded, "bbr" led to /sys/module/tcp_bbr/uevent.
  await page.goto('/search/?q=bbr');
  await expect(page.getByRole('status')).toHaveText(/tunables? match/);
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link', { name: /uevent/ })).toHaveCount(0);

  await page.goto('/search/?q=uevent');
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link').first()).toHaveText('/sys/<kobject>/uevent');
});
