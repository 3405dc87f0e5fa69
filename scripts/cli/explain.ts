/** `kernel-tunables explain NAME`: one tunable page's facts, as a terminal reads them. */
import { join } from 'node:path';
import { acceptedDisagreement, acceptedLines } from '#core/accepted.ts';
import { archesOf, compareKernelIds, kernelId, kernelIdsOfPage, kernelLabel, newestFacts, otherArchOnly, parseKernelId, referenceBootWordOf } from '#core/kernels.ts';
import { availability } from '#core/availability.ts';
import { definitionLines, rangeLines, statedLine, statedLines, typeLines } from '#core/upstream.ts';
import { pageUrl } from '#core/paths.ts';
import { PRESENCE_LABELS, probeRows, SETTABLE_LABELS, setAtBootRows } from '#core/parameters.ts';
import { abbreviate, defaultText, formatShapes, scalingDetail, scopeText, shapeLabels, shownInstanceValue } from '#core/values.ts';
import { expectedDefault, machineLabel, ruleText, type ExpectedDefault, type Machine } from '#core/machine-rules.ts';
import type { KernelFacts, TunableFrontmatter } from '#core/schemas/tunable.ts';
import { defaultVerdict, groupRecommendations, recommendationText, SOURCE_NAMES } from '#core/recommendations.ts';
import { pagesDir } from '../../src/data/tunables.ts';
import type { CliData } from './data.ts';
import type { Resolved } from './names.ts';
import { asked, type KernelAsked } from './reference.ts';
import { columns, painter } from './style.ts';

/** Longest default shown in the table; the page has the rest. */
const MAX_SHOWN = 160;
/** Instances listed for a pattern page. */
const MAX_INSTANCES = 12;

/** The default column: the value, or what kind of value it is; machine-scaled ones get a line per shape after it. */
function defaultCell(facts: KernelFacts): { text: string; more: string[] } {
  if (facts.defaultKind === 'machine' && facts.error === undefined) {
    const shapes = facts.shapes ?? [];
    const labels = shapeLabels(shapes);
    return {
      text: `machine-scaled: ${scalingDetail(facts.scalesWith, facts.rule)}${shapes.length > 0 ? ', by machine shape:' : ''}`,
      more: shapes.map(({ value }, i) => `${labels[i]}: ${abbreviate(value, MAX_SHOWN)}`),
    };
  }
  const at = facts.defaultKind === 'source' ? facts.defaultSource : undefined;
  const bootWord = referenceBootWordOf(facts);
  const flags = [
    facts.binary && 'binary, shown escaped',
    facts.truncated && 'truncated',
    at && `not measured: C initialiser at ${at.file}:${at.line}`,
    bootWord && `as booted with ${bootWord}, not the kernel's own default`,
  ].filter(Boolean);
  const text = facts.defaultKind === 'constant' || facts.defaultKind === 'source' ? abbreviate(defaultText(facts), MAX_SHOWN) : defaultText(facts);
  return { text: `${text}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`, more: [] };
}

/** One kernel's line of "Expected default on …". */
function expectedText(expected: ExpectedDefault, facts: KernelFacts): string {
  switch (expected.kind) {
    case 'rule':
      return `${expected.value} (${ruleText(expected.rule)})`;
    case 'needs':
      return `${ruleText(expected.rule)}: give --${expected.input} to compute it`;
    case 'shapes':
      return `measured on these shapes only: ${formatShapes(expected.shapes)}`;
    case 'same':
      return `${abbreviate(expected.value === '' ? '(empty)' : expected.value, MAX_SHOWN)} (the same on every machine shape measured)`;
    case 'none':
      return `no default to expect: ${defaultText(facts)}`;
  }
}

/** Each kernel's expected default on the machine asked about, oldest kernel first. */
export function expectedDefaults(kernels: Record<string, KernelFacts>, machine: Machine): [string, ExpectedDefault][] {
  return Object.keys(kernels)
    .sort(compareKernelIds)
    .map((id) => [id, expectedDefault(kernels[id]!, machine)]);
}

/**
 * The kernels of a page `explain` shows: those of the series and architecture asked for
 * (`--kernel`, `--arch`), every one the page has where neither is; or, where none is left,
 * why, in words for stderr.
 */
export function shownKernels(page: Pick<TunableFrontmatter, 'title' | 'kernels'>, data: CliData, options: KernelAsked): { ids: string[] } | { none: string } {
  const wanted = asked(data, options);
  const all = kernelIdsOfPage(page.kernels);
  const ids = all.filter((id) => {
    const { series, arch } = parseKernelId(id);
    return (wanted.series === undefined || series === wanted.series) && (wanted.arch === undefined || arch === wanted.arch);
  });
  if (ids.length > 0) return { ids };
  const elsewhere = wanted.arch === undefined ? undefined : otherArchOnly(page.title, all, wanted.arch);
  if (elsewhere) return { none: `${elsewhere}: explain it with --arch ${archesOf(all).join(' or --arch ')}` };
  // Here --kernel was given: the page has kernels of the architecture asked for, not of that series.
  const what = wanted.arch === undefined ? wanted.series! : kernelLabel(kernelId(wanted.series!, wanted.arch));
  return { none: `${page.title} is not on ${what}: it is on ${all.map(kernelLabel).join(', ')}` };
}

