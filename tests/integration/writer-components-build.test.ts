/**
 * A writer's cross-link that leads nowhere fails the real build, naming the file, the line
 * and the name: a small content folder (LKT_CONTENT_DIR) where one page links another that
 * exists and one names a tunable no kernel has.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/fake-tree.ts';

const VM_FACTS = JSON.parse(readFileSync('content/facts/sysctl/vm.json', 'utf8')) as { tunables: Record<string, unknown> };
const IDS = ['sysctl/vm/swappiness', 'sysctl/vm/dirty_ratio'];

describe('astro build with <Tunable> on the pages', () => {
  it('fails on a name no kernel has, naming the file, the line and the name, and on nothing else', () => {
    const content = makeTempDir('lkt-writer-content-');
    mkdirSync(join(content, 'tunables/sysctl/vm'), { recursive: true });
    mkdirSync(join(content, 'facts/sysctl'), { recursive: true });
    writeFileSync(join(content, 'facts/sysctl/vm.json'), JSON.stringify({ ...VM_FACTS, tunables: Object.fromEntries(IDS.map((id) => [id, VM_FACTS.tunables[id]])) }));
    const page = (id: string, words: string) => {
      const file = join(content, 'tunables', `${id}.mdx`);
      const text = `${readFileSync(`content/tunables/${id}.mdx`, 'utf8')}\n${words}\n`;
      writeFileSync(file, text);
      return { file, lastLine: text.split('\n').length - 1 };
    };
    // A link that resolves, on one page; one that cannot, on the other's last line.
    page('sysctl/vm/swappiness', 'Lower it before raising <Tunable name="vm.dirty_ratio" />.');
    const broken = page('sysctl/vm/dirty_ratio', 'See <Tunable name="no.such" /> too.');

    const build = spawnSync('npx', ['astro', 'build', '--force'], {
      encoding: 'utf8',
      env: { ...process.env, LKT_CONTENT_DIR: content, LKT_OUT_DIR: join(content, 'dist') },
    });
    const output = `${build.stdout}\n${build.stderr}`;
    expect(build.status, output).not.toBe(0);
    expect(output).toContain('1 problem(s) in the tunable content');
    expect(output).toContain(`${broken.file}:${broken.lastLine}: <Tunable name="no.such">: no kernel has a tunable of that name`);
  });
});
