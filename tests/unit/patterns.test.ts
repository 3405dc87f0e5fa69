import { describe, expect, it } from 'vitest';
import { canonicalSysfsPath, collapsePath, deviceAliases } from '#core/patterns.ts';

const links = {
  '/sys/class/net/eth0': '/sys/devices/pci0000:00/0000:00:03.0/virtio2/net/eth0',
  '/sys/class/net/lo': '/sys/devices/virtual/net/lo',
  '/sys/block/vda': '/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda',
  '/sys/class/block/vda': '/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda',
  '/sys/class/block/vda1': '/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/vda1',
  '/sys/bus/pci/devices/0000:00:03.0': '/sys/devices/pci0000:00/0000:00:03.0',
  '/sys/class/power_supply/BAT0': '/sys/devices/LNXSYSTM:00/PNP0C0A:00/power_supply/BAT0',
};
const aliases = deviceAliases(links);
const sysfs = (path: string) => collapsePath('sysfs', path, aliases);
const sysctl = (path: string) => collapsePath('sysctl', path, aliases);

describe('instances collapse into placeholders', () => {
  it('network interfaces in sysctl names, including all and default', () => {
    for (const iface of ['all', 'default', 'eth0', 'br-lan.100']) {
      expect(sysctl(`/proc/sys/net/ipv4/conf/${iface}/rp_filter`)).toEqual({
        pattern: '/proc/sys/net/ipv4/conf/<interface>/rp_filter',
        instance: [iface],
      });
    }
    expect(sysctl('/proc/sys/net/ipv6/neigh/lo/base_reachable_time_ms').pattern).toBe('/proc/sys/net/ipv6/neigh/<interface>/base_reachable_time_ms');
  });

  it('leaves plain sysctls alone', () => {
    expect(sysctl('/proc/sys/vm/swappiness')).toEqual({ pattern: '/proc/sys/vm/swappiness', instance: [] });
    expect(sysctl('/proc/sys/net/ipv4/conf')).toEqual({ pattern: '/proc/sys/net/ipv4/conf', instance: [] });
  });

  it('network interfaces and block devices in sysfs, named by their class link', () => {
    expect(sysfs('/sys/devices/pci0000:00/0000:00:03.0/virtio2/net/eth0/mtu')).toEqual({ pattern: '/sys/class/net/<interface>/mtu', instance: ['eth0'] });
    expect(sysfs('/sys/devices/virtual/net/lo/mtu').pattern).toBe('/sys/class/net/<interface>/mtu');
    expect(sysfs('/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/queue/scheduler')).toEqual({ pattern: '/sys/block/<device>/queue/scheduler', instance: ['vda'] });
    expect(sysfs('/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda/vda1/uevent').pattern).toBe('/sys/class/block/<block>/uevent');
    expect(sysfs('/sys/devices/LNXSYSTM:00/PNP0C0A:00/power_supply/BAT0/charge_control_end_threshold').pattern).toBe('/sys/class/power_supply/<power-supply>/charge_control_end_threshold');
  });

  it('queues inside an interface become placeholders too', () => {
    expect(sysfs('/sys/devices/virtual/net/lo/queues/tx-0/xps_cpus')).toEqual({ pattern: '/sys/class/net/<interface>/queues/<tx-queue>/xps_cpus', instance: ['lo', 'tx-0'] });
  });

  it('bus devices without a class are named by their bus', () => {
    expect(sysfs('/sys/devices/pci0000:00/0000:00:03.0/d3cold_allowed').pattern).toBe('/sys/bus/pci/devices/<pci-device>/d3cold_allowed');
    expect(sysfs('/sys/bus/pci/drivers/virtio-pci/bind')).toEqual({ pattern: '/sys/bus/pci/drivers/<pci-driver>/bind', instance: ['virtio-pci'] });
  });

  it('CPUs, NUMA nodes, memory blocks and hugepage sizes', () => {
    expect(sysfs('/sys/devices/system/cpu/cpu3/online')).toEqual({ pattern: '/sys/devices/system/cpu/<cpu>/online', instance: ['cpu3'] });
    expect(sysfs('/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages')).toEqual({
      pattern: '/sys/devices/system/node/<node>/hugepages/<hugepage-size>/nr_hugepages',
      instance: ['node1', 'hugepages-2048kB'],
    });
    expect(sysfs('/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_overcommit_hugepages').pattern).toBe('/sys/kernel/mm/hugepages/<hugepage-size>/nr_overcommit_hugepages');
    expect(sysfs('/sys/devices/system/memory/memory42/online').pattern).toBe('/sys/devices/system/memory/<memory-block>/online');
    expect(sysctl('/proc/sys/kernel/sched_domain/cpu0/domain1/flags').pattern).toBe('/proc/sys/kernel/sched_domain/<cpu>/<domain>/flags');
  });

  it('numbered children of a plural directory', () => {
    expect(sysfs('/sys/kernel/mm/damon/admin/kdamonds/0/contexts/1/schemes/0/ops_filters/2/allow')).toEqual({
      pattern: '/sys/kernel/mm/damon/admin/kdamonds/<kdamond>/contexts/<context>/schemes/<scheme>/ops_filters/<ops-filter>/allow',
      instance: ['0', '1', '0', '2'],
    });
  });

  it('slab caches', () => {
    expect(sysfs('/sys/kernel/slab/kmalloc-64/shrink').pattern).toBe('/sys/kernel/slab/<slab-cache>/shrink');
  });

  it('system device paths keep their own name', () => {
    expect(canonicalSysfsPath('/sys/devices/system/cpu/cpu0/online', aliases)).toBe('/sys/devices/system/cpu/cpu0/online');
  });

  it('prefers /sys/block over /sys/class/block for a disk', () => {
    expect(aliases.get('/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda')).toBe('/sys/block/vda');
  });
});
