/**
 * The line of a field in a YAML text, for zod-error's `lineOf`: the field's own line, or
 * for a field that is missing, the line of the nearest enclosing one that is there.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { IssuePath } from './zod-error.ts';

export interface YamlWithLines {
  /** The parsed value (the document's errors are the caller's to check: `document.errors`). */
  value: unknown;
  document: Document;
  /** The line in the whole file; `firstLine` is the file line of the YAML text's first line. */
  lineOf: (path: IssuePath) => number | undefined;
}

export function parseYamlWithLines(text: string, firstLine = 1): YamlWithLines {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const line = (offset: number) => lineCounter.linePos(offset).line + firstLine - 1;
  /** Where the field starts: its key in a map, the item in a list. */
  const start = (keys: readonly (string | number)[]): number | undefined => {
    if (keys.length === 0) return isNode(document.contents) ? document.contents.range?.[0] : undefined;
    const parent = keys.length === 1 ? document.contents : document.getIn(keys.slice(0, -1), true);
    const key = keys.at(-1)!;
    if (isMap(parent)) {
      const pair = parent.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === key);
      return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
    }
    if (isSeq(parent) && typeof key === 'number') {
      const item = parent.items[key];
      return isNode(item) ? item.range?.[0] : undefined;
    }
    return undefined;
  };
  const lineOf = (path: IssuePath): number | undefined => {
    const keys = path.filter((key): key is string | number => typeof key !== 'symbol');
    for (let length = keys.length; length >= 0; length--) {
      const offset = start(keys.slice(0, length));
      if (offset !== undefined) return line(offset);
    }
    return undefined;
  };
  return { value: document.toJS() as unknown, document, lineOf };
}
