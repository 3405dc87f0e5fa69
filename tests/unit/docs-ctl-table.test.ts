import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, stripComments } from '../../scripts/docs/c-constants.ts';
import {
  boundsFrom, expandFormat, linkNames, parseCtlFile, scanCtlTables, sharedDefines, valueTypeOf,
} from '../../scripts/docs/ctl-table.ts';
import type { TreeContext } from '../../scripts/docs/ctl-table.ts';
import { boundSysctls } from '../../scripts/docs/ctl-join.ts';
import type { CtlTableEntry } from '#core/schemas/docs.ts';

const SYSCTL_H_61 = `
#define SYSCTL_ZERO			((void *)&sysctl_vals[0])
#define SYSCTL_ONE			((void *)&sysctl_vals[1])
#define SYSCTL_ONE_HUNDRED		((void *)&sysctl_vals[5])
#define SYSCTL_TWO_HUNDRED		((void *)&sysctl_vals[6])
#define SYSCTL_INT_MAX			((void *)&sysctl_vals[9])
#define SYSCTL_NEG_ONE			((void *)&sysctl_vals[11])
#define SYSCTL_LONG_MAX		((void *)&sysctl_long_vals[2])
`;
const SYSCTL_C_61 = `
const int sysctl_vals[] = { 0, 1, 2, 3, 4, 100, 200, 1000, 3000, INT_MAX, 65535, -1 };
const unsigned long sysctl_long_vals[] = { 0, 1, LONG_MAX };
`;
const SYSCTL_H_510 = `
#define SYSCTL_NEG_ONE			((void *)&sysctl_vals[0])
#define SYSCTL_ZERO			((void *)&sysctl_vals[1])
#define SYSCTL_ONE			((void *)&sysctl_vals[2])
`;
const SYSCTL_C_510 = 'const int sysctl_vals[] = { -1, 0, 1, 2, 4, 100, 200, 1000, 3000, INT_MAX };\n';

const tree: TreeContext = {
  bounds: boundsFrom(SYSCTL_H_61, SYSCTL_C_61),
  arrayNames: new Set(['sysctl_tcp_rmem']),
  defines: sharedDefines(['#define MAX_TCP_SYNCNT 127\n']),
};

/** Parses and links files given as { path: text }. */
function scan(files: Record<string, string>): CtlTableEntry[] {
  return linkNames(Object.entries(files).map(([file, text]) => parseCtlFile(text, file, tree)));
}

function byName(entries: CtlTableEntry[], name: string): CtlTableEntry | undefined {
  return entries.find((e) => e.name === name);
}

describe('C constants', () => {
  it('blanks comments but keeps line numbers and strings', () => {
    const text = 'a /* x\ny */ b // c\n"/* not */"';
    const stripped = stripComments(text);
    expect(stripped.split('\n')).toHaveLength(3);
    expect(stripped).toContain('"/* not */"');
    expect(stripped).not.toContain('x');
  });

  it('evaluates integer expressions, and refuses what it cannot know', () => {
    const lookup = (n: string) => (n === 'N' ? 10n : null);
    expect(evaluate('24 * 3600', lookup)).toBe(86400n);
    expect(evaluate('(1 << 20) - 1', lookup)).toBe(1048575n);
    expect(evaluate('-N', lookup)).toBe(-10n);
    expect(evaluate('(int)0x10UL', lookup)).toBe(16n);
    expect(evaluate('010', lookup)).toBe(8n);
    expect(evaluate('100 * HZ', lookup)).toBeNull();
    expect(evaluate('sizeof(struct foo)', lookup)).toBeNull();
  });
});

describe('SYSCTL_* bounds come from the tree they are used in', () => {
  it('6.1 and 5.10 index sysctl_vals differently', () => {
    const b61 = boundsFrom(SYSCTL_H_61, SYSCTL_C_61);
    const b510 = boundsFrom(SYSCTL_H_510, SYSCTL_C_510);
    expect(b61.get('SYSCTL_ZERO')).toBe('0');
    expect(b61.get('SYSCTL_NEG_ONE')).toBe('-1');
    expect(b61.get('SYSCTL_INT_MAX')).toBe('2147483647');
    expect(b61.get('SYSCTL_LONG_MAX')).toBe('9223372036854775807');
    expect(b510.get('SYSCTL_ZERO')).toBe('0');
    expect(b510.get('SYSCTL_NEG_ONE')).toBe('-1');
  });
});

describe('a plain table registered by path', () => {
  const source = `
#define MAX_FOO 50
static int one_day_secs = 24 * 3600;
static int __maybe_unused zero;
static unsigned long long_max = LONG_MAX;
static int hz_based = 10 * HZ;
static int runtime_max;
int global_max = 5;
static const char flush_name[] = "flush";
static int limits[] = { 7, 7 };
static const int		port_min = 0, port_max = 65535;
static int min_mode[1],    	max_mode[] = {1};

static const struct ctl_table vm_table[] __read_mostly = {
	{
		/* a comment, with a comma */
		.procname	= "swappiness",
		.data		= &vm_swappiness,
		.maxlen		= sizeof(vm_swappiness),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_TWO_HUNDRED,
	},
#ifdef CONFIG_FOO
	{
		.procname	= "foo",
		.data		= &foo,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &zero,
		.extra2		= &one_day_secs,
	},
#endif
	{ .procname = "bar", .maxlen = sizeof(long), .mode = 0644, .proc_handler = &proc_doulongvec_minmax,
	  .extra1 = (void *)&long_max, .extra2 = &hz_based },
	{ .procname = "baz", .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = limits, .extra2 = &runtime_max },
	{ .procname = flush_name, .mode = 0200, .proc_handler = proc_dointvec },
	{ .procname = "glob", .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra2 = &global_max },
	{ .procname = "syn", .mode = 0644, .proc_handler = proc_dou8vec_minmax, .extra2 = &max_syn },
	{ .procname = "port", .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = (int *) &port_min, .extra2 = (int *) &port_max },
	{ .procname = "ax", .mode = S_IRUGO | S_IWUSR, .proc_handler = proc_dointvec_minmax, .extra1 = &min_mode, .extra2 = &max_mode },
	{ }
};
static int max_syn = MAX_TCP_SYNCNT;

static int __init init(void)
{
	runtime_max = 5;
	register_sysctl_init("vm", vm_table);
	return 0;
}
`;
  const entries = scan({ 'mm/vmscan.c': source });

  it('gives name, site, mode, handler, type and bounds', () => {
    expect(byName(entries, 'vm.swappiness')).toEqual({
      file: 'mm/vmscan.c', line: 17, name: 'vm.swappiness', procname: 'swappiness', mode: '0644',
      handler: 'proc_dointvec_minmax', type: 'integer', min: '0', max: '200', registered: ['global'],
    });
  });

  it('keeps entries under #ifdef and resolves static ints and constant expressions', () => {
    expect(byName(entries, 'vm.foo')).toMatchObject({ min: '0', max: '86400' });
  });

  it('strips casts and &, and leaves HZ-dependent and run-time values null', () => {
    expect(byName(entries, 'vm.bar')).toMatchObject({ handler: 'proc_doulongvec_minmax', type: 'long', min: '9223372036854775807', max: null });
    expect(byName(entries, 'vm.baz')).toMatchObject({ min: '7', max: null });
    // Another file may assign a global that is neither static nor const.
    expect(byName(entries, 'vm.glob')).toMatchObject({ max: null });
  });

  it('uses shared header defines for names the file does not define', () => {
    expect(byName(entries, 'vm.syn')).toMatchObject({ min: null, max: '127', type: 'integer' });
  });

  it('reads comma-separated declarations, zero-filled arrays and symbolic modes', () => {
    expect(byName(entries, 'vm.port')).toMatchObject({ min: '0', max: '65535' });
    expect(byName(entries, 'vm.ax')).toMatchObject({ min: '0', max: '1', mode: '0644' });
  });

  it('reads a procname given as a string constant', () => {
    expect(byName(entries, 'vm.flush')).toMatchObject({ mode: '0200', type: 'integer' });
  });

  it('skips the terminator', () => {
    expect(entries).toHaveLength(9);
  });
});

