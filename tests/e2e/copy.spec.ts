/**
 * Copy buttons on a tunable page's code blocks (src/components/CopyButtons.astro): served
 * (Clipboard API) and opened from disk (also where the browser offers no Clipboard API, by
 * the selected-textarea fallback), by mouse and keyboard, announced to screen readers,
 * absent without JavaScript, and the page's whole script under 1 kB gzipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { builtExport, DIST, FROM_DISK, newestOf } from './dist.ts';

const SWAPPINESS = '/sysctl/vm/swappiness/';
const swappiness = builtExport().tunables.find(({ name }) => name === 'vm.swappiness')!;
/** The set command the page shows: the default measured on the newest kernel. */
const SET_SWAPPINESS = `sysctl -w vm.swappiness=${newestOf(swappiness).default}`;
/** A page whose description (from the kernel's Documentation) holds code blocks of its own. */
const FLOW_LIMIT = '/sysctl/net/core/flow_limit_cpu_bitmap/';

const setIt = (page: Page) => page.getByRole('region', { name: 'Set it' });
const description = (page: Page) => page.getByRole('region', { name: 'Description' });

/** What a reader gets by pasting: Ctrl+V into the header's search box. */
async function pasted(page: Page): Promise<string> {
  const box = page.getByRole('banner').getByRole('searchbox');
  await box.fill('');
  await box.focus();
  await page.keyboard.press('Control+V');
  return box.inputValue();
}

/** Tabs from the top of the page until `target` has the focus, as a keyboard user reaches it. */
/** The copy buttons' status, in the page's main part: the header's search box has its own once a reader reaches it. */
const copyStatus = (page: Page) => page.getByRole('main').getByRole('status');

async function tabTo(page: Page, target: Locator): Promise<void> {
  await page.locator('body').focus();
  for (let presses = 0; presses < 200; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error('the button cannot be reached with Tab');
}

test.describe('served', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('every command has a Copy button that puts the command on the clipboard and says so', async ({ page }) => {
    await page.goto(SWAPPINESS);
    const blocks = setIt(page).locator('pre');
    const buttons = setIt(page).getByRole('button', { name: 'Copy' });
    await expect(buttons).toHaveCount(await blocks.count());
    await expect(blocks.first()).toHaveText(SET_SWAPPINESS);

    await buttons.first().click();
    await expect(copyStatus(page)).toHaveText('Copied');
    await expect(setIt(page).getByRole('button').first()).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(SET_SWAPPINESS);

    // The sysctl.d line, from the second button.
    await buttons.nth(1).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`vm.swappiness = ${newestOf(swappiness).default}`);
    // The label comes back, ready for the next copy.
    await expect(setIt(page).getByRole('button', { name: 'Copied' })).toHaveCount(0);
  });

  test('the keyboard reaches a Copy button with Tab and copies with Enter or Space', async ({ page }) => {
    await page.goto(SWAPPINESS);
    const button = setIt(page).getByRole('button').first();
    await tabTo(page, button);
    await page.keyboard.press('Enter');
    await expect(copyStatus(page)).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(SET_SWAPPINESS);
    await expect(button).toBeFocused();

    await page.evaluate(() => navigator.clipboard.writeText(''));
    await expect(button).toHaveText('Copy');
    await page.keyboard.press('Space');
    await expect(copyStatus(page)).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(SET_SWAPPINESS);
  });

  test("code blocks in a page's description get a button too, copying the block's text without its last newline", async ({ page }) => {
    await page.goto(FLOW_LIMIT);
    const blocks = description(page).locator('pre');
    expect(await blocks.count()).toBeGreaterThan(0);
    await expect(description(page).getByRole('button', { name: 'Copy' })).toHaveCount(await blocks.count());
    const shown = (await blocks.first().textContent())!;
    await description(page).getByRole('button', { name: 'Copy' }).first().click();
    await expect(copyStatus(page)).toHaveText('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(shown.replace(/\n$/, ''));
    expect(copied).toMatch(/\S$/);
  });

  test('the buttons take no room from the page and cover no text, where lines wrap', async ({ page }) => {
    // Narrow, so long commands and paths wrap to the full width of their blocks.
    await page.setViewportSize({ width: 360, height: 800 });
    const blocks = page.locator('[data-copy-code] pre');
    const boxes = () => blocks.evaluateAll((pres) => pres.map((pre) => pre.getBoundingClientRect().toJSON() as DOMRect));

    // The page as a reader sees it before the script has run.
    await page.route(`**${FLOW_LIMIT}`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace(/<script type="module">[\s\S]*?<\/script>/g, '') });
    });
    await page.goto(FLOW_LIMIT);
    await expect(page.getByRole('button', { name: 'Copy' })).toHaveCount(0);
    const before = await boxes();
    expect(before.length).toBeGreaterThan(2);

    await page.unrouteAll();
    await page.goto(FLOW_LIMIT);
    await expect(page.getByRole('button', { name: 'Copy' })).toHaveCount(before.length);
    expect(await boxes()).toEqual(before);
    // Each button sits in room its block kept for it, right of the longest line.
    const overlaps = await blocks.evaluateAll((pres) =>
      pres.flatMap((pre) => {
        const text = pre.querySelector('code')!.getBoundingClientRect();
        const button = pre.parentElement!.querySelector('button')!.getBoundingClientRect();
        return text.right > button.left ? [pre.textContent] : [];
      }),
    );
    expect(overlaps).toEqual([]);
  });
});

test.describe('opened from disk', () => {
  test('a Copy button copies the command, keeping the focus on the button', async ({ page }) => {
    await page.goto(`${FROM_DISK}${SWAPPINESS.slice(1)}index.html`);
    const button = setIt(page).getByRole('button', { name: 'Copy' }).first();
    await button.click();
    await expect(copyStatus(page)).toHaveText('Copied');
    await expect(button).toBeFocused();
    expect(await pasted(page)).toBe(SET_SWAPPINESS);
  });

  test('without the Clipboard API (a browser that withholds it from files), the fallback copies by selection', async ({ page }) => {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
    await page.goto(`${FROM_DISK}${SWAPPINESS.slice(1)}index.html`);
    expect(await page.evaluate(() => navigator.clipboard)).toBeUndefined();
    const button = setIt(page).getByRole('button', { name: 'Copy' }).first();
    await button.focus();
    await page.keyboard.press('Enter');
    await expect(copyStatus(page)).toHaveText('Copied');
    await expect(button).toBeFocused();
    expect(await pasted(page)).toBe(SET_SWAPPINESS);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the commands show with no button that could do nothing', async ({ page }) => {
    await page.goto(`${FROM_DISK}${SWAPPINESS.slice(1)}index.html`);
    await expect(setIt(page).locator('pre').first()).toHaveText(SET_SWAPPINESS);
    await expect(page.getByRole('button', { name: /Copy/ })).toHaveCount(0);
  });
});

test('a tunable page carries at most 1 kB of JavaScript, gzipped', () => {
  const html = readFileSync(join(DIST, SWAPPINESS, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  // Inline only: a script file would not run from disk as a module, and would cost a request.
  expect(scripts.map(([, attributes]) => /\bsrc=/.test(attributes!))).not.toContain(true);
  // The copy buttons and the search box's loader (search itself loads when a reader reaches for the box).
  const gzipped = gzipSync(scripts.map(([, , body]) => body).join('\n'), { level: 9 }).length;
  console.log(`${SWAPPINESS}: ${scripts.length} inline script(s), ${gzipped} bytes gzipped`);
  expect(gzipped).toBeGreaterThan(0);
  expect(gzipped).toBeLessThanOrEqual(1024);
});
