/**
 * "Check my system" (src/pages/check/): pasted or dropped settings checked in the browser,
 * from disk (file://) and served under a base path, without a request outside the site.
 */
import { expect, test, type Page } from '@playwright/test';
import { builtExport, DIST, FROM_DISK } from './dist.ts';
import { compareKernelIds, parseKernelId, PRIMARY_ARCH } from '#core/kernels.ts';
import { watch } from './watch.ts';
import { serveDirectory, type Served } from '../../scripts/lib/serve-static.ts';

/** The kernel the page preselects: the newest amd64 one (its id is its series). */
const NEWEST = builtExport().kernels.filter(({ arch }) => arch === PRIMARY_ARCH).at(-1)!.id;
const SAMPLE = ['# tuning', 'vm.swappines = 10', 'vm.swappiness = 300', ''].join('\n');
const SWAPPINESS_LINK = '../sysctl/vm/swappiness/index.html';

/** Chooses the kernel of this id: its series and its architecture. */
async function chooseKernel(page: Page, id: string): Promise<void> {
  const { series, arch } = parseKernelId(id);
  await page.getByLabel('Reference kernel').selectOption(series);
  await page.getByLabel('Architecture').selectOption(arch);
}

/** The report's finding rows (group heading rows hold a <th>, findings do not). */
const findingRows = (page: Page) => page.getByRole('table').locator('tbody tr[data-kind]');

