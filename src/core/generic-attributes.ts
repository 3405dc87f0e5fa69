/**
 * Device-model attributes the driver core gives every device, driver, bus or kernel
 * object: `uevent`, `power/*`, `bind`/`unbind`/`new_id`/`remove_id`, `drivers_probe`/
 * `drivers_autoprobe`, `driver_override`. Each is one tunable, not one per class and bus
 * it appears under: it gets one page, with the places it appears listed per kernel, so
 * copies do not drown search and say the same thing hundreds of times.
 *
 * Each summary restates what the kernel file named beside it (its ABI documentation or,
 * where there is none, the driver core source that creates the attribute) says.
 */
export const GENERIC_SUBSYSTEM = 'driver-model';

export interface GenericAttribute {
  /** The page's path pattern, e.g. `/sys/devices/<device>/power/control`. */
  path: string;
  summary: string;
  /** The kernel file the summary restates. */
  source: string;
}

interface Rule {
  /** Tested against a collapsed sysfs path pattern. */
  match: RegExp;
  attribute: (name: string) => GenericAttribute;
}

const DEVICE_POWER: Record<string, string> = {
  async: 'Whether this device is suspended and resumed asynchronously, in parallel with others, during system suspend and resume: enabled or disabled.',
  autosuspend_delay_ms: 'How long, in milliseconds, the device must be idle before runtime power management suspends it; a negative value keeps it from being suspended at all.',
  control: 'Runtime power management of this device: auto lets the kernel suspend it when idle, on keeps it fully powered.',
  wakeup: 'Whether this device may wake the system from sleep: enabled or disabled (empty where it cannot).',
  pm_qos_resume_latency_us: 'The PM QoS resume latency limit of this device, in microseconds (0: no limit).',
};

const DRIVER: Record<string, string> = {
  bind: 'Writing the name of a device binds it to this driver, by hand; the driver must support the device.',
  unbind: 'Writing the name of a device bound to this driver detaches it from the driver.',
  new_id: "Writing a device ID (for PCI: vendor and device, in hex) adds it to this driver's dynamic ID table, so the driver binds to matching devices.",
  remove_id: "Writing a device ID added through new_id removes it from this driver's dynamic ID table.",
};

const BUS: Record<string, string> = {
  drivers_probe: 'Writing the name of a device on this bus makes the kernel look for a driver for it and bind one.',
  drivers_autoprobe: 'Whether devices and drivers added to this bus are bound to each other automatically (1, the default) or only when asked (0).',
};

const RULES: Rule[] = [
  {
    match: /^\/sys\/.+\/uevent$/,
    attribute: () => ({
      path: '/sys/<kobject>/uevent',
      summary: "Reading lists the uevent variables of this kernel object (KEY=value lines); writing an action such as add or change makes the kernel send that uevent again, which is how udev's trigger replays events.",
      source: 'Documentation/ABI/testing/sysfs-uevent',
    }),
  },
  {
    // Any device's power directory; /sys/power is the system's and is not generic.
    match: /^\/sys\/(?!power\/).+\/power\/(async|autosuspend_delay_ms|control|wakeup|pm_qos_resume_latency_us)$/,
    attribute: (name) => ({ path: `/sys/devices/<device>/power/${name}`, summary: DEVICE_POWER[name]!, source: 'Documentation/ABI/testing/sysfs-devices-power' }),
  },
  {
    match: /^\/sys\/bus\/[^/]+\/drivers\/[^/]+\/(bind|unbind|new_id|remove_id)$/,
    attribute: (name) => ({ path: `/sys/bus/<bus>/drivers/<driver>/${name}`, summary: DRIVER[name]!, source: 'Documentation/ABI/testing/sysfs-bus-pci' }),
  },
  {
    match: /^\/sys\/bus\/[^/]+\/(drivers_probe|drivers_autoprobe)$/,
    attribute: (name) => ({ path: `/sys/bus/<bus>/${name}`, summary: BUS[name]!, source: 'drivers/base/bus.c' }),
  },
  {
    match: /^\/sys\/.+\/(driver_override)$/,
    attribute: () => ({
      path: '/sys/devices/<device>/driver_override',
      summary: 'Writing the name of a driver makes only that driver bind to this device; writing an empty line clears it.',
      source: 'Documentation/ABI/testing/sysfs-bus-pci',
    }),
  },
];

/** The generic attribute a sysfs path pattern is a copy of, if any. */
export function genericAttribute(pattern: string): GenericAttribute | undefined {
  for (const rule of RULES) {
    const match = rule.match.exec(pattern);
    if (match) return rule.attribute(match[1] ?? '');
  }
  return undefined;
}