describe('handler types', () => {
  it('maps the standard handlers', () => {
    expect(valueTypeOf('proc_douintvec_minmax', false, null, null)).toBe('unsigned integer');
    expect(valueTypeOf('proc_dobool', false, null, null)).toBe('boolean');
    expect(valueTypeOf('proc_dou8vec_minmax', false, '0', '1')).toBe('boolean');
    expect(valueTypeOf('proc_dou8vec_minmax', false, '0', '2')).toBe('integer');
    expect(valueTypeOf('proc_dostring', false, null, null)).toBe('string');
    // USER_HZ ticks, hundredths of a second: the neighbour tables' retrans_time, anycast_delay, proxy_delay, locktime.
    expect(valueTypeOf('proc_dointvec_userhz_jiffies', false, null, null)).toBe('centiseconds');
    expect(valueTypeOf('proc_doulongvec_ms_jiffies_minmax', false, null, null)).toBe('milliseconds');
    expect(valueTypeOf('proc_do_large_bitmap', false, null, null)).toBe('bitmap');
    expect(valueTypeOf('proc_dointvec_minmax_sysadmin', false, null, null)).toBe('integer');
    expect(valueTypeOf('proc_doulongvec_minmax', true, null, null)).toBe('integer vector');
    expect(valueTypeOf('frob_handler', false, null, null)).toBe('other');
  });

  it('finds vectors from maxlen, and types custom handlers by the standard handler they call', () => {
    const entries = scan({
      'net/ipv4/sysctl_net_ipv4.c': `
static struct ctl_table ipv4_net_table[] = {
	{ .procname = "tcp_rmem", .data = &init_net.ipv4.sysctl_tcp_rmem,
	  .maxlen = sizeof(init_net.ipv4.sysctl_tcp_rmem), .mode = 0644, .proc_handler = proc_dointvec_minmax },
	{ .procname = "tcp_mem", .maxlen = sizeof(long) * 3, .mode = 0644, .proc_handler = proc_doulongvec_minmax },
	{ .procname = "core_pattern", .maxlen = sizeof(core_pattern), .mode = 0644, .proc_handler = proc_dostring },
	{ .procname = "cc", .maxlen = 16, .mode = 0644, .proc_handler = proc_tcp_congestion_control },
	{ .procname = "two", .maxlen = sizeof(int), .mode = 0644, .proc_handler = two_handlers },
};
static int proc_tcp_congestion_control(const struct ctl_table *ctl, int write, void *buffer)
{
	struct ctl_table tbl = { .maxlen = 16 };
	return proc_dostring(&tbl, write, buffer);
}
static int two_handlers(const struct ctl_table *ctl, int write, void *buffer)
{
	return write ? proc_dointvec(ctl, write, buffer) : proc_dostring(ctl, write, buffer);
}
static __net_init int ipv4_sysctl_init_net(struct net *net)
{
	struct ctl_table *table;

	table = ipv4_net_table;
	if (!net_eq(net, &init_net)) {
		table = kmemdup(table, sizeof(ipv4_net_table), GFP_KERNEL);
	}
	net->ipv4.ipv4_hdr = register_net_sysctl_sz(net, "net/ipv4", table, ARRAY_SIZE(ipv4_net_table));
	return 0;
}
`,
    });
    expect(byName(entries, 'net.ipv4.tcp_rmem')?.type).toBe('integer vector');
    expect(byName(entries, 'net.ipv4.tcp_mem')?.type).toBe('integer vector');
    expect(byName(entries, 'net.ipv4.core_pattern')?.type).toBe('string');
    expect(byName(entries, 'net.ipv4.cc')).toMatchObject({ handler: 'proc_tcp_congestion_control', type: 'string' });
    expect(byName(entries, 'net.ipv4.two')?.type).toBe('other');
  });
});