/** Paste the sample, check it, filter by kind, and follow a link to vm.swappiness. */
async function checkFlow(page: Page, root: string): Promise<void> {
  await page.goto(`${root}check/index.html`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check my system');
  await expect(page.getByText('Nothing you paste or drop leaves your browser.')).toBeVisible();
  await expect(page.getByLabel('Reference kernel')).toHaveValue(NEWEST);
  await expect(page.getByLabel('Architecture')).toHaveValue(PRIMARY_ARCH);
  await expect(page.getByRole('radio', { name: /sysctl\.d files/ })).toBeChecked();

  await page.getByLabel('Pasted settings').fill(SAMPLE);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(`Checked 2 settings against ${NEWEST}: 2 errors, 0 for information.`);

  const table = page.getByRole('table');
  await expect(table.locator('caption')).toHaveText(`Findings on kernel ${NEWEST}: 2`);
  const rows = findingRows(page);
  await expect(rows).toHaveCount(2);

  const typo = page.locator('tbody tr[data-kind="unknown-key"]');
  await expect(typo.locator('td').nth(0)).toHaveText('pasted text');
  await expect(typo.locator('td').nth(1)).toHaveText('2');
  await expect(typo.locator('td').nth(2)).toHaveText('vm.swappines');
  await expect(typo.locator('td').nth(3)).toHaveText('unknown-key');
  await expect(typo.locator('td').nth(4)).toContainText('did you mean vm.swappiness?');
  await expect(typo.getByRole('link', { name: 'vm.swappiness' })).toHaveAttribute('href', SWAPPINESS_LINK);

  const range = page.locator('tbody tr[data-kind="out-of-range"]');
  await expect(range.locator('td').nth(1)).toHaveText('3');
  await expect(range.locator('td').nth(4)).toContainText('300 is outside the valid range');
  await expect(range.getByRole('link', { name: 'vm.swappiness' })).toHaveAttribute('href', SWAPPINESS_LINK);

  // Filter by kind: one row left, and the status says so.
  await page.getByRole('combobox', { name: /^Kind/ }).selectOption('out-of-range');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-kind', 'out-of-range');
  await expect(page.getByRole('status')).toHaveText('Showing 1 of 2 findings: out-of-range.');
  await expect(table.locator('caption')).toHaveText(`Findings of kind out-of-range on kernel ${NEWEST}: 1 of 2`);
  await page.getByRole('combobox', { name: /^Kind/ }).selectOption('');
  await expect(rows).toHaveCount(2);

  await range.getByRole('link', { name: 'vm.swappiness' }).click();
  await expect(page).toHaveURL(/\/sysctl\/vm\/swappiness\/index\.html$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('vm.swappiness');
}

test('opened from disk: check pasted settings, filter, follow a link', async ({ page }) => {
  const seen = watch(page, FROM_DISK);
  await checkFlow(page, FROM_DISK);
  expect(seen.requests.some((url) => url.endsWith('/check/data.js'))).toBe(true);
  expect(seen.strangers).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test.describe('served under a base path', () => {
  let served: Served;
  test.beforeAll(async () => {
    served = await serveDirectory(DIST, '/some/base/');
  });
  test.afterAll(async () => served.close());

  test('the same flow, with no request outside the site', async ({ page }) => {
    const seen = watch(page, served.root);
    await checkFlow(page, served.root);
    expect(seen.requests).toContain(`${served.root}check/data.js`);
    expect(seen.strangers).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  test('the data loads once, on first use', async ({ page }) => {
    const seen = watch(page, served.root);
    await page.goto(`${served.root}check/`);
    await expect(page.getByRole('button', { name: 'Try an example' })).toBeVisible();
    expect(seen.requests.filter((url) => url.endsWith('data.js'))).toEqual([]);
    await page.getByRole('button', { name: 'Try an example' }).click();
    await expect(page.getByRole('status')).toHaveText(/^Checked \d+ settings/);
    await page.getByLabel('Reference kernel').selectOption(builtExport().kernels[0]!.series);
    await expect(page.getByRole('status')).toHaveText(new RegExp(`against ${builtExport().kernels[0]!.series.replace('.', '\\.')}:`));
    expect(seen.requests.filter((url) => url.endsWith('data.js'))).toHaveLength(1);
    expect(seen.errors).toEqual([]);
  });
});

test('the example has a typo and a value out of range; grouping by kind', async ({ page }) => {
  const seen = watch(page, FROM_DISK);
  await page.goto(`${FROM_DISK}check/index.html`);
  await page.getByRole('button', { name: 'Try an example' }).click();
  await expect(page.getByLabel('Pasted settings')).toHaveValue(/vm\.swappines = 10/);
  await expect(page.getByRole('status')).toHaveText(/^Checked \d+ settings against .*: 2 errors, [1-9]\d* for information\.$/);
  const groups = page.getByRole('table').locator('th[scope="rowgroup"]');
  await expect(groups).toHaveText([/^Errors \(2\)$/, /^Information \(\d+\)$/]);
  // Errors first: the two error rows come before any information row.
  const kinds = await findingRows(page).evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.kind));
  expect(kinds.slice(0, 2).sort()).toEqual(['out-of-range', 'unknown-key']);
  await expect(page.getByRole('list', { name: 'Findings by kind' })).toContainText('unknown-key 1');

  await page.getByLabel('Group by').selectOption('kind');
  await expect(groups.first()).toHaveText('unknown-key (1)');
  await expect(groups.nth(1)).toHaveText('out-of-range (1)');
  expect(seen.errors).toEqual([]);
});

test('chosen and dropped files are checked under their names, in the order added', async ({ page }) => {
  const seen = watch(page, FROM_DISK);
  await page.goto(`${FROM_DISK}check/index.html`);
  await page.getByLabel('Or choose files').setInputFiles([
    { name: '10-first.conf', mimeType: 'text/plain', buffer: Buffer.from('vm.swappiness = 300\n') },
    { name: '20-second.conf', mimeType: 'text/plain', buffer: Buffer.from('# comment\nvm.swappines = 10\n') },
  ]);
  const files = page.getByRole('list', { name: 'Files to check' });
  await expect(files.getByRole('listitem')).toHaveText([/^10-first\.conf/, /^20-second\.conf/]);

  // Dropping a file onto the page: the same as choosing it.
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['kernel.no_such_key = 1\n'], '30-dropped.conf', { type: 'text/plain' }));
    return transfer;
  });
  await page.getByLabel('Pasted settings').dispatchEvent('drop', { dataTransfer });
  await expect(files.getByRole('listitem')).toHaveCount(3);
  await expect(files.getByRole('listitem').nth(2)).toContainText('30-dropped.conf');

  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(/^Checked 3 settings against/);
  const rows = findingRows(page);
  await expect(rows.locator('td:first-child')).toHaveText(['10-first.conf', '20-second.conf', '30-dropped.conf']);
  await expect(rows.locator('td:nth-child(2)')).toHaveText(['1', '2', '1']);

  // Removing a file checks again without it.
  await files.getByRole('button', { name: 'Remove 20-second.conf' }).click();
  await expect(rows.locator('td:first-child')).toHaveText(['10-first.conf', '30-dropped.conf']);
  expect(seen.strangers).toEqual([]);
  expect(seen.errors).toEqual([]);
});

