/** How closely a query names a tunable (src/core/search-names.ts), and what a page gives its search index. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAME_TIERS, nameTier, queryAsName, searchNamesText } from '#core/search-names.ts';
import { SEARCH_SYNONYMS } from '#core/search-synonyms.ts';

describe('nameTier', () => {
  it('ranks the tunable a query names outright above those whose name only holds its words', () => {
    expect(nameTier('panic', 'panic')).toBe(NAME_TIERS.full);
    expect(nameTier('panic', 'kernel.panic')).toBe(NAME_TIERS.trailing);
    expect(nameTier('panic', 'kernel.softlockup_panic')).toBe(NAME_TIERS.allWords);
    expect(nameTier('panic', 'vm.swappiness')).toBe(NAME_TIERS.other);
    expect(nameTier(' Kernel.Panic ', 'kernel.panic')).toBe(NAME_TIERS.full);
    expect(nameTier('ipv4.ip_forward', 'net.ipv4.ip_forward')).toBe(NAME_TIERS.trailing);
    expect(nameTier('transparent_hugepage/enabled', '/sys/kernel/mm/transparent_hugepage/enabled')).toBe(NAME_TIERS.trailing);
  });

  it('reads a path as the name it is the file of', () => {
    expect(nameTier('/proc/sys/vm/swappiness', 'vm.swappiness')).toBe(NAME_TIERS.full);
    expect(nameTier('net/ipv4/ip_forward', 'net.ipv4.ip_forward')).toBe(NAME_TIERS.full);
    expect(nameTier('/sys/module/nvme_core/parameters/io_timeout', 'nvme_core.io_timeout')).toBe(NAME_TIERS.full);
    // kernel/params.c files unprefixed parameters under /sys/module/kernel: they are boot parameters.
    expect(nameTier('/sys/module/kernel/parameters/panic', 'panic')).toBe(NAME_TIERS.full);
    expect(nameTier('/sys/kernel/mm/transparent_hugepage/enabled', '/sys/kernel/mm/transparent_hugepage/enabled')).toBe(NAME_TIERS.full);
  });

  it('lets an instance stand for a placeholder, when another component matches as written', () => {
    const rpFilter = 'net.ipv4.conf.<interface>.rp_filter';
    expect(nameTier('net.ipv4.conf.all.rp_filter', rpFilter)).toBe(NAME_TIERS.full);
    expect(nameTier('/proc/sys/net/ipv4/conf/eth0/rp_filter', rpFilter)).toBe(NAME_TIERS.full);
    expect(nameTier('conf.default.rp_filter', rpFilter)).toBe(NAME_TIERS.trailing);
    expect(nameTier('/sys/block/sda/queue/scheduler', '/sys/block/<device>/queue/scheduler')).toBe(NAME_TIERS.full);
    expect(nameTier('net.ipv6.conf.all.rp_filter', rpFilter)).toBe(NAME_TIERS.other);
    // A lone instance names nothing.
    expect(nameTier('lo', 'net.netfilter.nf_log.<protocol-family>')).toBe(NAME_TIERS.other);
  });

  it("matches the words of the name's end, stemmed as the index stems them, and a synonym's", () => {
    expect(nameTier('tcp fin timeout', 'net.ipv4.tcp_fin_timeout')).toBe(NAME_TIERS.words);
    expect(nameTier('ip forwarding', 'net.ipv4.ip_forward')).toBe(NAME_TIERS.words);
    expect(nameTier('ip forwarding', 'net.ipv4.conf.<interface>.forwarding')).toBe(NAME_TIERS.other);
    expect(nameTier('vm swappiness', 'vm.swappiness')).toBe(NAME_TIERS.words);
    expect(nameTier('dirty ratio', 'vm.dirty_ratio')).toBe(NAME_TIERS.words);
    expect(nameTier('dirty ratio', 'vm.dirty_background_ratio')).toBe(NAME_TIERS.allWords);
    expect(nameTier('ASLR', 'kernel.randomize_va_space')).toBe(NAME_TIERS.words);
    expect(nameTier('address space layout randomization', 'kernel.randomize_va_space')).toBe(NAME_TIERS.words);
  });

  it('ranks a name holding every word of the query, in any order, above one holding some', () => {
    expect(nameTier('nvme io timeout', 'nvme_core.io_timeout')).toBe(NAME_TIERS.allWords);
    expect(nameTier('nvme io timeout', 'nvme_core.admin_timeout')).toBe(NAME_TIERS.other);
    // The words of a synonym count with the name's: `reverse path` is rp_filter's.
    expect(nameTier('reverse path filtering', 'net.ipv4.conf.<interface>.rp_filter')).toBe(NAME_TIERS.allWords);
    expect(nameTier('', 'vm.swappiness')).toBe(NAME_TIERS.other);
    expect(nameTier('  ', 'vm.swappiness')).toBe(NAME_TIERS.other);
  });
});

describe('queryAsName', () => {
  it('gives the components of a name or path, nothing for words', () => {
    expect(queryAsName('vm.swappiness')).toEqual(['vm', 'swappiness']);
    expect(queryAsName('/proc/sys/net/ipv4/conf/all/rp_filter')).toEqual(['net', 'ipv4', 'conf', 'all', 'rp_filter']);
    expect(queryAsName('/sys/module/nvme_core/parameters/io_timeout')).toEqual(['nvme_core', 'io_timeout']);
    expect(queryAsName('tcp fin timeout')).toBeUndefined();
    expect(queryAsName('')).toBeUndefined();
  });
});

describe('searchNamesText', () => {
  it("gives the last component of a name of several as a word of its own, and its synonyms", () => {
    expect(searchNamesText('kernel.panic')).toBe('panic');
    expect(searchNamesText('isolcpus')).toBe('');
    expect(searchNamesText('/sys/block/<device>/queue/scheduler')).toBe('scheduler I/O scheduler IO scheduler');
    expect(searchNamesText('net.ipv4.tcp_fin_timeout')).toBe('tcp_fin_timeout');
    expect(searchNamesText('net.netfilter.nf_log.<protocol-family>')).toBe('nf_log');
    expect(searchNamesText('kernel.randomize_va_space')).toBe('randomize_va_space ASLR address space randomization address space layout randomization');
  });
});

/** Every tunable name of the committed content's facts files. */
function committedNames(): Set<string> {
  const facts = 'content/facts';
  const names = new Set<string>();
  for (const kind of readdirSync(facts)) {
    for (const file of readdirSync(join(facts, kind))) {
      const { tunables } = JSON.parse(readFileSync(join(facts, kind, file), 'utf8')) as { tunables: Record<string, { title: string }> };
      for (const { title } of Object.values(tunables)) names.add(title);
    }
  }
  return names;
}

describe('the synonyms', () => {
  it('each name a tunable of the content, once, with words and the documentation that uses them', () => {
    const names = committedNames();
    for (const { tunable, words, source } of SEARCH_SYNONYMS) {
      expect(names.has(tunable), tunable).toBe(true);
      expect(words.length, tunable).toBeGreaterThan(0);
      expect(source, tunable).toMatch(/Documentation\/\S+|man-pages man\d\/\S+/);
    }
    expect(new Set(SEARCH_SYNONYMS.map(({ tunable }) => tunable)).size).toBe(SEARCH_SYNONYMS.length);
  });
});
