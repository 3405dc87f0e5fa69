/**
 * Kconfig help texts as the text of sysctls no Documentation describes: where a help text
 * ends, which names in it are sysctls of the tree, and that its words reach the page as
 * text, never as markup.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { toString } from 'mdast-util-to-string';
import { mdxjs } from 'micromark-extension-mdxjs';
import { describe, expect, it } from 'vitest';
import { kconfigDocs, namedSysctls, parseKconfigHelp, scanKconfigHelp } from '../../scripts/docs/kconfig-help.ts';
import { assertMdx } from '../../scripts/docs/rst.ts';
import type { CtlTableEntry } from '#core/schemas/docs.ts';

const TTY_KCONFIG = `# SPDX-License-Identifier: GPL-2.0
config TTY
	bool "Enable TTY" if EXPERT
	default y
	help
	  Allows you to remove TTY support which can save space.

config LDISC_AUTOLOAD
	bool "Automatically load TTY Line Disciplines"
	default y
	help
	  Historically the kernel has always automatically loaded any
	  line discipline that is in a kernel module when a user asks
	  for it to be loaded with the TIOCSETD ioctl.

	  This functionality can be changed at runtime with the
	  dev.tty.ldisc_autoload sysctl, this configuration option will
	  only set the default value of this functionality.

source "drivers/tty/serial/Kconfig"
`;

const MAC_KCONFIG = `config MAC_EMUMOUSEBTN
	tristate "Support for mouse button 2+3 emulation"
	depends on SYSCTL && INPUT
	---help---
	  This provides generic support for emulating the 2nd and 3rd mouse
	  button with keypresses.  The emulation is controlled by these sysctl
	  entries:
	  /proc/sys/dev/mac_hid/mouse_button_emulation
	  /proc/sys/dev/mac_hid/mouse_button2_keycode.

	  To compile this driver as a module, choose M here.
	depends on INPUT

config ADB_PMU_LED
	bool "Support for the Power/iBook front LED"
`;

const entry = (name: string): CtlTableEntry => ({ name, procname: name.split('.').at(-1)!, file: 'drivers/tty/tty_io.c', line: 1, mode: '0644', handler: 'proc_dointvec', type: 'integer', min: null, max: null });
const ENTRIES = ['dev.tty.ldisc_autoload', 'dev.tty.legacy_tiocsti', 'dev.mac_hid.mouse_button_emulation', 'dev.mac_hid.mouse_button2_keycode'].map(entry);

describe('reading Kconfig help texts', () => {
  it('takes each option’s help up to the first line indented less, as paragraphs, with the config line', () => {
    const helps = parseKconfigHelp(TTY_KCONFIG);
    expect(helps.map(({ symbol, line }) => ({ symbol, line }))).toEqual([{ symbol: 'TTY', line: 2 }, { symbol: 'LDISC_AUTOLOAD', line: 8 }]);
    expect(helps[1]?.paragraphs).toEqual([
      ['Historically the kernel has always automatically loaded any', 'line discipline that is in a kernel module when a user asks', 'for it to be loaded with the TIOCSETD ioctl.'],
      ['This functionality can be changed at runtime with the', 'dev.tty.ldisc_autoload sysctl, this configuration option will', 'only set the default value of this functionality.'],
    ]);
  });

  it('reads the older `---help---` and ends the help at an attribute after it', () => {
    const [help] = parseKconfigHelp(MAC_KCONFIG);
    expect(help?.symbol).toBe('MAC_EMUMOUSEBTN');
    expect(help?.paragraphs.at(-1)).toEqual(['To compile this driver as a module, choose M here.']);
  });

  it('names the sysctls of the tree, dotted or as a /proc/sys path, punctuation aside', () => {
    const known = new Set(ENTRIES.map((e) => e.name!));
    expect(namedSysctls(parseKconfigHelp(MAC_KCONFIG)[0]!.paragraphs, known)).toEqual(['dev.mac_hid.mouse_button_emulation', 'dev.mac_hid.mouse_button2_keycode']);
    expect(namedSysctls([['See kernel.org and dev.tty.ldisc_autoloads, or /proc/sys/dev/tty/ for more.']], known)).toEqual([]);
  });
});

describe('a doc from a help text', () => {
  it('quotes the help after a lead-in naming the option and its file, placed on the config line', () => {
    const [doc, ...rest] = kconfigDocs([{ file: 'drivers/tty/Kconfig', text: TTY_KCONFIG }], ENTRIES);
    expect(rest).toEqual([]);
    expect(doc).toMatchObject({ file: 'drivers/tty/Kconfig', line: 8, names: ['dev.tty.ldisc_autoload'], origin: 'kconfig-help' });
    expect(doc?.markdown).toBe([
      "The kernel's documentation does not describe it; the help of the `CONFIG_LDISC_AUTOLOAD` option in `drivers/tty/Kconfig` says:",
      '',
      '> Historically the kernel has always automatically loaded any line discipline that is in a kernel module when a user asks for it to be loaded with the TIOCSETD ioctl.',
      '>',
      '> This functionality can be changed at runtime with the dev.tty.ldisc_autoload sysctl, this configuration option will only set the default value of this functionality.',
    ].join('\n'));
    assertMdx(doc!.markdown);
  });

  it('gives every sysctl one help names the same doc, the listed paths on lines of their own', () => {
    const [doc] = kconfigDocs([{ file: 'drivers/macintosh/Kconfig', text: MAC_KCONFIG }], ENTRIES);
    expect(doc?.names).toEqual(['dev.mac_hid.mouse_button_emulation', 'dev.mac_hid.mouse_button2_keycode']);
    expect(doc?.markdown).toContain('entries:\\\n> /proc/sys/dev/mac_hid/mouse_button_emulation\\\n> /proc/sys/dev/mac_hid/mouse_button2_keycode.');
  });

  it('leaves a help that names no sysctl of the tree, and a name two helps claim', () => {
    const other = 'config OTHER\n\tbool "x"\n\thelp\n\t  Unrelated text about the dev.tty.ldisc_autoload sysctl and its default.\n';
    const noSysctl = 'config WEB\n\tbool "y"\n\thelp\n\t  See https://www.kernel.org/doc and net.core.not_a_sysctl for the details.\n';
    expect(kconfigDocs([{ file: 'a/Kconfig', text: noSysctl }], ENTRIES)).toEqual([]);
    expect(kconfigDocs([{ file: 'drivers/tty/Kconfig', text: TTY_KCONFIG }, { file: 'b/Kconfig', text: other }], ENTRIES)).toEqual([]);
  });

  it('escapes hostile help text: no expression, no element, the words kept', () => {
    const hostile = 'config HOSTILE\n\tbool "z"\n\thelp\n\t  Set {x} to <script>alert(1)</script> with `tick` and *stars* via dev.tty.legacy_tiocsti [now](x).\n';
    const [doc] = kconfigDocs([{ file: 'drivers/tty/Kconfig', text: hostile }], ENTRIES);
    assertMdx(doc!.markdown);
    const tree = fromMarkdown(doc!.markdown, { extensions: [mdxjs()], mdastExtensions: [mdxFromMarkdown()] });
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'blockquote']);
    expect(toString(tree.children[1])).toBe('Set {x} to <script>alert(1)</script> with `tick` and *stars* via dev.tty.legacy_tiocsti [now](x).');
  });
});

describe('scanning a tree', () => {
  it('reads only the Kconfig files that mention a sysctl, documented or not: the generator picks', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kconfig-help-'));
    try {
      const files: Record<string, string> = { 'drivers/tty/Kconfig': TTY_KCONFIG, 'drivers/macintosh/Kconfig': MAC_KCONFIG, 'drivers/tty/Makefile': 'dev.tty.legacy_tiocsti' };
      for (const [name, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, name)), { recursive: true });
        await writeFile(join(root, name), text);
      }
      const docs = await scanKconfigHelp(root, ENTRIES);
      expect(docs.map(({ file, line, names, origin }) => ({ file, line, names, origin }))).toEqual([
        { file: 'drivers/macintosh/Kconfig', line: 1, names: ['dev.mac_hid.mouse_button_emulation', 'dev.mac_hid.mouse_button2_keycode'], origin: 'kconfig-help' },
        { file: 'drivers/tty/Kconfig', line: 8, names: ['dev.tty.ldisc_autoload'], origin: 'kconfig-help' },
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
