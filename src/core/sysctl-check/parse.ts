/**
 * Reads sysctl settings as sysctl.d(5) defines them, and `sysctl -a` output (the same
 * `key = value` lines): `#` and `;` comments, blank lines, `.` or `/` separators, a leading
 * `-` (ignore a failure to set it; alone, `-key` keeps a key out of globs), glob characters in keys. Pure and browser-safe: the
 * "Check my system" page and the CLI both use it. Written here because no package parses
 * sysctl.d files; their grammar is a few lines of sysctl.d(5).
 */

export interface SysctlSource {
  /** Shown in findings: a file path, or a label such as "pasted text". */
  name: string;
  text: string;
}

/** One `key = value` line. */
export interface Assignment {
  file: string;
  /** 1-based. */
  line: number;
  /** The key as written, trimmed, without its leading `-`. */
  written: string;
  /** The key's path segments under /proc/sys, separators resolved (`eth0.200` stays one segment when written with `/`). */
  segments: string[];
  /** True when a segment holds glob characters (`*`, `?`, `[`). */
  glob: boolean;
  /** A leading `-`: a failure to set it is ignored. */
  ignoreFailure: boolean;
  /** `-key` with no `=`: the key is kept out of every glob assignment (sysctl.d(5)); there is no value. */
  exclusion: boolean;
  /** The value, trimmed (empty for an exclusion). */
  value: string;
}

export interface SyntaxProblem {
  file: string;
  line: number;
  message: string;
}

export interface Parsed {
  assignments: Assignment[];
  problems: SyntaxProblem[];
}

const GLOB = /[*?[]/;

/**
 * sysctl.d(5): if the first separator is a slash, slashes separate and dots are part of
 * names; if it is a dot, dots separate and slashes stand for dots inside a name.
 */
export function keySegments(key: string): string[] {
  const firstSlash = key.indexOf('/');
  const firstDot = key.indexOf('.');
  const slashFirst = firstSlash !== -1 && (firstDot === -1 || firstSlash < firstDot);
  return slashFirst ? key.split('/') : key.split('.').map((segment) => segment.replaceAll('/', '.'));
}

/** The dotted name `sysctl` prints for these segments (`eth0.200` written as `eth0/200`). */
export function dottedName(segments: readonly string[]): string {
  return segments.map((segment) => segment.replaceAll('.', '/')).join('.');
}

function parseLine(file: string, line: number, raw: string): Assignment | SyntaxProblem | undefined {
  const text = raw.trim();
  if (text === '' || text.startsWith('#') || text.startsWith(';')) return undefined;
  const equals = text.indexOf('=');
  const exclusion = equals === -1 && text.startsWith('-');
  if (equals === -1 && !exclusion) return { file, line, message: `no "=" in "${text}": expected key = value (or -key to keep a key out of globs)` };
  let key = exclusion ? text : text.slice(0, equals).trim();
  const value = exclusion ? '' : text.slice(equals + 1).trim();
  const ignoreFailure = key.startsWith('-');
  if (ignoreFailure) key = key.slice(1).trim();
  if (key === '') return { file, line, message: 'no key before "="' };
  if (/\s/.test(key)) return { file, line, message: `the key "${key}" contains white space` };
  const segments = keySegments(key.replace(/^[./]+|[./]+$/g, ''));
  if (segments.some((segment) => segment === '')) return { file, line, message: `the key "${key}" has an empty part` };
  return { file, line, written: key, segments, glob: segments.some((segment) => GLOB.test(segment)), ignoreFailure, exclusion, value };
}

/** Every assignment and every unparseable line of the sources, in order. */
export function parseSources(sources: readonly SysctlSource[]): Parsed {
  const parsed: Parsed = { assignments: [], problems: [] };
  for (const { name, text } of sources) {
    text.split(/\r?\n/).forEach((raw, i) => {
      const result = parseLine(name, i + 1, raw);
      if (!result) return;
      if ('segments' in result) parsed.assignments.push(result);
      else parsed.problems.push(result);
    });
  }
  return parsed;
}

/** fnmatch(3) for one segment: `*`, `?` and `[...]` classes (with `!` or `^` negation). */
export function segmentMatcher(pattern: string): (segment: string) => boolean {
  if (!GLOB.test(pattern)) return (segment) => segment === pattern;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const character = pattern[i]!;
    if (character === '*') source += '.*';
    else if (character === '?') source += '.';
    else if (character === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      if (body.startsWith('!') || body.startsWith('^')) body = `^${body.slice(1)}`;
      source += `[${body.replaceAll('\\', '\\\\')}]`;
      i = close;
    } else source += character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  return (segment) => regex.test(segment);
}
