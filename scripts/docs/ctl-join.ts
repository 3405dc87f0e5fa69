/**
 * The names the Documentation gives, checked against the same tree's `ctl_table` entries.
 *
 * The docs sometimes file a sysctl under the wrong directory: ip-sysctl.rst lists
 * `min_pmtu` and `mtu_expires` under /proc/sys/net/ipv4/ (they live in `route/`), the
 * neighbour table's `mcast_solicit` under `conf/interface/`, and xfrm_sync.rst names the C
 * variable (`sysctl_xfrm_aevent_etime`). The entries say where the kernel registers each.
 *
 * And a tunable can have several names: one entry registered under several directories
 * (net/core/neighbour.c's table serves both `net.ipv4.neigh` and `net.ipv6.neigh`), or two
 * entries that store into one variable (`net.nf_conntrack_max` and
 * `net.netfilter.nf_conntrack_max`). The text that documents one name documents the others.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CtlTableEntry, OpenBound } from '#core/schemas/docs.ts';
import type { RawSysctlDoc } from './sysctl-prose.ts';

/** `net/core/neighbour.c:3810`: an entry's place in the source, the same for every name it is registered under. */
export const entryKey = (entry: Pick<CtlTableEntry, 'file' | 'line'>) => `${entry.file}:${entry.line}`;

/**
 * The `.data` of the entry whose `.procname` is on `line` (1-based): the variable it stores
 * into, as written without `&` and spaces (`nf_conntrack_max`, `init_net.xfrm.sysctl_aevent_etime`),
 * or the third argument of 5.10's `set_table_entry(&table[i], "name", &sd->min_interval, …)`.
 * Undefined when the entry has none (or NULL) or a macro builds it (`NEIGH_SYSCTL_ENTRY`).
 */
export function dataExpression(source: string, line: number): string | undefined {
  const lines = source.split('\n');
  const set = /\bset_table_entry\s*\([^,]+,\s*"[^"]*"\s*,\s*([^,]+),/.exec(lines[line - 1] ?? '');
  if (set) return set[1]!.replace(/[&\s()]/g, '');
  let start = line - 1;
  while (start > Math.max(0, line - 6) && !lines[start]!.includes('{')) start--;
  for (let i = start; i < lines.length && i < line + 12; i++) {
    const text = lines[i]!;
    if (i >= line && /\.procname\b/.test(text)) return undefined;
    const data = /\.data\s*=\s*([^,]+?)\s*,?\s*(?:\/[*/].*)?$/.exec(text);
    // `.data = NULL`: the handler keeps the value elsewhere.
    if (data) return data[1] === 'NULL' ? undefined : data[1]!.replace(/[&\s()]/g, '');
    if (i >= line - 1 && text.includes('}')) return undefined;
  }
  return undefined;
}

/** What an entry stores into. */
export interface DataVariable {
  /** As `dataExpression` gives it. */
  expression: string;
  /** The file that defines it `static`, when it does: no other file can name that variable. */
  staticIn?: string;
}

/** Two entries store into one variable when their expressions agree and neither is another file's `static`. */
export const variableIdentity = (data: DataVariable) => (data.staticIn ? `${data.staticIn}:${data.expression}` : data.expression);

/** `static int enforce = …;` at file scope, on one line: the variable is the file's own. */
export function definesStatic(source: string, variable: string): boolean {
  return /^\w+$/.test(variable) && new RegExp(`^static\\b[^;(\\n]*\\b${variable}\\b[^;(\\n]*[=;\\[]`, 'm').test(source);
}

const UCOUNT_TABLE = 'kernel/ucount.c';
const UCOUNT_ENUM = 'include/linux/user_namespace.h';

/**
 * kernel/ucount.c's `user` table has no `.data`: setup_userns_sysctls() points entry i at
 * `ns->ucount_max[i]`, which in the initial namespace is `init_user_ns.ucount_max[<i-th
 * member of enum ucount_type>]`, the very variable fs.inotify.max_user_instances stores
 * into. Both lists are read in order (they share their #ifdefs); a pair whose names do
 * not agree (`max_inotify_instances` ↔ `UCOUNT_INOTIFY_INSTANCES`) means the reading is off,
 * and then nothing is claimed. By procname.
 */
export function ucountVariables(table: string, header: string): Map<string, string> {
  const procnames = [...table.matchAll(/UCOUNT_ENTRY\("([a-z_]+)"\)/g)].map((m) => m[1]!);
  const members = [...(/enum ucount_type\s*\{([^}]*)\}/.exec(header)?.[1] ?? '').matchAll(/^\s*(UCOUNT_[A-Z_]+)\s*,/gm)].map((m) => m[1]!);
  const agree = procnames.every((procname, i) => members[i] === `UCOUNT_${procname.replace(/^max_/, '').toUpperCase()}`);
  return new Map(agree ? procnames.map((procname, i) => [procname, `init_user_ns.ucount_max[${members[i]}]`]) : []);
}

/** The variable of every entry, by `entryKey`; each source file is read once. */
export async function ctlDataVariables(root: string, entries: readonly CtlTableEntry[]): Promise<Map<string, DataVariable>> {
  const data = new Map<string, DataVariable>();
  const ucount = entries.filter((entry) => entry.file === UCOUNT_TABLE);
  if (ucount.length > 0) {
    const [table, header] = await Promise.all([UCOUNT_TABLE, UCOUNT_ENUM].map((file) => readFile(join(root, file), 'utf8').catch(() => '')));
    const variables = ucountVariables(table!, header!);
    for (const entry of ucount) {
      const expression = variables.get(entry.procname);
      if (expression) data.set(entryKey(entry), { expression });
    }
  }
  const files = [...new Set(entries.map((entry) => entry.file))];
  await Promise.all(
    files.map(async (file) => {
      const source = await readFile(join(root, file), 'utf8');
      for (const entry of entries.filter((e) => e.file === file)) {
        const expression = dataExpression(source, entry.line);
        if (expression) data.set(entryKey(entry), definesStatic(source, expression) ? { expression, staticIn: file } : { expression });
      }
    }),
  );
  return data;
}