describe('wrappers typed by the standard handler they reach', () => {
  const entries = scan({
    'kernel/watchdog.c': `
static struct ctl_table watchdog_sysctls[] = {
	{ .procname = "watchdog", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_watchdog },
	{ .procname = "pages", .maxlen = sizeof(long), .mode = 0644, .proc_handler = pages_handler },
	{ .procname = "deep", .maxlen = sizeof(int), .mode = 0644, .proc_handler = level1 },
	{ .procname = "mixed", .maxlen = sizeof(int), .mode = 0644, .proc_handler = mixed_handler },
	{ }
};
static int proc_watchdog_common(int which, const struct ctl_table *table, int write, void *buffer)
{
	mutex_lock(&watchdog_mutex);
	err = proc_dointvec_minmax(table, write, buffer);
	mutex_unlock(&watchdog_mutex);
	return err;
}
static int proc_watchdog(const struct ctl_table *table, int write, void *buffer)
{
	return proc_watchdog_common(WATCHDOG_ENABLED, table, write, buffer);
}
static int pages_handler(const struct ctl_table *table, int write, void *buffer)
{
	return hugetlb_common(table, write, buffer);
}
static int level1(const struct ctl_table *t, int w, void *b)
{
	return level2(t, w, b);
}
static int level2(const struct ctl_table *t, int w, void *b)
{
	return level3(t, w, b);
}
static int level3(const struct ctl_table *t, int w, void *b)
{
	return level4(t, w, b);
}
static int level4(const struct ctl_table *t, int w, void *b)
{
	return level5(t, w, b);
}
static int level5(const struct ctl_table *t, int w, void *b)
{
	return proc_dointvec(t, w, b);
}
static int mixed_handler(const struct ctl_table *t, int w, void *b)
{
	return w ? proc_watchdog(t, w, b) : level5(t, w, b) + proc_dostring(t, w, b);
}
static int __init watchdog_sysctl_init(void)
{
	register_sysctl_init("kernel", watchdog_sysctls);
}
`,
    'mm/hugetlb.c': `
int hugetlb_common(const struct ctl_table *table, int write, void *buffer)
{
	return proc_hugetlb_doulongvec_minmax(table, write, buffer);
}
static int proc_hugetlb_doulongvec_minmax(const struct ctl_table *table, int write, void *buffer)
{
	return proc_doulongvec_minmax(&dup_table, write, buffer);
}
`,
  });

  it('follows helpers, in its own file and in others', () => {
    expect(byName(entries, 'kernel.watchdog')?.type).toBe('integer');
    expect(byName(entries, 'kernel.pages')?.type).toBe('long');
  });

  it('stops four calls deep, and where two standard handlers are reached', () => {
    expect(byName(entries, 'kernel.deep')?.type).toBe('other');
    expect(byName(entries, 'kernel.mixed')?.type).toBe('other');
  });
});

describe('5.10 registration: root tables, .child links and ctl_path arrays', () => {
  const kernelSysctl = `
static int zero;
static int one = 1;
static struct ctl_table kern_table[] = {
	{
		.procname	= "random",
		.mode		= 0555,
		.child		= random_table,
	},
	{
		.procname	= "panic",
		.data		= &panic_timeout,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec,
	},
	{ }
};
static struct ctl_table sysctl_base_table[] = {
	{
		.procname	= "kernel",
		.mode		= 0555,
		.child		= kern_table,
	},
	{ }
};
int __init sysctl_init(void)
{
	struct ctl_table_header *hdr;

	hdr = register_sysctl_table(sysctl_base_table);
	return 0;
}
`;
  const random = `
static int random_min = 0;
struct ctl_table random_table[] = {
	{
		.procname	= "poolsize",
		.data		= &sysctl_poolsize,
		.maxlen		= sizeof(int),
		.mode		= 0444,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &random_min,
	},
	{ }
};
`;
  const seccomp = `
static struct ctl_path seccomp_sysctl_path[] = {
	{ .procname = "kernel", },
	{ .procname = "seccomp", },
	{ }
};
static struct ctl_table seccomp_sysctl_table[] = {
	{
		.procname	= "actions_avail",
		.data		= (void *) &seccomp_actions_avail,
		.maxlen		= sizeof(seccomp_actions_avail),
		.mode		= 0444,
		.proc_handler	= proc_dostring,
	},
	{ }
};
static int __init seccomp_sysctl_init(void)
{
	hdr = register_sysctl_paths(seccomp_sysctl_path, seccomp_sysctl_table);
	return 0;
}
`;
  const entries = scan({ 'kernel/sysctl.c': kernelSysctl, 'drivers/char/random.c': random, 'kernel/seccomp.c': seccomp });

  it('follows the root table to its children, across files', () => {
    expect(byName(entries, 'kernel.panic')).toMatchObject({ file: 'kernel/sysctl.c', line: 11 });
    expect(byName(entries, 'kernel.random.poolsize')).toMatchObject({ file: 'drivers/char/random.c', min: '0', mode: '0444' });
  });

  it('reads ctl_path arrays', () => {
    expect(byName(entries, 'kernel.seccomp.actions_avail')?.type).toBe('string');
  });

  it('emits no entries for directories', () => {
    expect(entries.map((e) => e.procname).sort()).toEqual(['actions_avail', 'panic', 'poolsize']);
  });
});

