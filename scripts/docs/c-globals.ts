/**
 * File-scope integer variables a file uses but another file of the tree defines (`extern
 * int pid_max_max;` in kernel/sysctl.c, defined in kernel/pid.c): their value where the
 * whole tree shows it cannot change — one definition in code amd64 compiles, a constant
 * initialiser, and no file that may assign it or take its address other than as a bound —
 * or, where only its own file's boot code changes it, what that makes of it (c-boot.ts).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { changes, declaredVariables, lookupThrough, parseVariables, readConstants, stripComments, type CVariable, type FileConstants, type KernelConfig } from './c-constants.ts';
import type { BootBound } from '#core/schemas/docs.ts';
import { bootBound } from './c-boot.ts';
import { namesSeenBy, type HeaderTree } from './c-headers.ts';

const exec = promisify(execFile);

/**
 * An integer variable's one definition: where, whether static (then only its own file
 * sees it), and its value or what boot code makes of it, where the tree shows them.
 */
export interface Definition {
  file: string;
  isStatic: boolean;
  variable?: CVariable;
  boot?: BootBound;
}

/** Code no amd64 kernel builds: other architectures, and the tools, samples and scripts built for the host. */
const NOT_BUILT = /^(?:arch\/(?!x86\/)|tools\/|samples\/|scripts\/|Documentation\/|usr\/)/;

/** Files under root (relative, C sources and headers amd64 builds) that grep's `args` select. */
async function grepFiles(root: string, args: readonly string[]): Promise<string[]> {
  try {
    const { stdout } = await exec('grep', ['-rl', '--include=*.c', '--include=*.h', ...args, '.'], { cwd: root, maxBuffer: 64 << 20 });
    return stdout.split('\n').filter((f) => f !== '').map((f) => f.replace(/^\.\//, '')).filter((f) => !NOT_BUILT.test(f));
  } catch (error) {
    if ((error as { code?: number }).code === 1) return [];
    throw error;
  }
}

/** Each file's constants, read a few dozen at a time (a common name is in thousands of files). */
async function readAll(root: string, files: readonly string[], config: KernelConfig | undefined): Promise<{ file: string; constants: FileConstants }[]> {
  const read: { file: string; constants: FileConstants }[] = [];
  for (let i = 0; i < files.length; i += 64) {
    read.push(...await Promise.all(files.slice(i, i + 64).map(async (file) => ({ file, constants: readConstants(stripComments(await readFile(join(root, file), 'utf8')), config) }))));
  }
  return read;
}

/**
 * The one integer definition of each of `names` that has one, with its value where it
 * holds one for the kernel's lifetime (see the module comment). `headers` gives each
 * defining file's macros, as for the files that use them.
 */
export async function definitionsElsewhere(root: string, names: ReadonlySet<string>, headers: HeaderTree, config?: KernelConfig): Promise<Map<string, Definition>> {
  if (names.size === 0) return new Map();
  // Definitions start at column 0 (kernel style): only names some file defines as an integer are looked for further.
  const defining = await readAll(root, await grepFiles(root, ['-E', `^[A-Za-z_][A-Za-z0-9_ ]*\\b(${[...names].join('|')})\\b`]), config);
  const declared = defining.map(({ file, constants }) => ({ file, constants, declared: declaredVariables(constants.compiled) }));
  const integers = [...names].filter((name) => declared.some((d) => d.declared.has(name)));
  if (integers.length === 0) return new Map();
  const naming = await readAll(root, await grepFiles(root, ['-wF', ...integers.flatMap((n) => ['-e', n])]), config);
  const found = new Map<string, Definition>();
  for (const name of integers) {
    const definitions = declared.filter((d) => d.declared.has(name));
    const definition = definitions[0];
    const declarations = definitions.flatMap((d) => d.declared.get(name) ?? []);
    if (definition === undefined || declarations.length !== 1) continue;
    const isStatic = declarations[0] === true;
    const only = { file: definition.file, isStatic };
    // Only its own file sees a static; a global, any file that names it may write.
    if (!isStatic && naming.some(({ file, constants }) => file !== definition.file && changes(constants.compiled, name) > 0)) {
      found.set(name, only);
      continue;
    }
    const environment = lookupThrough(namesSeenBy(definition.constants, await headers.namesFor(definition.file, definition.constants)), config);
    const variable = parseVariables(definition.constants.compiled, environment, { globals: true }).get(name);
    const boot = variable === undefined ? bootBound(definition.constants.compiled, name, environment) : null;
    found.set(name, variable !== undefined ? { ...only, variable } : boot !== null ? { ...only, boot: { file: definition.file, ...boot } } : only);
  }
  return found;
}
