/**
 * Sysctls the Documentation describes as a boot or module parameter (origin
 * `kernel-parameters`): an entry of
 * `Documentation/admin-guide/kernel-parameters.txt` documents a sysctl when the source
 * shows that the parameter sets the very variable the sysctl's `ctl_table` entry stores
 * into (`module_param_call(nlm_grace_period, …, &nlm_grace_period, …)` in fs/lockd/svc.c
 * and `.data = &nlm_grace_period` for `fs.nfs.nlm_grace_period`). The text says so in a
 * lead-in line; the entry follows as written.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CtlTableEntry } from '#core/schemas/docs.ts';
import { matchingClose } from './c-constants.ts';
import { definesStatic, entryKey, type DataVariable } from './ctl-join.ts';
import { runText } from '../lib/run.ts';
import { KERNEL_PARAMETERS, parameterName, type KernelParameter } from './kernel-parameters.ts';
import type { RawSysctlDoc } from './sysctl-prose.ts';

/** A parameter a C file defines and the variables it sets. `module` parameters are spelled `<module>.<param>`. */
export interface ParamSetter {
  param: string;
  module: boolean;
  variables: string[];
}

/** `module_param*` and `core_param` name the variable; the argument that does is given by index. */
const PARAM_MACROS: { macro: string; variable: number; module: boolean }[] = [
  { macro: 'module_param', variable: 0, module: true },
  { macro: 'module_param_named', variable: 1, module: true },
  { macro: 'module_param_call', variable: 3, module: true },
  { macro: 'module_param_cb', variable: 2, module: true },
  { macro: 'core_param', variable: 1, module: false },
];

const identifier = (expr: string | undefined) => /^&?\s*([A-Za-z_]\w*)$/.exec((expr ?? '').trim())?.[1];

/** What a `__setup`/`early_param` handler assigns or hands out by address: `x = …`, `x |= …`, `kstrtoint(s, 0, &x)`. */
function assignedIn(body: string): string[] {
  // `&x` takes an address only where no operand precedes it (`a & b`, `a && b` are operators).
  const assigned = [...body.matchAll(/\b([A-Za-z_]\w*)\s*[|&+\-]?=(?!=)/g), ...body.matchAll(/(?<![\w)\]&]\s*)&\s*([A-Za-z_]\w*)\b/g)];
  return [...new Set(assigned.map((m) => m[1]!))];
}

/**
 * Comments out of the way, by a regular expression: c-constants' `stripComments` also
 * respects string literals but is some 40 times slower, over thousands of files; a literal
 * holding `/*` or `//` can at worst hide a parameter from us.
 */
const withoutComments = (source: string) => source.replace(/\/\*[^]*?\*\/|\/\/[^\n]*/g, ' ');

/** The parameters one C file defines. */
export function paramSetters(source: string): ParamSetter[] {
  const text = withoutComments(source);
  const setters: ParamSetter[] = [];
  for (const { macro, variable, module } of PARAM_MACROS) {
    for (const call of text.matchAll(new RegExp(`\\b${macro}\\s*\\(([^;]*?)\\)\\s*;`, 'g'))) {
      const args = call[1]!.split(',');
      const param = identifier(args[0]);
      const target = identifier(args[variable]);
      if (param && target) setters.push({ param, module, variables: [target] });
    }
  }
  for (const call of text.matchAll(/\b(?:__setup|early_param)\s*\(\s*"([^"]+)"\s*,\s*(\w+)\s*\)/g)) {
    const handler = new RegExp(`\\b${call[2]}\\s*\\([^)]*\\)\\s*\\{`).exec(text);
    if (!handler) continue;
    const open = handler.index + handler[0].length - 1;
    setters.push({ param: parameterName(call[1]!), module: false, variables: assignedIn(text.slice(open, matchingClose(text, open))) });
  }
  return setters;
}

