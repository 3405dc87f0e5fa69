import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, expandDefine, lookupThrough, parseDefines, parseVariables, readConstants, typeOfWords } from '../../scripts/docs/c-constants.ts';
import type { KernelConfig } from '../../scripts/docs/c-constants.ts';
import { findKernelConfig, parseKernelConfig } from '../../scripts/docs/kernel-config.ts';

const none = () => null;
/** 6.12's amd64 options that the tests below ask about. */
const config: KernelConfig = new Map([['CONFIG_HZ', '250'], ['CONFIG_SMP', 'y'], ['CONFIG_IPV6', 'm'], ['CONFIG_PAGE_SHIFT', '12'], ['CONFIG_LOCALVERSION', '""'], ['CONFIG_MAX_SKB_FRAGS', '45']]);

/** An environment of these object- and function-like macros, with or without a configuration. */
function macros(text: string, withConfig = true) {
  const defines = parseDefines(text);
  return lookupThrough((name) => defines.get(name), withConfig ? config : undefined);
}

describe('constant expressions as C evaluates them on amd64', () => {
  it('reads the conditional operator, comparisons and logic, short-circuiting what is not evaluated', () => {
    expect(evaluate('1 ? 2 : 3', none)).toBe(2n);
    expect(evaluate('0 ? 2 : 3 + 4', none)).toBe(7n);
    expect(evaluate('3 > 2 && 2 >= 2 && 1 != 2 && !(1 == 2)', none)).toBe(1n);
    expect(evaluate('0 && UNKNOWN', none)).toBe(0n);
    expect(evaluate('UNKNOWN || 1', none)).toBe(1n);
    expect(evaluate('UNKNOWN && 1', none)).toBeNull();
    // The branch not taken may name what is undefined in this configuration.
    expect(evaluate('1 ? 5 : UNKNOWN', none)).toBe(5n);
    expect(evaluate('UNKNOWN ? 5 : 5', none)).toBeNull();
    expect(evaluate('1 ? -1 : UNKNOWN', none)).toBeNull();
  });

  it('types literals and converts operands as C does', () => {
    expect(evaluate('-1 < 0U', none)).toBe(0n);
    expect(evaluate('-1 < 0L', none)).toBe(1n);
    expect(evaluate('~0U', none)).toBe(4294967295n);
    expect(evaluate('-1UL', none)).toBe(18446744073709551615n);
    expect(evaluate('0xffffffff + 1', none)).toBe(0n);
    expect(evaluate('4294967295 + 1', none)).toBe(4294967296n);
    expect(evaluate('(u32)-1', none)).toBe(4294967295n);
    expect(evaluate('(unsigned char)300', none)).toBe(44n);
    expect(evaluate('(bool)7', none)).toBe(1n);
    // The kernel builds with -fno-strict-overflow: GCC wraps signed results too.
    expect(evaluate('2147483647 + 1', none)).toBe(-2147483648n);
    expect(evaluate('1 << 31', none)).toBe(-2147483648n);
    expect(evaluate('1U << 31', none)).toBe(2147483648n);
    expect(evaluate('1 << 32', none)).toBeNull();
    expect(evaluate('-7 / 2', none)).toBe(-3n);
    expect(evaluate('LONG_MAX / 250', (n) => (n === 'LONG_MAX' ? 2n ** 63n - 1n : null))).toBe(36893488147419103n);
    expect(evaluate('ULONG_MAX', lookupThrough(() => undefined))).toBe(2n ** 64n - 1n);
  });

  it('knows the sizes of basic types and pointers on LP64, not of structs or objects', () => {
    expect(evaluate('sizeof(long) > 4 ? 4 * 1024 * 1024 : 32768', none)).toBe(4194304n);
    expect(evaluate('sizeof(unsigned int)', none)).toBe(4n);
    expect(evaluate('sizeof(u16) * 3', none)).toBe(6n);
    expect(evaluate('sizeof(void *)', none)).toBe(8n);
    expect(evaluate('sizeof(struct sk_buff)', none)).toBeNull();
    expect(evaluate('sizeof(x)', none)).toBeNull();
    expect(typeOfWords(['unsigned', 'long', 'long'])).toEqual({ bits: 64, unsigned: true });
    expect(typeOfWords(['struct', 'x'])).toBeNull();
  });

  it('builds in min, max, min_t, max_t and BIT, whose kernel bodies are type checks', () => {
    expect(evaluate('min(3, 5) + max(3, 5)', none)).toBe(8n);
    expect(evaluate('max_t(int, -1, 0U)', none)).toBe(0n);
    expect(evaluate('min_t(u8, 300, 100)', none)).toBe(44n);
    expect(evaluate('BIT(3) | BIT_ULL(0)', none)).toBe(9n);
    expect(evaluate('BIT(64)', none)).toBeNull();
    expect(evaluate('GENMASK(3, 1)', none)).toBe(14n);
    expect(evaluate('GENMASK_U8(7, 0) + 1', none)).toBe(256n);
    expect(evaluate('GENMASK(1, 3)', none)).toBeNull();
  });

  it('reads IS_ENABLED and friends from the configuration, and nothing without one', () => {
    const env = macros('');
    expect(evaluate('IS_ENABLED(CONFIG_SMP) + IS_ENABLED(CONFIG_IPV6) + IS_ENABLED(CONFIG_BASE_SMALL)', env)).toBe(2n);
    expect(evaluate('IS_BUILTIN(CONFIG_IPV6)', env)).toBe(0n);
    expect(evaluate('IS_MODULE(CONFIG_IPV6)', env)).toBe(1n);
    expect(evaluate('IS_ENABLED(CONFIG_SMP)', macros('', false))).toBeNull();
  });

  it('takes HZ and numeric options from the configuration', () => {
    expect(evaluate('LONG_MAX / HZ', macros(''))).toBe(36893488147419103n);
    expect(evaluate('UINT_MAX / HZ', macros(''))).toBe(17179869n);
    expect(evaluate('CONFIG_PAGE_SHIFT + CONFIG_SMP', macros(''))).toBe(13n);
    expect(evaluate('CONFIG_LOCALVERSION', macros(''))).toBeNull();
    expect(evaluate('100 * HZ', macros('', false))).toBeNull();
  });

  it('expands function-like macros, pasting and nesting', () => {
    const env = macros(`
#define __AC(X,Y)	(X##Y)
#define _AC(X,Y)	__AC(X,Y)
#define PAGE_SIZE	(_AC(1,UL) << CONFIG_PAGE_SHIFT)
#define PID_MAX_DEFAULT (IS_ENABLED(CONFIG_BASE_SMALL) ? 0x1000 : 0x8000)
#define PID_MAX_LIMIT (IS_ENABLED(CONFIG_BASE_SMALL) ? PAGE_SIZE * 8 : \\
	(sizeof(long) > 4 ? 4 * 1024 * 1024 : PID_MAX_DEFAULT))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define LOOP LOOP
`);
    expect(evaluate('2 * PAGE_SIZE', env)).toBe(8192n);
    expect(evaluate('PID_MAX_LIMIT', env)).toBe(4194304n);
    expect(evaluate('DIV_ROUND_UP(10, 4)', env)).toBe(3n);
    expect(evaluate('DIV_ROUND_UP(10)', env)).toBeNull();
    expect(evaluate('LOOP', env)).toBeNull();
    expect(expandDefine({ params: ['x'], body: '#x "-" x##_y' }, ['a'])).toBe('"a" "-" a_y');
  });

  it('converts a variable to its declared type', () => {
    const variables = parseVariables('static unsigned int all = -1;\nstatic u8 small = 257;\nstatic int mask = BIT(0) |\n\tBIT(2);\n', none);
    expect(variables.get('all')?.values).toEqual([4294967295n]);
    expect(variables.get('small')?.values).toEqual([1n]);
    expect(variables.get('mask')?.values).toEqual([5n]);
  });

  it('leaves out a variable the code may change, but not one a local of the same name shadows', () => {
    const variables = parseVariables(`static unsigned int period_max = 1 << 22;
static unsigned int period_min = 100;
static int counted = 0;
static int written = 1;
static int shifted = 8;
static int slots = 16;
static const int limit = 7;
static struct ctl_table t[] = {
	{ .data = &period_max, .extra1 = (void *)&period_min },
	{ .data = &period_min, .extra2 = (void *)&period_max },
	{ .extra1 = (void *)&slots, .extra2 = &limit },
};
static void f(void)
{
	unsigned int slots = 4;

	slots = 8;
	counted++;
	WRITE_ONCE(written, 2);
	shifted >>= 1;
	g(&limit);
}
`, none);
    // Each is the other's sysctl: a bound that moves when that one is written.
    expect(variables.has('period_max')).toBe(false);
    expect(variables.has('period_min')).toBe(false);
    expect([...variables.keys()]).toEqual(['slots', 'limit']);
  });
});

