/**
 * TuneD's profiles as recommendations: each `profiles/<name>/tuned.conf` with its
 * `include=` chain resolved the way TuneD merges profiles (the included ones first, a later
 * profile's option wins, `replace=` drops the earlier section), `${variables}` expanded,
 * and the options of the plugins that set kernel tunables read as settings:
 *
 * - `[sysctl]`: every option is a sysctl; `>2048` asks for at least 2048, `<N` at most N;
 * - `[vm]`: `transparent_hugepages` (or `transparent_hugepage`) and `.defrag` are the sysfs
 *   attributes of /sys/kernel/mm/transparent_hugepage; `dirty_bytes = 40%` is
 *   vm.dirty_ratio 40, without `%` vm.dirty_bytes (the same for dirty_background_*);
 * - `[sysfs]`: every option is a path (a module's parameter file is that parameter);
 * - `[bootloader]`: the words of every `cmdline*` option, less those a `-` option removes;
 * - the plugins that write a device's or a module's files (TuneD's plugins/plugin_*.py):
 *   `[cpu]` governor, energy_performance_preference, pm_qos_resume_latency_us (every CPU's),
 *   min_perf_pct, max_perf_pct, no_turbo (intel_pstate's), boost; `[disk]` readahead (every
 *   disk's read_ahead_kb, `s` sectors halved); `[scsi_host]` alpm; `[audio]` timeout and
 *   reset_controller (snd_hda_intel's and snd_ac97_codec's parameters); `[modules]` the
 *   `param=value` words of each module's options. A device's file is named by its pattern
 *   (`/sys/block/<device>/queue/read_ahead_kb`), `devices=` kept as the condition.
 *
 * A section of another name with `type=` is that plugin (`[sysctl.thunderx]`), its
 * `uname_regex` / `cpuinfo_regex` kept as the setting's condition. A value TuneD computes
 * on the machine (`${f:…}`, or a variable only the admin's /etc/tuned file sets) is no
 * recommendation and is left out, counted in `skipped`.
 */
import type { RecommendationComparison, RecommendationProfile, RecommendationTarget, RecommendedSetting } from '#core/schemas/recommendations.ts';

/** One tuned.conf: its sections in file order, each option with the comment lines right above it. */
export interface TunedConf {
  sections: { name: string; options: { key: string; value: string; comment?: string }[] }[];
}

/**
 * tuned.conf as TuneD's ConfigParser reads it (`=` the only delimiter, keys as written,
 * `#` comments, an inline comment after whitespace, indented lines continuing a value).
 * Hand-written: npm's `ini` makes `[vm.thunderx]` a nested section and treats `;` and
 * quotes its own way, where TuneD keeps the name and the text as written.
 */
export function parseTunedConf(text: string, file: string): TunedConf {
  const sections: TunedConf['sections'] = [];
  let comment: string[] = [];
  let last: { value: string } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, '').trimEnd();
    if (/^\s*#/.test(raw)) {
      comment.push(raw.replace(/^\s*#\s?/, ''));
      return;
    }
    if (line.trim() === '') {
      comment = [];
      last = undefined;
      return;
    }
    if (/^\s/.test(line) && last) {
      last.value = `${last.value}\n${line.trim()}`;
      return;
    }
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      sections.push({ name: section[1]!.trim(), options: [] });
      comment = [];
      last = undefined;
      return;
    }
    const current = sections.at(-1);
    if (!current) throw new Error(`${file}:${i + 1}: an option before any [section]`);
    const eq = line.indexOf('=');
    const note = comment.join('\n').trim();
    const option = { key: (eq < 0 ? line : line.slice(0, eq)).trim(), value: eq < 0 ? '' : line.slice(eq + 1).trim(), ...(note && { comment: note }) };
    current.options.push(option);
    last = option;
    comment = [];
  });
  return { sections };
}

/** Options that steer a plugin instance rather than set anything. */
const INSTANCE_KEYS = new Set(['type', 'devices', 'enabled', 'priority', 'replace', 'uname_regex', 'cpuinfo_regex', 'devices_udev_regex', 'script_pre', 'script_post', 'drop']);

