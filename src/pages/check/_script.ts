/**
 * The "Check my system" page's script (src/pages/check/index.astro imports it; the `_`
 * keeps it from being a route). Bundled alone and inlined into the page by Astro (see
 * `assetsInlineLimit` in astro.config.mjs), which inlines only a script that imports no
 * other chunk: so it imports only the shared checker, no zod (types only) and no module of
 * the search page, which would become a shared chunk.
 */
import { checkCatalog, ERROR_KINDS, inSourceOrder, lintSources, type CheckCatalog, type SourceKind } from '#core/sysctl-check/lint.ts';
import { parseSources, type SysctlSource } from '#core/sysctl-check/parse.ts';
import { lintParameters, parameterCatalog, unpackKernels, type ParameterCatalog } from '#core/sysctl-check/parameters.ts';
import { recommendationFindings } from '#core/sysctl-check/recommendations.ts';
import { parseCmdline, parseModprobe, type ParsedParameters } from '#core/sysctl-check/parameters-parse.ts';
import type { CheckData, CheckRecommendations, Finding, FindingKind } from '#core/schemas/check.ts';
import { parseCpus, parseMemorySize, type Machine } from '#core/machine-rules.ts';
import { kernelId, seriesChoiceLabel } from '#core/kernels.ts';

const PASTED = 'pasted text';
/** Larger than any sysctl file or `sysctl -a` output: a file this big was dropped by mistake. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const EXAMPLE = [
  '# An example /etc/sysctl.d/99-tuning.conf',
  'vm.swappines = 10',
  'vm.swappiness = 300',
  'net.ipv4.ip_forward = 1',
  'net.core.somaxconn = 4096',
  '',
].join('\n');

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`check page: ${selector} is missing`);
  return found;
}

const app = element<HTMLElement>('#check-app');
const form = element<HTMLFormElement>('#check-form');
const text = element<HTMLTextAreaElement>('#check-text');
const kernel = element<HTMLSelectElement>('#check-form select[name="kernel"]');
/** Absent where the content has no recommendations. */
const profile = document.querySelector<HTMLSelectElement>('#check-form select[name="profile"]');
const arch = element<HTMLSelectElement>('#check-form select[name="arch"]');
const cpusInput = element<HTMLInputElement>('#check-form input[name="cpus"]');
const memoryInput = element<HTMLInputElement>('#check-form input[name="memory"]');
const fileInput = element<HTMLInputElement>('#check-files');
const drop = element<HTMLElement>('#check-drop');
const fileList = element<HTMLUListElement>('#check-file-list');
const status = element<HTMLElement>('#check-status');
const reportSection = element<HTMLElement>('#check-report');
const summary = element<HTMLElement>('#check-summary');
const counts = element<HTMLUListElement>('#check-counts');
const group = element<HTMLSelectElement>('#check-group');
const kindFilter = element<HTMLSelectElement>('#check-report select[name="kind"]');
const table = element<HTMLTableElement>('#check-table');
const caption = element<HTMLElement>('#check-caption');

/** Every kind, in the schema's order (errors first), as the page lists them in the filter. */
const KINDS = [...kindFilter.options].map(({ value }) => value).filter((value): value is FindingKind => value !== '');
const KIND_LABELS = new Map([...kindFilter.options].map((option) => [option.value, option.textContent ?? option.value]));

/** The page is <root>/check/: the site's root, whatever path or disk folder it is read from. */
const root = new URL('../', location.href);

/** A site path from the data (`/sysctl/vm/swappiness/`) → a link relative to this page, naming the file (file:// opens no index.html by itself). */
function pageLink(sitePath: string): string {
  const path = sitePath.replace(/^\//, '');
  return `../${path}${path.endsWith('/') || path === '' ? 'index.html' : ''}`;
}

/** Loads a data script once by a classic script tag (browsers refuse fetches from file://) and gives what it assigns. */
function loadScript<T>(file: string, globalName: string): Promise<T> {
  const src = new URL(file, root);
  return new Promise<T>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src.href;
    script.onload = () => {
      const data = (globalThis as unknown as Record<string, T | undefined>)[globalName];
      if (data) resolve(data);
      else reject(new Error(`${src.href} loaded but did not set ${globalName}`));
    };
    script.onerror = () => reject(new Error(`could not load ${src.href}`));
    document.head.append(script);
  });
}

