/**
 * `kernel-tunables lint`: sysctl.d files, modprobe.d files and kernel command lines checked
 * against one reference kernel with the checkers of src/core/sysctl-check/ (the "Check my
 * system" page uses the sysctl one).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareText } from '#core/kernels.ts';
import { checkCatalog, ERROR_KINDS, inSourceOrder, lintSources } from '#core/sysctl-check/lint.ts';
import type { Machine } from '#core/machine-rules.ts';
import type { SysctlSource } from '#core/sysctl-check/parse.ts';
import { lintParameters, parameterCatalog } from '#core/sysctl-check/parameters.ts';
import { recommendationFindings } from '#core/sysctl-check/recommendations.ts';
import { formatOf, parseCmdline, parseModprobe, type SourceFormat } from '#core/sysctl-check/parameters-parse.ts';
import { lintReport, type Finding } from '#core/schemas/check.ts';
import type { CliData } from './data.ts';
import { painter, plural, UsageError } from './style.ts';

const why = (error: unknown) => {
  const { code, message } = error as NodeJS.ErrnoException;
  const words: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a directory' };
  return code ? `${words[code] ?? message} (${code})` : message;
};

/**
 * The sources to check, in the order sysctl applies them: each FILE as given (`-` for
 * standard input); each DIR as its `*.conf` files in lexicographic file name order (as
 * sysctl.d(5) orders one directory).
 * Everything is read before anything is checked: a missing file fails the whole run.
 */
export function readSources(paths: readonly string[]): SysctlSource[] {
  const sources: SysctlSource[] = [];
  for (const path of paths) {
    // `-`: standard input, e.g. what `systemd-sysctl --cat-config` prints.
    if (path === '-') {
      sources.push({ name: 'standard input', text: readFileSync(0, 'utf8') });
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${why(error)}`);
    }
    let files = [path];
    if (isDirectory) {
      try {
        files = readdirSync(path, { withFileTypes: true })
          .filter((dirent) => dirent.name.endsWith('.conf') && (dirent.isFile() || (dirent.isSymbolicLink() && statSync(join(path, dirent.name)).isFile())))
          .map((dirent) => dirent.name)
          .sort(compareText)
          .map((name) => join(path, name));
      } catch (error) {
        throw new UsageError(`cannot read the directory ${path}: ${why(error)}`);
      }
      if (files.length === 0) throw new UsageError(`no *.conf files in the directory ${path}`);
    }
    for (const file of files) {
      try {
        sources.push({ name: file, text: readFileSync(file, 'utf8') });
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${why(error)}`);
      }
    }
  }
  return sources;
}

export interface LintResult {
  findings: Finding[];
  errors: number;
}

/**
 * Each source checked by the checker of its format (`format`, or what `formatOf` tells from
 * its name and text), for `machine` where given, and against `profile` (a resolved
 * `resolveProfile` name) where given; the findings in source and line order.
 */
export function lint(sources: readonly SysctlSource[], data: CliData, series: string, format?: SourceFormat, machine: Machine = {}, profile?: string): LintResult {
  const formatted = sources.map((source) => ({ source, format: format ?? formatOf(source) }));
  const parameters = formatted.flatMap(({ source, format: one }) => (one === 'modprobe' ? [parseModprobe(source)] : one === 'cmdline' ? [parseCmdline(source)] : []));
  const sysctl = [...formatted.filter((one) => one.format === 'sysctl').map(({ source }) => source), ...parameters.flatMap((parsed) => parsed.sysctls)];
  const found = inSourceOrder(
    [
      ...(sysctl.length > 0 ? lintSources(sysctl, checkCatalog(data.export), series, 'config', machine) : []),
      ...(parameters.length > 0 ? lintParameters(parameters, parameterCatalog(data.export), series) : []),
      ...(profile ? recommendationFindings(sysctl, parameters, data.export.tunables, profile) : []),
    ],
    sources.map(({ name }) => name),
  );
  const findings = lintReport.parse({ findings: found }).findings;
  return { findings, errors: findings.filter((finding) => ERROR_KINDS.has(finding.kind)).length };
}

/** `lint --json`: exactly these five fields per finding. */
export function lintJson({ findings }: LintResult): string {
  const report = { findings: findings.map(({ file, line, key, kind, message }) => ({ file, line, key, kind, message })) };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One `file:line: kind: message` line per finding, a blank line between files, then a summary. */
export function lintText({ findings, errors }: LintResult, sources: readonly SysctlSource[], reference: string): string {
  const paint = painter(process.stdout);
  const lines: string[] = [];
  let file: string | undefined;
  for (const finding of findings) {
    if (file !== undefined && finding.file !== file) lines.push('');
    file = finding.file;
    const error = ERROR_KINDS.has(finding.kind);
    const kind = error ? paint(['red', 'bold'], finding.kind) : paint('cyan', finding.kind);
    lines.push(`${paint('bold', `${finding.file}:${finding.line}:`)} ${kind}: ${finding.message}`);
  }
  const notes = findings.length - errors;
  const checked = `${plural(sources.length, 'file')} checked against ${reference}`;
  const summary =
    findings.length === 0
      ? `no findings: ${checked}`
      : `${errors > 0 ? paint(['red', 'bold'], plural(errors, 'error')) : 'no errors'}, ${plural(notes, 'note')}: ${checked}`;
  if (lines.length > 0) lines.push('');
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}