/** The files of the device and module plugins' options, by plugin and option. */
const PLUGIN_FILES: Record<string, Record<string, string[]>> = {
  cpu: {
    governor: ['/sys/devices/system/cpu/<cpu>/cpufreq/scaling_governor'],
    energy_performance_preference: ['/sys/devices/system/cpu/<cpu>/cpufreq/energy_performance_preference'],
    pm_qos_resume_latency_us: ['/sys/devices/system/cpu/<cpu>/power/pm_qos_resume_latency_us'],
    min_perf_pct: ['/sys/devices/system/cpu/intel_pstate/min_perf_pct'],
    max_perf_pct: ['/sys/devices/system/cpu/intel_pstate/max_perf_pct'],
    no_turbo: ['/sys/devices/system/cpu/intel_pstate/no_turbo'],
    boost: ['/sys/devices/system/cpu/cpufreq/boost'],
  },
  disk: { readahead: ['/sys/block/<device>/queue/read_ahead_kb'] },
  scsi_host: { alpm: ['/sys/class/scsi_host/<scsi_host>/link_power_management_policy'] },
  audio: { timeout: ['/sys/module/snd_hda_intel/parameters/power_save', '/sys/module/snd_ac97_codec/parameters/power_save'], reset_controller: ['/sys/module/snd_hda_intel/parameters/power_save_controller'] },
};

interface MergedOption {
  value: string;
  comment?: string;
  /** The profile whose tuned.conf set it. */
  from: string;
}
type MergedSection = Map<string, MergedOption>;

export interface TunedProfiles {
  profiles: RecommendationProfile[];
  settings: RecommendedSetting[];
  /** Options left out, and why: `throughput-performance [sysctl] x: …`. */
  skipped: string[];
}

const splitInclude = (value: string) => value.split(/[\s,]+/).filter(Boolean);

/** The profiles named in `confs` (profile name → its parsed tuned.conf), each with its includes merged. */
export function resolveTunedProfiles(confs: ReadonlyMap<string, TunedConf>): TunedProfiles {
  const skipped: string[] = [];
  const merged = new Map<string, { sections: Map<string, MergedSection>; includes: string[] }>();

  const merge = (name: string, chain: string[]): { sections: Map<string, MergedSection>; includes: string[] } => {
    const done = merged.get(name);
    if (done) return done;
    if (chain.includes(name)) throw new Error(`TuneD profile ${name} includes itself: ${[...chain, name].join(' → ')}`);
    const conf = confs.get(name)!;
    const sections = new Map<string, MergedSection>();
    const includes: string[] = [];
    const main = conf.sections.find((s) => s.name === 'main');
    for (const include of splitInclude(main?.options.find((o) => o.key === 'include')?.value ?? '')) {
      if (!confs.has(include)) {
        skipped.push(`${name} include=${include}: not a profile of the package (a file of the admin's, or chosen on the machine)`);
        continue;
      }
      const parent = merge(include, [...chain, name]);
      includes.push(include, ...parent.includes.filter((p) => !includes.includes(p)));
      for (const [section, options] of parent.sections) sections.set(section, new Map([...(sections.get(section) ?? []), ...options]));
    }
    for (const section of conf.sections) {
      const replace = section.options.some((o) => o.key === 'replace' && /^(1|true|yes)$/i.test(o.value));
      const options: MergedSection = new Map(replace ? [] : (sections.get(section.name) ?? []));
      for (const option of section.options) options.set(option.key, { value: option.value, ...(option.comment && { comment: option.comment }), from: name });
      sections.set(section.name, options);
    }
    const result = { sections, includes };
    merged.set(name, result);
    return result;
  };

  const profiles: RecommendationProfile[] = [];
  const settings: RecommendedSetting[] = [];
  for (const name of [...confs.keys()].sort()) {
    const { sections, includes } = merge(name, []);
    const summary = sections.get('main')?.get('summary')?.value;
    const variables = new Map([...(sections.get('variables') ?? [])].map(([key, { value }]) => [key, value]));
    const expand = (value: string) => value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, variable: string) => variables.get(variable) ?? whole);
    const own: RecommendedSetting[] = [];
    const cmdline: { words: string[]; removed: string[]; from: string; option: string }[] = [];
    for (const [section, options] of sections) {
      const plugin = options.get('type')?.value ?? section;
      if (options.get('enabled') && /^(0|false|no)$/i.test(options.get('enabled')!.value)) continue;
      const condition = ['uname_regex', 'cpuinfo_regex', 'devices'].flatMap((key) => (options.has(key) ? [`${key}=${expand(options.get(key)!.value)}`] : [])).join(' ');
      for (const [key, option] of options) {
        if (INSTANCE_KEYS.has(key)) continue;
        const value = expand(option.value);
        const base = { profile: name, ...(option.from !== name && { inheritedFrom: option.from }), ...(condition && { condition }), ...(option.comment && { rationale: option.comment }) };
        if (plugin === 'bootloader' && key.startsWith('cmdline')) {
          // `+words` adds to what the included profiles set, `-words` takes those away.
          const words = value.replace(/^[+-]/, '').split(/\s+/).filter(Boolean);
          for (const word of words.filter((w) => w.includes('${'))) skipped.push(`${name} [${section}] ${key}: ${word} is computed on the machine`);
          const fixed = words.filter((w) => !w.includes('${'));
          cmdline.push(value.startsWith('-') ? { words: [], removed: fixed, from: option.from, option: key } : { words: fixed, removed: [], from: option.from, option: key });
          continue;
        }
        for (const target of targetsOf(plugin, key, value)) {
          if (target.value.includes('${')) {
            skipped.push(`${name} [${section}] ${key}: computed on the machine (${value})`);
            continue;
          }
          own.push({ ...base, target: target.target, comparison: target.comparison, value: target.value, via: `[${section}] ${key}` });
        }
      }
    }
    const removed = new Set(cmdline.flatMap((c) => c.removed));
    for (const { words, from, option } of cmdline) {
      for (const word of words.filter((w) => !removed.has(w))) {
        const eq = word.indexOf('=');
        own.push({ profile: name, ...(from !== name && { inheritedFrom: from }), target: { kind: 'boot', name: eq < 0 ? word : word.slice(0, eq) }, comparison: 'equals', value: eq < 0 ? '' : word.slice(eq + 1), via: `[bootloader] ${option}` });
      }
    }
    if (own.length === 0) continue;
    profiles.push({ id: name, title: name, ...(summary && { description: summary }), ...(includes.length > 0 && { includes }) });
    settings.push(...own.sort((a, b) => a.target.kind.localeCompare(b.target.kind) || a.target.name.localeCompare(b.target.name) || (a.condition ?? '').localeCompare(b.condition ?? '')));
  }
  return { profiles, settings, skipped };
}

