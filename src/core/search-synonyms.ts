/**
 * Other names readers search a tunable by: the words the kernel's own Documentation uses
 * for what the tunable sets, where its name does not say them (`ASLR` for
 * `kernel.randomize_va_space`). Each tunable page carries its synonyms in its search index
 * (a weighted element Pagefind reads, so both search engines find them), and search ranks
 * a page whose synonym is the query as it ranks one whose name is (src/core/search-names.ts).
 * Every entry quotes where the kernel's Documentation (Linux 7.2) uses the words, or the
 * Linux man-pages, which the site quotes too (content/docs/man-pages.json).
 */
export interface SearchSynonym {
  /** The tunable's name, as its page's title. */
  tunable: string;
  /** Phrases a reader may type for it. */
  words: string[];
  /** Where the kernel's Documentation (or a man page) uses them, quoted. */
  source: string;
}

export const SEARCH_SYNONYMS: readonly SearchSynonym[] = [
  {
    tunable: 'kernel.randomize_va_space',
    words: ['ASLR', 'address space randomization', 'address space layout randomization'],
    source:
      'Documentation/features/vm/ELF-ASLR/arch-support.txt: "ELF-ASLR … arch randomizes the stack, heap and binary images of ELF binaries"; Documentation/admin-guide/sysctl/kernel.rst, randomize_va_space: "the type of process address space randomization"; Documentation/admin-guide/kernel-parameters.txt, nokaslr: "ASLR (Address Space Layout Randomization)"',
  },
  {
    tunable: 'kernel.sysrq',
    words: ['magic SysRq key'],
    source: 'Documentation/admin-guide/sysctl/kernel.rst, sysrq: "See Documentation/admin-guide/sysrq.rst", which begins "What is the magic SysRq key?"',
  },
  {
    tunable: 'net.ipv4.tcp_syncookies',
    words: ['SYN cookies', 'SYN flood'],
    source:
      'Documentation/networking/ip-sysctl.rst, tcp_syncookies: "Send out syncookies … to prevent against the common \'SYN flood attack\'"; Documentation/networking/snmp_counter.rst: "SYN cookies are used to mitigate SYN flood"',
  },
  {
    tunable: '/sys/kernel/mm/transparent_hugepage/enabled',
    words: ['THP', 'transparent huge pages'],
    source: 'Documentation/admin-guide/mm/transhuge.rst: "Transparent HugePage Support (THP) is an alternative mean of using huge pages", set with "echo always >/sys/kernel/mm/transparent_hugepage/enabled"',
  },
  {
    tunable: '/sys/block/<device>/queue/scheduler',
    words: ['I/O scheduler', 'IO scheduler'],
    source: 'Documentation/block/switching-sched.rst: "It is possible to change the IO scheduler for a given block device … echo SCHEDNAME > /sys/block/DEV/queue/scheduler"; Documentation/block/bfq-iosched.rst: "BFQ is a proportional-share I/O scheduler"',
  },
  {
    tunable: 'net.ipv4.ip_local_port_range',
    words: ['ephemeral ports', 'ephemeral port range'],
    source:
      'Documentation/networking/ip-sysctl.rst, ip_local_reserved_ports: "overlapping of these ranges may affect probability of selecting ephemeral ports"; ip_local_port_step_width: "allocations within the ephemeral port range"',
  },
  {
    tunable: 'net.ipv4.conf.<interface>.rp_filter',
    words: ['reverse path'],
    source: 'Documentation/networking/ip-sysctl.rst, rp_filter: "Strict mode as defined in RFC3704 Strict Reverse Path … if the interface is not the best reverse path the packet check will fail"',
  },
  {
    tunable: 'net.core.somaxconn',
    words: ['listen backlog', 'SOMAXCONN'],
    source: 'Documentation/networking/ip-sysctl.rst, somaxconn: "Limit of socket listen() backlog, known in userspace as SOMAXCONN"',
  },
  {
    tunable: 'fs.file-max',
    words: ['file handles', 'open files'],
    source:
      'Documentation/admin-guide/sysctl/fs.rst, file-max: "the maximum number of file-handles that the Linux kernel will allocate"; man-pages man5/proc_sys_fs.5, file-max: "a system-wide limit on the number of open files for all processes"',
  },
  {
    tunable: 'kernel.shmmax',
    words: ['shared memory segment size'],
    source: 'Documentation/admin-guide/sysctl/kernel.rst, shmmax: "the run time limit on the maximum shared memory segment size that can be created"',
  },
];
