/**
 * kernel-parameters.txt of each era, read by scripts/docs/kernel-parameters.ts. The
 * fixtures are excerpts of Debian's linux-source packages: 6.1 (legend in the .rst) and
 * 7.2 (legend at the head of the .txt).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootParameterEntries, KERNEL_PARAMETERS, parseKernelParameters, parseTagLegend } from '../../scripts/docs/kernel-parameters.ts';
import { kernelDocs } from '#core/schemas/docs.ts';

const fixture = (name: string) => readFileSync(`tests/unit/fixtures/kernel-parameters/${name}`, 'utf8');

describe('kernel-parameters.txt entries (6.1)', () => {
  const entries = parseKernelParameters(fixture('6.1-excerpt.txt'));
  const entry = (spelled: string) => entries.find((e) => e.spelled.includes(spelled))!;

  it('reads every entry, names as spelled: `name=` takes a value, a bare name is a flag', () => {
    expect(entries.map((e) => e.spelled)).toEqual([
      ['acpi='],
      ['acpi_apic_instance='],
      ['acpi.debug_layer=', 'acpi.debug_level='],
      ['acpi_force_32bit_fadt_addr'],
      ['cachesize='],
      ['mem='],
      ['isolcpus='],
    ]);
    expect(entry('acpi_apic_instance=').line).toBe(18);
  });

  it('reads the tags in brackets, however spaced, from each name of the entry or the line below', () => {
    expect(entry('acpi=').tags).toEqual(['HW', 'ACPI', 'X86', 'ARM64']);
    expect(entry('acpi_apic_instance=').tags).toEqual(['ACPI', 'IOAPIC']);
    expect(entry('acpi.debug_level=').tags).toEqual(['HW', 'ACPI', 'ACPI_DEBUG']);
    expect(entry('cachesize=').tags).toEqual(['BUGS=X86-32']);
    expect(entry('isolcpus=').tags).toEqual(['KNL', 'SMP', 'ISOL']);
    expect(entry('acpi_force_32bit_fadt_addr').tags).toEqual([]);
  });

  it('does not take a unit suffix written onto a name (`mem=nn[KMG]`) for tags', () => {
    expect(entry('mem=').tags).toEqual(['ARM', 'MIPS']);
  });

  it('reads Format (continued on deeper lines) and default lines as written', () => {
    expect(entry('acpi=').format).toBe('{ force | on | off | strict | noirq | rsdt | copy_dsdt }');
    expect(entry('isolcpus=').format).toBe('[flag-list,]<cpu-list>');
    expect(entry('acpi_apic_instance=')).toMatchObject({ format: '<int>', documentedDefault: '0' });
    expect(entry('cachesize=').documentedDefault).toBeUndefined();
  });
});

describe('the tag legend', () => {
  it('is read from kernel-parameters.rst up to 6.12, continuation lines joined, up to the paragraph after it', () => {
    const legend = parseTagLegend(fixture('6.1-legend-excerpt.rst'));
    expect(legend).toMatchObject({
      ACPI: 'ACPI support is enabled.',
      'BUGS=': 'Relates to possible processor bugs on the said processor.',
      KNL: 'Is a kernel start-up parameter.',
      M68k: 'M68k architecture is enabled. These options have more detailed description inside of Documentation/m68k/kernel-options.rst.',
    });
    expect(Object.keys(legend)).toHaveLength(9);
    // The .txt of that era has no legend: its entries are not tags.
    expect(parseTagLegend(`\tALSA\t\t[HW,ALSA]\n${fixture('6.1-excerpt.txt')}`)).toEqual({});
  });

  it('is read from the head of kernel-parameters.txt in 7.2, and its lines are not taken for parameters', () => {
    const text = fixture('7.2-head.txt');
    expect(parseTagLegend(text)).toEqual({
      ACPI: 'ACPI support is enabled.',
      AGP: 'AGP (Accelerated Graphics Port) is enabled.',
      ALSA: 'ALSA sound support is enabled.',
      EARLY: 'Parameter processed too early to be embedded in initrd.',
      XTENSA: 'xtensa architecture is enabled.',
      BOOT: 'Is a boot loader parameter.',
      'BUGS=': 'Relates to possible processor bugs on the said processor.',
      KNL: 'Is a kernel start-up parameter.',
    });
    const entries = parseKernelParameters(text);
    expect(entries.map((e) => e.spelled)).toEqual([['accept_memory=']]);
    expect(entries[0]).toMatchObject({ line: 16, tags: ['MM'], format: '{ eager | lazy }', documentedDefault: 'lazy' });
  });
});

describe('entries as the docs file holds them', () => {
  it('names without `=`, whether each takes a value, and the entry as a literal block the schema accepts', () => {
    const [acpi, , debug, flag] = bootParameterEntries(parseKernelParameters(fixture('6.1-excerpt.txt')));
    expect(debug).toMatchObject({ file: KERNEL_PARAMETERS, line: 24, names: ['acpi.debug_layer', 'acpi.debug_level'], takesValue: [true, true] });
    expect(flag).toMatchObject({ names: ['acpi_force_32bit_fadt_addr'], takesValue: [false] });
    expect(acpi!.markdown).toMatch(/^```text\nacpi=\s+\[HW,ACPI,X86,ARM64\]\n {16}Advanced Configuration and Power Interface\n/);
    expect(acpi!.markdown.endsWith('\n```')).toBe(true);
    const docs = { schemaVersion: 1, series: '6.1', sourceVersion: '6.1.1-1', upstreamVersion: '6.1.1', sysctls: [], ctlTables: [], abi: [], bootParameters: [acpi], bootTags: { HW: 'Appropriate hardware is enabled.' } };
    expect(kernelDocs.parse(docs).bootParameters).toEqual([acpi]);
  });

  it('fences an entry that holds backticks past them, so it stays one literal block', () => {
    const [entry] = bootParameterEntries(parseKernelParameters('\tquoted=\t[KNL] Write ```x``` literally.\n'));
    expect(entry!.markdown).toBe('````text\nquoted= [KNL] Write ```x``` literally.\n````');
  });
});
