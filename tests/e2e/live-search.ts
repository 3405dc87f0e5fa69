/** The header's search box and the results it shows as the reader types (src/lib/search/live.ts). */
import { expect, type Locator, type Page } from '@playwright/test';

/** Types into the header's box key by key, as a reader does, and gives the list of first results once it names the query. */
export async function typeInHeaderBox(page: Page, query: string): Promise<{ box: Locator; results: Locator }> {
  const box = page.getByRole('banner').getByRole('searchbox', { name: 'Search tunables' });
  await box.click();
  await box.pressSequentially(query);
  const header = page.getByRole('banner');
  await expect(header.getByRole('status')).toHaveText(new RegExp(`^\\d+ tunables? match(es)? “${query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”\\.$`));
  return { box, results: header.getByRole('list', { name: 'First results' }) };
}
