/**
 * Two architectures on the pages: a defaults table with a column per architecture where
 * they differ and one value where they agree, "amd64 only" / "arm64 only" badges, the page
 * of every difference between the architectures, and the arch search filter (served and
 * from disk). Facts measured on Debian's kernels are asserted as such; counts come from
 * dist/tunables.json.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseKernelId } from '#core/kernels.ts';
import { addressOf, builtExport, FROM_DISK, hrefOn, type ExportedTunable } from './dist.ts';

const data = builtExport();
const byName = (name: string) => {
  const found = data.tunables.find((t) => t.name === name);
  if (!found) throw new Error(`${name} is not in tunables.json`);
  return found;
};
const archesOf = (tunable: ExportedTunable) => new Set(Object.keys(tunable.kernels).map((id) => parseKernelId(id).arch));
const present = data.tunables.filter((t) => t.status === 'present');
// The series booted on both architectures: the arch differences page has a section each.
const bothArches = [...Object.entries(Object.groupBy(data.kernels, (k) => k.series))].filter(([, kernels]) => kernels!.length > 1).map(([series]) => series);

/** The cells of one series' row in a tunable's defaults table, the row header left out. */
function seriesCells(page: Page, series: string): Locator {
  return page
    .getByRole('table', { name: 'On each kernel measured, oldest first' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${series.replace('.', '\\.')}\\s`) }) })
    .getByRole('cell');
}

test('the reference content has a series booted on amd64 and on arm64', () => {
  expect(bothArches).toContain('6.1');
  expect(data.kernels.find((k) => k.id === '6.1-arm64')).toMatchObject({ series: '6.1', arch: 'arm64' });
});

test('vm.mmap_min_addr shows each architecture its own default: 65536 on amd64, 4096 on arm64', async ({ page }) => {
  await page.goto(byName('vm.mmap_min_addr').url);
  const table = page.getByRole('table', { name: 'On each kernel measured, oldest first' });
  await expect(table.getByRole('columnheader', { name: 'Default' })).toHaveAttribute('colspan', '2');
  await expect(table.getByRole('columnheader', { name: 'amd64' })).toHaveCount(2);
  await expect(table.getByRole('columnheader', { name: 'arm64' })).toHaveCount(2);
  // Default amd64, default arm64, then mode and scope (the same on both: one cell).
  const cells = seriesCells(page, '6.1');
  await expect(cells).toHaveCount(3);
  await expect(cells.nth(0)).toHaveText('65536');
  await expect(cells.nth(1)).toHaveText('4096');
  await expect(cells.nth(2)).toHaveAttribute('colspan', '2');
  // The row header links each architecture's kernel page.
  const header = page.getByRole('rowheader', { name: /^6\.1\s/ });
  await expect(header.getByRole('link', { name: data.kernels.find((k) => k.id === '6.1-arm64')!.release })).toHaveAttribute('href', hrefOn(byName('vm.mmap_min_addr').url, '/kernels/6.1-arm64/'));
});

test('vm.swappiness, the same on both architectures, shows its value once across their columns', async ({ page }) => {
  await page.goto(byName('vm.swappiness').url);
  const value = seriesCells(page, '6.1').first();
  await expect(value).toHaveAttribute('colspan', '2');
  // Its columns say amd64 and arm64; a screen reader, which may announce only the first, hears both.
  await expect(value).toHaveText('amd64 and arm64: 60');
  await expect(value.locator('code')).toHaveText('60');
  await expect(page.getByRole('list', { name: 'Properties' })).not.toContainText(' only');
});

test('a sysctl on one architecture only says so, and its table has that architecture alone', async ({ page }) => {
  for (const [name, arch] of [
    ['abi.swp', 'arm64'],
    ['abi.vsyscall32', 'amd64'],
  ] as const) {
    const tunable = byName(name);
    expect([...archesOf(tunable)], name).toEqual([arch]);
    await page.goto(tunable.url);
    await expect(page.getByRole('list', { name: 'Properties' }).getByRole('listitem').filter({ hasText: / only$/ }), name).toHaveText(`${arch} only`);
    const table = page.getByRole('table', { name: 'On each kernel measured, oldest first' });
    await expect(table.getByRole('columnheader'), name).toHaveText(['Kernel', 'Default', 'Mode and scope']);
    const rows = data.kernels.filter((k) => k.arch === arch);
    await expect(table.getByRole('rowheader'), name).toHaveCount(rows.length);
  }
});

test("abi.swp, on arm64 alone, shows arm64's legacy_instructions text and where arm64's source defines it", async ({ page }) => {
  const tunable = byName('abi.swp');
  expect([...archesOf(tunable)]).toEqual(['arm64']);
  expect(tunable.docSource).toBe('Documentation/arch/arm64/legacy_instructions.rst');
  await page.goto(tunable.url);
  await expect(page.getByRole('list', { name: 'Properties' }).getByRole('listitem').filter({ hasText: / only$/ })).toHaveText('arm64 only');
  const description = page.getByRole('region', { name: 'Description' });
  // The file's introduction (what 0, 1 and 2 mean), then swp's own entry.
  await expect(description).toContainText('Generates undefined instruction abort');
  await expect(description).toContainText('/proc/sys/abi/swp');
  await expect(description.getByRole('link', { name: tunable.docSource! })).toHaveAttribute('href', /\/source\/Documentation\/arch\/arm64\/legacy_instructions\.rst#L\d+$/);
  const facts = page.getByRole('region', { name: 'What the kernel says' });
  const definedIn = facts.locator('dt:text-is("Defined in") + dd');
  await expect(definedIn).toContainText(`${tunable.definedIn!.file}:${tunable.definedIn!.line}`);
  expect(tunable.definedIn!.file).toBe('arch/arm64/kernel/armv8_deprecated.c');
  // Stated per kernel, each an arm64 one: no amd64 kernel id is named.
  for (const kernel of data.kernels.filter((k) => k.arch === 'amd64')) await expect(definedIn).not.toContainText(new RegExp(`(^|[\\s;])${kernel.id.replace('.', '\\.')}:`));
  await expect(facts.locator('dt:text-is("Type") + dd')).toContainText('integer');
});

test('the differences page lists, per series, what one architecture has alone and the defaults that differ', async ({ page }) => {
  // A hang guard: the page lists a few thousand tunables, and role queries over it are slow beside a CPU hog.
  test.setTimeout(180_000);
  await page.goto('/kernels/');
  await page.getByRole('main').getByRole('link', { name: 'Differences between architectures' }).click();
  await expect(page).toHaveURL(addressOf('/kernels/arches/'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Differences between architectures');
  // In the header's Kernels section.
  await expect(page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Kernels' })).toHaveAttribute('aria-current', 'true');

  /** One series' section (named by its heading) and a table of it by caption; CSS, not roles: thousands of rows. */
  const sectionOf = (series: string) => page.locator(`section[aria-labelledby="series-${series}"]`);
  const tableOf = (series: string, caption: string) => sectionOf(series).locator('table', { has: page.locator('caption', { hasText: new RegExp(`^${caption}$`) }) });
  for (const series of bothArches) {
    const [amd64, arm64] = [series, `${series}-arm64`];
    await expect(sectionOf(series).locator('h2')).toHaveText(`${series}: amd64 and arm64`);
    const amd64Only = present.filter((t) => t.kernels[amd64] && !t.kernels[arm64]);
    const arm64Only = present.filter((t) => !t.kernels[amd64] && t.kernels[arm64]);
    await expect(sectionOf(series).locator('h3', { hasText: /^Only on amd64/ }), series).toHaveText(`Only on amd64 (${amd64Only.length})`);
    await expect(sectionOf(series).locator('h3', { hasText: /^Only on arm64/ }), series).toHaveText(`Only on arm64 (${arm64Only.length})`);
    // sysctl and sysfs one per row, linked to their pages.
    const files = (list: ExportedTunable[]) => list.filter((t) => t.kind === 'sysctl' || t.kind === 'sysfs').length;
    await expect(tableOf(series, `Only on amd64, ${series}: sysctl and sysfs`).locator('tbody th'), series).toHaveCount(files(amd64Only));
    await expect(tableOf(series, `Only on arm64, ${series}: sysctl and sysfs`).locator('tbody th'), series).toHaveCount(files(arm64Only));
  }

  const link = (name: string) => `a[href="${hrefOn('/kernels/arches/', byName(name).url)}"]`;
  await expect(tableOf('6.1', 'Only on arm64, 6.1: sysctl and sysfs').locator(link('abi.swp'))).toHaveText('abi.swp');
  await expect(tableOf('6.1', 'Only on amd64, 6.1: sysctl and sysfs').locator(link('abi.vsyscall32'))).toHaveText('abi.vsyscall32');
  const differs = tableOf('6.1', 'Defaults that differ between amd64 and arm64, 6.1');
  await expect(differs.locator('tr', { has: page.locator(link('vm.mmap_min_addr')) }).locator('td')).toHaveText(['65536', '4096']);
});

test("each architecture's kernels have their pages and changes pages", async ({ page }) => {
  await page.goto('/kernels/6.1-arm64/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kernel 6.1-arm64');
  const arm64 = data.kernels.filter((k) => k.arch === 'arm64');
  const next = arm64[arm64.findIndex((k) => k.id === '6.1-arm64') + 1]!;
  await page.getByRole('link', { name: `from 6.1-arm64 to ${next.id}` }).click();
  await expect(page).toHaveURL(addressOf(`/changes/arm64/6.1-${next.series}/`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`From 6.1-arm64 to ${next.id}`);
  const added = present.filter((t) => !t.kernels['6.1-arm64'] && t.kernels[next.id]);
  await expect(page.getByRole('heading', { name: /^Added/ })).toHaveText(`Added (${added.length})`);
});

/** The count of the search page's status, after the filters of `query` apply. */
async function filteredCount(page: Page, url: string): Promise<number> {
  await page.goto(url);
  const status = page.getByRole('status');
  await expect(status).toHaveText(/with these filters/);
  return Number(/^(\d+) tunables? match/.exec((await status.textContent()) ?? '')![1]);
}

for (const [where, root] of [
  ['served', '/search/'],
  ['from disk', `${FROM_DISK}search/index.html`],
] as const) {
  test(`${where}: the arch filter finds exactly the tunables each architecture has`, async ({ page }) => {
    for (const arch of ['amd64', 'arm64']) {
      const expected = present.filter((t) => archesOf(t).has(arch)).length;
      expect(await filteredCount(page, `${root}?arch=${arch}`), arch).toBe(expected);
    }
    // The form offers it, and it narrows a search by name: abi.swp is arm64's.
    await page.goto(`${root}?q=abi.swp`);
    await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link').first()).toHaveText('abi.swp');
    await page.getByLabel('Architecture').selectOption('amd64');
    await expect(page.getByRole('status')).toHaveText(/with these filters/);
    await expect(page.getByRole('list', { name: 'Search results' }).getByRole('link', { name: 'abi.swp', exact: true })).toHaveCount(0);
  });
}
