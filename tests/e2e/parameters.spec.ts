/**
 * Boot and module parameters: a boot parameter's name finds its page first (served and
 * from disk), a module parameter's page shows per kernel its type, when it can be set and
 * its default (measured, or read from the C source and said so), the old address of a module parameter's sysfs page leads there, and the
 * search filters by when a tunable can be set.
 */
import { expect, test, type Page } from '@playwright/test';
import { parseKernelId } from '#core/kernels.ts';
import { addressOf, builtExport, FROM_DISK, newestOf } from './dist.ts';

const NVME_TIMEOUT = '/module/nvme_core/io_timeout/';
const ZSWAP_ENABLED = '/module/zswap/enabled/';

async function firstResult(page: Page, url: string): Promise<string | null> {
  await page.goto(url);
  await expect(page.getByRole('status')).toHaveText(/tunables? match/);
  return page.getByRole('list', { name: 'Search results' }).getByRole('link').first().textContent();
}

test('a boot parameter\'s name opens its page first, served and from disk', async ({ page }) => {
  for (const name of ['isolcpus', 'mitigations', 'transparent_hugepage']) {
    expect(await firstResult(page, `/search/?q=${name}`), `served: ${name}`).toBe(name);
    expect(await firstResult(page, `${FROM_DISK}search/index.html?q=${name}`), `from disk: ${name}`).toBe(name);
  }
  await page.getByRole('list', { name: 'Search results' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('transparent_hugepage');
  await expect(page.getByText('On the kernel command line:')).toBeVisible();
  await expect(page.getByRole('table', { name: /On each kernel measured/ })).toContainText('KNL');
});

test('a module parameter\'s page shows its type, when it can be set and its default per kernel', async ({ page }) => {
  const { kernels, tunables } = builtExport();
  const newest = kernels.at(-1)!.series;
  const timeout = tunables.find((t) => t.url === NVME_TIMEOUT)!;
  expect(newestOf(timeout).parameter).toMatchObject({ presence: 'module', settable: 'runtime', type: 'uint' });

  await page.goto(NVME_TIMEOUT);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('nvme_core.io_timeout');
  const table = page.getByRole('table', { name: /On each kernel measured/ });
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${newest.replace('.', '\\.')} `) }) });
  // No boot loads nvme_core: its default is the C initialiser, said to be read from the source and where, not a measurement.
  const { default: value, defaultKind, defaultSource } = newestOf(timeout);
  expect(defaultKind).toBe('source');
  const at = `${defaultSource!.file}:${defaultSource!.line}`;
  await expect(row.getByRole('cell')).toHaveText([new RegExp(`^${value}\\s*not measured: read from the C initialiser,\\s*${at.replaceAll('.', '\\.')}$`), /^at runtime/, 'uint', /loadable module\s*nvme_core\.ko/]);
  await expect(row.getByRole('link', { name: at })).toHaveAttribute('href', new RegExp(`^https://elixir\\.bootlin\\.com/linux/v[^/]+/source/${defaultSource!.file}#L${defaultSource!.line}$`));
  // Its three faces, as commands to copy, with the exact value the source gives.
  await expect(page.getByText(`options nvme_core io_timeout=${value}`)).toBeVisible();
  await expect(page.getByText(`nvme_core.io_timeout=${value}`, { exact: true })).toBeVisible();

  // A built-in one the boots read: its measured value, on every kernel row that has it.
  const enabled = tunables.find((t) => t.url === ZSWAP_ENABLED)!;
  await page.goto(ZSWAP_ENABLED);
  const rows = page.getByRole('table', { name: /On each kernel measured/ }).getByRole('row');
  const kernelOf = (id: string) => kernels.find((kernel) => kernel.id === id)!;
  for (const [id, facts] of Object.entries(enabled.kernels)) {
    expect(facts.defaultKind).toBe('constant');
    const release = kernelOf(id).release.replaceAll('.', '\\.').replaceAll('+', '\\+');
    const kernelRow = rows.filter({ has: page.getByRole('rowheader', { name: new RegExp(release) }) });
    await expect(kernelRow.getByRole('cell').first()).toHaveText(facts.default!);
    await expect(kernelRow.getByRole('cell').nth(3)).toHaveText(/built in/);
  }
  // A series whose arches read alike is one row naming both kernels; one where they differ, a row each.
  const bySeries = Object.groupBy(Object.entries(enabled.kernels), ([id]) => kernelOf(id).series);
  const expected = Object.values(bySeries).reduce((n, group) => n + (new Set(group!.map(([, f]) => JSON.stringify([f.default, f.parameter, f.mode]))).size === 1 ? 1 : group!.length), 0);
  expect(expected).toBeLessThan(Object.keys(enabled.kernels).length);
  await expect(rows).toHaveCount(1 + expected);
});

test('the address of a module parameter\'s old sysfs page leads to its page, served and from disk', async ({ page }) => {
  const old = 'sysfs/module/zswap/parameters/enabled/';
  await page.goto(`/${old}`);
  await expect(page).toHaveURL(addressOf(ZSWAP_ENABLED));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('zswap.enabled');

  await page.goto(`${FROM_DISK}${old}index.html`);
  await expect(page).toHaveURL(addressOf(ZSWAP_ENABLED));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('zswap.enabled');
});

test('the "when settable" filter finds exactly the tunables the export says', async ({ page }) => {
  const { tunables } = builtExport();
  // As the badges say it (src/core/parameters.ts whenSettable): a parameter's own answer, else writable means at runtime.
  const settable = (t: (typeof tunables)[number]) => {
    const { parameter } = newestOf(t);
    return parameter ? parameter.settable : t.writable ? 'runtime' : null;
  };
  for (const value of ['load-time', 'boot', 'runtime']) {
    const expected = tunables.filter((t) => settable(t) === value).length;
    expect(expected, value).toBeGreaterThan(0);
    await page.goto(`/search/?settable=${value}`);
    // A filter alone loads every matching page's filters: slower than a query on a busy machine.
    await expect(page.getByRole('status'), value).toHaveText(new RegExp(`^${expected} tunables? match.*with these filters`), { timeout: 20_000 });
  }
});

test("a boot parameter's page names the tunables booting with it moved, and their pages name it back", async ({ page }) => {
  const { tunables } = builtExport();
  const panic = tunables.find((t) => t.url === '/boot/p/panic/')!;
  // The plain boots' own command line has panic=-1 (src/core/kernels.ts); the probe booted with panic=7.
  expect(newestOf(panic).bootProbe).toEqual({
    word: 'panic=7',
    moved: [
      { name: 'kernel.panic', from: '-1', to: '7' },
      { name: 'panic', from: '-1', to: '7' },
    ],
  });

  await page.goto('/boot/p/panic/');
  const moves = page.getByRole('table', { name: /^Moved by panic=7 on / });
  await expect(moves.getByRole('row', { name: /kernel\.panic/ }).getByRole('cell')).toHaveText(['-1', '7']);
  await expect(moves.getByRole('row', { name: /its own file/ }).getByRole('cell')).toHaveText(['-1', '7']);
  await moves.getByRole('link', { name: 'kernel.panic' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('kernel.panic');
  // Its -1 is the reference boots' panic=-1, and the page says so rather than call it the kernel's default.
  // A row per series; both architectures' boots read -1 (both command lines have panic=-1), so one cell says it.
  const panicSeries = new Set(Object.keys(tunables.find((t) => t.name === 'kernel.panic')!.kernels).map((id) => parseKernelId(id).series));
  await expect(page.getByRole('table', { name: 'On each kernel measured, oldest first' }).getByText('as booted with panic=-1')).toHaveCount(panicSeries.size);
  const setAtBoot = page.getByRole('region', { name: 'Also set at boot' });
  await expect(setAtBoot).toContainText('Booting with panic=7 set it on');
  await setAtBoot.getByRole('link', { name: 'panic', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('panic');
});

test('transparent_hugepage=never moves the transparent hugepage setting, from disk too', async ({ page }) => {
  await page.goto(`${FROM_DISK}boot/t/transparent_hugepage/index.html`);
  const moves = page.getByRole('table', { name: /^Moved by transparent_hugepage=never on / });
  await expect(moves.getByRole('row', { name: '/sys/kernel/mm/transparent_hugepage/enabled' }).getByRole('cell').last()).toHaveText('always madvise [never]');
});
