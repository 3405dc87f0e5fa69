/**
 * Parts of /sys the walk never enters, each with the reason printed when skipped.
 * Paths are relative to /sys. Besides these, the walk never crosses into another
 * filesystem mounted below /sys (checked by device number).
 */
export const SYSFS_HAZARDS: ReadonlyMap<string, string> = new Map([
  ['kernel/debug', 'debugfs: debugging interface, reads can have side effects'],
  ['kernel/tracing', 'tracefs: trace buffers, reads of trace_pipe block'],
  ['kernel/security', 'securityfs: security modules policy interface'],
  ['kernel/config', 'configfs: objects created by userspace, not tunables'],
  ['fs/cgroup', 'cgroup hierarchy: per-cgroup controls, not global tunables'],
  ['fs/bpf', 'bpffs: pinned BPF objects'],
  ['fs/pstore', 'pstore: stored crash records'],
  ['fs/fuse/connections', 'fusectl: per-connection controls, not global tunables'],
  ['firmware/efi/efivars', 'efivarfs: firmware variables, writes can make a machine unbootable'],
]);

/** sysfs attributes never read, wherever they are, by file name. */
export const SYSFS_HAZARD_FILES: readonly { name: RegExp; reason: string }[] = [
  { name: /^resource\d+(_wc)?$/, reason: 'PCI BAR: a read touches device memory or I/O ports' },
  { name: /^rom$/, reason: 'PCI expansion ROM: device memory, not a tunable' },
];

export function sysfsFileHazard(name: string): string | undefined {
  return SYSFS_HAZARD_FILES.find((hazard) => hazard.name.test(name))?.reason;
}