test('sysctl -a output: read-only keys and unchanged values are not reported', async ({ page }) => {
  await page.goto(`${FROM_DISK}check/index.html`);
  // A read-only sysctl with one plain default on the newest kernel, written as it reads.
  const readOnly = builtExport().tunables.find((tunable) => {
    const facts = tunable.kernels[NEWEST];
    return (
      tunable.kind === 'sysctl' &&
      !tunable.path?.includes('<') &&
      facts?.defaultKind === 'constant' &&
      facts.default !== null &&
      /^\d+$/.test(facts.default) &&
      (Number.parseInt(facts.mode ?? '0', 8) & 0o200) === 0
    );
  });
  expect(readOnly).toBeDefined();
  await page.getByRole('radio', { name: /sysctl -a/ }).check();
  await page.getByLabel('Pasted settings').fill(`${readOnly!.name} = ${readOnly!.kernels[NEWEST]!.default}\nvm.swappiness = 60\n`);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(`Checked 2 settings against ${NEWEST}: 0 errors, 0 for information.`);
  await expect(findingRows(page)).toHaveCount(0);
  await expect(page.getByRole('table')).toContainText('Nothing to report');
  // As sysctl.d files, the same lines are worth reporting: the choice checks again.
  await page.getByRole('radio', { name: /sysctl\.d files/ }).check();
  await expect(page.locator('tbody tr[data-kind="not-writable"]')).toHaveCount(1);
  await expect(page.locator('tbody tr[data-kind="same-as-default"]')).toHaveCount(2);
});

test("a value is judged by the chosen kernel's own range", async ({ page }) => {
  // kernel.hung_task_panic takes 0 or 1 up to 6.12 and any int on 7.2: a kernel of each kind, from the export.
  const { kernels } = builtExport().tunables.find((tunable) => tunable.name === 'kernel.hung_task_panic')!;
  const refusing = Object.keys(kernels).find((id) => kernels[id]!.range?.max === '1');
  const accepting = Object.keys(kernels).find((id) => kernels[id]!.range?.max === '2147483647');
  expect([refusing, accepting]).not.toContain(undefined);
  await page.goto(`${FROM_DISK}check/index.html`);
  await page.getByLabel('Pasted settings').fill('kernel.hung_task_panic = 5\n');
  await chooseKernel(page, refusing!);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('tbody tr[data-kind="out-of-range"] td').nth(4)).toContainText('5 is outside the valid range 0 – 1');
  await chooseKernel(page, accepting!);
  await expect(page.getByRole('status')).toHaveText(new RegExp(`against ${accepting!.replace('.', '\\.')}:`));
  await expect(page.locator('tbody tr[data-kind="out-of-range"]')).toHaveCount(0);
  await expect(page.locator('tbody tr[data-kind="differs-from-default"]')).toHaveCount(1);
});

test('a machine-scaled default is judged for the machine given, and a machine it cannot read is refused', async ({ page }) => {
  // kernel.pid_max: 1024 per possible CPU, at least 32768, where the shapes measured agree on it.
  const pidMax = builtExport().tunables.find((tunable) => tunable.name === 'kernel.pid_max')!;
  const series = Object.keys(pidMax.kernels).find((one) => pidMax.kernels[one]!.rule);
  expect(series, 'a kernel whose kernel.pid_max has a machine rule').toBeDefined();
  const { rule } = pidMax.kernels[series!]!;
  expect(rule).toMatchObject({ per: 'possible-cpu', factor: 1024 });
  await page.goto(`${FROM_DISK}check/index.html`);
  await chooseKernel(page, series!);
  await page.getByLabel('Pasted settings').fill(`kernel.pid_max = ${1024 * 128}\n`);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('tbody tr[data-kind="differs-from-default"] td').nth(4)).toContainText('the default depends on the machine');
  // 128 possible CPUs: 1024 × 128 is that machine's default.
  await page.getByLabel('CPUs').fill('4/128');
  await page.getByLabel('CPUs').dispatchEvent('change');
  await expect(page.locator('tbody tr[data-kind="same-as-default"] td').nth(4)).toContainText(`already the default on ${series} for 4 CPUs (128 possible)`);
  await page.getByLabel('Memory').fill('lots');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(/^Your machine: memory "lots" is not a size/);
  await expect(page.getByLabel('Memory')).toHaveAttribute('aria-invalid', 'true');
});

