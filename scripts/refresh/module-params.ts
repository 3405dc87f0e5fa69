/**
 * The parameters of a kernel's modules, read from its package without loading anything:
 * per module, each parameter's type and description (the `.modinfo` strings `modinfo -F
 * parmtype` / `parm` print) and its permission bits, which say when it can be set.
 * Those bits are not in `.modinfo`: they are in the module's `__param` section, one
 * `struct kernel_param` per parameter (40 bytes on 64-bit: the name pointer at 0, `u16
 * perm` at 24), the name reached through the section's relocations (`.rela__param`).
 * 0 means no file under /sys/module/<m>/parameters (load time only); else the file is
 * read-only or writable at runtime.
 *
 * The file it feeds is `content/modules/<series>.json` (src/core/schemas/modules.ts).
 *
 * Written here, not with a library: the few ELF readers on npm are unmaintained or parse
 * whole images, and this needs three section lookups in a relocatable 64-bit object.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModuleParam, ModuleParams } from '#core/schemas/modules.ts';
import { accessOf } from '#core/parameters.ts';
import { decompressed, modinfo, moduleName } from './modules.ts';

const KERNEL_PARAM_SIZE = 40;
const PERM_OFFSET = 24;
const SHT_SYMTAB = 2;
const SHT_RELA = 4;

interface Section {
  name: string;
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
}

/** The section headers of a little-endian ELF64 relocatable object (a `.ko`); undefined for anything else. */
function sections(elf: Buffer): Section[] | undefined {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) return undefined;
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const shstrndx = elf.readUInt16LE(0x3e);
  const header = (i: number) => shoff + i * shentsize;
  const raw = Array.from({ length: shnum }, (_, i) => ({
    nameAt: elf.readUInt32LE(header(i)),
    type: elf.readUInt32LE(header(i) + 4),
    offset: Number(elf.readBigUInt64LE(header(i) + 0x18)),
    size: Number(elf.readBigUInt64LE(header(i) + 0x20)),
    link: elf.readUInt32LE(header(i) + 0x28),
    info: elf.readUInt32LE(header(i) + 0x2c),
  }));
  const names = raw[shstrndx]!;
  return raw.map(({ nameAt, ...section }) => ({ ...section, name: cString(elf, names.offset + nameAt) }));
}

function cString(buffer: Buffer, at: number): string {
  const end = buffer.indexOf(0, at);
  return buffer.subarray(at, end < 0 ? buffer.length : end).toString('latin1');
}

/** Each `struct kernel_param` of `__param`: its name (through `.rela__param`) and permission bits. */
function paramPermissions(elf: Buffer): Map<string, number> {
  const found = new Map<string, number>();
  const all = sections(elf);
  const params = all?.findIndex((s) => s.name === '__param') ?? -1;
  if (!all || params < 0) return found;
  const param = all[params]!;
  const rela = all.find((s) => s.type === SHT_RELA && s.info === params);
  const symtab = rela ? all[rela.link] : undefined;
  if (!rela || !symtab || symtab.type !== SHT_SYMTAB) return found;
  // The relocation that fills each entry's name pointer (offset 0 of the entry).
  const nameTarget = new Map<number, { symbol: number; addend: number }>();
  for (let at = rela.offset; at < rela.offset + rela.size; at += 24) {
    const offset = Number(elf.readBigUInt64LE(at));
    if (offset % KERNEL_PARAM_SIZE !== 0) continue;
    nameTarget.set(offset, { symbol: Number(elf.readBigUInt64LE(at + 8) >> 32n), addend: Number(elf.readBigInt64LE(at + 16)) });
  }
  for (let entry = 0; entry + KERNEL_PARAM_SIZE <= param.size; entry += KERNEL_PARAM_SIZE) {
    const target = nameTarget.get(entry);
    if (!target) continue;
    const symbol = symtab.offset + target.symbol * 24;
    const inSection = all[elf.readUInt16LE(symbol + 6)];
    if (!inSection) continue;
    const name = cString(elf, inSection.offset + Number(elf.readBigUInt64LE(symbol + 8)) + target.addend);
    found.set(name, elf.readUInt16LE(param.offset + entry + PERM_OFFSET));
  }
  return found;
}

/** `name:text` strings of `.modinfo` → name → text (the text may hold colons). */
function byName(values: string[]): Map<string, string> {
  return new Map(values.flatMap((value) => (value.includes(':') ? [[value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)] as const] : [])));
}

