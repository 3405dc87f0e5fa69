/**
 * Bounds boot code sets. A variable whose only change after its initialiser is one
 * assignment in an `__init` function holds, once the kernel runs, what that assignment
 * makes of it. Two forms say so exactly, given the machine or the command line:
 * `pid_max_min = max_t(int, pid_max_min, PIDS_PER_CPU_MIN * num_possible_cpus())` (raised
 * to 8 × possible CPUs), and a constant assigned by a boot parameter's handler
 * (`ipc_mni = IPCMNI_EXTEND` under `early_param("ipcmni_extend", …)`). Any other form is
 * no rule: the bound stays unknown.
 */
import type { BootBound } from '#core/schemas/docs.ts';
import { changeSites, declarators, evaluate, initialValues, lineIndex, type Lookup } from './c-constants.ts';

/** Offsets of a file's function bodies (kernel style: `{` and `}` at column 0), each with its header. */
function functionBodies(text: string): { start: number; end: number; header: string }[] {
  const bodies: { start: number; end: number; header: string }[] = [];
  let previous = 0;
  for (const open of text.matchAll(/^\{/gm)) {
    const close = text.indexOf('\n}', open.index);
    const end = close < 0 ? text.length : close;
    // The signature only: what comes after the last declaration or body before it.
    const before = text.slice(previous, open.index);
    bodies.push({ start: open.index, end, header: before.slice(before.lastIndexOf(';') + 1) });
    previous = end;
  }
  return bodies;
}

/** The name of the function a header declares: its last `name(` (`static int __init ipc_mni_extend(char *str)`). */
const functionName = (header: string) => [...header.matchAll(/(\w+)\s*\(/g)].at(-1)?.[1];

/**
 * What boot code makes of the file-scope variable `name` of `text` (comments and
 * directives blanked, offsets kept), or null when it is not one of the forms above.
 */
export function bootBound(text: string, name: string, lookup: Lookup): Omit<BootBound, 'file'> | null {
  const declared = [...declarators(text)].filter((d) => d.name === name);
  const declaration = declared[0];
  if (declared.length !== 1 || declaration === undefined || declaration.size !== undefined) return null;
  const [initial] = initialValues(declaration, lookup);
  if (initial === undefined || initial === null) return null;
  const bodies = functionBodies(text);
  const sites = changeSites(text, name, declaration.constant);
  const inside = sites.map((at) => ({ at, body: bodies.find((b) => at > b.start && at < b.end) }));
  // Outside functions there is only the initialiser; inside, the one boot assignment.
  if (inside.filter((s) => s.body === undefined).length !== (declaration.init === undefined ? 0 : 1)) return null;
  const assignments = inside.filter((s) => s.body !== undefined);
  const site = assignments[0];
  if (assignments.length !== 1 || site?.body === undefined || !/\b__init\b/.test(site.body.header)) return null;
  const rhs = new RegExp(`^${name}\\s*=\\s*([^;]+);`).exec(text.slice(site.at))?.[1]?.trim();
  if (rhs === undefined) return null;
  const line = lineIndex(text)(site.at);
  const perCpu = new RegExp(`^max(?:_t\\s*\\(\\s*[\\w\\s]+,|\\s*\\()\\s*${name}\\s*,\\s*([\\s\\S]+?)\\s*\\*\\s*num_possible_cpus\\s*\\(\\s*\\)\\s*\\)$`).exec(rhs);
  if (perCpu !== null) {
    const factor = evaluate(perCpu[1] ?? '', lookup);
    return factor === null || factor < 0n ? null : { initial: initial.toString(), line, perPossibleCpu: factor.toString() };
  }
  const fn = functionName(site.body.header);
  const parameter = fn === undefined ? undefined : new RegExp(`\\b(?:early_param|__setup)\\s*\\(\\s*"([^"]+?)=?"\\s*,\\s*${fn}\\s*\\)`).exec(text)?.[1];
  const [value] = initialValues({ ...declaration, init: rhs }, lookup);
  return parameter === undefined || value === undefined || value === null ? null : { initial: initial.toString(), line, parameter: { name: parameter, value: value.toString() } };
}
