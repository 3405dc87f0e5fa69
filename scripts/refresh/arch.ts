/**
 * How each architecture's reference kernel is booted: the qemu program and board (core's
 * QEMU_MACHINES, which kernel pages name too), the emulated CPU (recorded with every snapshot) and the guest devices the records and the
 * accepted-values agent travel on; the command line is `REFERENCE_COMMAND_LINES` (core).
 * Everything else (walker, modules, namespace tests, shapes) is the same on every arch.
 */
import { QEMU_MACHINES } from '#core/arches.ts';

export const ARCHES = ['amd64', 'arm64'] as const;
export type Arch = (typeof ARCHES)[number];

export interface ArchProfile {
  arch: Arch;
  qemu: string;
  /** Machine and CPU arguments, before memory and CPUs. */
  machineArgs: readonly string[];
  /** What `-cpu` emulates, as the snapshot records it. */
  cpuModel: string;
  /**
   * How a shape gets more possible CPUs than online: `present`, qemu runs them all
   * (`-smp POSSIBLE`) and `maxcpus=` leaves them offline; `device-tree`, qemu runs the
   * online ones and the device tree lists the rest (device-tree.ts).
   */
  offlineCpus: 'present' | 'device-tree';
  /** Guest devices of the records port and the agent's port. */
  recordsDevice: string;
  agentDevice: string;
  /** qemu arguments that attach the records file and, when given, the agent's socket. */
  dataPorts: (records: string, agentSocket?: string) => string[];
}

export const ARCH_PROFILES: Readonly<Record<Arch, ArchProfile>> = {
  amd64: {
    arch: 'amd64',
    qemu: QEMU_MACHINES.amd64.program,
    // qemu64 is what qemu-system-x86_64 emulates under TCG when no -cpu is given; named so the snapshot can say it.
    machineArgs: ['-accel', 'tcg', '-cpu', 'qemu64'],
    cpuModel: 'qemu64',
    offlineCpus: 'present',
    // The PC's second and third ISA serial ports.
    recordsDevice: '/dev/ttyS1',
    agentDevice: '/dev/ttyS2',
    dataPorts: (records, agentSocket) => ['-serial', `file:${records}`, ...(agentSocket ? ['-serial', `unix:${agentSocket},server=on,wait=off`] : [])],
  },
  arm64: {
    arch: 'arm64',
    qemu: QEMU_MACHINES.arm64.program,
    // `max` with the cheaper pointer-authentication algorithm: plain `-cpu max` is about 3.5×
    // slower under TCG. GICv3, since GICv2 takes at most 8 CPUs and a shape has 64 possible.
    // No network card: the walk needs none, and qemu would look for its option ROM.
    machineArgs: ['-accel', 'tcg', '-M', QEMU_MACHINES.arm64.board, '-cpu', 'max,pauth-impdef=on', '-nic', 'none'],
    cpuModel: 'max,pauth-impdef=on',
    offlineCpus: 'device-tree',
    // The virt board has one UART (the PL011, ttyAMA0, the console): the data ports are
    // 16550s on its PCI bus, which Debian's arm64 kernels drive built in (SERIAL_8250_PCI=y),
    // numbered ttyS0, ttyS1 in the order they are added.
    recordsDevice: '/dev/ttyS0',
    agentDevice: '/dev/ttyS1',
    dataPorts: (records, agentSocket) => [
      '-chardev', `file,id=records,path=${records}`,
      '-device', 'pci-serial,chardev=records',
      ...(agentSocket ? ['-chardev', `socket,id=agent,path=${agentSocket},server=on,wait=off`, '-device', 'pci-serial,chardev=agent'] : []),
    ],
  },
};

/** Checks a list of arch names (an Error names the unknown one). */
export function parseArches(names: readonly string[]): Arch[] {
  return names.map((name) => {
    if (!(ARCHES as readonly string[]).includes(name)) throw new Error(`arch "${name}" is not one the refresh boots (${ARCHES.join(', ')})`);
    return name as Arch;
  });
}