/** How the parameter is spelled in kernel-parameters.txt: a module's as `<module>.<param>`, the module named after the file or one of its directories. */
function spellings(setter: ParamSetter, file: string): string[] {
  if (!setter.module) return [setter.param];
  const parts = file.replace(/\.c$/, '').split('/');
  return parts.map((part) => `${part}.${setter.param}`);
}

/** C files under root that define a parameter; grep is much faster than reading all 30k files. */
async function parameterFiles(root: string): Promise<string[]> {
  const stdout = await runText('grep', ['-rlF', '--include=*.c', '-e', 'module_param', '-e', 'core_param', '-e', '__setup', '-e', 'early_param', '.'], { cwd: root });
  return stdout.split('\n').filter(Boolean).map((f) => f.replace(/^\.\//, ''));
}

export interface SetterSource {
  file: string;
  source: string;
}

/**
 * The docs of kernel-parameters.txt for the sysctls of `entries` (origin
 * `kernel-parameters`, one per name), from the entries' variables (`data`, by `entryKey`)
 * and the C files that define parameters. A `static` variable is set only from its own
 * file, a global one from any file without a `static` of the same name.
 */
export function bootParameterDocs(parameters: readonly KernelParameter[], entries: readonly CtlTableEntry[], data: ReadonlyMap<string, DataVariable>, sources: readonly SetterSource[]): RawSysctlDoc[] {
  const bySpelling = new Map<string, { entry: KernelParameter; spelled: string }>();
  for (const entry of parameters) for (const spelled of entry.spelled) bySpelling.set(parameterName(spelled), { entry, spelled });
  const settersOf = new Map<string, { file: string; source: string; setter: ParamSetter }[]>();
  for (const { file, source } of sources) {
    for (const setter of paramSetters(source)) for (const variable of setter.variables) settersOf.set(variable, [...(settersOf.get(variable) ?? []), { file, source, setter }]);
  }
  const docs: RawSysctlDoc[] = [];
  const done = new Set<string>();
  for (const ctl of entries) {
    const variable = data.get(entryKey(ctl));
    if (ctl.name === null || done.has(ctl.name) || !variable) continue;
    const sets = ({ file, source }: { file: string; source: string }) => (variable.staticIn ? file === variable.staticIn : !definesStatic(source, variable.expression));
    const found = (settersOf.get(variable.expression) ?? [])
      .filter(sets)
      .flatMap(({ file, setter }) => spellings(setter, file))
      .map((spelling) => bySpelling.get(spelling))
      .find(Boolean);
    if (!found) continue;
    done.add(ctl.name);
    const literal = found.entry.text.split('\n').map((line) => (line ? `    ${line}` : '')).join('\n');
    docs.push({
      origin: 'kernel-parameters',
      file: KERNEL_PARAMETERS,
      line: found.entry.line,
      names: [ctl.name],
      rst: `Documented as the boot parameter \`\`${found.spelled}\`\`, which sets the same variable (\`\`${variable.expression}\`\`):\n\n::\n\n${literal}`,
    });
  }
  return docs;
}

/** `bootParameterDocs` for a tree: the C files that may set one of the variables, read here. */
export async function scanBootParameters(root: string, parameters: readonly KernelParameter[], entries: readonly CtlTableEntry[], data: ReadonlyMap<string, DataVariable>): Promise<RawSysctlDoc[]> {
  const variables = new Set(entries.filter((e) => e.name !== null).flatMap((e) => data.get(entryKey(e))?.expression ?? []).filter((v) => /^\w+$/.test(v)));
  const mentions = new RegExp(`\\b(?:${[...variables].join('|')})\\b`);
  const sources: SetterSource[] = [];
  // One file at a time: thousands define parameters, and few mention a variable of ours.
  for (const file of variables.size > 0 ? await parameterFiles(root) : []) {
    const source = await readFile(join(root, file), 'utf8');
    if (mentions.test(source)) sources.push({ file, source });
  }
  return bootParameterDocs(parameters, entries, data, sources);
}