describe('preprocessor conditions decided by the configuration', () => {
  const header = `#ifndef _LINUX_SKBUFF_H
#define _LINUX_SKBUFF_H
#include <linux/compiler.h>
#ifndef CONFIG_MAX_SKB_FRAGS
# define CONFIG_MAX_SKB_FRAGS 17
#endif
#define MAX_SKB_FRAGS CONFIG_MAX_SKB_FRAGS
#ifdef CONFIG_SMP
#define NR_THINGS 64
#include <linux/smp.h>
#else
#define NR_THINGS 1
#include <linux/up.h>
#endif
#if IS_ENABLED(CONFIG_IPV6) && defined(__KERNEL__)
#define HAS_V6 1
#elif defined(SOME_ARCH_THING)
#define HAS_V6 2
#endif
#ifdef __ASSEMBLY__
#define _AC(X,Y) X
#else
#define _AC(X,Y) (X##Y)
#endif
#ifdef MODULE
#define WHERE 1
#endif
#if BITS_UNKNOWN > 32
#define WIDE 1
#else
#define WIDE 0
#endif
#undef GONE
#endif
`;

  it('keeps the branches the configuration compiles and the includes in them', () => {
    const { defines, includes } = readConstants(header, config);
    expect(defines.get('NR_THINGS')?.body).toBe('64');
    expect(defines.get('HAS_V6')?.body).toBe('1');
    expect(defines.get('_AC')?.body).toBe('(X##Y)');
    expect(defines.get('MAX_SKB_FRAGS')?.body).toBe('CONFIG_MAX_SKB_FRAGS');
    // The option is set, so the fallback definition is not compiled.
    expect(defines.has('CONFIG_MAX_SKB_FRAGS')).toBe(false);
    expect(includes.map((i) => i.path)).toEqual(['linux/compiler.h', 'linux/smp.h']);
  });

  it('keeps what it cannot decide: a lone definition counts, two that differ are unknown', () => {
    const { defines } = readConstants(header, config);
    expect(defines.get('WHERE')?.body).toBe('1');
    expect(defines.get('WIDE')).toBeNull();
  });

  it('without a configuration, both branches of an option count', () => {
    const { defines, includes } = readConstants(header);
    expect(defines.get('NR_THINGS')).toBeNull();
    expect(defines.get('_AC')?.body).toBe('(X##Y)');
    expect(includes.map((i) => i.path)).toEqual(['linux/compiler.h', 'linux/smp.h', 'linux/up.h']);
  });

  it('reads the enumerations of compiled code, and a macro naming its own enumerator', () => {
    const constants = readConstants(`enum { A, B = 4, C,
#ifdef CONFIG_SMP
	D,
#else
	X,
#endif
	E };
enum cut {
#ifdef MODULE
	M,
#endif
	N };
enum { IPPROTO_TCP = 6,
#define IPPROTO_TCP IPPROTO_TCP
};
`, config);
    const env = lookupThrough({ define: (n) => constants.defines.get(n), enumerator: (n) => constants.enums.get(n) }, config);
    expect(evaluate('E', env)).toBe(7n);
    expect(constants.enums.has('X')).toBe(false);
    expect(evaluate('N', env)).toBeNull();
    expect(evaluate('IPPROTO_TCP', env)).toBe(6n);
  });

  it('reads #if values of options and of its own macros', () => {
    const { defines } = readConstants(`#define LIMIT 4
#if LIMIT * 2 == 8 && CONFIG_HZ >= 250
#define OK 1
#endif
#if CONFIG_NOT_SET || CONFIG_IPV6_MODULE == 0
#define WRONG 1
#endif
`, config);
    expect(defines.get('OK')?.body).toBe('1');
    expect(defines.has('WRONG')).toBe(false);
  });
});

describe('the kernel configuration', () => {
  const text = `#
# Automatically generated file; DO NOT EDIT.
# Linux/x86 6.12.118 Kernel Configuration
#
CONFIG_HZ=250
CONFIG_SMP=y
CONFIG_IPV6=m
# CONFIG_BASE_SMALL is not set
CONFIG_LOCALVERSION=""
`;

  it('reads options as autoconf.h will define them, and the release', () => {
    const { version, options } = parseKernelConfig(text);
    expect(version).toBe('6.12.118');
    expect([...options]).toEqual([['CONFIG_HZ', '250'], ['CONFIG_SMP', 'y'], ['CONFIG_IPV6', 'm'], ['CONFIG_LOCALVERSION', '""']]);
  });

  it('finds the configuration of the series among unpacked kernel packages', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kernel-config-'));
    try {
      await mkdir(join(root, 'usr/lib/modules/6.12.118+deb13-amd64'), { recursive: true });
      await writeFile(join(root, 'usr/lib/modules/6.12.118+deb13-amd64/config'), text);
      expect((await findKernelConfig(root, '6.12'))?.options.get('CONFIG_HZ')).toBe('250');
      expect(await findKernelConfig(root, '6.1')).toBeNull();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
