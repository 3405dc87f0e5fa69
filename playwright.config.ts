/**
 * Browser tests against the already built site (`npm test` builds first): Astro's preview
 * server serves dist/, Debian's Chromium drives it (Playwright cannot download its own here).
 */
import { defineConfig } from '@playwright/test';
import { freePort } from './tests/helpers/free-port.ts';

// Each worker loads this file again: the port the runner chose reaches them in the environment.
process.env.LKT_E2E_PORT ??= String(await freePort());
const PORT = Number(process.env.LKT_E2E_PORT);

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `npx astro preview --port ${PORT} --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
