/**
 * The macros a C file of a kernel tree sees through its `#include`s, as one architecture
 * builds it (x86 unless told): headers found on the kernel's include path for it, read once per tree with the
 * configuration deciding their `#if`s (c-constants' `readConstants`). No compiler, so
 * no ordering: a name that two of a file's headers define differently is unknown, never
 * one of the two.
 */
import { stat, readFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { readConstants, sameDefine, stripComments, type CDefine, type FileConstants, type KernelConfig, type Names } from './c-constants.ts';

/** Macros and enumeration constants as a file sees them through its headers: undefined when none defines it, null when we cannot know it. */
export interface HeaderNames {
  define(name: string): CDefine | null | undefined;
  enumerator(name: string): string | null | undefined;
}

/**
 * What a file's expressions see: its own macros and enumerators, then its headers', then
 * `fallback`'s macros. A name the file or its headers leave in doubt (null) stays so,
 * rather than taking a definition further out.
 */
export function namesSeenBy(own: FileConstants, headers: HeaderNames | undefined, fallback: (name: string) => string | undefined = () => undefined): Names {
  const first = <T>(local: T | null | undefined, included: T | null | undefined, further?: T): T | null | undefined =>
    local !== undefined ? local : included !== undefined ? included : further;
  return {
    define: (name) => first<CDefine | string>(own.defines.get(name), headers?.define(name), fallback(name)),
    enumerator: (name) => first(own.enums.get(name), headers?.enumerator(name)),
  };
}

/**
 * Where `<path>` is looked up, in the order of the kernel's `-I` flags (scripts/Makefile,
 * arch/<arch>/Makefile), then asm-generic, where the generated `<asm/…>` wrappers of
 * arch/<arch>/include/generated point.
 */
function systemCandidates(path: string, arch: string): string[] {
  const candidates = [`arch/${arch}/include/${path}`, `include/${path}`, `arch/${arch}/include/uapi/${path}`, `include/uapi/${path}`];
  const asm = /^asm\/(.+)$/.exec(path)?.[1];
  return asm === undefined ? candidates : [...candidates, `include/asm-generic/${asm}`, `include/uapi/asm-generic/${asm}`];
}

export class HeaderTree {
  private readonly root: string;
  private readonly config: KernelConfig | undefined;
  /** The folder under arch/ whose headers `<asm/…>` finds: `x86`, `arm64`. */
  private readonly arch: string;
  private readonly read = new Map<string, Promise<FileConstants | null>>();
  private readonly exists = new Map<string, Promise<boolean>>();
  private readonly resolved = new Map<string, Promise<string | null>>();

  constructor(root: string, config?: KernelConfig, arch = 'x86') {
    this.root = root;
    this.config = config;
    this.arch = arch;
  }

  /** A file's constants (path relative to the tree), read once; null when it is not there. */
  constants(file: string): Promise<FileConstants | null> {
    let found = this.read.get(file);
    if (found === undefined) {
      found = readFile(join(this.root, file), 'utf8').then(
        (text) => readConstants(stripComments(text), this.config),
        () => null,
      );
      this.read.set(file, found);
    }
    return found;
  }

  /** The headers `file` includes, transitively, each once (itself excluded), in the order first reached. */
  async closure(file: string, own: FileConstants): Promise<string[]> {
    const seen = new Set<string>([file]);
    const order: string[] = [];
    let frontier: { from: string; includes: FileConstants['includes'] }[] = [{ from: file, includes: own.includes }];
    while (frontier.length > 0) {
      const targets = await Promise.all(frontier.flatMap(({ from, includes }) => includes.map((include) => this.resolve(include.path, include.system, from))));
      const next: string[] = [];
      for (const target of targets) {
        if (target === null || seen.has(target)) continue;
        seen.add(target);
        order.push(target);
        next.push(target);
      }
      const read = await Promise.all(next.map(async (header) => ({ from: header, constants: await this.constants(header) })));
      frontier = read.flatMap(({ from, constants }) => (constants === null ? [] : [{ from, includes: constants.includes }]));
    }
    return order;
  }

  /** What `file`'s headers define (its own definitions are not included): see `HeaderNames`. */
  async namesFor(file: string, own: FileConstants): Promise<HeaderNames> {
    const headers = await this.closure(file, own);
    const all = (await Promise.all(headers.map((h) => this.constants(h)))).filter((d): d is FileConstants => d !== null);
    return {
      define: agreed(all.map((c) => c.defines), sameDefine),
      enumerator: agreed(all.map((c) => c.enums), (a, b) => a === b),
    };
  }

  /** The file an `#include` lands on: `"x.h"` beside the includer first, then the include path. */
  private resolve(path: string, system: boolean, from: string): Promise<string | null> {
    const candidates = [...(system ? [] : [normalize(join(dirname(from), path))]), ...systemCandidates(path, this.arch)];
    const key = candidates.join('\0');
    let found = this.resolved.get(key);
    if (found === undefined) {
      found = (async () => {
        for (const candidate of candidates) {
          if (!candidate.startsWith('..') && (await this.isFile(candidate))) return candidate;
        }
        return null;
      })();
      this.resolved.set(key, found);
    }
    return found;
  }

  private isFile(file: string): Promise<boolean> {
    let found = this.exists.get(file);
    if (found === undefined) {
      found = stat(join(this.root, file)).then((s) => s.isFile(), () => false);
      this.exists.set(file, found);
    }
    return found;
  }
}

/** A lookup over several files' definitions: the one they all agree on, null if two differ or one is unknown (memoised). */
function agreed<T>(maps: readonly ReadonlyMap<string, T | null>[], same: (a: T, b: T) => boolean): (name: string) => T | null | undefined {
  const memo = new Map<string, T | null | undefined>();
  return (name) => {
    if (memo.has(name)) return memo.get(name);
    let found: T | null | undefined;
    for (const map of maps) {
      const value = map.get(name);
      if (value === undefined) continue;
      if (value === null || (found !== undefined && found !== null && !same(found, value))) {
        found = null;
        break;
      }
      found = value;
    }
    memo.set(name, found);
    return found;
  };
}
