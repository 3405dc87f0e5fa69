/**
 * What the kernel's own Documentation and C source say, as pages show it: description,
 * type with its handler, range (open bounds in words), definition site, documented default
 * against the measured one, ABI status, and the "About the data" coverage page.
 * Expectations come from dist/tunables.json.
 */
import { expect, test, type Page } from '@playwright/test';
import { compareKernelIds, newestKernelId, parseKernelId, PRIMARY_ARCH } from '#core/kernels.ts';
import { acceptedText } from '#core/accepted.ts';
import { rangeText } from '#core/upstream.ts';
import { addressOf, builtExport, newestOf } from './dist.ts';

const data = builtExport();
const byName = (name: string) => {
  const found = data.tunables.find((t) => t.name === name);
  if (!found) throw new Error(`${name} is not in tunables.json`);
  return found;
};
const upstreamFacts = (page: Page) => page.getByRole('region', { name: 'What the kernel says' });
/** The `<dd>` after a `<dt>` of the facts list. */
const fact = (page: Page, term: string) => upstreamFacts(page).locator(`dt:text-is("${term}") + dd`);

test('net.ipv4.tcp_fin_timeout shows its description from ip-sysctl.rst and its integer type', async ({ page }) => {
  const tunable = byName('net.ipv4.tcp_fin_timeout');
  expect(tunable.docSource).toBe('Documentation/networking/ip-sysctl.rst');
  await page.goto(tunable.url);
  const description = page.getByRole('region', { name: 'Description' });
  await expect(description).toContainText('FIN_WAIT_2');
  await expect(description.getByRole('link', { name: tunable.docSource! })).toHaveAttribute('href', /^https:\/\/elixir\.bootlin\.com\/linux\/v[\d.]+\/source\/Documentation\/networking\/ip-sysctl\.rst#L\d+$/);
  await expect(fact(page, 'Type')).toContainText('integer');
  const definedIn = tunable.definedIn!;
  await expect(fact(page, 'Defined in').getByRole('link')).toHaveAttribute('href', new RegExp(`/source/${definedIn.file}#L${definedIn.line}$`));
  await expect(fact(page, 'Defined in')).toContainText(`${definedIn.file}:${definedIn.line}`);
  // The summary in search results and tables is the documentation's first sentence.
  expect(tunable.summary).toMatch(/^The length of time an orphaned/);
});

test('a tunable the documentation mentions links to its page, relatively', async ({ page }) => {
  await page.goto(byName('net.ipv4.tcp_fin_timeout').url);
  const mention = page.getByRole('region', { name: 'Description' }).getByRole('link', { name: 'tcp_max_orphans', exact: true });
  await expect(mention).toHaveAttribute('href', '../tcp_max_orphans/index.html');
  await mention.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('net.ipv4.tcp_max_orphans');
});

test("vm.swappiness shows the valid range of its ctl_table entry (each kernel's, where they differ)", async ({ page }) => {
  const tunable = byName('vm.swappiness');
  const ranges = new Set(Object.values(tunable.kernels).map(({ range }) => (range ? rangeText(range) : 'not stated')));
  expect(ranges).toContain('0 – 200');
  await page.goto(tunable.url);
  if (ranges.size === 1) await expect(fact(page, 'Valid range')).toHaveText('0 – 200');
  else for (const range of ranges) await expect(fact(page, 'Valid range').getByRole('listitem').filter({ hasText: `: ${range}` })).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Description' })).toContainText('swap');
});

test('a page whose range differs between kernels names each range with the kernels that state it', async ({ page }) => {
  const tunable = byName('kernel.hung_task_panic');
  const series = Object.keys(tunable.kernels).sort(compareKernelIds);
  const rangeOn = (kernel: string) => (tunable.kernels[kernel]!.range ? rangeText(tunable.kernels[kernel]!.range!) : 'not stated');
  const ranges = new Set(series.map(rangeOn));
  // Measured: 0 – 1 up to 6.12, any int on 7.2.
  expect(ranges.size).toBeGreaterThan(1);
  await page.goto(tunable.url);
  const lines = fact(page, 'Valid range').getByRole('listitem');
  await expect(lines).toHaveCount(ranges.size);
  for (const range of ranges) {
    const stating = series.filter((kernel) => rangeOn(kernel) === range);
    // Labelled by series, with their architectures: `5.10 – 6.12 (amd64 and arm64)`.
    const label = [...new Set([stating[0]!, stating.at(-1)!].map((kernel) => parseKernelId(kernel).series))].map((series) => series.replace('.', '\\.')).join('.*');
    await expect(lines.filter({ hasText: `: ${range}` })).toHaveText(new RegExp(`^${label}[^:]*: `));
  }
});

test('a page shows the values each kernel accepted when written, and flags where the source states other bounds', async ({ page }) => {
  // Measured by writing: the source states no bound, the kernel refuses beyond its int.
  const panic = byName('kernel.panic');
  // Measured on amd64's kernels (arm64's accepted values are not measured yet).
  const accepted = Object.entries(panic.kernels).flatMap(([id, { accepted }]) => (parseKernelId(id).arch === PRIMARY_ARCH ? [accepted && acceptedText(accepted)] : []));
  expect(accepted).toHaveLength(4);
  expect(new Set(accepted)).toEqual(new Set(['any int (-2147483648 – 2147483647)']));
  await page.goto(panic.url);
  await expect(fact(page, 'Accepted when written (measured)')).toHaveText('any int (-2147483648 – 2147483647)');
  // Where a kernel accepted other bounds than its source states, the page says so.
  const disagreeing = data.tunables.find((t) =>
    Object.values(t.kernels).some(({ accepted, range }) => accepted && range?.max != null && range.max !== accepted.max),
  );
  expect(disagreeing, 'a sysctl whose measured maximum differs from its stated one').toBeDefined();
  await page.goto(disagreeing!.url);
  await expect(fact(page, 'Accepted when written (measured)').getByRole('note')).toHaveText(/the kernel accepted .*where its source states/);
});

test('a documented default the kernels do not measure is flagged, one they measure is not', async ({ page }) => {
  // Debian raises perf_event_paranoid to 3; the kernel's documentation says 2.
  await page.goto(byName('kernel.perf_event_paranoid').url);
  await expect(upstreamFacts(page).getByRole('note')).toHaveText(/^The documentation says 2; kernels? [\d.]+( – [\d.]+)?( \((amd64|arm64)( and arm64)?\))? measures? 3\.$/);
  await page.goto(byName('vm.swappiness').url);
  await expect(fact(page, 'Documented default')).toHaveText('60');
  await expect(upstreamFacts(page).getByRole('note')).toHaveCount(0);
});

test('a sysfs attribute shows its ABI entry: status, kernel version and text', async ({ page }) => {
  const tunable = byName('/sys/kernel/mm/transparent_hugepage/enabled');
  await page.goto(tunable.url);
  await expect(fact(page, 'ABI status')).toContainText(/^(stable|testing|obsolete|removed)/);
  await expect(fact(page, 'Documented in')).toContainText('Documentation/ABI/');
});

test('a sysctl no kernel documents takes its man page, named with its licence', async ({ page }) => {
  // No kernel's Documentation describes the System V semaphore limits; proc_sys_kernel(5) does.
  const tunable = byName('kernel.sem');
  expect(tunable).toMatchObject({ docOrigin: 'man-pages', docSource: 'man5/proc_sys_kernel.5' });
  await page.goto(tunable.url);
  await expect(fact(page, 'Documented in').getByRole('link', { name: 'proc_sys_kernel(5)' })).toHaveAttribute('href', 'https://man7.org/linux/man-pages/man5/proc_sys_kernel.5.html');
  const description = page.getByRole('region', { name: 'Description' });
  await expect(description).toContainText('SEMMSL');
  await expect(description).toContainText(/No kernel documents it; from proc_sys_kernel\(5\) of the Linux man-pages [\d.]+ \(licence GPL-3\.0-or-later\)\./);
});

test('tunables.json carries type, range, docSource, definedIn and a summary wherever a description exists', () => {
  const sysctls = data.tunables.filter((t) => t.kind === 'sysctl' && t.status === 'present');
  expect(sysctls.filter((t) => t.definedIn !== null).length / sysctls.length).toBeGreaterThan(0.95);
  for (const t of data.tunables.filter((t) => t.docSource !== null)) expect(t.summary.trim(), t.name).not.toBe('');
  for (const t of data.tunables.filter((t) => t.range !== null)) expect(t.range!.min !== null || t.range!.max !== null, t.name).toBe(true);
  expect(byName('vm.swappiness')).toMatchObject({ type: 'integer', docSource: 'Documentation/admin-guide/sysctl/vm.rst', definedIn: { file: 'mm/vmscan.c' } });
});

test('About the data shows the coverage the export implies and links the list of tunables to describe', async ({ page }) => {
  await page.goto('/about/');
  const sysctls = data.tunables.filter((t) => t.kind === 'sysctl' && t.status === 'present');
  const undocumented = sysctls.filter((t) => t.docSource === null);
  const share = (part: number) => `${Math.floor((100 * part) / sysctls.length)}%`;
  const total = page.getByRole('row', { name: /^sysctl, all/ });
  await expect(total.getByRole('cell').nth(0)).toHaveText(String(sysctls.length));
  await expect(total.getByRole('cell').nth(1)).toHaveText(share(sysctls.length - undocumented.length));
  await expect(total.getByRole('cell').nth(2)).toHaveText(share(sysctls.filter((t) => t.docOrigin === 'man-pages').length));
  await expect(total.getByRole('cell').nth(5)).toHaveText(share(sysctls.filter((t) => t.definedIn !== null).length));
  // Per kernel, the writable numeric sysctls (by the source's type, or measured as numbers), and how many have a range in that kernel's own source, measured, or either.
  const NUMERIC = ['integer', 'unsigned integer', 'long', 'boolean', 'jiffies', 'centiseconds', 'milliseconds', 'integer vector'];
  const percent = (part: number, whole: number) => `${part} (${Math.floor((100 * part) / whole)}%)`;
  for (const { series } of data.kernels) {
    const numeric = sysctls.map((t) => t.kernels[series]).filter((k) => k && (Number.parseInt(k.mode ?? '0', 8) & 0o200) !== 0 && (NUMERIC.includes(k.type ?? '') || k.accepted));
    const ranged = numeric.filter((k) => k!.range).length;
    const measured = numeric.filter((k) => k!.accepted).length;
    const either = numeric.filter((k) => k!.range || k!.accepted).length;
    // The target: a range, stated or measured, for at least 90% on every kernel.
    expect(either / numeric.length).toBeGreaterThanOrEqual(0.9);
    const row = page.getByRole('table', { name: /^Writable numeric sysctls with a range/ }).getByRole('row', { name: new RegExp(`^${series.replace('.', '\\.')} `) });
    await expect(row.getByRole('cell')).toHaveText([String(numeric.length), percent(ranged, numeric.length), percent(measured, numeric.length), percent(either, numeric.length)]);
  }
  // What is left for writers is listed on its own page (tests/e2e/writing.spec.ts).
  await page.getByRole('region', { name: 'For writers' }).getByRole('link', { name: 'Needs writing' }).click();
  await expect(page).toHaveURL(addressOf('/needs-writing/'));
});

test('a USER_HZ time says it is written in hundredths of a second, a jiffies one in seconds', async ({ page }) => {
  // neigh_proc_dointvec_userhz_jiffies: a default of 100 is one second, not a hundred.
  const retransTime = byName('net.ipv4.neigh.<interface>.retrans_time');
  expect(retransTime.type).toBe('centiseconds');
  await page.goto(retransTime.url);
  await expect(fact(page, 'Type')).toHaveText(/hundredths of a second/);
  // Its default, measured in those units, is also given in seconds.
  const newest = retransTime.kernels[newestKernelId(Object.keys(retransTime.kernels).sort(compareKernelIds))!]!;
  expect(newest.default).toMatch(/^\d+$/);
  await expect(page.getByRole('table').getByText(`(${Number(newest.default) / 100} s)`).first()).toBeVisible();
  await page.goto(byName('net.ipv4.neigh.<interface>.gc_stale_time').url);
  await expect(fact(page, 'Type')).toHaveText(/in seconds/);
});

test('a handler of its own that reads a plain number takes the time unit the name states', async ({ page }) => {
  const writeback = byName('vm.dirty_writeback_centisecs');
  expect(newestOf(writeback).handler).toBe('dirty_writeback_centisecs_handler');
  await page.goto(writeback.url);
  await expect(fact(page, 'Type')).toContainText('integer, in hundredths of a second (as its name says), parsed by dirty_writeback_centisecs_handler');
  await page.goto(byName('kernel.sched_rr_timeslice_ms').url);
  await expect(fact(page, 'Type')).toContainText('in milliseconds (as its name says)');
});

test("kernel.pid_max's valid range says what boot makes of its lower bound, linked to the line that does it", async ({ page }) => {
  const tunable = byName('kernel.pid_max');
  const newest = newestOf(tunable);
  // Raised at boot to 8 × the possible CPUs (kernel/pid.c): no constant in its ctl_table.
  expect(newest.openBounds?.min?.boot).toMatchObject({ file: 'kernel/pid.c', initial: '301', perPossibleCpu: '8' });
  await page.goto(tunable.url);
  const range = fact(page, 'Valid range');
  await expect(range).toContainText(/at least max\(301, 8 × possible CPUs\), set at boot \(kernel\/pid\.c:\d+\)/);
  // Where the kernels disagree only on the line, one statement links the newest kernel's.
  const { line } = newest.openBounds!.min!.boot!;
  await expect(range.getByRole('link', { name: `kernel/pid.c:${line}` }).first()).toHaveAttribute('href', new RegExp(`/source/kernel/pid\\.c#L${line}$`));
});

test("a bound that is another sysctl's value names it and links its page", async ({ page }) => {
  const tunable = byName('net.sctp.rto_min');
  expect(newestOf(tunable).openBounds?.max).toMatchObject({ sysctl: 'net.sctp.rto_max' });
  await page.goto(tunable.url);
  await expect(fact(page, 'Valid range')).toContainText('at most the value of net.sctp.rto_max');
  await fact(page, 'Valid range').getByRole('link', { name: 'net.sctp.rto_max', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('net.sctp.rto_max');
});

test('the type names the ctl_table handler that parses a write', async ({ page }) => {
  const retransTime = byName('net.ipv4.neigh.<interface>.retrans_time');
  const { handler } = newestOf(retransTime);
  expect(handler).toMatch(/userhz_jiffies$/);
  await page.goto(retransTime.url);
  await expect(fact(page, 'Type').locator('code', { hasText: handler! }).first()).toBeVisible();
  await expect(fact(page, 'Type')).toContainText(new RegExp(`hundredths of a second.*parsed by ${handler}`));
  const swappiness = byName('vm.swappiness');
  expect(newestOf(swappiness).handler).toBe('proc_dointvec_minmax');
  await page.goto(swappiness.url);
  await expect(fact(page, 'Type')).toContainText('parsed by proc_dointvec_minmax');
});