test("the architecture chosen decides the facts: arm64's own default", async ({ page }) => {
  // Debian's 6.1 measured under qemu: 65536 on amd64, 4096 on arm64.
  const { kernels } = builtExport().tunables.find((tunable) => tunable.name === 'vm.mmap_min_addr')!;
  expect([kernels['6.1']?.default, kernels['6.1-arm64']?.default]).toEqual(['65536', '4096']);
  await page.goto(`${FROM_DISK}check/index.html`);
  await page.getByLabel('Reference kernel').selectOption('6.1');
  await page.getByLabel('Pasted settings').fill('vm.mmap_min_addr = 4096\n');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('tbody tr[data-kind="differs-from-default"] td').nth(4)).toHaveText('4096 instead of the default 65536 on 6.1');

  // From the keyboard: the choice checks again.
  await page.getByLabel('Architecture').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Architecture')).toHaveValue('arm64');
  await expect(page.getByRole('status')).toHaveText('Checked 1 setting against 6.1-arm64: 0 errors, 1 for information.');
  await expect(page.locator('tbody tr[data-kind="same-as-default"] td').nth(4)).toHaveText('4096 is already the default on 6.1-arm64: this line changes nothing');
  await expect(page.locator('tbody tr[data-kind="differs-from-default"]')).toHaveCount(0);
});

test("the kernel choice names each series' release on the architecture chosen", async ({ page }) => {
  const releases = (arch: string) => builtExport().kernels.filter((kernel) => kernel.arch === arch).map(({ series, release }) => `${series} (${release})`).reverse();
  // Debian's 5.10 kernels as measured: each architecture's is its own build.
  expect(releases('amd64')).toContain('5.10 (5.10.0-46-amd64)');
  expect(releases('arm64')).toContain('5.10 (5.10.0-32-arm64)');
  await page.goto(`${FROM_DISK}check/index.html`);
  const choice = page.getByLabel('Reference kernel');
  await expect(choice.getByRole('option')).toHaveText(releases('amd64'));
  await page.getByLabel('Architecture').selectOption('arm64');
  await expect(choice.getByRole('option')).toHaveText(releases('arm64'));
  await expect(choice).toHaveValue(NEWEST);
  await page.getByLabel('Architecture').selectOption('amd64');
  await expect(choice.getByRole('option', { selected: true })).toHaveText(releases('amd64')[0]!);
});

test('a key only the other architecture has is reported as never measured on this one', async ({ page }) => {
  // abi.vsyscall32 is amd64's 32-bit vDSO switch: arm64 has no such sysctl.
  const { kernels } = builtExport().tunables.find((tunable) => tunable.name === 'abi.vsyscall32')!;
  const ids = Object.keys(kernels).sort(compareKernelIds);
  expect(ids.map((id) => parseKernelId(id).arch)).not.toContain('arm64');
  await page.goto(`${FROM_DISK}check/index.html`);
  await chooseKernel(page, `${parseKernelId(NEWEST).series}-arm64`);
  await page.getByLabel('Pasted settings').fill('abi.vsyscall32 = 1\n');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  const row = page.locator('tbody tr[data-kind="not-on-kernel"]');
  await expect(row.locator('td').nth(4)).toHaveText(`abi.vsyscall32 exists on amd64 only: measured on ${ids.join(', ')}`);
  await expect(page.getByRole('status')).toHaveText(`Checked 1 setting against ${parseKernelId(NEWEST).series}-arm64: 1 error, 0 for information.`);
});

test('markup in the input is shown as text, never run', async ({ page }) => {
  const seen = watch(page, FROM_DISK);
  await page.goto(`${FROM_DISK}check/index.html`);
  await page.getByLabel('Pasted settings').fill('<img src=x onerror="window.hacked=1"> = 1\nvm.<b>x</b> = 2\n');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(/^Checked/);
  const table = page.getByRole('table');
  await expect(table.locator('img, b')).toHaveCount(0);
  await expect(table).toContainText('the key "<img src" contains white space');
  await expect(table).toContainText('vm.<b>x</b>');
  expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
  expect(seen.errors).toEqual([]);
});