/**
 * An open bound that is another entry's variable (`&init_net.sctp.rto_max`, a static of
 * the same file by its file) names that entry's sysctl: the handler compares with its
 * current value. Entries carry `data` as `variableIdentity` gives it.
 */
export function boundSysctls(entries: readonly CtlTableEntry[]): CtlTableEntry[] {
  const byData = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.data !== undefined && entry.name !== null) byData.set(entry.data, new Set([...(byData.get(entry.data) ?? []), entry.name]));
  }
  return entries.map((entry) => {
    const open = entry.openBounds;
    if (open === undefined) return entry;
    const named = (bound: OpenBound): OpenBound => {
      const expression = bound.written.replace(/[&\s()]/g, '');
      const names = [...(byData.get(`${entry.file}:${expression}`) ?? byData.get(expression) ?? [])].filter((name) => name !== entry.name);
      return names.length === 1 && names[0] !== undefined ? { ...bound, sysctl: names[0] } : bound;
    };
    return { ...entry, openBounds: { ...(open.min === undefined ? {} : { min: named(open.min) }), ...(open.max === undefined ? {} : { max: named(open.max) }) } };
  });
}

interface Registry {
  known: ReadonlySet<string>;
  /** Registered names by procname; a procname with an entry whose place was not resolved is absent (that entry could be the one meant). */
  byProcname: ReadonlyMap<string, string[]>;
}

function registry(entries: readonly CtlTableEntry[]): Registry {
  const byProcname = new Map<string, string[]>();
  const unresolved = new Set(entries.filter((e) => e.name === null).map((e) => e.procname));
  for (const entry of entries) {
    if (entry.name === null || unresolved.has(entry.procname)) continue;
    byProcname.set(entry.procname, [...(byProcname.get(entry.procname) ?? []), entry.name]);
  }
  return { known: new Set(entries.flatMap((e) => (e.name === null ? [] : [e.name]))), byProcname };
}

/**
 * Where the kernel registers a documented name: the name itself when an entry has it, else
 * the one entry of the same file name below the nearest directory the two share
 * (`net.ipv4.min_pmtu` → `net.ipv4.route.min_pmtu`); the name unchanged when none or
 * several are nearest. A leading `sysctl_` is the C variable's prefix, not the file's.
 */
function placeName(name: string, { known, byProcname }: Registry): string {
  if (known.has(name)) return name;
  const segments = name.split('.');
  const leaf = segments.at(-1)!;
  for (const procname of new Set([leaf, leaf.replace(/^sysctl_/, '')])) {
    const candidates = [...new Set(byProcname.get(procname) ?? [])];
    for (let depth = segments.length - 1; depth >= 1; depth--) {
      const prefix = `${segments.slice(0, depth).join('.')}.`;
      const below = candidates.filter((candidate) => candidate.startsWith(prefix));
      if (below.length === 1) return below[0]!;
      if (below.length > 1) break;
    }
  }
  return name;
}

/** For each registered name, the other names of the same tunable, each with what makes it the same. */
function otherNames(entries: readonly CtlTableEntry[], data: ReadonlyMap<string, DataVariable>): Map<string, { name: string; because: string }[]> {
  const named = entries.filter((e): e is CtlTableEntry & { name: string } => e.name !== null);
  const identity = (entry: CtlTableEntry) => {
    const variable = data.get(entryKey(entry));
    return variable && variableIdentity(variable);
  };
  const others = new Map<string, { name: string; because: string }[]>();
  for (const entry of named) {
    const variable = identity(entry);
    const same = named.flatMap((other) => {
      if (other.name === entry.name || other.procname !== entry.procname) return [];
      if (entryKey(other) === entryKey(entry)) return [{ name: other.name, because: `the same \`\`ctl_table\`\` entry (\`\`${entryKey(entry)}\`\`) registers both names` }];
      if (variable !== undefined && identity(other) === variable) return [{ name: other.name, because: `both names store into \`\`${data.get(entryKey(entry))!.expression}\`\`` }];
      return [];
    });
    others.set(entry.name, [...(others.get(entry.name) ?? []), ...same]);
  }
  return others;
}

/**
 * The docs with their names placed on the tree's entries, then one more doc for each other
 * name of a documented tunable that no doc names: the same text, with a closing note
 * saying which name it was written for and why it applies. Those come last, so the text
 * written for a name always wins.
 */
export function placeOnCtlTables(docs: readonly RawSysctlDoc[], entries: readonly CtlTableEntry[], data: ReadonlyMap<string, DataVariable>): RawSysctlDoc[] {
  const reg = registry(entries);
  const placed = docs.map((doc) => ({ ...doc, names: [...new Set(doc.names.map((name) => placeName(name, reg)))] }));
  const documented = new Set(placed.flatMap((doc) => doc.names));
  const others = otherNames(entries, data);
  const shared: RawSysctlDoc[] = [];
  for (const doc of placed) {
    for (const name of doc.names) {
      for (const other of others.get(name) ?? []) {
        if (documented.has(other.name)) continue;
        documented.add(other.name);
        shared.push({ ...doc, names: [other.name], rst: `${doc.rst}\n\nThis text documents \`\`${name}\`\`; ${other.because}.` });
      }
    }
  }
  return [...placed, ...shared];
}
