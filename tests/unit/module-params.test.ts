/** What a module parameter's permission bits and modules.builtin.modinfo say (scripts/refresh/module-params.ts); a real module is read in tests/integration/refresh-boot.test.ts. */
import { describe, expect, it } from 'vitest';
import { accessOf } from '#core/parameters.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInParams, cachedModuleParams } from '../../scripts/refresh/module-params.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

describe('module parameters', () => {
  it('can be set at runtime when a write bit is set, are read-only with read bits only, and load-time only with none', () => {
    expect([0o644, 0o600, 0o200, 0o444, 0o400, 0].map(accessOf)).toEqual(['runtime', 'runtime', 'runtime', 'read-only', 'read-only', 'load-time']);
  });

  it('of built-in modules come from modules.builtin.modinfo, types and texts joined by name, dashes as underscores', () => {
    const text = ['8250.parm=nr_uarts:Maximum number of UARTs supported. (1-32)', '8250.parmtype=nr_uarts:uint', 'dm-mod.parmtype=major:uint', '8250.license=GPL', 'xz.parm=x:a: text: with colons', ''].join('\0');
    expect(builtInParams(text)).toEqual([
      { module: '8250', builtIn: true, params: [{ name: 'nr_uarts', type: 'uint', description: 'Maximum number of UARTs supported. (1-32)' }] },
      { module: 'dm_mod', builtIn: true, params: [{ name: 'major', type: 'uint' }] },
      { module: 'xz', builtIn: true, params: [{ name: 'x', description: 'a: text: with colons' }] },
    ]);
  });

  it('are read once per package version: a warm refresh reuses them, a new version reads afresh', async () => {
    const dir = makeTempDir('lkt-modules-dir-');
    writeFileSync(join(dir, 'modules.builtin.modinfo'), ['8250.parmtype=nr_uarts:uint', ''].join('\0'));
    const first = await cachedModuleParams(dir, '6.1.192-3');
    expect(first).toEqual({ cached: false, modules: [{ module: '8250', builtIn: true, params: [{ name: 'nr_uarts', type: 'uint' }] }] });
    writeFileSync(join(dir, 'modules.builtin.modinfo'), ['8250.parmtype=nr_uarts:int', ''].join('\0'));
    expect(await cachedModuleParams(dir, '6.1.192-3')).toEqual({ ...first, cached: true });
    expect((await cachedModuleParams(dir, '6.1.193-1')).modules[0]!.params).toEqual([{ name: 'nr_uarts', type: 'int' }]);
  });
});