/** The parameters of one module (`.ko` bytes, uncompressed), in the order `.modinfo` and `__param` name them. */
export function moduleParams(ko: Buffer): ModuleParam[] {
  const types = byName(modinfo(ko, 'parmtype'));
  const descriptions = byName(modinfo(ko, 'parm'));
  const permissions = paramPermissions(ko);
  const names = [...new Set([...types.keys(), ...descriptions.keys(), ...permissions.keys()])];
  return names.map((name) => {
    const mode = permissions.get(name);
    return {
      name,
      ...(types.has(name) ? { type: types.get(name)! } : {}),
      ...(descriptions.has(name) ? { description: descriptions.get(name)! } : {}),
      ...(mode === undefined ? {} : { mode: mode.toString(8).padStart(4, '0'), access: accessOf(mode) }),
    };
  });
}

/**
 * The built-in modules' parameters from `modules.builtin.modinfo` (`<module>.parm=<name>:<text>`
 * and `.parmtype=`, NUL-separated). Their permission bits are in the kernel image, not here:
 * a boot shows them (their files under /sys/module).
 */
export function builtInParams(text: string): ModuleParams[] {
  const modules = new Map<string, { types: string[]; descriptions: string[] }>();
  for (const record of text.split('\0')) {
    const match = /^([^.=]+)\.(parm|parmtype)=(.*)$/s.exec(record);
    if (!match) continue;
    const module = match[1]!.replaceAll('-', '_');
    const entry = modules.get(module) ?? { types: [], descriptions: [] };
    (match[2] === 'parm' ? entry.descriptions : entry.types).push(match[3]!);
    modules.set(module, entry);
  }
  return [...modules].map(([module, { types, descriptions }]) => {
    const [typeOf, textOf] = [byName(types), byName(descriptions)];
    const names = [...new Set([...typeOf.keys(), ...textOf.keys()])];
    return {
      module,
      builtIn: true,
      params: names.map((name) => ({ name, ...(typeOf.has(name) ? { type: typeOf.get(name)! } : {}), ...(textOf.has(name) ? { description: textOf.get(name)! } : {}) })),
    };
  });
}

/** Every module parameter of an unpacked kernel's modules folder (`lib/modules/<release>`): loadable modules, then built-in ones; modules without parameters left out. */
export async function readModuleParams(modulesDir: string): Promise<ModuleParams[]> {
  const files = (await readdir(modulesDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile() && moduleName(entry.name) !== undefined);
  const loadable: ModuleParams[] = [];
  for (const file of files) {
    const params = moduleParams(await decompressed(join(file.parentPath, file.name)));
    if (params.length > 0) loadable.push({ module: moduleName(file.name)!, builtIn: false, params });
  }
  const builtIn = builtInParams(await readFile(join(modulesDir, 'modules.builtin.modinfo'), 'latin1').catch(() => ''));
  const byModule = (a: ModuleParams, b: ModuleParams) => a.module.localeCompare(b.module);
  return [...loadable.sort(byModule), ...builtIn.sort(byModule)];
}

const CACHE_FILE = 'lkt-module-params.json';

/**
 * readModuleParams, its result kept in the unpacked package: decompressing thousands of
 * `.ko.xz` (one unxz each) takes about 3 minutes per kernel under load, and a warm refresh
 * reads the same package again. The cache is keyed by the package version and by this
 * reader's own source (module-params.ts, modules.ts), so a new package or a changed reader
 * reads afresh.
 */
export async function cachedModuleParams(modulesDir: string, version: string): Promise<{ modules: ModuleParams[]; cached: boolean }> {
  const sources = await Promise.all(['module-params.ts', 'modules.ts'].map((name) => readFile(join(import.meta.dirname, name))));
  const key = createHash('sha256').update(version).update(Buffer.concat(sources)).digest('hex');
  const file = join(modulesDir, CACHE_FILE);
  const kept = await readFile(file, 'utf8').then((text) => JSON.parse(text) as { key: string; modules: ModuleParams[] }, () => undefined);
  if (kept?.key === key) return { modules: kept.modules, cached: true };
  const modules = await readModuleParams(modulesDir);
  await writeFile(file, JSON.stringify({ key, modules }));
  return { modules, cached: false };
}
