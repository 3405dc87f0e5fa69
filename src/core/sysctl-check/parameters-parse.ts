/**
 * Reads boot and module parameter settings: modprobe.d(5) files (`options`, `blacklist`,
 * `install`, `remove`, `softdep`, `alias`; `#` comments, `\` continuations) and a
 * kernel command line, as /proc/cmdline holds it or as /etc/default/grub sets it
 * (`GRUB_CMDLINE_LINUX="…"`, `GRUB_CMDLINE_LINUX_DEFAULT="…"`). Pure and browser-safe.
 * Written here because no package parses either; their grammars are a page of
 * modprobe.d(5) and of the kernel's parse_args() (kernel/params.c: `next_arg`).
 */
import { canonicalModuleName } from '../paths.ts';
import type { SysctlSource } from './parse.ts';

/** One parameter set: `options nvme_core io_timeout=30` or `nvme_core.io_timeout=30` on the command line. */
export interface ParameterSetting {
  file: string;
  line: number;
  /** As written: `nvme_core.io_timeout=30`, `isolcpus=2-3`, `quiet`. */
  written: string;
  /** Underscore form (`nvme-core` → `nvme_core`), as the kernel compares module names; undefined for a boot parameter without one. */
  module?: string;
  /** The parameter's own name. */
  name: string;
  /** Undefined for a bare flag (`quiet`, `nosmt`). */
  value?: string;
  /** Where it was set: a modprobe.d `options` line applies at module load, the command line at boot. */
  from: 'modprobe' | 'cmdline';
}

export interface ModprobeCommand {
  file: string;
  line: number;
  command: 'blacklist' | 'install' | 'remove' | 'softdep' | 'alias';
  module: string;
}

export interface ParsedParameters {
  /** The source's name. */
  file: string;
  settings: ParameterSetting[];
  commands: ModprobeCommand[];
  problems: { file: string; line: number; message: string }[];
  /**
   * The command line's `sysctl.vm.swappiness=10` words (5.8+: the kernel writes the sysctl
   * once /proc/sys is up), each as a sysctl.conf line at its own line number, for the
   * sysctl checker.
   */
  sysctls: SysctlSource[];
}

const SYSCTL_PREFIX = 'sysctl.';


