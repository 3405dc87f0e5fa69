/** ComplianceAsCode's XCCDF → recommended settings (scripts/recommendations/xccdf.ts), on an excerpt of ssg-rhel9-xccdf.xml. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { recommendationProfile, recommendedSetting } from '#core/schemas/recommendations.ts';
import { readXccdf, xccdfTunableRules } from '../../scripts/recommendations/xccdf.ts';

const xml = readFileSync(new URL('../fixtures/recommendations/xccdf-excerpt.xml', import.meta.url), 'utf8');
const { profiles, settings } = readXccdf(xml, 'rhel9');
const of = (profile: string) => settings.filter((setting) => setting.profile === profile);
const find = (profile: string, name: string) => settings.find((setting) => setting.profile === profile && setting.target.name === name);

describe('readXccdf', () => {
  it('names each profile product:short id, with its title and plain-text description, sorted by id', () => {
    expect(profiles.map((profile) => [profile.id, profile.title])).toEqual([
      ['rhel9:cis', 'CIS Red Hat Enterprise Linux 9 Benchmark for Level 2 - Server'],
      ['rhel9:cis_server_l1', 'CIS Red Hat Enterprise Linux 9 Benchmark for Level 1 - Server'],
    ]);
    expect(profiles[1]!.description).toBe('This profile defines a baseline that aligns to the "Level 1 - Server" configuration from the Center for Internet Security® Red Hat Enterprise Linux 9 Benchmark™.');
    for (const profile of profiles) recommendationProfile.parse(profile);
    for (const setting of settings) recommendedSetting.parse(setting);
  });

  it('resolves extends: the child keeps its parent selections, adds its own, and a later selected="false" deselects', () => {
    expect(of('rhel9:cis_server_l1').map((setting) => `${setting.target.kind} ${setting.target.name} via ${setting.via}`)).toEqual([
      'sysctl fs.protected_symlinks via sysctl_fs_protected_symlinks',
      'module ipv6.disable via kernel_module_ipv6_option_disabled',
      'sysctl kernel.kptr_restrict via sysctl_kernel_kptr_restrict',
      'sysctl net.ipv4.conf.all.accept_redirects via sysctl_net_ipv4_conf_all_accept_redirects',
    ]);
    expect(of('rhel9:cis').map((setting) => setting.target.name)).toEqual(['audit_backlog_limit', 'fs.protected_symlinks', 'kernel.kptr_restrict', 'net.ipv4.conf.all.accept_redirects']);
  });

  it("takes a Value's refine-value selector where the profile has one, else its default", () => {
    expect(find('rhel9:cis_server_l1', 'kernel.kptr_restrict')).toMatchObject({ value: '1', comparison: 'equals' });
    expect(find('rhel9:cis', 'kernel.kptr_restrict')).toMatchObject({ value: '2', comparison: 'equals' });
    expect(find('rhel9:cis', 'net.ipv4.conf.all.accept_redirects')!.value).toBe('0');
  });

  it('reads sysctl names from the fix, dots and underscores as written, and a literal value from the fix', () => {
    expect(find('rhel9:cis', 'net.ipv4.conf.all.accept_redirects')!.target).toEqual({ kind: 'sysctl', name: 'net.ipv4.conf.all.accept_redirects' });
    expect(find('rhel9:cis', 'fs.protected_symlinks')).toMatchObject({ target: { kind: 'sysctl', name: 'fs.protected_symlinks' }, value: '1', via: 'sysctl_fs_protected_symlinks' });
  });

  it("reads a kernel argument from the blueprint fix, its value from the Value and the comparison from the Value's operator", () => {
    expect(find('rhel9:cis', 'audit_backlog_limit')).toMatchObject({ target: { kind: 'boot', name: 'audit_backlog_limit' }, value: '8192', comparison: 'at-least', via: 'grub2_audit_backlog_limit_argument' });
  });

  it('reads a module parameter from a modprobe.d options line, and skips module blacklisting', () => {
    expect(find('rhel9:cis_server_l1', 'ipv6.disable')).toMatchObject({ target: { kind: 'module', name: 'ipv6.disable' }, value: '1' });
    expect(settings.some((setting) => setting.via === 'kernel_module_cramfs_disabled')).toBe(false);
    expect(xccdfTunableRules(xml).map((rule) => rule.via)).toEqual([
      'grub2_audit_backlog_limit_argument',
      'kernel_module_ipv6_option_disabled',
      'sysctl_fs_protected_symlinks',
      'sysctl_kernel_kptr_restrict',
      'sysctl_net_ipv4_conf_all_accept_redirects',
    ]);
  });

  it('gives the rationale as plain text and the references by scheme, CCE from the ident', () => {
    const setting = find('rhel9:cis', 'net.ipv4.conf.all.accept_redirects')!;
    expect(setting.rationale).toBe(
      "ICMP redirect messages are used by routers to inform hosts that a more direct route exists for a particular destination. These messages modify the host's route table and are unauthenticated. An illicit ICMP redirect message could result in a man-in-the-middle attack. This feature of the IPv4 protocol has few legitimate uses. It should be disabled unless absolutely required.\"",
    );
    // Crosswalks to control catalogues (COBIT 5 in this rule) are left out, and DISA's rule and vulnerability numbers.
    expect(setting.references).toEqual([
      { scheme: 'NIST 800-53', id: 'CM-7(a)' },
      { scheme: 'NIST 800-53', id: 'CM-7(b)' },
      { scheme: 'SRG', id: 'SRG-OS-000480-GPOS-00227' },
      { scheme: 'ANSSI', id: 'R12' },
      { scheme: 'CIS', id: '3.3.5' },
      { scheme: 'STIG', id: 'RHEL-09-253015' },
      { scheme: 'CCE', id: 'CCE-84011-6' },
    ]);
    expect(find('rhel9:cis', 'kernel.kptr_restrict')!.rationale).toMatch(/^Exposing kernel pointers \(through procfs or seq_printf\(\)\) exposes kernel writeable/);
  });

  it('is deterministic', () => {
    expect(readXccdf(xml, 'rhel9')).toEqual({ profiles, settings });
  });

  it('reads the kernel arguments a Debian-style fix writes into GRUB_CMDLINE_LINUX, a shell variable resolved to its Value; zipl (s390x) rules not', () => {
    const ns = 'xmlns:xccdf-1.2="http://checklists.nist.gov/xccdf/1.2"';
    const r = 'xccdf_org.ssgproject.content_rule_';
    const v = 'xccdf_org.ssgproject.content_value_';
    const debian = `<xccdf-1.2:Benchmark ${ns} id="b">
      <xccdf-1.2:Profile id="xccdf_org.ssgproject.content_profile_p"><xccdf-1.2:title>P</xccdf-1.2:title>
        <xccdf-1.2:select idref="${r}grub2_enable_apparmor" selected="true" /><xccdf-1.2:select idref="${r}grub2_l1tf_argument" selected="true" /><xccdf-1.2:select idref="${r}zipl_l1tf_argument" selected="true" />
        <xccdf-1.2:refine-value idref="${v}var_l1tf_options" selector="flush" /></xccdf-1.2:Profile>
      <xccdf-1.2:Value id="${v}var_l1tf_options" type="string"><xccdf-1.2:value>full,force</xccdf-1.2:value><xccdf-1.2:value selector="flush">flush</xccdf-1.2:value></xccdf-1.2:Value>
      <xccdf-1.2:Rule id="${r}grub2_enable_apparmor" selected="false"><xccdf-1.2:fix system="urn:xccdf:fix:script:sh">
    sed -i "s/\\(^\\s*GRUB_CMDLINE_LINUX=\\".*\\)apparmor=[^[:space:]]\\+\\(.*\\"\\)/\\1apparmor=1\\2/" '/etc/default/grub'
    echo "GRUB_CMDLINE_LINUX=\\"apparmor=1\\"" &gt;&gt; '/etc/default/grub'
    echo "GRUB_CMDLINE_LINUX=\\"security=apparmor\\"" &gt;&gt; '/etc/default/grub'</xccdf-1.2:fix></xccdf-1.2:Rule>
      <xccdf-1.2:Rule id="${r}zipl_l1tf_argument" selected="true"><xccdf-1.2:fix system="urn:xccdf:fix:script:sh">
    echo "GRUB_CMDLINE_LINUX=\\"l1tf=full\\"" &gt;&gt; '/etc/default/grub'</xccdf-1.2:fix></xccdf-1.2:Rule>
      <xccdf-1.2:Rule id="${r}grub2_l1tf_argument" selected="false"><xccdf-1.2:fix system="urn:xccdf:fix:script:ansible">    line: GRUB_CMDLINE_LINUX="l1tf={{ var_l1tf_options }} "</xccdf-1.2:fix>
        <xccdf-1.2:fix system="urn:xccdf:fix:script:sh">var_l1tf_options='<xccdf-1.2:sub idref="${v}var_l1tf_options" use="legacy" />'
    echo "GRUB_CMDLINE_LINUX=\\"l1tf=$var_l1tf_options\\"" &gt;&gt; '/etc/default/grub'</xccdf-1.2:fix></xccdf-1.2:Rule>
    </xccdf-1.2:Benchmark>`;
    expect(readXccdf(debian, 'debian13').settings.map((setting) => [setting.target.kind, setting.target.name, setting.value, setting.via])).toEqual([
      ['boot', 'apparmor', '1', 'grub2_enable_apparmor'],
      ['boot', 'l1tf', 'flush', 'grub2_l1tf_argument'],
      ['boot', 'security', 'apparmor', 'grub2_enable_apparmor'],
    ]);
  });
});
