/**
 * Defaults per kernel, kernel pages and changes pages, on the committed reference content:
 * the Debian kernels booted under qemu by `npm run refresh` (5.10 to 7.2, two machine
 * shapes). Known facts of those kernels are asserted as such; lists are checked against
 * dist/tunables.json.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { scalingText } from '#core/values.ts';
import { addressOf, builtExport, hrefOn, type ExportedTunable } from './dist.ts';

const data = builtExport();
const kernels = data.kernels.map((k) => k.series);
const pairs = kernels.slice(1).map((to, i) => ({ from: kernels[i]!, to }));
const present = data.tunables.filter((t) => t.status === 'present');
const byName = (name: string) => data.tunables.find((t) => t.name === name);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The row of one kernel in a tunable's defaults table (its header starts with the series). */
function kernelRow(page: Page, series: string): Locator {
  return page
    .getByRole('table', { name: 'On each kernel measured, oldest first' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${escape(series)}\\s`) }) });
}

/** Every kernel's row shows what the export says about that kernel, in the page's words. */
async function expectDefaults(page: Page, tunable: ExportedTunable): Promise<void> {
  await page.goto(tunable.url);
  for (const series of kernels) {
    const facts = tunable.kernels[series];
    const cell = kernelRow(page, series).getByRole('cell').first();
    // A boot parameter's row says which kernels document it, with kernel-parameters.txt's tags.
    if (tunable.kind === 'boot') {
      const tags = facts?.parameter?.tags ?? [];
      await expect(cell, series).toHaveText(!facts ? 'not documented' : tags.length > 0 ? tags.join(', ') : 'none');
      continue;
    }
    if (!facts) {
      await expect(cell, series).toHaveText('not present');
      continue;
    }
    if (facts.defaultKind === 'unmeasured') await expect(cell, series).toHaveText('not measured');
    if (facts.defaultKind === 'constant') await expect(cell, series).toHaveText(facts.default === '' ? '(empty)' : facts.default!);
    if (facts.defaultKind === 'source') {
      await expect(cell, series).toContainText(facts.default === '' ? '(empty)' : facts.default!);
      await expect(cell, series).toContainText(`read from the C initialiser, ${facts.defaultSource!.file}:${facts.defaultSource!.line}`);
    }
    if (facts.defaultKind === 'volatile') await expect(cell, series).toHaveText('runtime state (no default)');
    if (facts.defaultKind === 'unreadable') await expect(cell, series).toContainText('unreadable');
    if (facts.defaultKind === 'machine') {
      await expect(cell, series).toContainText(scalingText(facts.scalesWith));
      for (const shape of facts.shapes ?? []) await expect(cell, series).toContainText(shape.value);
    }
  }
}

test('the reference kernels span five years of Debian, from 5.10 to 7.2', () => {
  expect(kernels.length).toBeGreaterThanOrEqual(4);
  expect(kernels[0]).toBe('5.10');
  expect(kernels).toEqual(expect.arrayContaining(['6.1', '6.12']));
  for (const { source } of data.kernels) expect(source).toBe('qemu');
});

test('vm.swappiness shows 60 on every reference kernel', async ({ page }) => {
  const swappiness = byName('vm.swappiness')!;
  await page.goto(swappiness.url);
  for (const series of kernels) await expect(kernelRow(page, series).getByRole('cell').first(), series).toHaveText('60');
  await expect(page.locator('p', { hasText: /^Kernels:/ })).toHaveText(`Kernels: ${kernels[0]} – ${kernels.at(-1)}`);
  await expect(page.getByRole('list', { name: 'Properties' })).not.toContainText('scales with');
});

test('kernel.random.boot_id shows no default: it is runtime state', async ({ page }) => {
  await page.goto(byName('kernel.random.boot_id')!.url);
  for (const series of kernels) await expect(kernelRow(page, series).getByRole('cell').first(), series).toHaveText('runtime state (no default)');
});

test('fs.file-max is shown as scaling with memory, with a value per machine shape', async ({ page }) => {
  const fileMax = byName('fs.file-max')!;
  await page.goto(fileMax.url);
  await expect(page.getByRole('list', { name: 'Properties' })).toContainText('scales with memory');
  for (const series of kernels) {
    const cell = kernelRow(page, series).getByRole('cell').first();
    await expect(cell, series).toContainText('scales with memory');
    const small = Number((await cell.getByRole('listitem').filter({ hasText: /^1 CPU, 1 GiB: / }).textContent())!.split(': ')[1]);
    const big = Number((await cell.getByRole('listitem').filter({ hasText: /^1 CPU, 4 GiB: / }).textContent())!.split(': ')[1]);
    await expect(cell.getByRole('listitem').filter({ hasText: /^4 CPUs, 4 GiB: \d+$/ }), series).toHaveCount(1);
    // About a tenth of memory in KiB, as the kernel sizes it: four times the memory, about four times the files.
    expect(big / small, series).toBeGreaterThan(3.5);
  }
});

test('a net sysctl is shown per network namespace, with the module that provides a module sysctl', async ({ page }) => {
  await page.goto(byName('net.ipv4.tcp_fin_timeout')!.url);
  await expect(page.getByRole('list', { name: 'Properties' })).toContainText('per net namespace');
  const conntrack = byName('net.netfilter.nf_conntrack_max')!;
  expect(conntrack.module).toBe('nf_conntrack');
  await page.goto(conntrack.url);
  await expect(page.getByRole('list', { name: 'Properties' })).toContainText('module: nf_conntrack');
});

test('a pattern whose instances differ in scope says which: neigh.default.* is global, neigh.<interface>.* per net namespace', async ({ page }) => {
  const pattern = byName('net.ipv4.neigh.<interface>.retrans_time')!;
  const newest = data.kernels.at(-1)!.series;
  expect(pattern.kernels[newest]).toMatchObject({ namespace: 'net', instanceNamespaces: { default: null } });
  await page.goto(pattern.url);
  await expect(page.getByRole('table').filter({ hasText: 'per net namespace; default: global' }).first()).toBeVisible();
});

test("a spread of tunables shows each kernel's default as the export has it", async ({ page }) => {
  const spread = present.filter((_, i) => i % Math.ceil(present.length / 15) === 0);
  for (const tunable of spread) await expectDefaults(page, tunable);
});

test('each kernel has a page listing the tunables it has: sysctls and sysfs with defaults, boot parameters by name, modules with parameters', async ({ page }) => {
  for (const { series, release } of data.kernels) {
    await page.goto(`/kernels/${series}/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Kernel ${series}`);
    await expect(page.getByRole('main')).toContainText(release);
    const onKernel = present.filter((t) => t.kernels[series]);
    const files = onKernel.filter((t) => t.kind === 'sysctl' || t.kind === 'sysfs');
    await expect(page.locator('main table tbody tr'), series).toHaveCount(files.length);
    await expect(page.locator('section[aria-labelledby="kernel-boot"] li'), series).toHaveCount(onKernel.filter((t) => t.kind === 'boot').length);
    const modules = new Set(onKernel.filter((t) => t.kind === 'module').map((t) => t.subsystem));
    await expect(page.locator('section[aria-labelledby="kernel-module"] li'), series).toHaveCount(modules.size);
  }
});

test('each pair of adjacent kernels has a changes page with what was added and removed', async ({ page }) => {
  for (const { from, to } of pairs) {
    await page.goto(`/changes/${from}-${to}/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`From ${from} to ${to}`);
    const added = present.filter((t) => !t.kernels[from] && t.kernels[to]);
    const removed = present.filter((t) => t.kernels[from] && !t.kernels[to]);
    await expect(page.getByRole('heading', { name: /^Added/ })).toHaveText(`Added (${added.length})`);
    await expect(page.getByRole('heading', { name: /^Removed/ })).toHaveText(`Removed (${removed.length})`);
    for (const tunable of [...added, ...removed].slice(0, 20)) {
      await expect(page.getByRole('main').locator(`a[href="${hrefOn(`/changes/${from}-${to}/`, tunable.url)}"]`), tunable.name).toHaveCount(1);
    }
  }
});

