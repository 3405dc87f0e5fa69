/**
 * The recommendations stage: fetches TuneD's and ComplianceAsCode's Debian packages with
 * the refresh's private apt (the suite's current versions, cached), reads every profile
 * that sets a kernel tunable (tuned.ts, xccdf.ts) and writes
 * `content/recommendations/<source>.json` (src/core/schemas/recommendations.ts).
 */
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RECOMMENDATIONS_SCHEMA_VERSION, recommendationsFile, type RecommendationSource, type RecommendationsFile } from '#core/schemas/recommendations.ts';
import { fetchPackages, type FetchedPackage } from '../lib/apt.ts';
import { parseTunedConf, resolveTunedProfiles } from './tuned.ts';
import { readXccdf } from './xccdf.ts';

export const RECOMMENDATIONS_DEFAULTS = {
  suite: 'sid',
  out: 'content/recommendations',
  cacheDir: '.cache',
  /**
   * The SCAP content's products read: Debian's own, the Ubuntu LTS its CIS and STIG
   * profiles target, and RHEL, whose CIS, STIG, ANSSI and OSPP profiles the other
   * RHEL-like products repeat.
   */
  products: ['debian13', 'ubuntu2404', 'rhel9'],
} as const;

/** The members of the SCAP packages read: their XCCDF files, not the 1.9 GB of the rest. */
const XCCDF = ['./usr/share/xml/scap/ssg/content/ssg-*-xccdf.xml'];
/** Where each source's content comes from, and its licence (SPDX). */
const SOURCES: Record<RecommendationSource, { packages: { name: string; members: string[] }[]; licence: string; homepage: string }> = {
  tuned: { packages: [{ name: 'tuned', members: ['./usr/lib/tuned/*'] }], licence: 'GPL-2.0-or-later', homepage: 'https://tuned-project.org/' },
  ssg: {
    packages: ['ssg-debian', 'ssg-debderived', 'ssg-nondebian'].map((name) => ({ name, members: XCCDF })),
    licence: 'BSD-3-Clause',
    homepage: 'https://www.open-scap.org/security-policies/scap-security-guide/',
  },
};

export interface RecommendationsOptions {
  suite?: string;
  out?: string;
  cacheDir?: string;
  products?: readonly string[];
  update?: boolean;
  log?: (who: string, message: string) => void;
}

export interface RecommendationsReport {
  files: { source: RecommendationSource; file: string; profiles: number; settings: number; skipped: string[] }[];
}

const profilesDir = (tuned: FetchedPackage) => {
  // TuneD 2.23 moved the profiles from /usr/lib/tuned/<name>/ to /usr/lib/tuned/profiles/<name>/.
  const nested = join(tuned.root, 'usr/lib/tuned/profiles');
  return existsSync(nested) ? nested : join(tuned.root, 'usr/lib/tuned');
};

async function readTuned(tuned: FetchedPackage) {
  const dir = profilesDir(tuned);
  const names = (await readdir(dir)).filter((name) => existsSync(join(dir, name, 'tuned.conf')));
  const confs = new Map(await Promise.all(names.map(async (name) => [name, parseTunedConf(await readFile(join(dir, name, 'tuned.conf'), 'utf8'), `${name}/tuned.conf`)] as const)));
  return resolveTunedProfiles(confs);
}

async function readSsg(packages: FetchedPackage[], products: readonly string[]) {
  const profiles: RecommendationsFile['profiles'] = [];
  const settings: RecommendationsFile['settings'] = [];
  const skipped: string[] = [];
  for (const product of products) {
    const file = packages.map((p) => join(p.root, 'usr/share/xml/scap/ssg/content', `ssg-${product}-xccdf.xml`)).find(existsSync);
    if (!file) {
      skipped.push(`${product}: no ssg-${product}-xccdf.xml in ${packages.map((p) => `${p.name} ${p.version}`).join(', ')}`);
      continue;
    }
    const read = readXccdf(await readFile(file, 'utf8'), product);
    profiles.push(...read.profiles);
    settings.push(...read.settings);
  }
  return { profiles, settings, skipped };
}

export async function run(options: RecommendationsOptions = {}): Promise<RecommendationsReport> {
  const suite = options.suite ?? RECOMMENDATIONS_DEFAULTS.suite;
  const out = options.out ?? RECOMMENDATIONS_DEFAULTS.out;
  const cacheDir = options.cacheDir ?? RECOMMENDATIONS_DEFAULTS.cacheDir;
  const log = options.log ?? (() => {});
  await mkdir(out, { recursive: true });
  const report: RecommendationsReport = { files: [] };
  for (const source of ['tuned', 'ssg'] as const) {
    const { packages: wanted, licence, homepage } = SOURCES[source];
    const packages = await fetchPackages(suite, wanted, join(cacheDir, 'apt'), join(cacheDir, 'recommendations', suite), { update: options.update }, (stage) => log(source, stage));
    log(source, `read ${packages.map((p) => `${p.name} ${p.version}`).join(', ')}`);
    const read = source === 'tuned' ? await readTuned(packages[0]!) : await readSsg(packages, options.products ?? RECOMMENDATIONS_DEFAULTS.products);
    const data = recommendationsFile.parse({
      schemaVersion: RECOMMENDATIONS_SCHEMA_VERSION,
      source,
      packages: packages.map(({ name, version }) => ({ name, version })),
      suite,
      licence,
      homepage,
      profiles: read.profiles,
      settings: read.settings,
    });
    const file = join(out, `${source}.json`);
    await writeFile(file, `${JSON.stringify(data, null, 1)}\n`);
    log(source, `${data.profiles.length} profiles, ${data.settings.length} settings → ${file}`);
    report.files.push({ source, file, profiles: data.profiles.length, settings: data.settings.length, skipped: read.skipped });
  }
  return report;
}

export function formatReport(report: RecommendationsReport): string {
  return report.files
    .map(({ source, file, profiles, settings, skipped }) => [`${source}: ${profiles} profiles, ${settings} settings → ${file}`, ...(skipped.length > 0 ? [`  left out (${skipped.length}):`, ...skipped.map((s) => `    ${s}`)] : [])].join('\n'))
    .join('\n');
}
