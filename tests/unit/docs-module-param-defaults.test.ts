import { describe, expect, it } from 'vitest';
import { changedAtRunTime, constantsIn, firstBranches, formatInteger, mergeConstants, modulesOfMakefile, readParamDefaults, stringValue } from '../../scripts/docs/module-param-defaults.ts';

/** name → value of the defaults read from one file; name → reason of the skipped. */
function read(source: string, headers: string[] = []) {
  const { defaults, skipped } = readParamDefaults(source, 'drivers/x/x.c', headers.map(constantsIn));
  return {
    values: Object.fromEntries(defaults.map((d) => [d.name, d.value])),
    reasons: Object.fromEntries(skipped.map((s) => [s.name, s.reason])),
    defaults,
  };
}

describe('module parameter defaults from C', () => {
  it('reads initialised int, bool and charp variables as sysfs prints them', () => {
    const { values, defaults } = read(`
static int timeout = 30;
module_param(timeout, int, 0644);
static bool enable = true;
module_param(enable, bool, 0444);
static bool quiet = 0;
module_param(quiet, invbool, 0444);
static char *mode = "auto" "matic";
module_param(mode, charp, 0444);
static unsigned int mask = -1;
module_param(mask, uint, 0644);
static unsigned char level = 0x1ff;
module_param(level, byte, 0644);
`);
    expect(values).toEqual({ timeout: '30', enable: 'Y', quiet: 'Y', mode: 'automatic', mask: '4294967295', level: '255' });
    expect(defaults.find((d) => d.name === 'timeout')).toMatchObject({ file: 'drivers/x/x.c', line: 2, type: 'int' });
  });

  it('reads a variable without initialiser as zero, false or NULL: file-scope storage starts at zero', () => {
    const { values } = read(`
static int debug;
module_param(debug, int, 0644);
static bool verbose;
module_param(verbose, bool, 0644);
static char *name;
module_param(name, charp, 0444);
static char label[16];
module_param_string(label, label, sizeof(label), 0444);
`);
    expect(values).toEqual({ debug: '0', verbose: 'N', name: '(null)', label: '' });
  });

  it('resolves #define and enum constants, also from a local header', () => {
    const { values } = read(
      `
#include "x.h"
#define DEFAULT_DEPTH (2 * QUEUE_BASE)
enum { MODE_OFF, MODE_ON = 4, MODE_AUTO };
static unsigned int depth = DEFAULT_DEPTH;
module_param(depth, uint, 0444);
static int mode = MODE_AUTO;
module_param(mode, int, 0444);
static unsigned long limit = ULONG_MAX;
module_param(limit, ulong, 0444);
`,
      ['#define QUEUE_BASE 32\n'],
    );
    expect(values).toEqual({ depth: '64', mode: '5', limit: '18446744073709551615' });
  });

  it('reads module_param_named through to its variable, and standard module_param_cb operations', () => {
    const { values } = read(`
unsigned int nvme_io_timeout = 30;
module_param_named(io_timeout, nvme_io_timeout, uint, 0644);
static bool wc_enabled = true;
module_param_cb(wc, &param_ops_bool, &wc_enabled, 0444);
`);
    expect(values).toEqual({ io_timeout: '30', wc: 'Y' });
  });

  it('reads simple arrays: every element with a NULL count, the counted ones otherwise', () => {
    const { values, reasons } = read(`
static int irq[4] = { 5, 7 };
module_param_array(irq, int, NULL, 0444);
static int io[4];
static int nio;
module_param_array(io, int, &nio, 0444);
static int dma[4] = { [0 ... 3] = -1 };
module_param_array(dma, int, NULL, 0444);
`);
    expect(values).toEqual({ irq: '5,7,0,0', io: '' });
    expect(reasons).toEqual({ dma: 'array not simple' });
  });

  it('skips a variable defined once per configuration, and an initialiser split by #ifdef', () => {
    const { values, reasons } = read(`
#ifdef CONFIG_X_DEBUG
static int debug = 1;
#else
static int debug;
#endif
module_param(debug, int, 0644);
static int level =
#ifdef CONFIG_X_FAST
	3;
#else
	1;
#endif
module_param(level, int, 0644);
`);
    expect(values).toEqual({});
    expect(reasons).toEqual({ debug: 'defined more than once', level: 'config-dependent initialiser' });
  });

  it('skips what is not exact: function calls, config macros, per-config #defines, custom types and operations', () => {
    const { values, reasons } = read(`
#ifdef CONFIG_X_BIG
#define RING 512
#else
#define RING 64
#endif
static unsigned long delay = msecs_to_jiffies(100);
module_param(delay, ulong, 0644);
static bool fast = IS_ENABLED(CONFIG_X_FAST);
module_param(fast, bool, 0644);
static int ring = RING;
module_param(ring, int, 0444);
static int policy;
module_param(policy, x_policy, 0644);
static int rate = 5;
module_param_cb(rate, &x_rate_ops, &rate, 0644);
static int hz = HZ;
module_param(hz, int, 0444);
`);
    expect(values).toEqual({});
    expect(reasons).toEqual({
      delay: 'initialiser not exact',
      fast: 'initialiser not exact',
      ring: 'initialiser not exact',
      policy: 'custom type',
      rate: 'custom operations',
      hz: 'initialiser not exact',
    });
  });

  it('skips a variable the code assigns or hands out by address, but not one it only reads', () => {
    const { values, reasons } = read(`
static int max_ports = 8;
module_param(max_ports, int, 0444);
static int retries = 3;
module_param(retries, int, 0444);
static int budget = 64;
module_param(budget, int, 0444);
static int init(void)
{
	if (max_ports > 16)
		max_ports = 16;
	kstrtoint(buf, 0, &budget);
	return retries == 3;
}
`);
    expect(values).toEqual({ retries: '3' });
    expect(reasons).toEqual({ max_ports: 'assigned at run time', budget: 'assigned at run time' });
  });

  it('prints each type the way kernel/params.c does', () => {
    expect(formatInteger('short', 40000n)).toBe('-25536');
    expect(formatInteger('hexint', 16n)).toBe('0x000010');
    expect(formatInteger('hexint', 0n)).toBeNull();
    expect(formatInteger('bool', 2n)).toBe('Y');
    expect(formatInteger('invbool', 1n)).toBe('N');
    expect(formatInteger('x_policy', 1n)).toBeNull();
    expect(stringValue('"a\\tb\\101"')).toBe('a\tbA');
    expect(stringValue('NAME')).toBeNull();
    expect(changedAtRunTime('x == 1; y = x;', 'x', [])).toBe(false);
    // cpufreq's default_governor: an empty string buffer the init code fills.
    expect(changedAtRunTime('if (!strlen(gov)) strncpy(gov, name, 16);', 'gov', [])).toBe(true);
    expect(changedAtRunTime('n = snprintf(buf, 8, "%s", gov);', 'gov', [])).toBe(false);
  });

  it('drops a #define given two values, and one a build may override', () => {
    const constants = mergeConstants([constantsIn('#define A 1\n#define B 2\n#define B 3\n#ifndef C\n#define C 4\n#endif\n#define D 5\n#define D 5\n'), constantsIn('#define A 1\n#define D 6\n#define E 7\n')]);
    expect(Object.fromEntries(constants)).toEqual({ A: '1', E: '7' });
  });
});