test('the controls are in place before the script runs: nothing moves when it starts', async ({ page }) => {
  // Where the footer is, as the script would push it down if it revealed or added anything.
  const footerTop = () => page.getByRole('contentinfo').evaluate((footer) => footer.getBoundingClientRect().top);
  await page.route('**/check/', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace(/<script type="module">[\s\S]*?<\/script>/g, '') });
  });
  await page.goto('/check/');
  await expect(page.getByLabel('Pasted settings')).toBeVisible();
  const before = await footerTop();

  await page.unrouteAll();
  // The page's inline module script has run by the load event, which goto waits for.
  await page.goto('/check/');
  expect(await footerTop()).toBe(before);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the page says the check needs JavaScript and shows no dead controls', async ({ page }) => {
    await page.goto(`${FROM_DISK}check/index.html`);
    // Playwright's text and role queries skip <noscript>: find the notice by its markup.
    const notice = page.locator('noscript .notice');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('The check runs in your browser and needs JavaScript.');
    // It leads to the tunables by kind and subsystem.
    await expect(notice.locator('a')).toHaveAttribute('href', '../browse/index.html');
    await expect(page.getByText('Nothing you paste or drop leaves your browser.')).toBeVisible();
    await expect(page.locator('#check-app')).toBeHidden();
  });
});

test('modprobe.d files and a kernel command line are checked too, from disk', async ({ page }) => {
  await page.goto(`${FROM_DISK}check/index.html`);
  await page.getByRole('radio', { name: /modprobe\.d files/ }).check();
  await page.getByLabel('Pasted settings').fill('options zswap enabled=1\noptions nvme_core io_timout=30\n');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(new RegExp(`^Checked 2 settings against ${NEWEST.replace('.', '\\.')}: 2 errors`));
  const builtIn = page.locator('tbody tr[data-kind="built-in"]');
  await expect(builtIn.locator('td').nth(4)).toContainText('put zswap.enabled=1 on the kernel command line');
  await expect(builtIn.getByRole('link', { name: 'zswap.enabled' })).toHaveAttribute('href', '../module/zswap/enabled/index.html');
  await expect(page.locator('tbody tr[data-kind="unknown-key"] td').nth(4)).toContainText('did you mean nvme_core.io_timeout?');

  // The same text read as /etc/default/grub: a command line.
  await page.getByRole('radio', { name: /kernel command line/ }).check();
  await page.getByLabel('Pasted settings').fill('GRUB_CMDLINE_LINUX="isolcpu=2 zswap.enabled=1"\n');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('tbody tr[data-kind="unknown-key"] td').nth(4)).toContainText('did you mean isolcpus?');
  await expect(page.locator('tbody tr[data-kind="built-in"]')).toHaveCount(0);
  await expect(page.locator('tbody tr[data-kind="runtime-settable"]')).toHaveCount(1);

  // A sysctl set on the command line (sysctl.vm.swappiness=) is checked as that sysctl.
  await page.getByLabel('Pasted settings').fill('sysctl.vm.swappiness=300 quiet\n');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.locator('tbody tr[data-kind="out-of-range"] td').nth(4)).toContainText('300 is outside the valid range');
});

test('a profile chosen marks the settings that meet or differ from it, from disk too; none chosen, none marked', async ({ page }) => {
  await page.goto(`${FROM_DISK}check/index.html`);
  await page.getByLabel('Pasted settings').fill('vm.swappiness = 10\nnet.core.somaxconn = 1024\nkernel.panic_on_oops = 1\n');
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText(/^Checked 3 settings/);
  await expect(page.locator('tbody tr[data-kind$="-recommendation"]')).toHaveCount(0);
  // Choosing a profile checks again, loading the recommendations then.
  await page.getByLabel('Compare with a profile').selectOption('tuned:throughput-performance');
  await expect(page.locator('tbody tr[data-kind="meets-recommendation"]')).toHaveCount(1);
  await expect(page.locator('tbody tr[data-kind="meets-recommendation"]')).toContainText('tuned:throughput-performance (TuneD) recommends = 10');
  await expect(page.locator('tbody tr[data-kind="differs-from-recommendation"]')).toContainText('recommends ≥ 2048; this sets 1024');
  await page.getByLabel('Compare with a profile').selectOption('ssg:debian13:anssi_bp28_high');
  await expect(page.locator('tbody tr[data-kind="meets-recommendation"]')).toContainText('ssg:debian13:anssi_bp28_high (ComplianceAsCode) recommends = 1');
  await expect(page.locator('tbody tr[data-kind="differs-from-recommendation"]')).toHaveCount(0);
});