/** `>2048` → at least 2048, `<N` → at most N, else equals. */
function comparisonOf(value: string): { comparison: RecommendationComparison; value: string } {
  if (value.startsWith('>')) return { comparison: 'at-least', value: value.slice(1).trim() };
  if (value.startsWith('<')) return { comparison: 'at-most', value: value.slice(1).trim() };
  return { comparison: 'equals', value };
}

const MODULE_PARAMETER_FILE = /^\/sys\/module\/([^/*]+)\/parameters\/([^/*]+)$/;
const THP = '/sys/kernel/mm/transparent_hugepage';

type PluginSetting = { target: RecommendationTarget; comparison: RecommendationComparison; value: string };

/** A file under /sys as a target: a module's parameter file is that parameter. */
function fileTarget(path: string): RecommendationTarget {
  const parameter = MODULE_PARAMETER_FILE.exec(path);
  return parameter ? { kind: 'module', name: `${parameter[1]}.${parameter[2]}` } : { kind: 'sysfs', name: path };
}

/** The tunables a plugin option sets: none for an option that sets no file of ours (a disk's APM level, a CPU latency). */
function targetsOf(plugin: string, key: string, value: string): PluginSetting[] {
  if (plugin === 'sysctl') return [{ target: { kind: 'sysctl', name: key.replaceAll('/', '.') }, ...comparisonOf(value) }];
  if (plugin === 'sysfs') return [{ target: fileTarget(key), ...comparisonOf(value) }];
  if (plugin === 'modules') {
    // `cpuidle-haltpoll=+r force`: +r reloads the module; the other words are its options.
    const module = key.replaceAll('-', '_');
    return value.split(/\s+/).filter((word) => word !== '' && !word.startsWith('+')).map((word) => {
      const eq = word.indexOf('=');
      return { target: { kind: 'module', name: `${module}.${eq < 0 ? word : word.slice(0, eq)}` }, comparison: 'equals', value: eq < 0 ? '' : word.slice(eq + 1) };
    });
  }
  const files = PLUGIN_FILES[plugin]?.[key];
  if (files) {
    // readahead is in KiB, or in 512-byte sectors with `s` after the number.
    const sectors = plugin === 'disk' ? /^([<>]?)\s*(\d+)\s*s$/.exec(value) : null;
    const written = sectors ? `${sectors[1]}${Number(sectors[2]) / 2}` : value;
    return files.map((path) => ({ target: fileTarget(path), ...comparisonOf(written) }));
  }
  if (plugin !== 'vm') return [];
  if (key === 'transparent_hugepages' || key === 'transparent_hugepage') return [{ target: { kind: 'sysfs', name: `${THP}/enabled` }, comparison: 'equals', value }];
  if (key === 'transparent_hugepage.defrag') return [{ target: { kind: 'sysfs', name: `${THP}/defrag` }, comparison: 'equals', value }];
  const dirty = /^dirty_(background_)?(bytes|ratio)$/.exec(key);
  if (!dirty) return [];
  const percent = /^(\d+)\s*%$/.exec(value);
  const name = `vm.dirty_${dirty[1] ?? ''}${percent || dirty[2] === 'ratio' ? 'ratio' : 'bytes'}`;
  return [{ target: { kind: 'sysctl', name }, comparison: 'equals', value: percent ? percent[1]! : value }];
}
