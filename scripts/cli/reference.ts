/**
 * Which measured kernel a command speaks of, from `--kernel` and `--arch`: every command
 * names kernels the same way, and says the same thing when the data has no such kernel.
 */
import { archesOf, kernelId, parseKernelId } from '#core/kernels.ts';
import type { CliData } from './data.ts';
import { UsageError } from './style.ts';

export interface KernelAsked {
  /** `--kernel`: a series (`6.1`), or a kernel id as the tools print them (`6.1-arm64`). */
  kernel?: string | undefined;
  /** `--arch`: Debian's name (`amd64`, `arm64`). */
  arch?: string | undefined;
}

/** The architecture asked for, one the data has; else a usage error naming those it has. */
export function knownArch(data: CliData, arch: string): string {
  const arches = archesOf(data.kernelIds);
  if (!arches.includes(arch)) throw new UsageError(`no reference kernel of architecture "${arch}": the data has ${arches.join(', ')}`);
  return arch;
}

/**
 * The series and architecture `--kernel` and `--arch` ask for, either left out. An id in
 * `--kernel` names its architecture itself; `--arch` may only agree with it.
 */
export function asked(data: CliData, { kernel, arch }: KernelAsked): { series?: string; arch?: string } {
  if (arch !== undefined) knownArch(data, arch);
  if (kernel === undefined) return { ...(arch !== undefined && { arch }) };
  let parsed: { series: string; arch: string };
  try {
    parsed = parseKernelId(kernel);
  } catch {
    throw new UsageError(`no reference kernel "${kernel}": the data has ${data.kernelIds.join(', ')}`);
  }
  const series = [...new Set(data.kernelIds.map((id) => parseKernelId(id).series))];
  if (!series.includes(parsed.series)) throw new UsageError(`no reference kernel "${kernel}": the data has ${series.join(', ')}`);
  // `6.1` names a series only; `6.1-arm64` an architecture too.
  if (parsed.series === kernel) return { series: kernel, ...(arch !== undefined && { arch }) };
  if (arch !== undefined && arch !== parsed.arch) throw new UsageError(`--kernel ${kernel} is an ${parsed.arch} kernel, --arch says ${arch}`);
  return { series: parsed.series, arch: knownArch(data, parsed.arch) };
}

/**
 * The id of the one kernel a command judges against: `--kernel`'s series on the architecture
 * asked for, else `fallbackArch`; without `--kernel`, the newest series measured on it.
 */
export function referenceKernel(data: CliData, options: KernelAsked, fallbackArch: string): string {
  const { series, arch = knownArch(data, fallbackArch) } = asked(data, options);
  const onArch = data.kernelIds.filter((id) => parseKernelId(id).arch === arch);
  if (series === undefined) return onArch.at(-1)!;
  const id = kernelId(series, arch);
  if (!onArch.includes(id)) throw new UsageError(`no reference kernel "${series}" of ${arch}: the data has ${onArch.map((one) => parseKernelId(one).series).join(', ')} of ${arch}`);
  return id;
}
