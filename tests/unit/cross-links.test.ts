/** Mentions of other tunables in kernel documentation become relative links to their pages. */
import type { PhrasingContent, RootContent, Text } from 'mdast';
import { describe, expect, it } from 'vitest';
import { linkTunables, relativeUrl, type CurrentPage } from '../../scripts/generate/cross-links.ts';
import { markdownOf } from '../../scripts/generate/page.ts';

const PAGES: Record<string, string> = {
  'net.ipv4.tcp_fin_timeout': 'sysctl/net/ipv4/tcp_fin_timeout',
  'net.ipv4.tcp_max_orphans': 'sysctl/net/ipv4/tcp_max_orphans',
  'net.ipv4.tcp_rmem': 'sysctl/net/ipv4/tcp_rmem',
  'net.ipv4.ip_forward': 'sysctl/net/ipv4/ip_forward',
  'net.ipv4.conf.<interface>.rp_filter': 'sysctl/net/ipv4/conf/_interface_/rp_filter',
  'net.ipv4.conf.<interface>.accept_local': 'sysctl/net/ipv4/conf/_interface_/accept_local',
  'net.ipv4.conf.<interface>.forwarding': 'sysctl/net/ipv4/conf/_interface_/forwarding',
  'vm.dirty_ratio': 'sysctl/vm/dirty_ratio',
  'vm.overcommit_memory': 'sysctl/vm/overcommit_memory',
  'kernel.panic': 'sysctl/kernel/panic',
  'kernel.panic_on_oops': 'sysctl/kernel/panic_on_oops',
};
const pages = (name: string) => PAGES[name];

const FIN: CurrentPage = { name: 'net.ipv4.tcp_fin_timeout', id: 'sysctl/net/ipv4/tcp_fin_timeout' };
const RP: CurrentPage = { name: 'net.ipv4.conf.<interface>.rp_filter', id: 'sysctl/net/ipv4/conf/_interface_/rp_filter' };
const OOPS: CurrentPage = { name: 'kernel.panic_on_oops', id: 'sysctl/kernel/panic_on_oops' };

const text = (value: string): Text => ({ type: 'text', value });
const para = (...children: PhrasingContent[]): RootContent[] => [{ type: 'paragraph', children }];
const linked = (current: CurrentPage, ...children: PhrasingContent[]) => markdownOf(linkTunables(para(...children), current, pages));