/** Keeps one load at a time; a failed load may succeed on the next try. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending) return pending;
    const loading = load();
    pending = loading;
    loading.catch(() => {
      if (pending === loading) pending = undefined;
    });
    return loading;
  };
}

/** A data script's content, each tunable's kernels of equal facts unpacked (`packKernels`) to one entry per kernel id. */
async function loadData(file = '', globalName = ''): Promise<CheckData> {
  const packed = await loadScript<CheckData>(file, globalName);
  return { ...packed, tunables: packed.tunables.map((tunable) => ({ ...tunable, kernels: unpackKernels(tunable.kernels) })) };
}

/** The sysctls, loaded on first use. */
const loadCatalog = once(async (): Promise<CheckCatalog> => checkCatalog(await loadData(app.dataset.file, app.dataset.global)));
/** The boot and module parameters, loaded when a modprobe.d file or a command line is checked. */
const loadParameters = once(async (): Promise<ParameterCatalog> => parameterCatalog(await loadData(app.dataset.parametersFile, app.dataset.parametersGlobal)));

/** The recommendations, loaded when a profile is chosen. */
const loadRecommendations = once(() => loadScript<CheckRecommendations>(app.dataset.recommendationsFile ?? '', app.dataset.recommendationsGlobal ?? ''));

/** Files in the order they were added; one added again under the same name replaces the earlier one. */
let files: SysctlSource[] = [];

/** What the pasted text and files are: sysctl settings (a config or `sysctl -a`), modprobe.d files, or a command line. */
type InputKind = SourceKind | 'modprobe' | 'cmdline';

interface Report {
  findings: Finding[];
  /** The kernel id checked against: `6.1`, `6.1-arm64`. */
  reference: string;
  sourceKind: InputKind;
  sources: string[];
  settings: number;
}
let report: Report | undefined;
/** The last check asked for a kernel of a series and architecture that was not measured: another choice checks again. */
let unmeasured = false;
// Each check bumps this: a slower earlier one (data still loading) must not overwrite a later one.
let generation = 0;

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
const isError = (finding: Finding) => ERROR_KINDS.has(finding.kind);

function sourceKind(): InputKind {
  const chosen = new FormData(form).get('source');
  return chosen === 'dump' || chosen === 'modprobe' || chosen === 'cmdline' ? chosen : 'config';
}

const INPUT_LABELS: Record<InputKind, string> = {
  config: 'sysctl.d settings',
  dump: 'sysctl -a output',
  modprobe: 'modprobe.d files',
  cmdline: 'a kernel command line',
};

function currentSources(): SysctlSource[] {
  return [...(text.value.trim() ? [{ name: PASTED, text: text.value }] : []), ...files];
}

