/**
 * `npm test` on a machine without the programs the tests run: one failure, early, with
 * the command that installs them, and the closing line CI reads.
 */
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/fake-tree.ts';

const TEST_SCRIPT = fileURLToPath(new URL('../../scripts/test.ts', import.meta.url));

describe('npm test without its prerequisites', () => {
  it('fails once, before building anything, naming the install command', () => {
    // A PATH that holds node and nothing else: no qemu, no cpio, no pandoc, no npx.
    const bin = makeTempDir('lkt-bare-path-');
    symlinkSync(process.execPath, join(bin, 'node'));
    // Run from a scratch directory: whatever it did would not touch this run's .cache/reports.
    const run = spawnSync(join(bin, 'node'), [TEST_SCRIPT], { cwd: makeTempDir('lkt-npm-test-'), encoding: 'utf8', env: { ...process.env, PATH: bin }, timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
    expect(run.stderr).toMatch(/^ {2}apt-get install (\S+ )*qemu-system-x86 (\S+ )*cpio pandoc$/m);
    expect(run.stderr.match(/apt-get install/g)).toHaveLength(1);
    // It stopped at the check: no build, no test runner started.
    expect(run.stderr).not.toContain('$ npx');
  });
});
