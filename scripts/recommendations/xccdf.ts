/**
 * ComplianceAsCode's SCAP content (XCCDF 1.2, `ssg-<product>-xccdf.xml` of Debian's ssg-*
 * packages) → the settings of kernel tunables each profile selects. Pure: the caller reads
 * the file. Which rules set a tunable, and which one, is read from the rule's own text,
 * never guessed from its id (the id only confirms a name found in the text):
 *
 * - `sysctl_*` rules: the name and value of the shell fix's `sysctl -w name=value`, else of
 *   the description's `sysctl -w name=value`, else a `/proc/sys/…` path;
 * - kernel arguments: the osbuild blueprint fix's `[customizations.kernel] append = "…"`,
 *   a fix's `grubby --args="…"`, a fix writing `GRUB_CMDLINE_LINUX="…"` (Debian's, Ubuntu's),
 *   else for `grub2_*_argument` rules a description `<code>name=value</code>`;
 *   `*_absent` rules (an argument removed) and `zipl_*` ones (s390x's boot loader) are skipped;
 * - module parameters: a fix writing `options <module> <param>=<value>` (modprobe.d);
 *   module blacklisting (`kernel_module_*_disabled`: `install … /bin/false`) sets none.
 *
 * A value written as an XCCDF `<sub idref>` is the profile's `refine-value` selector of that
 * Value (or its `set-value`), else the Value's default. The Value's `operator` gives the
 * comparison (`greater than or equal` → `at-least`); everything else is `equals`. References
 * are the rule's `reference` elements whose href names a known catalogue (REFERENCE_SCHEMES)
 * that is one of the audited benchmarks kept (KEPT_SCHEMES), and its CCE `ident`, in
 * document order.
 */
import { XMLParser } from 'fast-xml-parser';
import type { RecommendationComparison, RecommendationProfile, RecommendationTarget, RecommendedSetting } from '#core/schemas/recommendations.ts';

const RULE_PREFIX = 'xccdf_org.ssgproject.content_rule_';
const PROFILE_PREFIX = 'xccdf_org.ssgproject.content_profile_';
const BLUEPRINT = 'urn:redhat:osbuild:blueprint';

/** One node of fast-xml-parser's `preserveOrder` tree: `{ tag: children, ':@': attributes }` or `{ '#text': text }`. */
type XNode = Record<string, unknown>;

/** A value as written in the rule: literal text and `<sub idref>` references to XCCDF Values. */
type ValuePart = string | { valueId: string };

interface RuleSetting {
  target: RecommendationTarget;
  value: ValuePart[];
}

interface RuleInfo {
  id: string;
  selected: boolean;
  settings: RuleSetting[];
  rationale?: string;
  references: { scheme: string; id: string }[];
}

interface ValueInfo {
  operator?: string;
  default?: string;
  bySelector: Map<string, string>;
}

interface ProfileInfo {
  id: string;
  title?: string;
  description?: string;
  extends?: string;
  /** select / refine-value / set-value in document order. */
  steps: ({ kind: 'select'; idref: string; selected: boolean } | { kind: 'refine'; idref: string; selector: string } | { kind: 'set'; idref: string; value: string })[];
}

interface Resolved {
  selected: Map<string, boolean>;
  /** Value id → the profile's choice: a selector, or a literal from set-value. */
  values: Map<string, { selector: string } | { literal: string }>;
  title?: string;
  description?: string;
}

// --- the preserveOrder tree ---------------------------------------------------------------

function tagOf(node: XNode): string {
  for (const key of Object.keys(node)) if (key !== ':@') return key;
  return '';
}

function childrenOf(node: XNode): XNode[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? (value as XNode[]) : [];
}

function attr(node: XNode, name: string): string | undefined {
  const attrs = node[':@'] as Record<string, unknown> | undefined;
  const value = attrs?.[name];
  return value === undefined ? undefined : String(value);
}

function childrenNamed(node: XNode, tag: string): XNode[] {
  return childrenOf(node).filter((child) => tagOf(child) === tag);
}

