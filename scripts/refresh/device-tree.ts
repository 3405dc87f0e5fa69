/**
 * arm64's possible CPUs without running them. On the virt board a CPU the kernel can count
 * is one qemu emulates: `-smp 64` starts 64 vCPU threads, and though `maxcpus=1` leaves 63
 * of them off, the one online CPU's work still waits on them (its broadcast TLB flushes
 * reach every vCPU). Measured on 6.1 arm64, 1/64x4096: 75 s a boot, against 18 s so:
 *
 * the device tree qemu makes for a 64-CPU machine (`-machine dumpdtb=`) lists the 64 CPUs;
 * booted with `-smp 1 -dtb` it, the kernel counts them as possible as before while qemu
 * runs one. On all four arm64 kernels every file of the walk was there as before, and
 * every value read the same but for runtime state and the values sized by memory, which
 * followed MemTotal; resized as below, MemTotal too is the same to the kB.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const FDT_MAGIC = 0xd00dfeed;

/**
 * The size of the file given to `-dtb`. qemu's loader adds 10,000 bytes of room to it, so
 * the kernel gets a 512 KiB tree. The kernel keeps the tree in memory: with this size
 * MemTotal on 6.1 1/64x4096 was 4,010,272 kB, as with qemu's own tree; a tree cut to its
 * 16 KB of blocks gave 972 kB more, and the dumped 1 MiB one did not boot at all.
 */
export const DEVICE_TREE_FILE_SIZE = 512 * 1024 - 10_000;

/**
 * The flattened device tree with its total size set to `size`: its blocks kept, the free
 * room after them cut or padded with zeros. Written here since it is four header fields
 * (devicetree-specification 5.2), and dtc would be one more package to install.
 */
export function resizeDeviceTree(blob: Buffer, size: number): Buffer {
  if (blob.length < 40 || blob.readUInt32BE(0) !== FDT_MAGIC) throw new Error('not a flattened device tree (no 0xd00dfeed magic)');
  const [offStruct, offStrings, sizeStrings, sizeStruct] = [8, 12, 32, 36].map((at) => blob.readUInt32BE(at)) as [number, number, number, number];
  const end = Math.max(offStruct + sizeStruct, offStrings + sizeStrings);
  if (end > blob.length) throw new Error(`device tree blocks end at ${end}, past the ${blob.length} bytes given`);
  if (end > size) throw new Error(`device tree blocks take ${end} bytes, more than ${size}`);
  const resized = Buffer.alloc(size);
  blob.copy(resized, 0, 0, end);
  resized.writeUInt32BE(size, 4);
  return resized;
}

/** Writes to `file` the device tree qemu makes for `machineArgs` with `cpus` CPUs and `memoryMiB`, resized for `-dtb`. */
export async function writeDeviceTree(qemu: string, machineArgs: readonly string[], cpus: number, memoryMiB: number, file: string): Promise<void> {
  const dumped = `${file}.dumped`;
  await promisify(execFile)(qemu, [...machineArgs, '-m', String(memoryMiB), '-smp', String(cpus), '-machine', `dumpdtb=${dumped}`, '-display', 'none']);
  await writeFile(file, resizeDeviceTree(await readFile(dumped), DEVICE_TREE_FILE_SIZE));
}
