/**
 * The layout the architecture rests on: pipeline stages (scripts/<stage>/) import each
 * other only through the shared core (#core/*) or the Node helpers (scripts/lib/), and
 * the core imports nothing of Node's file system or of Astro.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
const tsFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name));

describe('layout', () => {
  it('no stage imports another stage', () => {
    const crossings = tsFiles('scripts').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^\.\.\/(?!lib\/|\.\.\/)[a-z-]+\//.test(spec))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(crossings).toEqual([]);
  });

  it('the core is runtime-neutral: no node:fs, child processes or Astro', () => {
    const found = tsFiles('src/core').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^(node:(fs|child_process|worker_threads)|astro)/.test(spec))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(found).toEqual([]);
  });
});
