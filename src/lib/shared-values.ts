/**
 * One object for every run of equal JSON values: the content layer's data store (Astro
 * serialises it with devalue, which writes an object once however often it is referenced,
 * and restores the references) then holds each distinct fact once. Most facts repeat:
 * a module parameter's per-kernel record is the same on every kernel that has it, and
 * many parameters share one (load-time, int, no description, no tags). At 15,868 pages this
 * took the store from 27 to 16 MB, which Astro writes, bundles into the build and parses.
 *
 * The values returned are shared: callers must not change them (no page does).
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A sharer: each call returns `value` with every object or array equal to one seen before (by this sharer) replaced by that one. */
export function valueSharer(): <T>(value: T) => T {
  // A shared value's key: its kind, then per entry the key and the child's number (strings,
  // objects and arrays are numbered as first seen; other primitives are written out typed).
  const objects = new Map<string, object>();
  const numbers = new WeakMap<object, number>();
  const strings = new Map<string, number>();
  const keyOf = (value: Json): string => {
    if (value !== null && typeof value === 'object') return `o${numbers.get(value)!}`;
    if (typeof value === 'string') {
      let number = strings.get(value);
      if (number === undefined) strings.set(value, (number = strings.size));
      return `s${number}`;
    }
    return typeof value === 'number' && Object.is(value, -0) ? 'n-0' : `${typeof value}${String(value)}`;
  };
  const share = (value: Json): Json => {
    if (value === null || typeof value !== 'object') return value;
    let copy: Json;
    let key: string;
    if (Array.isArray(value)) {
      copy = value.map(share);
      key = `[${copy.map(keyOf).join(',')}`;
    } else {
      const object: { [key: string]: Json } = {};
      key = '{';
      for (const [name, child] of Object.entries(value)) {
        const shared = share(child);
        object[name] = shared;
        key += `${keyOf(name)}=${keyOf(shared)},`;
      }
      copy = object;
    }
    const found = objects.get(key);
    if (found) return found as Json;
    numbers.set(copy, objects.size);
    objects.set(key, copy);
    return copy;
  };
  return <T>(value: T) => share(value as Json) as T;
}