describe('macro-generated entries and per-device paths', () => {
  it('expands entry macros in a struct template and names the interface placeholder', () => {
    const devinet = `
#define DEVINET_SYSCTL_ENTRY(attr, name, mval, proc) \\
	{ \\
		.procname	= name, \\
		.data		= ipv4_devconf.data + \\
				  IPV4_DEVCONF_ ## attr - 1, \\
		.maxlen		= sizeof(int), \\
		.mode		= mval, \\
		.proc_handler	= proc, \\
		.extra1		= &ipv4_devconf, \\
	}

#define DEVINET_SYSCTL_RW_ENTRY(attr, name) \\
	DEVINET_SYSCTL_ENTRY(attr, name, 0644, devinet_conf_proc)

static struct devinet_sysctl_table {
	struct ctl_table_header *sysctl_header;
	struct ctl_table devinet_vars[__IPV4_DEVCONF_MAX];
} devinet_sysctl = {
	.devinet_vars = {
		DEVINET_SYSCTL_RW_ENTRY(FORWARDING, "forwarding"),
		DEVINET_SYSCTL_RW_ENTRY(RP_FILTER, "rp_filter"),
	},
};

static int devinet_conf_proc(const struct ctl_table *ctl, int write, void *buffer)
{
	return proc_dointvec(ctl, write, buffer);
}

static int __devinet_sysctl_register(struct net *net, char *dev_name, int ifindex, struct ipv4_devconf *p)
{
	struct devinet_sysctl_table *t;
	char path[sizeof("net/ipv4/conf/") + IFNAMSIZ];

	t = kmemdup(&devinet_sysctl, sizeof(*t), GFP_KERNEL);
	snprintf(path, sizeof(path), "net/ipv4/conf/%s", dev_name);
	t->sysctl_header = register_net_sysctl(net, path, t->devinet_vars);
	return 0;
}
`;
    const entries = scan({ 'net/ipv4/devinet.c': devinet });
    expect(entries).toEqual([
      expect.objectContaining({ name: 'net.ipv4.conf.<interface>.forwarding', line: 21, mode: '0644', handler: 'devinet_conf_proc', type: 'integer', min: null }),
      expect.objectContaining({ name: 'net.ipv4.conf.<interface>.rp_filter', line: 22 }),
    ]);
  });

  it('expands a family parameter assigned literals into one name per family', () => {
    const neighbour = `
#define NEIGH_SYSCTL_ENTRY(attr, data_attr, name, mval, proc) \\
	[NEIGH_VAR_ ## attr] = { \\
		.procname	= name, \\
		.data		= NEIGH_VAR_PTR(data_attr), \\
		.maxlen		= sizeof(int), \\
		.mode		= mval, \\
		.proc_handler	= proc, \\
	}
#define NEIGH_SYSCTL_JIFFIES_ENTRY(attr, name) \\
	NEIGH_SYSCTL_ENTRY(attr, attr, name, 0644, proc_dointvec_jiffies)

static struct neigh_sysctl_table {
	struct ctl_table_header *sysctl_header;
	struct ctl_table neigh_vars[NEIGH_VAR_MAX + 1];
} neigh_sysctl_template __read_mostly = {
	.neigh_vars = {
		NEIGH_SYSCTL_JIFFIES_ENTRY(GC_STALETIME, "gc_stale_time"),
	},
};

int neigh_sysctl_register(struct net_device *dev, struct neigh_parms *p)
{
	struct neigh_sysctl_table *t;
	const char *dev_name_source;
	char neigh_path[sizeof("net//neigh/") + IFNAMSIZ + IFNAMSIZ];
	char *p_name;

	t = kmemdup(&neigh_sysctl_template, sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (dev)
		dev_name_source = dev->name;
	else
		dev_name_source = "default";
	switch (neigh_parms_family(p)) {
	case AF_INET:
	      p_name = "ipv4";
	      break;
	case AF_INET6:
	      p_name = "ipv6";
	      break;
	}
	snprintf(neigh_path, sizeof(neigh_path), "net/%s/neigh/%s",
		p_name, dev_name_source);
	t->sysctl_header = register_net_sysctl(neigh_parms_net(p), neigh_path, t->neigh_vars);
	return 0;
}
`;
    const entries = scan({ 'net/core/neighbour.c': neighbour });
    expect(entries.map((e) => [e.name, e.type, e.line])).toEqual([
      ['net.ipv4.neigh.<interface>.gc_stale_time', 'jiffies', 18],
      ['net.ipv6.neigh.<interface>.gc_stale_time', 'jiffies', 18],
    ]);
    // Without neigh_table_init's line, nothing says where a table's own parameters live.
    expect(entries.map((e) => [e.registered, e.instancesRegistered])).toEqual([[['per-net'], undefined], [['per-net'], undefined]]);

    const tableInit = `
void neigh_table_init(int index, struct neigh_table *tbl)
{
	INIT_LIST_HEAD(&tbl->parms_list);
	list_add(&tbl->parms.list, &tbl->parms_list);
	write_pnet(&tbl->parms.net, &init_net);
}
`;
    const withInit = scan({ 'net/core/neighbour.c': neighbour + tableInit });
    expect(withInit.map((e) => [e.name, e.registered, e.instancesRegistered])).toEqual([
      ['net.ipv4.neigh.<interface>.gc_stale_time', ['per-net'], { default: ['init-net'] }],
      ['net.ipv6.neigh.<interface>.gc_stale_time', ['per-net'], { default: ['init-net'] }],
    ]);
    // A namespace argument that is not the parameters' own says nothing of the named instance.
    const deviceNamespace = neighbour.replace('register_net_sysctl(neigh_parms_net(p)', 'register_net_sysctl(dev_net(dev)') + tableInit;
    expect(scan({ 'net/core/neighbour.c': deviceNamespace }).map((e) => e.instancesRegistered)).toEqual([undefined, undefined]);
  });

  it('leaves a path null when a % part cannot be placed', () => {
    expect(expandFormat('dev/parport/%s/devices', ['port->name'], '')).toBeNull();
    expect(expandFormat('net/mpls/conf/%s', ['dev->name'], '')).toEqual([['net', 'mpls', 'conf', '<interface>']]);
  });
});

