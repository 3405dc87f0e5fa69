/** What a page did while a test drove it: for "no console errors" and "no request elsewhere". */
import type { Page } from '@playwright/test';

/** Console errors, uncaught exceptions, every request, and those leaving `root`. */
export function watch(page: Page, root: string): { errors: string[]; strangers: string[]; requests: string[] } {
  const seen = { errors: [] as string[], strangers: [] as string[], requests: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('request', (request) => {
    seen.requests.push(request.url());
    if (!request.url().startsWith(root)) seen.strangers.push(request.url());
  });
  return seen;
}
