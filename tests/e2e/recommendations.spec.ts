/**
 * "Recommended by": a tunable's page lists what TuneD's and ComplianceAsCode's profiles set
 * it to, beside the newest kernel's measured default and whether it meets them, with their
 * rationale quoted from the source and its licence; the export carries the same settings.
 */
import { expect, test, type Page } from '@playwright/test';
import { builtExport, newestOf } from './dist.ts';

const PANIC_ON_OOPS = '/sysctl/kernel/panic_on_oops/';
const SOMAXCONN = '/sysctl/net/core/somaxconn/';

const recommended = (page: Page) => page.getByRole('table', { name: /^Profiles that set it/ });
const rowOf = (page: Page, source: string, sets: string) => recommended(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${source}`) }) }).filter({ hasText: sets });

test('a page shows the profiles of both sources that set it, and that the default differs from theirs', async ({ page }) => {
  const tunable = builtExport().tunables.find((t) => t.url === PANIC_ON_OOPS)!;
  expect(newestOf(tunable).default).toBe('0');
  await page.goto(PANIC_ON_OOPS);
  await expect(page.getByRole('heading', { level: 2, name: 'Recommended by' })).toBeVisible();
  const tuned = rowOf(page, 'TuneD', '= 1');
  await expect(tuned).toContainText('oracle');
  await expect(tuned.getByRole('cell').last()).toHaveText('differs');
  const scap = rowOf(page, 'ComplianceAsCode', '= 1');
  await expect(scap).toContainText('debian13:anssi_bp28_high');
  await expect(scap).toContainText('rhel9:anssi_bp28_high');
  await expect(scap.getByRole('cell').last()).toHaveText('differs');
  // The rule's rationale, quoted with where it comes from and its licence.
  const why = page.locator('details.rationale').filter({ hasText: 'ComplianceAsCode' });
  await why.locator('summary').click();
  await expect(why.getByRole('blockquote')).toContainText('An attacker trying to exploit the kernel');
  await expect(why).toContainText(/Quoted from ComplianceAsCode \(Debian ssg-debian [^,]+, ssg-debderived [^,]+, ssg-nondebian [^;]+; BSD-3-Clause\)/);
});

test('a profile asking for at least a value is met by a larger default, and inherited settings name their profile', async ({ page }) => {
  await page.goto(SOMAXCONN);
  const row = rowOf(page, 'TuneD', '≥ 2048');
  await expect(row.getByRole('cell').last()).toHaveText('meets it');
  await expect(row.getByRole('listitem').filter({ hasText: /^throughput-performance$/ })).toHaveCount(1);
  await expect(row.getByRole('listitem').filter({ hasText: 'virtual-guest, from throughput-performance' })).toHaveCount(1);
  await expect(page.locator('details.rationale').filter({ hasText: 'TuneD' })).toContainText(/Quoted from TuneD \(Debian tuned [^;]+; GPL-2.0-or-later\)/);
});

test('the export lists the recommendations of each tunable', () => {
  const { tunables } = builtExport();
  const swappiness = tunables.find((t) => t.name === 'vm.swappiness')!;
  expect(swappiness.recommendations).toContainEqual({ source: 'tuned', profile: 'throughput-performance', comparison: 'equals', value: '10', via: '[sysctl] vm.swappiness' });
  const redirects = tunables.find((t) => t.name === 'net.ipv4.conf.<interface>.accept_redirects')!;
  expect(redirects.recommendations!.filter((r) => r.instance === 'all' && r.profile === 'debian13:anssi_bp28_high')).toEqual([
    expect.objectContaining({ source: 'ssg', comparison: 'equals', value: '0' }),
  ]);
  // A tunable no profile sets has none.
  expect(tunables.find((t) => t.name === 'kernel.random.boot_id')!.recommendations).toBeUndefined();
});
