import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checked, formatZodError, InvalidDataError, issuePath, zodErrorMessages } from '#core/zod-error.ts';
import { parseYamlWithLines } from '#core/yaml-lines.ts';
import { readJsonChecked, readJsonCheckedSync } from '../../scripts/lib/json.ts';
import { makeTempDir } from '../helpers/fake-tree.ts';

const schema = z.object({
  name: z.string(),
  kernels: z.array(z.object({ series: z.string(), cpus: z.number().int().positive() })),
});
const errorOf = (value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected the value to fail');
  return result.error;
};
const bad = { name: 7, kernels: [{ series: '6.1', cpus: 1 }, { series: '6.12', cpus: 0 }] };

describe('zod error messages', () => {
  it('names the file and the field of the first issue', () => {
    expect(zodErrorMessages(errorOf(bad), 'a.json')).toEqual(['a.json: name: Invalid input: expected string, received number']);
  });

  it('gives every issue when asked, capped with a count of the rest', () => {
    const all = zodErrorMessages(errorOf(bad), 'a.json', { all: true });
    expect(all).toHaveLength(2);
    expect(all[1]).toMatch(/^a\.json: kernels\.1\.cpus: Too small/);
    expect(zodErrorMessages(errorOf(bad), 'a.json', { all: true, max: 1 })).toEqual([all[0], 'a.json: … and 1 more issue(s)']);
    expect(formatZodError(errorOf(bad), 'a.json', { all: true })).toBe(all.join('\n'));
  });

  it('says what the file should have been, adds a hint, and calls the value itself (root)', () => {
    const [message] = zodErrorMessages(errorOf('text'), 'a.json', { context: 'not valid kernel docs', hint: 'run npm run docs' });
    expect(message).toBe('a.json: not valid kernel docs: (root): Invalid input: expected object, received string (run npm run docs)');
    expect(issuePath([])).toBe('(root)');
    expect(issuePath(['kernels', 3, Symbol('x')])).toBe('kernels.3.x');
  });

  it('puts the line where the caller can find it', () => {
    expect(zodErrorMessages(errorOf(bad), 'p.mdx', { lineOf: (path) => (path[0] === 'name' ? 4 : undefined) })).toEqual([
      'p.mdx:4: name: Invalid input: expected string, received number',
    ]);
  });

  it('checked() returns the data or throws an InvalidDataError with the messages', () => {
    expect(checked(schema, { name: 'x', kernels: [] }, 'a.json')).toEqual({ name: 'x', kernels: [] });
    const thrown = (() => {
      try {
        checked(schema, bad, 'a.json', { all: true });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(InvalidDataError);
    expect((thrown as InvalidDataError).file).toBe('a.json');
    expect((thrown as InvalidDataError).messages).toHaveLength(2);
    expect((thrown as InvalidDataError).cause).toBeInstanceOf(z.ZodError);
  });
});

describe('lines of YAML fields', () => {
  const text = 'name: x\nkernels:\n  - series: "6.1"\n    cpus: 1\n  - series: "6.12"\n    cpus: 0\n';

  it('finds a field, a list item and, for a missing field, the nearest enclosing one', () => {
    const yaml = parseYamlWithLines(text, 2);
    expect(yaml.lineOf(['name'])).toBe(2);
    expect(yaml.lineOf(['kernels', 1, 'cpus'])).toBe(7);
    expect(yaml.lineOf(['kernels', 1])).toBe(6);
    expect(yaml.lineOf(['kernels', 1, 'missing'])).toBe(6);
    expect(yaml.lineOf(['absent'])).toBe(2);
  });

  it('gives file:line messages through checked()', () => {
    const yaml = parseYamlWithLines(text, 2);
    expect(() => checked(schema, yaml.value, 'p.mdx', { context: 'front matter', lineOf: yaml.lineOf })).toThrow(
      /^p\.mdx:7: front matter: kernels\.1\.cpus: Too small/,
    );
  });
});

describe('readJsonChecked', () => {
  const dir = makeTempDir('lkt-json-');
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reads and checks', async () => {
    const file = write('good.json', JSON.stringify({ name: 'x', kernels: [] }));
    expect(await readJsonChecked(file, schema, 'kernel list')).toEqual({ name: 'x', kernels: [] });
    expect(readJsonCheckedSync(file, schema, 'kernel list')).toEqual({ name: 'x', kernels: [] });
  });

  it('names the file for a missing file, text that is not JSON and JSON the schema rejects', async () => {
    const missing = join(dir, 'missing.json');
    await expect(readJsonChecked(missing, schema, 'kernel list')).rejects.toThrow(`${missing}: cannot read kernel list: ENOENT`);
    const notJson = write('broken.json', '{"name": ');
    await expect(readJsonChecked(notJson, schema, 'kernel list')).rejects.toThrow(new RegExp(`^${notJson}: not JSON \\(expected kernel list\\): `));
    const invalid = write('invalid.json', JSON.stringify(bad));
    await expect(readJsonChecked(invalid, schema, 'kernel list')).rejects.toThrow(`${invalid}: not valid kernel list: name: Invalid input: expected string, received number`);
    expect(() => readJsonCheckedSync(invalid, schema, 'kernel list', { all: true })).toThrow(/kernels\.1\.cpus/);
  });
});