describe('other registration shapes', () => {
  it('follows a table copied by a helper function in another file', () => {
    const route = `
static struct ctl_table ipv6_route_table_template[] = {
	{ .procname = "gc_thresh", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ }
};
struct ctl_table * __net_init ipv6_route_sysctl_init(struct net *net)
{
	struct ctl_table *table;

	table = kmemdup(ipv6_route_table_template, sizeof(ipv6_route_table_template), GFP_KERNEL);
	return table;
}
`;
    const sysctlIpv6 = `
static int __net_init ipv6_sysctl_net_init(struct net *net)
{
	struct ctl_table *ipv6_route_table;

	ipv6_route_table = ipv6_route_sysctl_init(net);
	net->ipv6.sysctl.route_hdr = register_net_sysctl(net, "net/ipv6/route", ipv6_route_table);
	return 0;
}
`;
    const entries = scan({ 'net/ipv6/route.c': route, 'net/ipv6/sysctl_net_ipv6.c': sysctlIpv6 });
    expect(entries.map((e) => e.name)).toEqual(['net.ipv6.route.gc_thresh']);
  });

  it('reads 6.1 DECLARE_SYSCTL_BASE, #define paths and per-namespace sets', () => {
    const entries = scan({
      'kernel/sysctl.c': `
static struct ctl_table kern_table[] = {
	{ .procname = "panic", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ }
};
DECLARE_SYSCTL_BASE(kernel, kern_table);
`,
      'net/mptcp/ctrl.c': `
#define MPTCP_SYSCTL_PATH "net/mptcp"
static struct ctl_table mptcp_sysctl_table[] = {
	{ .procname = "enabled", .maxlen = sizeof(u8), .mode = 0644, .proc_handler = proc_dou8vec_minmax,
	  .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_ONE },
	{ }
};
static int mptcp_pernet_new_table(struct net *net)
{
	hdr = register_net_sysctl_sz(net, MPTCP_SYSCTL_PATH, mptcp_sysctl_table, 1);
}
`,
      'ipc/mq_sysctl.c': `
static struct ctl_table mq_sysctls[] = {
	{ .procname = "queues_max", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	{ }
};
bool setup_mq_sysctls(struct ipc_namespace *ns)
{
	tbl = kmemdup(mq_sysctls, sizeof(mq_sysctls), GFP_KERNEL);
	ns->mq_sysctls = __register_sysctl_table(&ns->mq_set, "fs/mqueue", tbl);
}
`,
    });
    expect(entries.map((e) => e.name).sort()).toEqual(['fs.mqueue.queues_max', 'kernel.panic', 'net.mptcp.enabled']);
    expect(byName(entries, 'net.mptcp.enabled')?.type).toBe('boolean');
  });

  it('keeps both procnames of an #if/#else entry, and unregistered tables as name null', () => {
    const entries = scan({
      'arch/x86/entry/vdso/vdso32-setup.c': `
static const struct ctl_table vdso_table[] = {
	{
#ifdef CONFIG_X86_64
		.procname	= "vsyscall32",
#else
		.procname	= "vdso_enabled",
#endif
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
	},
};
static const struct ctl_table lonely[] = {
	{ .procname = "lonely", .mode = 0644, .proc_handler = proc_dointvec },
};
static __init int ia32_binfmt_init(void)
{
	register_sysctl("abi", vdso_table);
	return 0;
}
`,
    });
    expect(entries.map((e) => [e.name ?? e.procname, e.line])).toEqual([['abi.vsyscall32', 5], ['abi.vdso_enabled', 7], ['lonely', 15]]);
    expect(entries[2]?.name).toBeNull();
  });

  it('names 5.10 sched_domain entries built with set_table_entry', () => {
    const entries = scan({
      'kernel/sched/debug.c': `
static void
set_table_entry(struct ctl_table *entry, const char *procname, void *data, int maxlen, umode_t mode, proc_handler *proc_handler)
{
}
static struct ctl_table *
sd_alloc_ctl_domain_table(struct sched_domain *sd)
{
	set_table_entry(&table[0], "min_interval",	  &sd->min_interval,	    sizeof(long), 0644, proc_doulongvec_minmax);
	set_table_entry(&table[7], "name",		  sd->name,	       CORENAME_MAX_SIZE, 0444, proc_dostring);
	return table;
}
`,
    });
    expect(entries).toEqual([
      { file: 'kernel/sched/debug.c', line: 9, name: 'kernel.sched_domain.<cpu>.<domain>.min_interval', procname: 'min_interval', mode: '0644', handler: 'proc_doulongvec_minmax', type: 'long', min: null, max: null, registered: ['global'] },
      { file: 'kernel/sched/debug.c', line: 10, name: 'kernel.sched_domain.<cpu>.<domain>.name', procname: 'name', mode: '0444', handler: 'proc_dostring', type: 'string', min: null, max: null, registered: ['global'] },
    ]);
  });
});

describe('which network namespaces a registration gives a table', () => {
  const entry = (procname: string) => `	{ .procname = "${procname}", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },`;
  const table = (name: string, ...procnames: string[]) => `static struct ctl_table ${name}[] = {\n${procnames.map(entry).join('\n')}\n	{ }\n};\n`;
  const registeredAs = (entries: CtlTableEntry[]) => Object.fromEntries(entries.filter((e) => e.name !== null).map((e) => [e.name, e.registered]));

  it('per-net for a namespace being set up, init-net for &init_net, global without a namespace', () => {
    const entries = scan({
      'net/ipv4/sysctl_net_ipv4.c': `${table('ipv4_table', 'tcp_mem')}${table('ipv4_net_table', 'tcp_syncookies')}
static __net_init int ipv4_sysctl_init_net(struct net *net)
{
	struct ctl_table *table = ipv4_net_table;

	if (!net_eq(net, &init_net))
		table = kmemdup(table, sizeof(ipv4_net_table), GFP_KERNEL);
	net->ipv4.ipv4_hdr = register_net_sysctl(net, "net/ipv4", table);
	return 0;
}
static __init int sysctl_ipv4_init(void)
{
	hdr = register_net_sysctl(&init_net, "net/ipv4", ipv4_table);
	return 0;
}
`,
      'net/core/dev.c': `${table('dev_table', 'by_device')}
static int dev_sysctl_register(struct net_device *dev)
{
	hdr = register_net_sysctl_sz(dev_net(dev), "net/core/dev", dev_table, 1);
	return 0;
}
`,
      'net/foo/sysctl.c': `${table('foo_table', 'shared')}
static int __init foo_init(void)
{
	register_sysctl("net/foo", foo_table);
	return 0;
}
`,
    });
    expect(registeredAs(entries)).toEqual({
      'net.ipv4.tcp_syncookies': ['per-net'],
      'net.ipv4.tcp_mem': ['init-net'],
      'net.core.dev.by_device': ['per-net'],
      'net.foo.shared': ['global'],
    });
  });

  it('follows .child links and a helper\'s copy to the registration', () => {
    const entries = scan({
      'net/core/sysctl_net_core.c': `${table('core_table', 'rmem_max')}
static struct ctl_table net_table[] = {
	{ .procname = "core", .mode = 0555, .child = core_table },
	{ }
};
static __init int sysctl_core_init(void)
{
	register_net_sysctl(&init_net, "net", net_table);
	return 0;
}
`,
      'net/ipv6/route.c': `${table('ipv6_route_table_template', 'gc_thresh')}
struct ctl_table * __net_init ipv6_route_sysctl_init(struct net *net)
{
	struct ctl_table *table;

	table = kmemdup(ipv6_route_table_template, sizeof(ipv6_route_table_template), GFP_KERNEL);
	return table;
}
`,
      'net/ipv6/sysctl_net_ipv6.c': `
static int __net_init ipv6_sysctl_net_init(struct net *net)
{
	struct ctl_table *ipv6_route_table;

	ipv6_route_table = ipv6_route_sysctl_init(net);
	net->ipv6.sysctl.route_hdr = register_net_sysctl(net, "net/ipv6/route", ipv6_route_table);
	return 0;
}
`,
    });
    expect(registeredAs(entries)).toEqual({ 'net.core.rmem_max': ['init-net'], 'net.ipv6.route.gc_thresh': ['per-net'] });
  });

  it('init-net for a per-namespace init\'s branch that runs for the initial namespace only', () => {
    const entries = scan({
      'net/netfilter/nf_log.c': `${table('nf_log_sysctl_table', 'nf_log_0')}${table('nf_log_sysctl_ftable', 'nf_log_all_netns')}${table('other_table', 'other')}
static int netfilter_log_sysctl_init(struct net *net)
{
	struct ctl_table *table;

	table = nf_log_sysctl_table;
	if (!net_eq(net, &init_net)) {
		table = kmemdup(nf_log_sysctl_table, sizeof(nf_log_sysctl_table), GFP_KERNEL);
	} else {
		nf_log_sysctl_fhdr = register_net_sysctl(net, "net/netfilter", nf_log_sysctl_ftable);
	}
	if (net_eq(&init_net, net)) {
		register_net_sysctl(net, "net/netfilter/once", other_table);
	}
	net->nf.nf_log_dir_header = register_net_sysctl(net, "net/netfilter/nf_log", table);
	return 0;
}
`,
    });
    expect(registeredAs(entries)).toEqual({
      'net.netfilter.nf_log_all_netns': ['init-net'],
      'net.netfilter.once.other': ['init-net'],
      'net.netfilter.nf_log.nf_log_0': ['per-net'],
    });
  });

  it('keeps every kind of a name registered several ways, sorted, and none for an unregistered table', () => {
    const entries = scan({
      'net/bar/sysctl.c': `${table('bar_table', 'twice')}${table('lonely', 'unnamed')}
static __net_init int bar_net_init(struct net *net)
{
	register_net_sysctl(&init_net, "net/bar", bar_table);
	return 0;
}
static int __init bar_init(void)
{
	register_sysctl("net/bar", bar_table);
	register_net_sysctl(net, "net/baz", bar_table);
	return 0;
}
`,
    });
    expect(registeredAs(entries)).toEqual({ 'net.bar.twice': ['global', 'init-net'], 'net.baz.twice': ['per-net'] });
    expect(entries.find((e) => e.procname === 'unnamed')).not.toHaveProperty('registered');
  });
});

