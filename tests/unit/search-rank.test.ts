/**
 * The ranking both search engines share (src/lib/search/engines.ts): their first results in
 * the order of how closely each names the query, BM25's order within a tier, and a second
 * search for a name whose instance no page holds.
 */
import { describe, expect, it } from 'vitest';
import { NAME_WINDOW, rankByName, rankedByName, type SearchEngine, type SearchResult } from '../../src/lib/search/engines.ts';

/**
 * A result as an engine gives it; `documented` is the kernel documenting it (the documented
 * filter). Results are made in BM25's order: each scores lower than the one made before.
 */
let lastScore = 1e6;
// Each made result scores lower by more than a 10% step (rankByName's ties).
const nextScore = () => (lastScore /= 1.25);
const result = (title: string, documented = false, score = nextScore()): SearchResult => ({
  score,
  ranked: async () => ({ title, documented }),
  data: async () => ({ url: `/${title}/`, meta: { title }, filters: { documented: [documented ? 'yes' : 'no'] } }),
});
const titlesOf = (results: SearchResult[]) => Promise.all(results.map(async (r) => (await r.ranked()).title));

describe('rankByName', () => {
  it('puts the tunable the query names first, then the end of a name, then names holding its words, each in BM25 order', async () => {
    // BM25's order for "panic", as both engines gave it before names were ranked.
    const bm25 = ['panic_console_replay', 'kernel.softlockup_panic', 'kernel.panic', 'hung_task_panic', 'vm.swappiness', 'panic'];
    const { results, named } = await rankByName(bm25.map((title) => result(title)), 'panic');
    expect(await titlesOf(results)).toEqual(['panic', 'kernel.panic', 'panic_console_replay', 'kernel.softlockup_panic', 'hung_task_panic', 'vm.swappiness']);
    expect(named).toBe(true);
  });

  it('puts a tunable the kernel documents before one it does not, among those the query names alike', async () => {
    const bm25 = [result('sunrpc.tcp_fin_timeout'), result('net.netfilter.nf_conntrack_tcp_timeout_fin_wait', true), result('net.ipv4.tcp_fin_timeout', true)];
    const { results } = await rankByName(bm25, 'tcp fin timeout');
    expect(await titlesOf(results)).toEqual(['net.ipv4.tcp_fin_timeout', 'sunrpc.tcp_fin_timeout', 'net.netfilter.nf_conntrack_tcp_timeout_fin_wait']);
  });

  it('orders results the query names alike and BM25 scores within 10% alike by name, so both engines agree', async () => {
    // THP's pages score within a hair on "transparent", in a different order in each engine.
    const near = [result('/sys/kernel/mm/transparent_hugepage/enabled', true, 7.251), result('transparent_hugepage', true, 7.25), result('/sys/kernel/mm/transparent_hugepage/defrag', true, 7.249)];
    expect(await titlesOf((await rankByName(near, 'transparent')).results)).toEqual(['/sys/kernel/mm/transparent_hugepage/defrag', '/sys/kernel/mm/transparent_hugepage/enabled', 'transparent_hugepage']);
    // A score higher by a step still wins.
    const ahead = [result('/sys/kernel/mm/transparent_hugepage/enabled', true, 7.2), result('transparent_hugepage', true, 9)];
    expect(await titlesOf((await rankByName(ahead, 'transparent')).results)).toEqual(['transparent_hugepage', '/sys/kernel/mm/transparent_hugepage/enabled']);
  });

  it('leaves the results after the window in BM25 order, and says when no first result is named', async () => {
    const bm25 = [...Array.from({ length: NAME_WINDOW }, (_, i) => `other${i}`), 'isolcpus'];
    const { results, named } = await rankByName(bm25.map((title) => result(title)), 'isolcpus');
    expect(await titlesOf(results)).toEqual(bm25);
    expect(named).toBe(false);
  });
});

describe('rankedByName', () => {
  /** An engine over fixed BM25 answers, recording what it was asked. */
  function engine(answers: Record<string, string[]>): { engine: SearchEngine; asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      engine: { name: 'offline', debounceMs: 0, search: async (query) => (asked.push(query ?? ''), { results: (answers[query ?? ''] ?? []).map((title) => result(title)) }) },
    };
  }

  it('searches again for the last component of a name no page holds whole, and ranks by the whole name', async () => {
    const { engine: bm25, asked } = engine({
      'net.ipv4.conf.eth0.rp_filter': ['net.ipv4.route.flush'],
      rp_filter: ['net.ipv6.conf.<interface>.rp_filter', 'net.ipv4.conf.<interface>.rp_filter', 'net.ipv4.conf.<interface>.arp_filter'],
    });
    const { results } = await rankedByName(bm25).search('net.ipv4.conf.eth0.rp_filter', { filters: {} });
    expect((await titlesOf(results))[0]).toBe('net.ipv4.conf.<interface>.rp_filter');
    expect(asked).toEqual(['net.ipv4.conf.eth0.rp_filter', 'rp_filter']);
  });

  it('searches once when a first result is named, or the query is words', async () => {
    const { engine: bm25, asked } = engine({ 'vm.swappiness': ['vm.swappiness'], 'tcp fin timeout': ['sunrpc.tcp_fin_timeout'] });
    await rankedByName(bm25).search('vm.swappiness', { filters: {} });
    await rankedByName(bm25).search('tcp fin timeout', { filters: {} });
    expect(asked).toEqual(['vm.swappiness', 'tcp fin timeout']);
  });

  it('keeps the first results when the second search names nothing either', async () => {
    const { engine: bm25 } = engine({ 'no.such.name': ['kernel.panic'], name: ['vm.swappiness'] });
    const { results } = await rankedByName(bm25).search('no.such.name', { filters: {} });
    expect(await titlesOf(results)).toEqual(['kernel.panic']);
  });
});
