/**
 * The module parameters of one kernel: `content/modules/<kernel id>.json` (`6.1`, `6.1-arm64`), written by
 * `npm run refresh` from the kernel's Debian packages without loading anything
 * (scripts/refresh/module-params.ts), read by the generator.
 */
import { z } from 'zod';

export const MODULES_SCHEMA_VERSION = 1;

/** When a module parameter can be set, from the permission bits of its sysfs file: writable, read-only, or none (no file: at load or boot time only). */
export const paramAccess = z.enum(['runtime', 'read-only', 'load-time']);
export type ParamAccess = z.infer<typeof paramAccess>;

export const moduleParam = z.object({
  /** As the module names it: `io_timeout` (the tunable is `<module>.<name>`). */
  name: z.string(),
  /** modinfo's `parmtype`: `int`, `uint`, `bool`, `charp`, `array of int`… */
  type: z.string().optional(),
  /** modinfo's `parm` text. */
  description: z.string().optional(),
  /** The permission bits of its sysfs file (`0644`), from the module's `__param` section; absent for built-in modules (in the image) and the few parameters `__param` does not list. */
  mode: z.string().regex(/^[0-7]{4}$/).optional(),
  access: paramAccess.optional(),
});
export type ModuleParam = z.infer<typeof moduleParam>;

export const moduleParams = z.object({
  /** Underscore form (`nvme_core`), as on the command line and under /sys/module. */
  module: z.string(),
  /** Built into the kernel image (from `modules.builtin.modinfo`) rather than a loadable `.ko`. */
  builtIn: z.boolean(),
  params: z.array(moduleParam).min(1),
});
export type ModuleParams = z.infer<typeof moduleParams>;

export const kernelModules = z.object({
  schemaVersion: z.literal(MODULES_SCHEMA_VERSION),
  /** `6.1` */
  series: z.string(),
  /** Debian's architecture (`arm64`); absent for amd64, whose files came first. The file is `<kernel id>.json` (kernelIdOfFile). */
  arch: z.string().optional(),
  /** `6.1.0-57-amd64` */
  release: z.string(),
  /** Loadable modules by name, then built-in ones by name; modules without parameters left out. */
  modules: z.array(moduleParams),
});
export type KernelModules = z.infer<typeof kernelModules>;
