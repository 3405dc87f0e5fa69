/** The one rule search adds to BM25: the result named exactly as the query comes first (src/lib/search/engines.ts). */
import { describe, expect, it } from 'vitest';
import { NAME_FIRST_WINDOW, nameFirst } from '../../src/lib/search/engines.ts';

const results = (titles: string[]) => titles.map((title) => ({ data: async () => ({ url: `/${title}/`, meta: { title }, filters: {} }) }));
const titlesOf = async (list: Awaited<ReturnType<typeof nameFirst>>) => Promise.all(list.map(async (r) => (await r.data()).meta.title));

describe('name first', () => {
  it('moves the page named as the query to the top and keeps the others in their order', async () => {
    const ranked = await nameFirst(results(['i915.mitigations', 'kvm.nx_huge_pages', 'mitigations', 'nosmt']), ' Mitigations ');
    expect(await titlesOf(ranked)).toEqual(['mitigations', 'i915.mitigations', 'kvm.nx_huge_pages', 'nosmt']);
  });

  it('changes nothing without an exact name, for an empty query, or beyond the window', async () => {
    const plain = ['vm.swappiness', 'vm.vfs_cache_pressure'];
    expect(await titlesOf(await nameFirst(results(plain), 'swap'))).toEqual(plain);
    expect(await titlesOf(await nameFirst(results(plain), null))).toEqual(plain);
    const far = [...Array.from({ length: NAME_FIRST_WINDOW }, (_, i) => `other${i}`), 'isolcpus'];
    expect((await titlesOf(await nameFirst(results(far), 'isolcpus')))[0]).toBe('other0');
  });

  it('loads no result data where the engine says which result is named as the query (the offline index tells)', async () => {
    const loaded: string[] = [];
    const hinted = ['vm.vfs_cache_pressure', 'vm.swappiness', 'swappiness'].map((title) => ({
      namedAsQuery: title === 'swappiness',
      data: async () => {
        loaded.push(title);
        return { url: `/${title}/`, meta: { title }, filters: {} };
      },
    }));
    const ranked = await nameFirst(hinted, 'swappiness');
    expect(loaded).toEqual([]);
    expect(await titlesOf(ranked)).toEqual(['swappiness', 'vm.vfs_cache_pressure', 'vm.swappiness']);
  });
});