describe('modules of a Makefile', () => {
  it('names an object its own module, and a composite object the module of its parts', () => {
    const modules = modulesOfMakefile(
      `
obj-$(CONFIG_NVME_CORE)			+= nvme-core.o
obj-$(CONFIG_BLK_DEV_NVME)		+= nvme.o
obj-y					+= sub/ helper.o
nvme-core-y				+= core.o ioctl.o \\
					   sysfs.o
nvme-core-$(CONFIG_NVME_MULTIPATH)	+= multipath.o
nvme-y					+= pci.o
# obj-m += old.o
`,
      'drivers/nvme/host',
    );
    expect(Object.fromEntries(modules)).toEqual({
      'drivers/nvme/host/core.o': ['nvme_core'],
      'drivers/nvme/host/ioctl.o': ['nvme_core'],
      'drivers/nvme/host/sysfs.o': ['nvme_core'],
      'drivers/nvme/host/multipath.o': ['nvme_core'],
      'drivers/nvme/host/pci.o': ['nvme'],
      'drivers/nvme/host/helper.o': ['helper'],
    });
  });

  it('lists every module a shared source file is built into', () => {
    const modules = modulesOfMakefile('obj-m += a.o b.o\na-objs := a_main.o common.o\nb-objs := b_main.o common.o\n', 'drivers/y');
    expect(modules.get('drivers/y/common.o')).toEqual(['a', 'b']);
  });
});

describe('file structure across #if branches', () => {
  it('keeps the first branch of each conditional, so brackets opened per branch do not swallow the file', () => {
    const code = 'a\n#ifdef X\n\tpr_warn(\n#else\n\tpr_err(\n#endif\n\t"x");\nb';
    expect(firstBranches(code).split('\n')).toEqual(['a', '#ifdef X', '\tpr_warn(', '     ', '        ', '#endif', '\t"x");', 'b']);
  });

  it('reads a variable defined after such a call', () => {
    const { values } = read(`
static int check(void)
{
#ifdef CONFIG_X
	pr_warn(
#else
	pr_err(
#endif
		"missing\\n");
	return 0;
}
static bool async_probe;
module_param(async_probe, bool, 0644);
`);
    expect(values).toEqual({ async_probe: 'N' });
  });
});