/** The page with the facts of the kernels shown only: every line below then speaks of them alone. */
const onKernels = <T extends { kernels: Record<string, unknown> }>(page: T, ids: readonly string[]): T => ({ ...page, kernels: Object.fromEntries(ids.map((id) => [id, page.kernels[id]])) });

/**
 * Where the tunable exists among the measured kernels, per architecture where the data has
 * several (`amd64: 5.10 – 7.2; arm64: since 6.12`), and a tunable of one architecture only said so.
 */
function availabilityLines(page: Pick<TunableFrontmatter, 'kernels'>, data: CliData): string[] {
  const present = Object.keys(page.kernels);
  const dataArches = archesOf(data.kernelIds);
  const arches = archesOf(present);
  const only = dataArches.length > 1 && arches.length === 1 ? [`Only on ${arches[0]}: no ${dataArches.filter((arch) => arch !== arches[0]).join(' or ')} kernel measured has it.`] : [];
  return [`On kernels: ${availability(data.kernelIds, present)}`, ...only];
}

export function explainText({ entry, instance, path }: Resolved, data: CliData, shown: readonly string[], machine?: Machine): string {
  const paint = painter(process.stdout);
  const page = onKernels(entry.data, shown);
  const series = kernelIdsOfPage(page.kernels);
  const { id: newestSeries, facts: newest } = newestFacts(page.kernels);
  const { upstream } = page;
  const parameter = newest.parameter;
  const on = `, on ${kernelLabel(newestSeries)}`;
  const accepted = acceptedLines(page.kernels);
  const facts: [string, string][] = [
    ...(page.path === null ? [] : [['path', page.path] as [string, string]]),
    ...(instance.length > 0 ? [['instance', `${path} (${instance.join(' / ')} for ${page.placeholders.map((p) => `<${p}>`).join(' / ')})`] as [string, string]] : []),
    ['kind', page.kind],
    ...(parameter
      ? ([
          ['set it', `${parameter.settable ? SETTABLE_LABELS[parameter.settable] : 'not known'}${newest.mode ? `, file mode ${newest.mode}` : ''}${on}`],
          ['type', `${parameter.type ?? 'not known'}${on}`],
          ['in the kernel', `${PRESENCE_LABELS[parameter.presence]}${newest.module ? ` (${newest.module}.ko)` : ''}${on}`],
          ...(parameter.tags.length > 0 ? [['tags', parameter.tags.join(', ')] as [string, string]] : []),
        ] as [string, string][])
      : ([
          ['type', statedLine(typeLines(page))],
          ['valid range', statedLine(rangeLines(page))],
          ...(accepted.length > 0 ? [['accepted (measured)', [statedLine(accepted), acceptedDisagreement(page.kernels)].filter(Boolean).join(' ')] as [string, string]] : []),
          ['scope', `${scopeText(newest)}${on}`],
          // The newest shown kernel's, like the mode beside them: the page's own are whether any kernel has it writable, and amd64's module.
          ['writable', newest.writable ? `yes (mode ${newest.mode}${on})` : `no${newest.mode === null ? '' : `: read-only (mode ${newest.mode}${on})`}`],
          ['module', `${newest.module ?? 'built in'}${on}`],
        ] as [string, string][])),
    ['status', page.status === 'present' ? 'present' : 'vanished: no reference kernel measures it any more'],
  ];
  if (upstream.docSource) {
    const where = upstream.docSource.origin === 'kernel' ? `Linux ${upstream.docSource.version}` : `man-pages ${upstream.docSource.version}`;
    facts.push(['documented in', `${upstream.docSource.file}:${upstream.docSource.line} (${where})`]);
  }
  if (upstream.documentedDefault) facts.push(['documented default', statedLine(statedLines(page.kernels, (s) => s.documentedDefault, upstream.documentedDefault, (value) => [value]))]);
  const definitions = definitionLines(page);
  if (definitions.some(({ phrases }) => phrases !== null)) facts.push(['defined in', statedLine(definitions, 'not found')]);

  const lines = [paint('bold', page.title), page.summary, ''];
  lines.push(...columns(facts.map(([label, value]) => [`${label}:`, value])).map((line) => `  ${line}`));
  lines.push('', paint('bold', 'Default per reference kernel:'));

  const rows = [parameter ? ['kernel', 'release', 'set it', 'type', 'default'] : ['kernel', 'release', 'mode', 'scope', 'default']];
  const more: string[][] = [[]];
  for (const kernel of series) {
    const kernelFacts = page.kernels[kernel]!;
    const cell = defaultCell(kernelFacts);
    const { parameter: one } = kernelFacts;
    const middle = one ? [one.settable ? SETTABLE_LABELS[one.settable] : 'not known', one.type ?? '—'] : [kernelFacts.mode ?? 'no file', scopeText(kernelFacts)];
    rows.push([kernelLabel(kernel), kernelFacts.release, ...middle, cell.text]);
    more.push(cell.more);
  }
  columns(rows).forEach((line, i) => {
    lines.push(`  ${i === 0 ? paint('dim', line) : line}`);
    const indent = ' '.repeat(2 + line.length - rows[i]!.at(-1)!.length + 2);
    for (const extra of more[i]!) lines.push(`${indent}${extra}`);
  });

  if (machine) {
    lines.push('', paint('bold', `Expected default on ${machineLabel(machine)}:`));
    const expected = expectedDefaults(page.kernels, machine);
    lines.push(...columns(expected.map(([kernel, one]) => [`${kernelLabel(kernel)}:`, expectedText(one, page.kernels[kernel]!)])).map((line) => `  ${line}`));
  }

  lines.push('', ...availabilityLines(entry.data, data));
  if (newest.instances && newest.instances.length > 0) {
    const shown = newest.instances.slice(0, MAX_INSTANCES).map((one) => {
      const text = `${one.instance} = ${abbreviate(shownInstanceValue(one), 40)}`;
      return one.instance === instance.join(' / ') ? paint('bold', text) : text;
    });
    const rest = newest.instances.length - shown.length;
    lines.push(`Instances on ${kernelLabel(newestSeries)}: ${shown.join(', ')}${rest > 0 ? `, … ${rest} more` : ''}`);
  }
  for (const { ids: on, probe } of probeRows(page.kernels)) {
    const what = probe.moved.length === 0 ? 'no tunable the walk reads moved' : probe.moved.map((move) => `${move.id === entry.id ? 'its own file' : move.title} ${move.from ?? 'absent'} → ${move.to ?? 'absent'}`).join('; ');
    lines.push(`Booting ${on.map(kernelLabel).join(', ')} with ${probe.word}: ${what}`);
  }
  for (const row of setAtBootRows(page.kernels)) lines.push(`Also set at boot: ${row.word} set it on ${row.ids.map(kernelLabel).join(', ')} (${row.title})`);
  lines.push(...recommendationLines(entry.id, data, newest, newestSeries, paint));
  lines.push(`Page: ${join(pagesDir(data.dir), `${entry.id}.mdx`)} (on the site: ${pageUrl(entry.id)})`);
  return `${lines.join('\n')}\n`;
}