/** Splits on white space outside double quotes, keeping the quotes' content (kernel/params.c next_arg). */
function words(text: string): string[] {
  return [...text.matchAll(/(?:[^\s"]+|"[^"]*"?)+/g)].map(([word]) => word);
}

const unquote = (value: string) => value.replace(/^"(.*)"?$/s, '$1').replace(/"$/, '');

function setting(file: string, line: number, word: string, from: ParameterSetting['from'], module?: string): ParameterSetting {
  const equals = word.indexOf('=');
  const key = equals < 0 ? word : word.slice(0, equals);
  const value = equals < 0 ? undefined : unquote(word.slice(equals + 1));
  if (module !== undefined) return { file, line, written: word, module: canonicalModuleName(module), name: key, ...(value !== undefined && { value }), from };
  // On the command line the first dot separates the module (kernel/params.c parse_one).
  const dot = key.indexOf('.');
  const parts = dot > 0 ? { module: canonicalModuleName(key.slice(0, dot)), name: key.slice(dot + 1) } : { name: key };
  return { file, line, written: word, ...parts, ...(value !== undefined && { value }), from };
}

const COMMANDS = new Set(['blacklist', 'install', 'remove', 'softdep', 'alias']);

/** modprobe.d(5): one command per line; a line ending in `\` continues on the next. */
export function parseModprobe({ name: file, text }: SysctlSource): ParsedParameters {
  const parsed: ParsedParameters = { file, settings: [], commands: [], problems: [], sysctls: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let content = lines[i]!;
    while (content.endsWith('\\') && i + 1 < lines.length) content = `${content.slice(0, -1)} ${lines[++i]!}`;
    const trimmed = content.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [command = '', module, ...rest] = trimmed.split(/\s+/);
    if (command === 'options') {
      if (!module || rest.length === 0) {
        parsed.problems.push({ file, line: first, message: 'options needs a module name and at least one parameter: options MODULE PARAM=VALUE…' });
        continue;
      }
      for (const word of words(trimmed.slice(trimmed.indexOf(module) + module.length))) parsed.settings.push(setting(file, first, word, 'modprobe', module));
    } else if (COMMANDS.has(command)) {
      if (!module) parsed.problems.push({ file, line: first, message: `${command} needs a module name` });
      // An alias names a pattern, not a module: what matters of it here is that it parses.
      else if (command !== 'alias') parsed.commands.push({ file, line: first, command: command as ModprobeCommand['command'], module: canonicalModuleName(module) });
    } else {
      parsed.problems.push({ file, line: first, message: `"${command}" is not a modprobe.d command (options, blacklist, install, remove, softdep, alias)` });
    }
  }
  return parsed;
}

/** `GRUB_CMDLINE_LINUX="…"` and `GRUB_CMDLINE_LINUX_DEFAULT='…'` of /etc/default/grub: the value and its line. */
const GRUB_VARIABLE = /^\s*(?:export\s+)?GRUB_CMDLINE_LINUX(?:_DEFAULT)?=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))\s*(?:#.*)?$/;

/** Whether a file is /etc/default/grub rather than a command line. */
export const isGrubDefaults = (text: string) => /^\s*(?:export\s+)?GRUB_CMDLINE_LINUX(?:_DEFAULT)?=/m.test(text);

/**
 * A kernel command line: /proc/cmdline, or the GRUB_CMDLINE_LINUX variables of
 * /etc/default/grub (other lines of that file are shell and ignored). What follows `--` is
 * for init, not the kernel; `BOOT_IMAGE=` is the boot loader's note to init.
 */
export function parseCmdline({ name: file, text }: SysctlSource): ParsedParameters {
  const parsed: ParsedParameters = { file, settings: [], commands: [], problems: [], sysctls: [] };
  const lines = isGrubDefaults(text)
    ? text.split(/\r?\n/).flatMap((line, i) => {
        if (!/^\s*(?:export\s+)?GRUB_CMDLINE_LINUX/.test(line)) return [];
        const match = GRUB_VARIABLE.exec(line);
        if (!match) {
          parsed.problems.push({ file, line: i + 1, message: 'cannot read this GRUB_CMDLINE_LINUX value: quote it as VAR="…"' });
          return [];
        }
        return [{ line: i + 1, text: (match[1] ?? match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1') }];
      })
    : text.split(/\r?\n/).map((line, i) => ({ line: i + 1, text: line }));
  for (const { line, text: content } of lines) {
    for (const word of words(content)) {
      if (word === '--') break;
      if (word.startsWith('BOOT_IMAGE=')) continue;
      if (word.startsWith(SYSCTL_PREFIX)) {
        // Blank lines before it: the checker's line numbers are the command line's.
        parsed.sysctls.push({ name: file, text: `${'\n'.repeat(line - 1)}${unquote(word.slice(SYSCTL_PREFIX.length)).replace('=', ' = ')}` });
        continue;
      }
      parsed.settings.push(setting(file, line, word, 'cmdline'));
    }
  }
  return parsed;
}

export type SourceFormat = 'sysctl' | 'modprobe' | 'cmdline';

/**
 * What a file holds, by where it is and what it says: a modprobe.d file (in a `modprobe.d`
 * folder, or `modprobe.conf`), a command line (`/proc/cmdline`, a file named `cmdline`, or
 * /etc/default/grub), else sysctl settings.
 */
export function formatOf({ name, text }: SysctlSource): SourceFormat {
  if (/(^|\/)modprobe\.d\/[^/]+$|(^|\/)modprobe\.conf$/.test(name)) return 'modprobe';
  if (/(^|\/)cmdline$/.test(name) || isGrubDefaults(text)) return 'cmdline';
  return 'sysctl';
}
