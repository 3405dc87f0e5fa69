/**
 * Defaults per kernel, kernel pages and changes pages, on the committed reference content:
 * the Debian kernels booted under qemu by `npm run refresh` (5.10 to 7.2, two machine
 * shapes). Known facts of those kernels are asserted as such; lists are checked against
 * dist/tunables.json.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseKernelId, PRIMARY_ARCH } from '#core/kernels.ts';
import { changesUrl } from '#core/paths.ts';
import { scalingText } from '#core/values.ts';
import { addressOf, builtExport, hrefOn, type ExportedTunable } from './dist.ts';

const data = builtExport();
/** Kernel ids, oldest first: `6.1`, `6.1-arm64`, … */
const kernels = data.kernels.map((k) => k.id);
const primary = data.kernels.filter((k) => k.arch === PRIMARY_ARCH).map((k) => k.id);
// Each kernel and the next of its architecture: the pairs with a changes page.
const pairs = Object.values(Object.groupBy(kernels, (id) => parseKernelId(id).arch)).flatMap((ids) => ids!.slice(1).map((to, i) => ({ from: ids![i]!, to, url: changesUrl(ids![i]!, to) })));
const present = data.tunables.filter((t) => t.status === 'present');
const byName = (name: string) => data.tunables.find((t) => t.name === name);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A series' row in a tunable's table: its header starts with the series. */
function seriesRow(page: Page, series: string): Locator {
  return page
    .getByRole('table', { name: 'On each kernel measured, oldest first' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${escape(series)}\\s`) }) });
}

/** A kernel's row in a parameter's table: its own, or its series' where the arches read alike; either names its release. */
function parameterRow(page: Page, id: string): Locator {
  const { release } = data.kernels.find((kernel) => kernel.id === id)!;
  return page
    .getByRole('table', { name: 'On each kernel measured, oldest first' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(escape(release)) }) });
}

/**
 * The default cell of one kernel in a sysctl or sysfs tunable's table: its series' row, its
 * architecture's column (a column per architecture where the tunable is on several), and
 * what a cell the architectures share reads first (`amd64 and arm64: `).
 */
async function defaultCell(page: Page, id: string): Promise<{ cell: Locator; shared: string }> {
  const { series, arch } = parseKernelId(id);
  const table = page.getByRole('table', { name: 'On each kernel measured, oldest first' });
  // The second header row names the architectures, when there is one.
  const arches = await table.locator('thead tr:nth-child(2) th').allTextContents();
  const column = Math.max(arches.indexOf(arch), 0);
  const cells = seriesRow(page, series).getByRole('cell');
  const spans = await cells.evaluateAll((all) => all.map((cell) => (cell as HTMLTableCellElement).colSpan));
  let end = 0;
  const index = spans.findIndex((span) => (end += span) > column);
  const span = spans[index]!;
  return { cell: cells.nth(index), shared: span > 1 && arches.length > 1 ? `${arches.slice(end - span, end).join(' and ')}: ` : '' };
}

/** Every kernel's row shows what the export says about that kernel, in the page's words. */
async function expectDefaults(page: Page, tunable: ExportedTunable): Promise<void> {
  await page.goto(tunable.url);
  // Its table has the architectures it is on.
  const arches = new Set(Object.keys(tunable.kernels).map((id) => parseKernelId(id).arch));
  for (const series of kernels.filter((id) => arches.has(parseKernelId(id).arch))) {
    const facts = tunable.kernels[series];
    // Parameters have a row per kernel, or per series where its arches read alike; sysctl and sysfs a row per series.
    const { cell, shared } = tunable.kind === 'boot' || tunable.kind === 'module' ? { cell: parameterRow(page, series).getByRole('cell').first(), shared: '' } : await defaultCell(page, series);
    // A boot parameter's row says which kernels document it, with kernel-parameters.txt's tags.
    if (tunable.kind === 'boot') {
      const tags = facts?.parameter?.tags ?? [];
      await expect(cell, series).toHaveText(shared + (!facts ? 'not documented' : tags.length > 0 ? tags.join(', ') : 'none'));
      continue;
    }
    if (!facts) {
      await expect(cell, series).toHaveText(`${shared}not present`);
      continue;
    }
    if (facts.defaultKind === 'unmeasured') await expect(cell, series).toHaveText(`${shared}not measured`);
    if (facts.defaultKind === 'constant') await expect(cell, series).toHaveText(shared + (facts.default === '' ? '(empty)' : facts.default!));
    if (facts.defaultKind === 'source') {
      await expect(cell, series).toContainText(facts.default === '' ? '(empty)' : facts.default!);
      await expect(cell, series).toContainText(`read from the C initialiser, ${facts.defaultSource!.file}:${facts.defaultSource!.line}`);
    }
    if (facts.defaultKind === 'volatile') await expect(cell, series).toHaveText(`${shared}runtime state (no default)`);
    if (facts.defaultKind === 'unreadable') await expect(cell, series).toContainText('unreadable');
    if (facts.defaultKind === 'machine') {
      await expect(cell, series).toContainText(scalingText(facts.scalesWith));
      for (const shape of facts.shapes ?? []) await expect(cell, series).toContainText(shape.value);
    }
  }
}

test('the reference kernels span five years of Debian, from 5.10 to 7.2', () => {
  expect(primary.length).toBeGreaterThanOrEqual(4);
  expect(primary[0]).toBe('5.10');
  expect(primary).toEqual(expect.arrayContaining(['6.1', '6.12', '7.2']));
  for (const { source } of data.kernels) expect(source).toBe('qemu');
});

test('vm.swappiness shows 60 on every reference kernel', async ({ page }) => {
  const swappiness = byName('vm.swappiness')!;
  await page.goto(swappiness.url);
  for (const id of kernels) {
    const { cell, shared } = await defaultCell(page, id);
    await expect(cell, id).toHaveText(`${shared}60`);
  }
  // Per architecture, each from its first kernel to its last.
  const spans = Object.entries(Object.groupBy(data.kernels, (k) => k.arch)).map(([arch, ids]) => `${arch}: ${ids![0]!.series} – ${ids!.at(-1)!.series}`);
  await expect(page.locator('p', { hasText: /^Kernels:/ })).toHaveText(`Kernels: ${spans.length > 1 ? spans.join('; ') : `${primary[0]} – ${primary.at(-1)}`}`);
  await expect(page.getByRole('list', { name: 'Properties' })).not.toContainText('scales with');
});

test('kernel.random.boot_id shows no default: it is runtime state', async ({ page }) => {
  await page.goto(byName('kernel.random.boot_id')!.url);
  for (const id of kernels) {
    const { cell, shared } = await defaultCell(page, id);
    await expect(cell, id).toHaveText(`${shared}runtime state (no default)`);
  }
});

test('fs.file-max is shown as scaling with memory, with a value per machine shape', async ({ page }) => {
  const fileMax = byName('fs.file-max')!;
  await page.goto(fileMax.url);
  await expect(page.getByRole('list', { name: 'Properties' })).toContainText('scales with memory');
  for (const series of primary) {
    const { cell } = await defaultCell(page, series);
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
  const newest = primary.at(-1)!;
  expect(pattern.kernels[newest]).toMatchObject({ namespace: 'net', instanceNamespaces: { default: null } });
  await page.goto(pattern.url);
  await expect(page.getByRole('table').filter({ hasText: 'per net namespace; default: global' }).first()).toBeVisible();
});

test("a spread of tunables shows each kernel's default as the export has it", async ({ page }) => {
  // A hang guard, per kernel: each page lists thousands of tunables, slow to query beside a CPU hog.
  test.setTimeout(60_000 * kernels.length);
  const spread = present.filter((_, i) => i % Math.ceil(present.length / 15) === 0);
  for (const tunable of spread) await expectDefaults(page, tunable);
});

test('each kernel has a page listing the tunables it has: sysctls and sysfs with defaults, boot parameters by name, modules with parameters', async ({ page }) => {
  // A hang guard, per kernel: each page lists thousands of tunables, slow to query beside a CPU hog.
  test.setTimeout(60_000 * kernels.length);
  for (const { id: series, release } of data.kernels) {
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

test('each kernel page says how it was measured: the qemu machine, the emulated CPU and the machine shapes booted', async ({ page }) => {
  // A hang guard, per kernel: each page lists thousands of tunables, slow to load beside a CPU hog.
  test.setTimeout(60_000 * kernels.length);
  // How the refresh boots each architecture (scripts/refresh/arch.ts), as the snapshots record it.
  const booted: Record<string, { emulator: string; cpu: string }> = {
    amd64: { emulator: 'qemu-system-x86_64', cpu: 'qemu64' },
    arm64: { emulator: 'qemu-system-aarch64 -M virt,gic-version=3', cpu: 'max,pauth-impdef=on' },
  };
  expect(new Set(data.kernels.map((k) => k.arch))).toEqual(new Set(Object.keys(booted)));
  for (const { id, arch } of data.kernels) {
    await page.goto(`/kernels/${id}/`);
    const measured = page.getByRole('region', { name: 'How it was measured' });
    const definition = (term: string) => measured.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
    await expect(definition('Emulated by'), id).toHaveText(booted[arch]!.emulator);
    await expect(definition('CPU model'), id).toHaveText(booted[arch]!.cpu);
    // The refresh's five shapes, CPUs × memory, the first booted twice (scripts/README.md).
    await expect(definition('Machine shapes booted').getByRole('listitem'), id).toHaveText(['1 CPU, 1 GiB (2 boots)', '1 CPU, 4 GiB', '1 CPU, 16 GiB', '1 CPU (64 possible), 4 GiB', '4 CPUs, 4 GiB']);
  }
});

test('each pair of adjacent kernels has a changes page with what was added and removed', async ({ page }) => {
  // A hang guard, per kernel: each page lists thousands of tunables, slow to query beside a CPU hog.
  test.setTimeout(60_000 * kernels.length);
  for (const { from, to, url } of pairs) {
    await page.goto(url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`From ${from} to ${to}`);
    const added = present.filter((t) => !t.kernels[from] && t.kernels[to]);
    const removed = present.filter((t) => t.kernels[from] && !t.kernels[to]);
    await expect(page.getByRole('heading', { name: /^Added/ })).toHaveText(`Added (${added.length})`);
    await expect(page.getByRole('heading', { name: /^Removed/ })).toHaveText(`Removed (${removed.length})`);
    for (const tunable of [...added, ...removed].slice(0, 20)) {
      await expect(page.getByRole('main').locator(`a[href="${hrefOn(url, tunable.url)}"]`), tunable.name).toHaveCount(1);
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
  for (const { url } of pairs) {
    await matrix.locator(`a[href="${hrefOn('/kernels/', url)}"]`).click();
    await expect(page).toHaveURL(addressOf(url));
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