test('the kernel summary links every kernel, and only adjacent pairs to a changes page', async ({ page }) => {
  await page.goto('/kernels/');
  const main = page.getByRole('main');
  for (const series of kernels) await expect(main.locator(`a[href="${hrefOn('/kernels/', `/kernels/${series}/`)}"]`)).not.toHaveCount(0);
  const matrix = page.getByRole('table', { name: 'Changes from row kernel to column kernel' });
  await expect(matrix.getByRole('row')).toHaveCount(kernels.length + 1);
  await expect(matrix.getByRole('link')).toHaveCount(pairs.length);
  for (const { from, to } of pairs) {
    await matrix.locator(`a[href="${hrefOn('/kernels/', `/changes/${from}-${to}/`)}"]`).click();
    await expect(page).toHaveURL(addressOf(`/changes/${from}-${to}/`));
    await page.goBack();
  }
});

test('the home page and the footer lead to the kernels', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('main').getByRole('link', { name: 'Compare the kernels' }).click();
  await expect(page).toHaveURL(addressOf('/kernels/'));
  const footer = page.getByRole('contentinfo');
  for (const series of kernels) await expect(footer.getByRole('link', { name: series, exact: true })).toHaveAttribute('href', hrefOn('/kernels/', `/kernels/${series}/`));
});