/** Placeholders standing for a `<sub idref>` inside rendered text (control characters never in the content). */
const SUB_OPEN = '\u0001';
const SUB_CLOSE = '\u0002';
const SUB_RE = /\u0001([^\u0002]*)\u0002/g;

/** The text of a node, a `<sub idref>` as a placeholder, `<br>` as a line break. */
function render(node: XNode): string {
  const tag = tagOf(node);
  if (tag === '#text') return String(node['#text']);
  if (tag === 'sub') return `${SUB_OPEN}${attr(node, 'idref') ?? ''}${SUB_CLOSE}`;
  if (tag === 'br') return '\n';
  return childrenOf(node).map(render).join('');
}

/** Every descendant with this tag, in document order. */
function descendants(node: XNode, tag: string, out: XNode[] = []): XNode[] {
  for (const child of childrenOf(node)) {
    if (tagOf(child) === tag) out.push(child);
    descendants(child, tag, out);
  }
  return out;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// --- values --------------------------------------------------------------------------------

/** `l1tf=` + sub → ['l1tf=', {valueId}]: rendered text split at its placeholders. */
function partsOf(text: string): ValuePart[] {
  const parts: ValuePart[] = [];
  let last = 0;
  for (const match of text.matchAll(SUB_RE)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ valueId: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function valueOf(choice: Resolved['values'] | undefined, values: Map<string, ValueInfo>, valueId: string): string | undefined {
  const info = values.get(valueId);
  const chosen = choice?.get(valueId);
  if (chosen && 'literal' in chosen) return chosen.literal;
  if (chosen && info?.bySelector.has(chosen.selector)) return info.bySelector.get(chosen.selector);
  return info?.default;
}

/** Plain text for prose: a `<sub>` is its Value's default. */
function plain(node: XNode, values: Map<string, ValueInfo>): string {
  return collapse(render(node).replace(SUB_RE, (_, id: string) => valueOf(undefined, values, id) ?? ''));
}

function readValue(node: XNode): ValueInfo {
  const info: ValueInfo = { bySelector: new Map() };
  const operator = attr(node, 'operator');
  if (operator !== undefined) info.operator = operator;
  for (const value of childrenNamed(node, 'value')) {
    const text = render(value).trim();
    const selector = attr(value, 'selector');
    if (selector === undefined) info.default ??= text;
    else if (!info.bySelector.has(selector)) info.bySelector.set(selector, text);
  }
  // XCCDF: without a selector-less value, the first one is the default.
  if (info.default === undefined) {
    const first = childrenNamed(node, 'value')[0];
    if (first) info.default = render(first).trim();
  }
  return info;
}

function comparisonOf(operator: string | undefined): RecommendationComparison {
  if (operator === 'greater than or equal') return 'at-least';
  if (operator === 'less than or equal') return 'at-most';
  return 'equals';
}

// --- references ----------------------------------------------------------------------------

/** A reference's href → the scheme it names; unknown hrefs are dropped. First match wins. */
const REFERENCE_SCHEMES: [RegExp, string][] = [
  [/cisecurity\.org\/controls/, 'CIS Controls'],
  [/cisecurity\.org\/(benchmark|cis-benchmarks)/, 'CIS'],
  [/cyber\.mil\/stigs\/cci/, 'CCI'],
  [/cyber\.mil\/stigs/, 'DISA'], // split by the id's form in disaScheme
  [/cyber\.gouv\.fr|ssi\.gouv\.fr/, 'ANSSI'],
  [/NIST\.SP\.800-53/, 'NIST 800-53'],
  [/NIST\.SP\.800-171/, 'NIST 800-171'],
  [/NIST\.CSWP/, 'NIST CSF'],
  [/pcisecuritystandards\.org.*v4/i, 'PCI-DSS 4.0'],
  [/pcisecuritystandards\.org/, 'PCI-DSS 3.2.1'],
  [/cyber\.gov\.au.*ism/, 'ISM'],
  [/gpo\.gov.*title45/, 'HIPAA'],
  [/niap-ccevs\.org/, 'OSPP'],
  [/bsi\.bund\.de/, 'BSI'],
  [/ccn-cert\.cni\.es/, 'CCN'],
  [/nerc\.com.*cip/, 'NERC CIP'],
  [/fbi\.gov.*cjis/, 'CJIS'],
  [/isaca\.org.*cobit/, 'COBIT 5'],
  [/iso\.org\/.*54534/, 'ISO 27001:2013'],
  [/isa\.org\/.*62443-3-3/, 'ISA-62443-3-3'],
  [/isa\.org\/.*62443-2-1/, 'ISA-62443-2-1'],
];

const IDENT_SCHEMES: [RegExp, string][] = [[/ncp\.nist\.gov\/cce|cce\.mitre\.org/, 'CCE']];

/**
 * The references kept: the benchmarks an operator is audited against and the rule's own
 * CCE. The rest are ComplianceAsCode's crosswalks to control catalogues (ISA-62443, ISO
 * 27001, COBIT, CIS Controls, …): up to about 90 per rule, they made ssg.json 4.5 MB.
 */
const KEPT_SCHEMES = new Set(['CIS', 'STIG', 'SRG', 'ANSSI', 'NIST 800-53', 'PCI-DSS 4.0', 'OSPP', 'BSI', 'CCE']);

/** DISA's hrefs do not tell its catalogues apart (the same download page serves SRGs and STIGs); the ids do. */
function disaScheme(id: string): string {
  if (/^SRG-/.test(id)) return 'SRG';
  if (/^V-\d+$/.test(id)) return 'STIG Vuln ID';
  if (/^SV-\d+/.test(id)) return 'STIG Rule ID';
  return 'STIG';
}

function schemeOf(url: string | undefined, table: [RegExp, string][]): string | undefined {
  if (url === undefined) return undefined;
  for (const [pattern, scheme] of table) if (pattern.test(url)) return scheme;
  return undefined;
}

// --- which tunables a rule sets ----------------------------------------------------------

/** `net.ipv4.conf.all.accept_redirects` → `net_ipv4_conf_all_accept_redirects`, to compare with a rule id. */
function flat(name: string): string {
  return name.replace(/[./-]/g, '_');
}

/** The rule id names this tunable: `sysctl_<name>` exactly or followed by a qualifier (`_accept_default`). */
function idNames(idTail: string, name: string): boolean {
  const f = flat(name);
  return idTail === f || idTail.startsWith(`${f}_`);
}

/** The shell variable `$var` / `${var}` → the `<sub>` it is assigned from in the same script. */
function shellValue(raw: string, script: string): ValuePart[] {
  const variable = /^\$\{?(\w+)\}?$/.exec(raw)?.[1];
  if (variable === undefined) return partsOf(raw);
  const assigned = new RegExp(`(?:^|\\s)${variable}=["']?(${SUB_OPEN}[^${SUB_CLOSE}]*${SUB_CLOSE})`, 'm').exec(script);
  return assigned ? partsOf(assigned[1]!) : [];
}

const SYSCTL_W = /sysctl\s+(?:-[a-z]+\s+)*-w\s+([\w.\/-]+)=("[^"\n]*"|'[^'\n]*'|[^\s"']*)/g;
const PROC_SYS = /echo\s+["']?([^"'\s>]*)["']?\s*>\s*\/proc\/sys\/([\w\/.-]+)/g;

function unquote(raw: string): string {
  return /^(["']).*\1$/s.test(raw) ? raw.slice(1, -1) : raw;
}

function sysctlSettings(idTail: string, fixes: { system: string; text: string }[], description: string): RuleSetting[] {
  const sources = [...fixes.filter((fix) => fix.system.endsWith(':sh')).map((fix) => fix.text), description];
  for (const text of sources) {
    for (const match of text.matchAll(SYSCTL_W)) {
      const name = match[1]!;
      if (!idNames(idTail, name)) continue;
      const value = shellValue(unquote(match[2]!), text);
      if (value.length > 0 || match[2] === '""' || match[2] === "''") return [{ target: { kind: 'sysctl', name }, value }];
    }
    for (const match of text.matchAll(PROC_SYS)) {
      const name = match[2]!.replace(/\//g, '.');
      if (idNames(idTail, name)) return [{ target: { kind: 'sysctl', name }, value: shellValue(match[1]!, text) }];
    }
  }
  return [];
}

/** `audit=1 audit_backlog_limit=<sub>` → one boot setting per argument; a bare flag (`nousb`) has the value ''. */
function bootArguments(line: string): RuleSetting[] {
  const settings: RuleSetting[] = [];
  for (const token of line.trim().split(/\s+/)) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    if (!/^[\w.-]+$/.test(name)) continue;
    settings.push({ target: { kind: 'boot', name }, value: eq < 0 ? [] : partsOf(token.slice(eq + 1)) });
  }
  return settings;
}

function bootSettings(idTail: string, fixes: { system: string; text: string }[], descriptionCodes: string[]): RuleSetting[] {
  // zipl is s390x's boot loader: the reference kernels are amd64's and arm64's, and each zipl_ rule has its grub2_ twin.
  if (idTail.endsWith('_absent') || idTail.startsWith('zipl_')) return [];
  for (const fix of fixes) {
    if (fix.system !== BLUEPRINT) continue;
    const append = /\[customizations\.kernel\][^[]*?\bappend\s*=\s*"([^"]*)"/.exec(fix.text);
    if (append) return bootArguments(append[1]!);
  }
  for (const fix of fixes) {
    const grubby = /grubby\s+--update-kernel[= ]\S+\s+--args[= ]"([^"$]*)"/.exec(fix.text);
    if (grubby) return bootArguments(grubby[1]!);
  }
  // Debian's and Ubuntu's fixes write the line themselves: `echo "GRUB_CMDLINE_LINUX=\"apparmor=1\""`.
  for (const fix of fixes) {
    const written: RuleSetting[] = [];
    for (const match of fix.text.matchAll(/(?:echo\s+"|line:\s*)GRUB_CMDLINE_LINUX=\\?"([^"\\]*)\\?"/g)) {
      if (/[[\]()*^|]|\{\{/.test(match[1]!)) continue; // a regex, or Ansible's `{{ var }}`: the shell fix has the same line
      for (const setting of bootArguments(match[1]!.replace(/\$\{?\w+\}?/g, (variable) => shellValue(variable, fix.text).map((part) => (typeof part === 'string' ? part : `${SUB_OPEN}${part.valueId}${SUB_CLOSE}`)).join(''))))
        if (!written.some((known) => known.target.name === setting.target.name)) written.push(setting);
    }
    if (written.length > 0) return written;
  }
  if (!/^grub2_.+_argument$/.test(idTail)) return [];
  for (const code of descriptionCodes) {
    const match = /^([\w.-]+)=(\S*)$/.exec(code.trim());
    if (match && idTail.includes(flat(match[1]!))) return [{ target: { kind: 'boot', name: match[1]! }, value: partsOf(match[2]!) }];
  }
  return [];
}

/** `options ipv6 disable=1` written by a fix (modprobe.d) → `ipv6.disable`; module names with `_`, as the kernel has them. */
function moduleSettings(fixes: { system: string; text: string }[]): RuleSetting[] {
  const seen = new Map<string, RuleSetting>();
  for (const fix of fixes) {
    if (!/modprobe/.test(fix.text)) continue;
    for (const match of fix.text.matchAll(/(?:^|echo\s+["']?|line:\s*["']?)options\s+([\w-]+)\s+([^\n"']+)/gm)) {
      const module = match[1]!.replace(/-/g, '_');
      for (const token of match[2]!.trim().split(/\s+/)) {
        const eq = token.indexOf('=');
        if (eq <= 0) continue;
        const name = `${module}.${token.slice(0, eq)}`;
        if (!seen.has(name)) seen.set(name, { target: { kind: 'module', name }, value: partsOf(token.slice(eq + 1)) });
      }
    }
    if (seen.size > 0) break;
  }
  return [...seen.values()];
}

function readRule(node: XNode, values: Map<string, ValueInfo>): RuleInfo {
  const id = attr(node, 'id') ?? '';
  const idTail = id.startsWith(RULE_PREFIX) ? id.slice(RULE_PREFIX.length) : id;
  const fixes = childrenNamed(node, 'fix').map((fix) => ({ system: attr(fix, 'system') ?? '', text: render(fix) }));
  const description = childrenNamed(node, 'description')[0];
  let settings: RuleSetting[] = [];
  if (idTail.startsWith('sysctl_')) {
    settings = sysctlSettings(idTail.slice('sysctl_'.length), fixes, description ? render(description) : '');
  } else {
    settings = bootSettings(idTail, fixes, description ? descendants(description, 'code').map(render) : []);
    if (settings.length === 0) settings = moduleSettings(fixes);
  }
  const info: RuleInfo = { id: idTail, selected: attr(node, 'selected') === 'true', settings, references: [] };
  if (settings.length === 0) return info;
  const rationale = childrenNamed(node, 'rationale')[0];
  if (rationale) {
    const text = plain(rationale, values);
    if (text !== '') info.rationale = text;
  }
  const seen = new Set<string>();
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    let scheme = tag === 'reference' ? schemeOf(attr(child, 'href'), REFERENCE_SCHEMES) : tag === 'ident' ? schemeOf(attr(child, 'system'), IDENT_SCHEMES) : undefined;
    if (scheme === undefined) continue;
    const refId = collapse(render(child));
    if (scheme === 'DISA') scheme = disaScheme(refId);
    const key = `${scheme}\0${refId}`;
    if (refId === '' || seen.has(key) || !KEPT_SCHEMES.has(scheme)) continue;
    seen.add(key);
    info.references.push({ scheme, id: refId });
  }
  return info;
}

function readProfile(node: XNode): ProfileInfo {
  const profile: ProfileInfo = { id: attr(node, 'id') ?? '', steps: [] };
  const parent = attr(node, 'extends');
  if (parent !== undefined) profile.extends = parent;
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    const idref = attr(child, 'idref') ?? '';
    if (tag === 'title') profile.title ??= collapse(render(child));
    else if (tag === 'description') profile.description ??= collapse(render(child).replace(SUB_RE, ''));
    else if (tag === 'select') profile.steps.push({ kind: 'select', idref, selected: attr(child, 'selected') === 'true' });
    else if (tag === 'refine-value' && attr(child, 'selector') !== undefined) profile.steps.push({ kind: 'refine', idref, selector: attr(child, 'selector')! });
    else if (tag === 'set-value') profile.steps.push({ kind: 'set', idref, value: render(child).trim() });
  }
  return profile;
}

/** A profile's selections and value choices, its `extends` chain applied first, its own steps in order. */
function resolveProfile(id: string, profiles: Map<string, ProfileInfo>, memo: Map<string, Resolved>, visiting = new Set<string>()): Resolved {
  const known = memo.get(id);
  if (known) return known;
  const profile = profiles.get(id);
  if (!profile || visiting.has(id)) return { selected: new Map(), values: new Map() };
  visiting.add(id);
  const base = profile.extends !== undefined ? resolveProfile(profile.extends, profiles, memo, visiting) : undefined;
  const resolved: Resolved = { selected: new Map(base?.selected), values: new Map(base?.values) };
  const title = profile.title ?? base?.title;
  if (title !== undefined) resolved.title = title;
  const description = profile.description ?? base?.description;
  if (description !== undefined) resolved.description = description;
  for (const step of profile.steps) {
    if (step.kind === 'select') resolved.selected.set(step.idref, step.selected);
    else if (step.kind === 'refine') resolved.values.set(step.idref, { selector: step.selector });
    else resolved.values.set(step.idref, { literal: step.value });
  }
  visiting.delete(id);
  memo.set(id, resolved);
  return resolved;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// --- the benchmark ---------------------------------------------------------------------------

interface Benchmark {
  rules: Map<string, RuleInfo>;
  values: Map<string, ValueInfo>;
  profiles: Map<string, ProfileInfo>;
}

function readBenchmark(xml: string): Benchmark {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  });
  const document = parser.parse(xml) as XNode[];
  const benchmark = document.find((node) => tagOf(node) === 'Benchmark');
  if (!benchmark) throw new Error('not an XCCDF document: no Benchmark element');

  // Values first: a rule's rationale may refer to one.
  const ruleNodes: XNode[] = [];
  const profileNodes: XNode[] = [];
  const values = new Map<string, ValueInfo>();
  const walk = (nodes: XNode[]): void => {
    for (const node of nodes) {
      const tag = tagOf(node);
      if (tag === 'Rule') ruleNodes.push(node);
      else if (tag === 'Value') values.set(attr(node, 'id') ?? '', readValue(node));
      else if (tag === 'Profile') profileNodes.push(node);
      else if (tag === 'Group') walk(childrenOf(node));
    }
  };
  walk(childrenOf(benchmark));

  const rules = new Map<string, RuleInfo>();
  for (const node of ruleNodes) {
    const rule = readRule(node, values);
    if (rule.settings.length > 0) rules.set(attr(node, 'id') ?? '', rule);
  }
  const profiles = new Map(profileNodes.map((node) => [attr(node, 'id') ?? '', readProfile(node)] as const));
  return { rules, values, profiles };
}

/**
 * Every rule of the benchmark that sets a tunable, selected by a profile or not: its short
 * id and the targets it sets, sorted by id. For reports of what the content covers.
 */
export function xccdfTunableRules(xml: string): { via: string; targets: RecommendationTarget[] }[] {
  return [...readBenchmark(xml).rules.values()]
    .map((rule) => ({ via: rule.id, targets: rule.settings.map((setting) => setting.target) }))
    .sort((a, b) => compare(a.via, b.via));
}

export function readXccdf(xml: string, product: string): { profiles: RecommendationProfile[]; settings: RecommendedSetting[] } {
  const { rules, values, profiles: profileInfos } = readBenchmark(xml);
  const memo = new Map<string, Resolved>();
  const profiles: RecommendationProfile[] = [];
  const settings: RecommendedSetting[] = [];
  for (const fullId of profileInfos.keys()) {
    const resolved = resolveProfile(fullId, profileInfos, memo);
    const profileId = `${product}:${fullId.startsWith(PROFILE_PREFIX) ? fullId.slice(PROFILE_PREFIX.length) : fullId}`;
    const mine: RecommendedSetting[] = [];
    for (const [ruleId, rule] of rules) {
      if (!(resolved.selected.get(ruleId) ?? rule.selected)) continue;
      for (const setting of rule.settings) {
        const ids = setting.value.filter((part) => typeof part !== 'string').map((part) => part.valueId);
        const resolvedValue = setting.value.map((part) => (typeof part === 'string' ? part : valueOf(resolved.values, values, part.valueId)));
        if (resolvedValue.some((part) => part === undefined)) continue; // a Value the benchmark does not define
        const out: RecommendedSetting = {
          profile: profileId,
          target: setting.target,
          comparison: ids.length === 1 && setting.value.length === 1 ? comparisonOf(values.get(ids[0]!)?.operator) : 'equals',
          value: resolvedValue.join(''),
          via: rule.id,
        };
        if (rule.rationale !== undefined) out.rationale = rule.rationale;
        if (rule.references.length > 0) out.references = rule.references;
        mine.push(out);
      }
    }
    if (mine.length === 0) continue;
    const profile: RecommendationProfile = { id: profileId, title: resolved.title ?? profileId };
    if (resolved.description) profile.description = resolved.description;
    profiles.push(profile);
    settings.push(...mine);
  }
  profiles.sort((a, b) => compare(a.id, b.id));
  settings.sort(
    (a, b) =>
      compare(a.profile, b.profile) ||
      compare(a.target.name, b.target.name) ||
      compare(a.target.kind, b.target.kind) ||
      compare(a.via, b.via) ||
      compare(a.value, b.value),
  );
  return { profiles, settings };
}