function renderFiles(): void {
  fileList.replaceChildren(
    ...files.map(({ name, text: content }) => {
      const item = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = `${name} `;
      const lines = document.createElement('span');
      lines.className = 'muted';
      lines.textContent = `(${plural(content.split(/\r?\n/).filter((line) => line.trim() !== '').length, 'line', 'lines')}) `;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${name}`);
      remove.addEventListener('click', () => {
        files = files.filter((file) => file.name !== name);
        renderFiles();
        status.textContent = `Removed ${name}.`;
        // The button is gone: keep the keyboard near where it was.
        fileInput.focus();
        if (report) void runCheck().catch(fail);
      });
      item.append(label, lines, remove);
      return item;
    }),
  );
  fileList.hidden = files.length === 0;
}

async function addFiles(list: readonly File[]): Promise<void> {
  if (list.length === 0) return;
  const tooBig = list.filter((file) => file.size > MAX_FILE_BYTES);
  const read = await Promise.all(list.filter((file) => file.size <= MAX_FILE_BYTES).map(async (file) => ({ name: file.name, text: await file.text() })));
  for (const file of read) {
    const at = files.findIndex(({ name }) => name === file.name);
    if (at === -1) files.push(file);
    else files[at] = file;
  }
  renderFiles();
  const added = read.length > 0 ? `Added ${read.map(({ name }) => name).join(', ')}.` : '';
  const skipped = tooBig.length > 0 ? ` Skipped ${tooBig.map(({ name }) => name).join(', ')}: larger than 5 MiB.` : '';
  status.textContent = `${added}${skipped}${report ? '' : ' Press Check to check.'}`.trim();
  if (report) await runCheck();
}

function cell(content: string | Node, tag: 'td' | 'th' = 'td'): HTMLTableCellElement {
  const node = document.createElement(tag);
  node.append(content);
  return node;
}

/** A key or name that may wrap after its separators (`.`, `/`, `_`), as BreakableName.astro does on the server. */
function breakable(parent: HTMLElement, name: string): HTMLElement {
  for (const piece of name.split(/(?<=[./_])/)) parent.append(piece, document.createElement('wbr'));
  return parent;
}

const code = (content: string) => breakable(document.createElement('code'), content);

function row(finding: Finding): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset.kind = finding.kind;
  const kindBadge = document.createElement('span');
  kindBadge.className = `finding-kind ${isError(finding) ? 'error' : 'info'}`;
  kindBadge.textContent = finding.kind;
  const links = document.createElement('td');
  finding.tunables.forEach(({ name, url }, i) => {
    if (i > 0) links.append(', ');
    const link = document.createElement('a');
    link.setAttribute('href', pageLink(url));
    links.append(breakable(link, name));
  });
  tr.append(cell(finding.file), cell(String(finding.line)), cell(finding.key ? code(finding.key) : ''), cell(kindBadge), cell(finding.message), links);
  return tr;
}

interface Group {
  label: string;
  findings: Finding[];
}

function groups(shown: Finding[]): Group[] {
  if (group.value === 'kind') return KINDS.map((kind) => ({ label: kind, findings: shown.filter((finding) => finding.kind === kind) }));
  return [
    { label: 'Errors', findings: shown.filter(isError) },
    { label: 'Information', findings: shown.filter((finding) => !isError(finding)) },
  ];
}

function describeSources(sources: string[]): string {
  if (sources.length === 1) return sources[0]!;
  return `${sources.length} sources (${sources.join(', ')})`;
}

/** Draws the report: summary, counts, and the table as grouped and filtered now. */
function render(): void {
  if (!report) return;
  const { findings, reference, sourceKind: kind, sources, settings } = report;
  const errors = findings.filter(isError).length;
  const what = INPUT_LABELS[kind];
  summary.textContent = `${plural(settings, 'setting', 'settings')} in ${describeSources(sources)}, checked as ${what} against kernel ${reference}: ${plural(errors, 'error', 'errors')}, ${plural(findings.length - errors, 'finding', 'findings')} for information.`;

  const byKind = new Map<FindingKind, number>();
  for (const finding of findings) byKind.set(finding.kind, (byKind.get(finding.kind) ?? 0) + 1);
  counts.replaceChildren(
    ...KINDS.filter((kind) => byKind.has(kind)).map((kind) => {
      const item = document.createElement('li');
      const badge = document.createElement('span');
      badge.className = `finding-kind ${ERROR_KINDS.has(kind) ? 'error' : 'info'}`;
      badge.textContent = kind;
      item.append(badge, ` ${byKind.get(kind)}`);
      return item;
    }),
  );
  for (const option of kindFilter.options) {
    if (option.value === '') continue;
    option.textContent = `${KIND_LABELS.get(option.value) ?? option.value} (${byKind.get(option.value as FindingKind) ?? 0})`;
  }

  const filter = kindFilter.value;
  const shown = filter ? findings.filter((finding) => finding.kind === filter) : findings;
  caption.textContent = filter ? `Findings of kind ${filter} on kernel ${reference}: ${shown.length} of ${findings.length}` : `Findings on kernel ${reference}: ${findings.length}`;
  for (const body of [...table.tBodies]) body.remove();
  const filled = groups(shown).filter(({ findings: members }) => members.length > 0);
  if (filled.length === 0) {
    const body = table.createTBody();
    const empty = cell(findings.length === 0 ? 'Nothing to report: no line needs attention.' : 'No finding of this kind.');
    empty.colSpan = 6;
    body.insertRow().append(empty);
  }
  for (const { label, findings: members } of filled) {
    const body = table.createTBody();
    const heading = cell(`${label} (${members.length})`, 'th');
    heading.scope = 'rowgroup';
    heading.colSpan = 6;
    heading.className = 'check-group';
    body.insertRow().append(heading);
    body.append(...members.map(row));
  }
  reportSection.hidden = false;
}

/** The machine the reader described, if any; a field it cannot read is marked invalid and named in the error thrown. */
function machineGiven(): Machine {
  const machine: Machine = {};
  for (const [input, read] of [
    [cpusInput, (value: string) => Object.assign(machine, parseCpus(value))],
    [memoryInput, (value: string) => (machine.memoryKiB = parseMemorySize(value))],
  ] as const) {
    input.removeAttribute('aria-invalid');
    if (input.value.trim() === '') continue;
    try {
      read(input.value);
    } catch (error) {
      input.setAttribute('aria-invalid', 'true');
      throw new MachineError((error as Error).message);
    }
  }
  return machine;
}

class MachineError extends Error {}

/** Where the settings meet or differ from the profile chosen, if any (`sysctl -a` output is a dump, not settings: not checked). */
async function profileFindings(sysctls: SysctlSource[], parameters: ParsedParameters[]): Promise<Finding[]> {
  if (!profile?.value) return [];
  const { tunables } = await loadRecommendations();
  return recommendationFindings(sysctls, parameters, tunables, profile.value);
}

async function runCheck(): Promise<void> {
  const current = ++generation;
  let machine: Machine;
  try {
    machine = machineGiven();
  } catch (error) {
    if (!(error instanceof MachineError)) throw error;
    status.textContent = `Your machine: ${error.message}.`;
    return;
  }
  const sources = currentSources();
  if (sources.length === 0) {
    report = undefined;
    reportSection.hidden = true;
    status.textContent = 'Paste settings, or drop or choose files, to check them.';
    return;
  }
  status.textContent = 'Loading the kernel data…';
  const kind = sourceKind();
  // The kernel of this series and architecture, by its id in the data: `6.1`, `6.1-arm64`.
  const reference = kernelId(kernel.value, arch.value);
  const measured = (catalog: { kernels: string[] }) => {
    unmeasured = !catalog.kernels.includes(reference);
    if (!unmeasured) return true;
    report = undefined;
    reportSection.hidden = true;
    status.textContent = `No ${arch.value} kernel ${kernel.value} was measured: choose another kernel or architecture.`;
    return false;
  };
  let findings: Finding[];
  let settings: number;
  if (kind === 'modprobe' || kind === 'cmdline') {
    const loaded = await loadParameters();
    if (current !== generation || !measured(loaded)) return;
    const parsed = sources.map(kind === 'modprobe' ? parseModprobe : parseCmdline);
    // `sysctl.vm.swappiness=10` on a command line is a sysctl: the sysctl data checks it.
    const sysctls = parsed.flatMap((one) => one.sysctls);
    const sysctlCatalog = sysctls.length > 0 ? await loadCatalog() : undefined;
    if (current !== generation) return;
    const recommended = await profileFindings(sysctls, parsed);
    if (current !== generation) return;
    findings = inSourceOrder(
      [...lintParameters(parsed, loaded, reference), ...(sysctlCatalog ? lintSources(sysctls, sysctlCatalog, reference, 'config', machine) : []), ...recommended],
      sources.map(({ name }) => name),
    );
    settings = parsed.reduce((sum, { settings: found, sysctls: more }) => sum + found.length + more.length, 0);
  } else {
    const loaded = await loadCatalog();
    if (current !== generation || !measured(loaded)) return;
    const recommended = kind === 'config' ? await profileFindings(sources, []) : [];
    if (current !== generation) return;
    findings = inSourceOrder([...lintSources(sources, loaded, reference, kind, machine), ...recommended], sources.map(({ name }) => name));
    settings = parseSources(sources).assignments.length;
  }
  report = { findings, reference, sourceKind: kind, sources: sources.map(({ name }) => name), settings };
  render();
  const errors = findings.filter(isError).length;
  status.textContent = `Checked ${plural(settings, 'setting', 'settings')} against ${reference}: ${plural(errors, 'error', 'errors')}, ${findings.length - errors} for information.`;
}

function announceFilter(): void {
  render();
  if (!report) return;
  const shown = kindFilter.value ? report.findings.filter((finding) => finding.kind === kindFilter.value).length : report.findings.length;
  status.textContent = kindFilter.value ? `Showing ${shown} of ${report.findings.length} findings: ${kindFilter.value}.` : `Showing all ${report.findings.length} findings.`;
}

const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

/** Each series named with the release of the chosen architecture's kernel (the page renders them for the preselected one). */
function labelSeries(): void {
  for (const option of kernel.options) {
    const releases = JSON.parse(option.dataset.releases ?? '{}') as Record<string, string | undefined>;
    option.textContent = seriesChoiceLabel(option.value, arch.value, releases[arch.value]);
  }
}

function main(): void {
  // A browser that restores the form on reload may bring back another architecture.
  labelSeries();
  arch.addEventListener('change', labelSeries);
  // The data loads on first use: the first focus, keystroke or file in the form.
  const prefetch = () => void loadCatalog().catch(() => undefined);
  form.addEventListener('focusin', prefetch, { once: true });
  form.addEventListener('input', prefetch, { once: true });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void runCheck().catch(fail);
  });
  // A new kernel, source kind or machine redraws a report already shown.
  form.addEventListener('change', (event) => {
    const target = event.target;
    if ((report || unmeasured) && (target === kernel || target === arch || target === profile || target === cpusInput || target === memoryInput || (target instanceof HTMLInputElement && target.name === 'source'))) void runCheck().catch(fail);
  });
  fileInput.addEventListener('change', () => {
    const chosen = [...(fileInput.files ?? [])];
    fileInput.value = '';
    void addFiles(chosen).catch(fail);
  });
  element<HTMLButtonElement>('#check-example').addEventListener('click', () => {
    text.value = EXAMPLE;
    files = [];
    renderFiles();
    const config = form.querySelector<HTMLInputElement>('input[name="source"][value="config"]');
    if (config) config.checked = true;
    void runCheck().catch(fail);
  });
  element<HTMLButtonElement>('#check-clear').addEventListener('click', () => {
    generation++;
    text.value = '';
    files = [];
    renderFiles();
    report = undefined;
    unmeasured = false;
    reportSection.hidden = true;
    status.textContent = 'Cleared.';
    text.focus();
  });
  group.addEventListener('change', render);
  kindFilter.addEventListener('change', announceFilter);

  // Files dropped anywhere on the page are added; a browser would otherwise open them in place of the page.
  let depth = 0;
  window.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    depth++;
    drop.classList.add('dragging');
    prefetch();
  });
  window.addEventListener('dragleave', (event) => {
    if (!hasFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) drop.classList.remove('dragging');
  });
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    drop.classList.remove('dragging');
    void addFiles([...(event.dataTransfer?.files ?? [])]).catch(fail);
  });
}

function fail(error: unknown): void {
  status.textContent = 'The check could not run: reload the page to try again.';
  console.error(error);
}

try {
  main();
} catch (error) {
  fail(error);
}
