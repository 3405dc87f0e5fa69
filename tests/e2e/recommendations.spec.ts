/**
 * "Recommended by": a tunable's page lists what TuneD's and ComplianceAsCode's profiles set
 * it to, beside the newest kernel's measured default and whether it meets them, with their
 * rationale quoted from the source and its licence; the export carries the same settings.
 */
import { expect, test, type Page } from '@playwright/test';
import { compareKernelIds } from '#core/kernels.ts';
import { builtExport, newestOf } from './dist.ts';

const PANIC_ON_OOPS = '/sysctl/kernel/panic_on_oops/';
const SOMAXCONN = '/sysctl/net/core/somaxconn/';

const recommended = (page: Page) => page.getByRole('table', { name: 'Profiles that set it, and whether the measured defaults meet them' });
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

test("a profile's page lists what it sets against each kernel's default, and the names no reference kernel has", async ({ page }) => {
  await page.goto('/sysctl/net/core/somaxconn/');
  await rowOf(page, 'TuneD', '≥ 2048').getByRole('link', { name: 'throughput-performance', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('throughput-performance (TuneD)');
  const table = page.getByRole('table', { name: /settings, and the default of each kernel measured$/ });
  const somaxconn = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'net.core.somaxconn' }) });
  await expect(somaxconn.getByRole('cell').first()).toHaveText('≥ 2048');
  // One cell per kernel measured, each with that kernel's default and the verdict.
  const kernels = builtExport().kernels;
  await expect(somaxconn.getByRole('cell')).toHaveCount(1 + kernels.length);
  await expect(somaxconn.getByRole('cell').nth(1)).toHaveText(/^\d+\s*meets it$/);
  const swappiness = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'vm.swappiness' }) });
  await expect(swappiness.getByRole('cell').nth(1)).toHaveText(/^60\s*differs$/);
  await expect(page.getByText('kernel-tunables lint --profile tuned:throughput-performance /etc/sysctl.d')).toBeVisible();

  // A glob no page can be is listed apart.
  await page.goto('/profiles/tuned/realtime/');
  await expect(page.getByRole('heading', { level: 2, name: 'Settings no reference kernel has' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: '/sys/devices/system/machinecheck/machinecheck*/ignore_ce' })).toHaveCount(1);

  // The index lists every profile of both sources.
  await page.goto('/profiles/');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText(['ComplianceAsCode', 'TuneD']);
  await expect(page.getByRole('link', { name: 'throughput-performance' })).toHaveAttribute('href', /tuned\/throughput-performance\/index\.html$|tuned\/throughput-performance\/$/);
});

test('where kernels read differently, the verdict names the kernels of each: kernel.nmi_watchdog, 1 on some arm64 kernels', async ({ page }) => {
  const { kernels } = builtExport().tunables.find((t) => t.name === 'kernel.nmi_watchdog')!;
  const ids = Object.keys(kernels).sort(compareKernelIds);
  const differing = ids.filter((id) => kernels[id]!.default !== '0');
  expect(differing.length).toBeGreaterThan(0);
  await page.goto('/sysctl/kernel/nmi_watchdog/');
  const row = rowOf(page, 'TuneD', '= 0');
  await expect(row.getByRole('cell').last()).toHaveText(`meets it on ${ids.filter((id) => !differing.includes(id)).join(', ')}; differs on ${differing.join(', ')}`);
});