describe('linkTunables', () => {
  it('links a sibling named bare in prose, splitting the text around it', () => {
    const nodes = linkTunables(para(text('Cf. tcp_max_orphans and more')), FIN, pages);
    expect(nodes).toEqual(
      para(text('Cf. '), { type: 'link', url: '../tcp_max_orphans/', children: [text('tcp_max_orphans')] }, text(' and more')),
    );
  });

  it('links full dotted names and /proc/sys paths anywhere in the tree', () => {
    expect(linked(FIN, text('See vm.dirty_ratio, then /proc/sys/vm/overcommit_memory.'))).toBe(
      'See [vm.dirty_ratio](../../../vm/dirty_ratio/), then [/proc/sys/vm/overcommit_memory](../../../vm/overcommit_memory/).',
    );
    const list: RootContent[] = [{ type: 'list', children: [{ type: 'listItem', children: [{ type: 'paragraph', children: [{ type: 'emphasis', children: [text('net.ipv4.tcp_rmem')] }] }] }] }];
    expect(markdownOf(linkTunables(list, OOPS, pages))).toBe('* *[net.ipv4.tcp_rmem](../../net/ipv4/tcp_rmem/)*');
  });

  it('links inline code whose whole value names a tunable, any sibling name included', () => {
    expect(linked(OOPS, { type: 'inlineCode', value: 'panic' }, text(' and '), { type: 'inlineCode', value: '/proc/sys/vm/dirty_ratio' })).toBe(
      '[`panic`](../panic/) and [`/proc/sys/vm/dirty_ratio`](../../vm/dirty_ratio/)',
    );
    expect(linked(OOPS, { type: 'inlineCode', value: 'echo 1 > /proc/sys/kernel/panic' })).toBe('`echo 1 > /proc/sys/kernel/panic`');
  });

  it('resolves siblings of a placeholder page under the same placeholder parent', () => {
    expect(linked(RP, text('unless accept_local is set; see '), { type: 'inlineCode', value: 'forwarding' })).toBe(
      'unless [accept_local](../accept_local/) is set; see [`forwarding`](../forwarding/)',
    );
  });

  it('never links a page to itself', () => {
    expect(linked(FIN, text('tcp_fin_timeout, net.ipv4.tcp_fin_timeout and /proc/sys/net/ipv4/tcp_fin_timeout'))).toBe(
      'tcp_fin_timeout, net.ipv4.tcp_fin_timeout and /proc/sys/net/ipv4/tcp_fin_timeout',
    );
    expect(linked(FIN, { type: 'inlineCode', value: 'tcp_fin_timeout' })).toBe('`tcp_fin_timeout`');
  });

  it('leaves names without a page alone', () => {
    const nodes = para(text('tcp_no_such_thing, vm.nope, /proc/sys/vm/nope and kernel.panic_on_oops_too'), { type: 'inlineCode', value: 'vm.nope' });
    expect(linkTunables(nodes, FIN, pages)).toEqual(nodes);
  });

  it('gives a sysfs page, whose title is a path, full names but no siblings', () => {
    const state: CurrentPage = { name: '/sys/power/state', id: 'sysfs/power/state' };
    expect(linked(state, text('See kernel.panic_on_oops, not panic_on_oops.'))).toBe('See [kernel.panic_on_oops](../../../sysctl/kernel/panic_on_oops/), not panic_on_oops.');
  });

  it('takes bare English words in prose for words, not sibling names', () => {
    expect(linked(OOPS, text('On a panic the kernel reboots.'))).toBe('On a panic the kernel reboots.');
  });

  it('keeps trailing punctuation out of the link', () => {
    expect(linked(FIN, text('(tcp_max_orphans), tcp_rmem: ip_forward.'))).toBe(
      '([tcp_max_orphans](../tcp_max_orphans/)), [tcp_rmem](../tcp_rmem/): [ip_forward](../ip_forward/).',
    );
  });

  it('leaves a name glued into a longer path or word alone', () => {
    expect(linked(FIN, text('conf/all/tcp_max_orphans and xtcp_max_orphans and tcp_max_orphans_x'))).toBe(
      'conf/all/tcp_max_orphans and xtcp_max_orphans and tcp_max_orphans_x',
    );
  });

  it('leaves existing links, link references and code blocks untouched', () => {
    const nodes: RootContent[] = [
      ...para(
        { type: 'link', url: 'https://example.org/', children: [text('tcp_max_orphans'), { type: 'inlineCode', value: 'tcp_rmem' }] },
        { type: 'linkReference', identifier: 'x', referenceType: 'full', children: [text('ip_forward')] },
      ),
      { type: 'code', value: 'sysctl -w net.ipv4.tcp_max_orphans=1' },
    ];
    expect(linkTunables(nodes, FIN, pages)).toEqual(nodes);
  });

  it('does not change the nodes it is given', () => {
    const nodes = para(text('Cf. tcp_max_orphans'));
    const copy = structuredClone(nodes);
    linkTunables(nodes, FIN, pages);
    expect(nodes).toEqual(copy);
  });
});

describe('relativeUrl', () => {
  it('walks from the page URL, a folder, to the target page', () => {
    expect(relativeUrl('sysctl/net/ipv4/tcp_fin_timeout', 'sysctl/net/ipv4/tcp_max_orphans')).toBe('../tcp_max_orphans/');
    expect(relativeUrl('sysctl/net/ipv4/tcp_fin_timeout', 'sysctl/vm/dirty_ratio')).toBe('../../../vm/dirty_ratio/');
    expect(relativeUrl('sysctl/net/ipv4/conf/_interface_/rp_filter', 'sysctl/net/ipv4/ip_forward')).toBe('../../../ip_forward/');
    expect(relativeUrl('sysfs/power/state', 'sysctl/kernel/panic')).toBe('../../../sysctl/kernel/panic/');
  });

  it('resolves, against the page URL under any base, to the target URL under that base', () => {
    for (const base of ['https://example.org/', 'https://example.org/docs/kernel/']) {
      const from = new URL('sysctl/net/ipv4/conf/_interface_/rp_filter/', base);
      expect(new URL(relativeUrl('sysctl/net/ipv4/conf/_interface_/rp_filter', 'sysctl/vm/dirty_ratio'), from).href).toBe(new URL('sysctl/vm/dirty_ratio/', base).href);
    }
  });
});
