/** The README.txt inside the offline archive: what it is and the two ways to read it. */
import type { TunablesExport } from '#core/schemas/export.ts';

export function offlineReadme({ kernels, tunables }: TunablesExport, built: Date): string {
  const present = tunables.filter((tunable) => tunable.status === 'present').length;
  const measured = kernels.map(({ id, release }) => `  - ${id} (${release})`).join('\n');
  return `Linux Kernel Tunables, offline edition
======================================

Every Linux kernel tunable (${present} sysctls and sysfs attributes) with its default on
each reference kernel, whether it scales with the machine, its namespace, type, range and
the kernel's own documentation. Built ${built.toISOString().slice(0, 10)} from measurements on:
${measured}

Read it from disk
-----------------
Open index.html in this folder with any web browser. Everything works without a network,
search included: from disk the search page loads its own index (search/offline-index.js and its parts)
instead of Pagefind, which browsers do not run from files. Nothing is fetched from any
other host.

Serve it
--------
Put this folder on any static web server, under any path, for example:

    python3 -m http.server --directory linux-kernel-tunables 8000

and open http://localhost:8000/. Served, the search uses Pagefind (pagefind/), which
downloads only the parts of the index a query needs.

All data as JSON: tunables.json. Text quoted from the kernel's Documentation is GPL-2.0;
text quoted from the Linux man-pages keeps each page's licence, named where it is quoted.
`;
}