/** "Recommended by": each setting profiles share, with its profiles and whether the newest shown kernel's default meets it. */
function recommendationLines(id: string, data: CliData, newest: KernelFacts, newestId: string, paint: ReturnType<typeof painter>): string[] {
  const exported = data.export.tunables.find((tunable) => tunable.url === pageUrl(id))?.recommendations ?? [];
  if (exported.length === 0) return [];
  const groups = groupRecommendations(exported.map((one) => ({ ...one, profileTitle: one.profile })));
  return [
    '',
    paint('bold', `Recommended by (the default of ${kernelLabel(newestId)} against each):`),
    ...groups.map((group) => {
      const profiles = group.profiles.map(({ id: profile, inheritedFrom }) => (inheritedFrom ? `${profile} (from ${inheritedFrom})` : profile)).join(', ');
      const where = [group.instance !== undefined && `for ${group.instance}`, group.condition && `where ${group.condition}`].filter(Boolean).join(', ');
      return `  ${SOURCE_NAMES[group.source]} ${profiles}: ${recommendationText(group)}${where ? ` ${where}` : ''}: ${defaultVerdict(newest, group).text}`;
    }),
  ];
}

/**
 * `explain --json`: the tunable as dist/tunables.json has it, with the page file and the
 * instance named; with a machine, each kernel's expected default on it (`expectedDefault`).
 */
export function explainJson({ entry, instance, path }: Resolved, data: CliData, shown: readonly string[], machine?: Machine): string {
  const exported = onKernels(data.export.tunables.find((tunable) => tunable.url === pageUrl(entry.id))!, shown);
  const expected = machine && { machine, expected: Object.fromEntries(expectedDefaults(onKernels(entry.data, shown).kernels, machine)) };
  return `${JSON.stringify({ ...exported, page: join(pagesDir(data.dir), `${entry.id}.mdx`), asked: { path, instance, kernels: shown, ...expected } }, null, 2)}\n`;
}