/** Writes files given as { path: text } under a new temporary folder and runs `body` on it. */
async function inTree(files: Record<string, string>, body: (root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'ctl-table-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, file)), { recursive: true });
      await writeFile(join(root, file), text);
    }
    await body(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('scanCtlTables', () => {
  it('works out bounds from the headers a file includes, with the kernel configuration', async () => {
    await inTree({
      'include/linux/sysctl.h': SYSCTL_H_510,
      'fs/proc/proc_sysctl.c': SYSCTL_C_510,
      'include/linux/ipc_namespace.h': '#ifndef _IPC_NS_H\n#define _IPC_NS_H\n#include <linux/threads.h>\n#define MIN_MSGMAX 1\n#define HARD_MSGMAX 65536\n#endif\n',
      'include/linux/threads.h': `#include <asm/page.h>
#define PID_MAX_DEFAULT (IS_ENABLED(CONFIG_BASE_SMALL) ? 0x1000 : 0x8000)
#define PID_MAX_LIMIT (IS_ENABLED(CONFIG_BASE_SMALL) ? PAGE_SIZE * 8 : \\
	(sizeof(long) > 4 ? 4 * 1024 * 1024 : PID_MAX_DEFAULT))
#ifdef CONFIG_SMP
#define NR_SHARDS 64
#else
#define NR_SHARDS 1
#endif
`,
      // No arch/x86/include/asm/page.h: x86 uses the generic one.
      'include/asm-generic/page.h': '#define PAGE_SHIFT 12\n#define PAGE_SIZE (1UL << PAGE_SHIFT)\n',
      'ipc/limits.h': 'enum { SHARD_FIRST, SHARD_LAST = NR_SHARDS - 1 };\n',
      'ipc/mq_sysctl.c': `#include <linux/ipc_namespace.h>
#include "limits.h"
static int msg_max_limit_min = MIN_MSGMAX;
static int msg_max_limit_max = HARD_MSGMAX;
static int pid_max_max = PID_MAX_LIMIT;
static int shard_max = SHARD_LAST;
static const unsigned long timeout_max = LONG_MAX / HZ;
static struct ctl_table mq_sysctls[] = {
	{ .procname = "msg_max", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
	  .extra1 = &msg_max_limit_min, .extra2 = &msg_max_limit_max },
	{ .procname = "pids", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra2 = &pid_max_max },
	{ .procname = "shard", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra2 = &shard_max },
	{ .procname = "timeout", .maxlen = sizeof(long), .mode = 0644, .proc_handler = proc_doulongvec_minmax, .extra2 = (void *)&timeout_max },
	{ }
};
static int __init mq_init(void)
{
	register_sysctl("fs/mqueue", mq_sysctls);
}
`,
    }, async (root) => {
      const config = new Map([['CONFIG_HZ', '250'], ['CONFIG_SMP', 'y']]);
      const bounds = (entries: CtlTableEntry[]) => Object.fromEntries(entries.map((e) => [e.procname, [e.min, e.max]]));
      expect(bounds(await scanCtlTables(root, config))).toEqual({
        msg_max: ['1', '65536'], pids: [null, '4194304'], shard: [null, '63'], timeout: [null, '36893488147419103'],
      });
      // Without a configuration, what depends on one stays unknown.
      expect(bounds(await scanCtlTables(root))).toEqual({
        msg_max: ['1', '65536'], pids: [null, null], shard: [null, null], timeout: [null, null],
      });
    });
  });

  it("takes a field given in each branch of an #ifdef from the branch the kernel's configuration compiles", async () => {
    await inTree({
      'include/linux/sysctl.h': SYSCTL_H_510,
      'fs/proc/proc_sysctl.c': SYSCTL_C_510,
      'net/core/sysctl_net_core.c': `static int two = 2;
static struct ctl_table net_core_table[] = {
	{
		.procname	= "bpf_jit_enable",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
# ifdef CONFIG_BPF_JIT_ALWAYS_ON
		.extra1		= SYSCTL_ONE,
		.extra2		= SYSCTL_ONE,
# else
		.extra1		= SYSCTL_ZERO,
		.extra2		= &two,
# endif
	},
	{ }
};
static int __init init(void)
{
	register_sysctl("net/core", net_core_table);
}
`,
    }, async (root) => {
      const bounds = (entries: CtlTableEntry[]) => entries.map((e) => [e.name, e.min, e.max]);
      // Debian: CONFIG_BPF_JIT_ALWAYS_ON is not set.
      expect(bounds(await scanCtlTables(root, new Map()))).toEqual([['net.core.bpf_jit_enable', '0', '2']]);
      expect(bounds(await scanCtlTables(root, new Map([['CONFIG_BPF_JIT_ALWAYS_ON', 'y']])))).toEqual([['net.core.bpf_jit_enable', '1', '1']]);
    });
  });

  it('reads a bound another file defines, when no built file may change it', async () => {
    await inTree({
      'include/linux/sysctl.h': SYSCTL_H_510,
      'fs/proc/proc_sysctl.c': SYSCTL_C_510,
      'kernel/sysctl.c': `
extern int pid_max_min, pid_max_max;
extern int rnd_bits_max, written_max, other_static;
static struct ipv4_devconf devconf = { .data = { 1 } };
static struct ctl_table kern_table[] = {
	{ .procname = "conf", .maxlen = sizeof(int), .mode = 0644, .proc_handler = devinet_conf_proc, .extra1 = &devconf },
	{ .procname = "pid_max", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
	  .extra1 = &pid_max_min, .extra2 = &pid_max_max },
	{ .procname = "rnd_bits", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra2 = (void *)&rnd_bits_max },
	{ .procname = "written", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra2 = &written_max },
	{ .procname = "other", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra2 = &other_static },
	{ }
};
static int __init sysctl_init(void)
{
	register_sysctl("kernel", kern_table);
}
`,
      'kernel/pid.c': `
#define PID_MAX_LIMIT (4 * 1024 * 1024)
int pid_max_min = 301;
int pid_max_max = PID_MAX_LIMIT;
void __init pid_idr_init(void)
{
	pid_max_min = max_t(int, pid_max_min, 8 * num_possible_cpus());
}
`,
      'mm/mmap.c': 'int rnd_bits_max __ro_after_init = 32;\nint written_max = 10;\n',
      // Not built for amd64.
      'arch/riscv/mm/init.c': 'void __init setup(void)\n{\n\trnd_bits_max = 24;\n}\n',
      'mm/util.c': 'void set(void)\n{\n\tWRITE_ONCE(written_max, 5);\n}\n',
      'net/other.c': 'static int other_static = 3;\n',
    }, async (root) => {
      const entries = await scanCtlTables(root);
      const bounds = Object.fromEntries(entries.map((e) => [e.procname, [e.min, e.max]]));
      expect(bounds).toEqual({ conf: [null, null], pid_max: [null, '4194304'], rnd_bits: [null, '32'], written: [null, null], other: [null, null] });
      // No integer: a struct its handler reads, no bound.
      expect(entries.find((e) => e.procname === 'conf')?.openBounds).toBeUndefined();
      // The boot code of pid_max_min's own file raises it with the CPU count.
      expect(entries.find((e) => e.procname === 'pid_max')?.openBounds).toEqual({
        min: { written: '&pid_max_min', boot: { file: 'kernel/pid.c', line: 7, initial: '301', perPossibleCpu: '8' } },
      });
      expect(entries.find((e) => e.procname === 'written')?.openBounds).toEqual({ max: { written: '&written_max' } });
    });
  });

  it('states what boot code makes of a bound: a boot parameter, or nothing it cannot say exactly', async () => {
    await inTree({
      'include/linux/sysctl.h': SYSCTL_H_510,
      'fs/proc/proc_sysctl.c': SYSCTL_C_510,
      'ipc/ipc_sysctl.c': `
#define IPCMNI (1 << 15)
#define IPCMNI_EXTEND (1 << 24)
int ipc_mni = IPCMNI;
static int computed = 10;
static int late = 5;
static struct ctl_table ipc_sysctls[] = {
	{ .procname = "shmmni", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra2 = &ipc_mni },
	{ .procname = "computed", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra2 = &computed },
	{ .procname = "late", .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra2 = &late },
	{ }
};
static int __init ipc_mni_extend(char *str)
{
	ipc_mni = IPCMNI_EXTEND;
	return 0;
}
early_param("ipcmni_extend", ipc_mni_extend);
static int __init setup(void)
{
	computed = totalram_pages() / 8;
	register_sysctl("kernel", ipc_sysctls);
}
static void later(void)
{
	late = 6;
}
`,
    }, async (root) => {
      const open = Object.fromEntries((await scanCtlTables(root)).map((e) => [e.procname, e.openBounds?.max]));
      expect(open).toEqual({
        shmmni: { written: '&ipc_mni', boot: { file: 'ipc/ipc_sysctl.c', line: 15, initial: '32768', parameter: { name: 'ipcmni_extend', value: '16777216' } } },
        computed: { written: '&computed' },
        late: { written: '&late' },
      });
    });
  });

  it('scans a tree, reading SYSCTL_* from its own include/linux/sysctl.h', async () => {
    await inTree({
      'include/linux/sysctl.h': SYSCTL_H_510,
      'fs/proc/proc_sysctl.c': `${SYSCTL_C_510}struct ctl_table sysctl_mount_point[] = { { } };\n`,
      'fs/inotify.c': `
static struct ctl_table inotify_table[] = {
	{ .procname = "max_user_instances", .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_minmax, .extra1 = SYSCTL_ZERO },
	{ }
};
static int __init inotify_user_setup(void)
{
	register_sysctl("fs/inotify", inotify_table);
}
`,
      'fs/unrelated.c': 'int x;\n',
    }, async (root) => {
      expect(await scanCtlTables(root)).toEqual([
        { file: 'fs/inotify.c', line: 3, name: 'fs.inotify.max_user_instances', procname: 'max_user_instances', mode: '0644', handler: 'proc_dointvec_minmax', type: 'integer', min: '0', max: null, registered: ['global'] },
      ]);
    });
  });
});

describe('a bound that is another sysctl', () => {
  const entry = (name: string, data: string, openBounds?: CtlTableEntry['openBounds']): CtlTableEntry => ({
    file: name.startsWith('net') ? 'net/sctp/sysctl.c' : 'kernel/sched/deadline.c', line: 1, name, procname: name.split('.').at(-1) ?? '', mode: '0644',
    handler: 'proc_dointvec_minmax', type: 'integer', min: null, max: null, data, ...(openBounds === undefined ? {} : { openBounds }),
  });

  it('names the sysctl whose variable it is, a static by its file', () => {
    const entries = boundSysctls([
      entry('net.sctp.rto_min', 'init_net.sctp.rto_min', { max: { written: '&init_net.sctp.rto_max' } }),
      entry('net.sctp.rto_max', 'init_net.sctp.rto_max', { min: { written: '&init_net.sctp.rto_min' } }),
      entry('kernel.sched_deadline_period_max_us', 'kernel/sched/deadline.c:sysctl_sched_dl_period_max', { min: { written: '&sysctl_sched_dl_period_min' } }),
      entry('kernel.sched_deadline_period_min_us', 'kernel/sched/deadline.c:sysctl_sched_dl_period_min'),
      entry('net.sctp.other', 'init_net.sctp.other', { max: { written: '&min_sndbuf' } }),
    ]);
    expect(entries.map((e) => e.openBounds)).toEqual([
      { max: { written: '&init_net.sctp.rto_max', sysctl: 'net.sctp.rto_max' } },
      { min: { written: '&init_net.sctp.rto_min', sysctl: 'net.sctp.rto_min' } },
      { min: { written: '&sysctl_sched_dl_period_min', sysctl: 'kernel.sched_deadline_period_min_us' } },
      undefined,
      { max: { written: '&min_sndbuf' } },
    ]);
  });
});

/** Cut down from arch/arm64/kernel/armv8_deprecated.c of 7.2: one table entry per emulated instruction, filled at run time. */
const ARMV8_DEPRECATED_72 = `#include <asm/insn.h>
struct insn_emulation {
	const char			*name;
	enum legacy_insn_status		status;
	int current_mode;
	int min;
	int max;
	struct ctl_table sysctl;
};

#ifdef CONFIG_SWP_EMULATION
static struct insn_emulation insn_swp = {
	.name = "swp",
	.status = INSN_OBSOLETE,
};
#endif /* CONFIG_SWP_EMULATION */

#ifdef CONFIG_SETEND_EMULATION
static struct insn_emulation insn_setend = {
	.name = "setend",
	.status = INSN_DEPRECATED,
};
#endif /* CONFIG_SETEND_EMULATION */

static int emulation_proc_handler(const struct ctl_table *table, int write,
				  void *buffer, size_t *lenp,
				  loff_t *ppos)
{
	return proc_dointvec_minmax(table, write, buffer, lenp, ppos);
}

static void __init register_insn_emulation(struct insn_emulation *insn)
{
	struct ctl_table *sysctl;

	insn->min = INSN_UNDEF;
	if (insn->status != INSN_UNAVAILABLE) {
		sysctl = &insn->sysctl;

		sysctl->mode = 0644;
		sysctl->maxlen = sizeof(int);

		sysctl->procname = insn->name;
		sysctl->data = &insn->current_mode;
		sysctl->extra1 = &insn->min;
		sysctl->extra2 = &insn->max;
		sysctl->proc_handler = emulation_proc_handler;

		register_sysctl_sz("abi", sysctl, 1);
	}
}
`;

/** The same in 6.1: the names are in the ops each emulation points to, and one table holds them all. */
const ARMV8_DEPRECATED_61 = `struct insn_emulation_ops {
	const char		*name;
	enum legacy_insn_status	status;
};

struct insn_emulation {
	struct list_head node;
	struct insn_emulation_ops *ops;
	int current_mode;
	int min;
	int max;
};

static void __init register_insn_emulation_sysctl(void)
{
	int i = 0;
	struct insn_emulation *insn;
	struct ctl_table *insns_sysctl, *sysctl;

	insns_sysctl = kcalloc(nr_insn_emulated + 1, sizeof(*sysctl),
			       GFP_KERNEL);
	list_for_each_entry(insn, &insn_emulation, node) {
		sysctl = &insns_sysctl[i];

		sysctl->mode = 0644;
		sysctl->maxlen = sizeof(int);

		sysctl->procname = insn->ops->name;
		sysctl->data = &insn->current_mode;
		sysctl->extra1 = &insn->min;
		sysctl->extra2 = &insn->max;
		sysctl->proc_handler = emulation_proc_handler;
		i++;
	}
	register_sysctl("abi", insns_sysctl);
}

static int emulation_proc_handler(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos)
{
	return proc_dointvec_minmax(table, write, buffer, lenp, ppos);
}

static struct insn_emulation_ops swp_ops = {
	.name = "swp",
	.status = INSN_OBSOLETE,
};

static struct insn_emulation_ops cp15_barrier_ops = {
	.name = "cp15_barrier",
	.status = INSN_DEPRECATED,
};
`;

describe('a table filled at run time, one entry per object of a struct', () => {
  it('names each entry by the object that gives it its name, at that line, with the fields the function assigns', () => {
    const [swp, setend] = scan({ 'arch/arm64/kernel/armv8_deprecated.c': ARMV8_DEPRECATED_72 });
    expect(swp).toMatchObject({
      name: 'abi.swp', procname: 'swp', file: 'arch/arm64/kernel/armv8_deprecated.c', line: 12, mode: '0644',
      handler: 'emulation_proc_handler', type: 'integer', registered: ['global'],
      // Set at run time from each instruction's status: no constant, so written as the source has it.
      min: null, max: null, openBounds: { min: { written: '&insn->min' }, max: { written: '&insn->max' } },
    });
    expect(setend).toMatchObject({ name: 'abi.setend', line: 19 });
  });

  it('follows a member chain to the struct that holds the name (6.1: insn->ops->name)', () => {
    const entries = scan({ 'arch/arm64/kernel/armv8_deprecated.c': ARMV8_DEPRECATED_61 });
    expect(entries.map((e) => [e.name, e.line, e.handler, e.type])).toEqual([
      ['abi.swp', 43, 'emulation_proc_handler', 'integer'],
      ['abi.cp15_barrier', 48, 'emulation_proc_handler', 'integer'],
    ]);
  });

  it("decides an architecture's #ifs with that architecture's configuration, and finds its <asm/…> headers", async () => {
    await inTree({
      'include/linux/sysctl.h': SYSCTL_H_61,
      'fs/proc/proc_sysctl.c': SYSCTL_C_61,
      'arch/arm64/include/asm/insn.h': '#define INSN_MODE 0600\n',
      'arch/x86/include/asm/insn.h': '#define INSN_MODE 0444\n',
      'arch/arm64/kernel/armv8_deprecated.c': ARMV8_DEPRECATED_72.replace('sysctl->mode = 0644;', 'sysctl->mode = INSN_MODE;'),
    }, async (root) => {
      const amd64 = new Map([['CONFIG_HZ', '250']]);
      const arm64 = new Map([['CONFIG_SWP_EMULATION', 'y']]);
      const found = (entries: CtlTableEntry[]) => entries.map((e) => [e.name, e.mode]);
      // arm64 builds swp's emulation and not setend's, and its own insn.h gives the mode.
      expect(found(await scanCtlTables(root, amd64, new Map([['arm64', arm64]])))).toEqual([['abi.swp', '0600']]);
      // Read with amd64's configuration alone, neither object is compiled.
      expect(found(await scanCtlTables(root, amd64))).toEqual([]);
    });
  });
});
