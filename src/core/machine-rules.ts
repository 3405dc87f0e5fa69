/**
 * Machine rules: a machine-scaled default stated as what the kernel computes from the
 * machine (kernel.pid_max: 1024 per possible CPU, at least 32768), found from the values
 * read on the shapes booted, and the default such a rule gives on another machine.
 * Pure: the generator finds rules, `kernel-tunables explain --cpus --memory` applies them.
 *
 * A rule is `factor` × an input (possible CPUs, online CPUs, or MiB of MemTotal), raised to
 * a minimum and cut to a maximum where a shape shows one. The kernel multiplies counts by
 * whole numbers, so the factor is a whole number; a rule is stated only when it reproduces
 * every shape exactly and no other rule does: where two inputs fit (possible and online
 * CPUs are the same on every shape but one booted with more possible), the shapes cannot
 * tell which the kernel uses, and a reader would be told a guess.
 */
import type { KernelFacts, MachineRule, RuleInput, ShapeValue } from './schemas/tunable.ts';

/** A machine as a rule reads it; what is not known is absent. */
export interface Machine {
  cpus?: number;
  /** Absent: as many as `cpus`, as on most machines without CPU hotplug slots. */
  possibleCpus?: number;
  /** MemTotal, as the kernel reports it. */
  memoryKiB?: number;
}

const RULE_INPUTS: readonly RuleInput[] = ['possible-cpu', 'online-cpu', 'memory-mib'];

/** The input as a fraction (numerator, denominator): MiB are KiB / 1024. Undefined when the machine does not say. */
function amount(per: RuleInput, machine: Machine): [bigint, bigint] | undefined {
  if (per === 'memory-mib') return machine.memoryKiB ? [BigInt(machine.memoryKiB), 1024n] : undefined;
  if (machine.cpus === undefined) return undefined;
  return [BigInt(per === 'possible-cpu' ? (machine.possibleCpus ?? machine.cpus) : machine.cpus), 1n];
}

const asMachine = (shape: ShapeValue): Machine => ({ cpus: shape.cpus, possibleCpus: shape.possibleCpus ?? shape.cpus, memoryKiB: shape.memoryKiB });

/**
 * The rule through `anchor`'s value, checked against every shape: each lies on the line
 * `factor` × input, or above it at one common minimum, or below it at one common maximum;
 * and some shape lies on the line strictly between the bounds, since a value equal to a
 * bound shows the bound, not the factor.
 */
function fitThrough(per: RuleInput, anchor: number, values: readonly bigint[], inputs: readonly [bigint, bigint][]): MachineRule | undefined {
  const [num, den] = inputs[anchor]!;
  if (num === 0n || (values[anchor]! * den) % num !== 0n) return undefined;
  const factor = (values[anchor]! * den) / num;
  if (factor < 1n || factor > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const line: bigint[] = [];
  const raised = new Set<bigint>();
  const cut = new Set<bigint>();
  values.forEach((value, i) => {
    const [n, d] = inputs[i]!;
    const scaled = factor * n;
    const target = value * d;
    if (scaled === target) line.push(value);
    else (scaled < target ? raised : cut).add(value);
  });
  if (raised.size > 1 || cut.size > 1) return undefined;
  const [min] = raised;
  const [max] = cut;
  if (min !== undefined && max !== undefined && min >= max) return undefined;
  const within = (value: bigint, strict: boolean) =>
    (min === undefined || (strict ? value > min : value >= min)) && (max === undefined || (strict ? value < max : value <= max));
  if (!line.every((value) => within(value, false)) || !line.some((value) => within(value, true))) return undefined;
  return { per, factor: Number(factor), ...(min !== undefined && { min: Number(min) }), ...(max !== undefined && { max: Number(max) }) };
}

/**
 * Shapes booted with the same memory report MemTotal a little apart (each CPU takes some
 * memory); within this share they count as the same memory.
 */
const SAME_MEMORY = 0.05;

type MachineShape = Pick<ShapeValue, 'cpus' | 'possibleCpus' | 'memoryKiB'>;
export const sameMemory = (a: Pick<MachineShape, 'memoryKiB'>, b: Pick<MachineShape, 'memoryKiB'>) => Math.abs(a.memoryKiB - b.memoryKiB) <= SAME_MEMORY * Math.max(a.memoryKiB, b.memoryKiB);
/** The same CPUs online and possible; a shape without a possible count had as many as online. */
export const sameCpus = (a: MachineShape, b: MachineShape) => a.cpus === b.cpus && (a.possibleCpus ?? a.cpus) === (b.possibleCpus ?? b.cpus);

/**
 * Whether two shapes that differ in `per` alone read different values: only then do the
 * shapes show that the value follows it. A shape that differs from every other in both
 * CPUs and memory fits a CPU rule and a memory rule alike, whichever the kernel uses.
 */
function isolates(per: RuleInput, shapes: readonly ShapeValue[]): boolean {
  return shapes.some((a, i) =>
    shapes.slice(i + 1).some((b) => a.value !== b.value && (per === 'memory-mib' ? sameCpus(a, b) && !sameMemory(a, b) : sameMemory(a, b) && !sameCpus(a, b))),
  );
}

/**
 * The one rule every shape agrees on, or undefined: values not whole numbers, no rule fits,
 * several do, or no two shapes differing in its input alone read different values.
 */
export function findMachineRule(shapes: readonly ShapeValue[]): MachineRule | undefined {
  if (shapes.length < 2 || !shapes.every((shape) => /^\d+$/.test(shape.value) && Number.isSafeInteger(Number(shape.value)))) return undefined;
  const values = shapes.map((shape) => BigInt(shape.value));
  const fits = new Map<string, MachineRule>();
  for (const per of RULE_INPUTS) {
    const inputs = shapes.map((shape) => amount(per, asMachine(shape)));
    if (inputs.some((input) => input === undefined)) continue;
    values.forEach((_, anchor) => {
      const rule = fitThrough(per, anchor, values, inputs as [bigint, bigint][]);
      if (rule) fits.set(JSON.stringify(rule), rule);
    });
  }
  const [rule] = fits.values();
  return fits.size === 1 && isolates(rule!.per, shapes) ? rule : undefined;
}

/** The default the rule gives on a machine (rounded down, as the kernel's integer arithmetic does), or undefined when the machine lacks the input. */
export function ruleValue(rule: MachineRule, machine: Machine): string | undefined {
  const input = amount(rule.per, machine);
  if (!input) return undefined;
  let value = (BigInt(rule.factor) * input[0]) / input[1];
  if (rule.min !== undefined && value < BigInt(rule.min)) value = BigInt(rule.min);
  if (rule.max !== undefined && value > BigInt(rule.max)) value = BigInt(rule.max);
  return value.toString();
}

const INPUT_WORDS: Record<RuleInput, string> = { 'possible-cpu': 'possible CPU', 'online-cpu': 'online CPU', 'memory-mib': 'MiB of memory' };

/** `1024 per possible CPU, at least 32768`. */
export function ruleText(rule: MachineRule): string {
  return [`${rule.factor} per ${INPUT_WORDS[rule.per]}`, rule.min !== undefined && `at least ${rule.min}`, rule.max !== undefined && `at most ${rule.max}`].filter(Boolean).join(', ');
}

/** What a machine rule reads: `possible CPUs`, `online CPUs`, `memory`. */
export function ruleInputText(per: RuleInput): string {
  return per === 'memory-mib' ? 'memory' : `${INPUT_WORDS[per]}s`;
}

/** What one kernel's default is expected to be on a machine. */
export type ExpectedDefault =
  /** A rule gives it. */
  | { kind: 'rule'; value: string; rule: MachineRule }
  /** A rule exists, but the machine given lacks its input (`cpus` or `memory`). */
  | { kind: 'needs'; input: 'cpus' | 'memory'; rule: MachineRule }
  /** Machine-scaled without a rule: the values on the shapes booted are all there is. */
  | { kind: 'shapes'; shapes: ShapeValue[] }
  /** Read the same on every shape booted. */
  | { kind: 'same'; value: string }
  /** No measured default to expect: runtime state, unreadable, not measured or read from the C source, or it differs by where it appears. */
  | { kind: 'none' };

export function expectedDefault(facts: Pick<KernelFacts, 'default' | 'defaultKind' | 'shapes' | 'rule'>, machine: Machine): ExpectedDefault {
  if (facts.defaultKind === 'machine') {
    if (!facts.rule) return { kind: 'shapes', shapes: facts.shapes ?? [] };
    const value = ruleValue(facts.rule, machine);
    if (value !== undefined) return { kind: 'rule', value, rule: facts.rule };
    return { kind: 'needs', input: facts.rule.per === 'memory-mib' ? 'memory' : 'cpus', rule: facts.rule };
  }
  if (facts.defaultKind === 'constant' && facts.default !== null) return { kind: 'same', value: facts.default };
  return { kind: 'none' };
}

/** `4 CPUs (64 possible), 16 GiB`: a machine asked about, as far as it was given. */
export function machineLabel({ cpus, possibleCpus, memoryKiB }: Machine): string {
  const memory = memoryKiB === undefined ? undefined : memoryKiB % 2 ** 20 === 0 ? `${memoryKiB / 2 ** 20} GiB` : `${Math.round(memoryKiB / 1024)} MiB`;
  const cpuText = cpus === undefined ? undefined : `${cpus} ${cpus === 1 ? 'CPU' : 'CPUs'}${possibleCpus === undefined ? '' : ` (${possibleCpus} possible)`}`;
  return [cpuText, memory].filter(Boolean).join(', ');
}

const UNITS: Record<string, number> = { K: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3 };

/** `16G`, `4096M`, `16GiB`, `1.5G` → KiB; binary units, as `free` and qemu's `-m` count. Throws on anything else. */
export function parseMemorySize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT])(?:i?B)?$/i.exec(text.trim());
  const kib = match ? Math.round(Number(match[1]) * UNITS[match[2]!.toUpperCase()]!) : 0;
  if (!match || kib < 1 || !Number.isSafeInteger(kib)) throw new Error(`memory "${text}" is not a size such as 16G, 4096M or 1.5GiB`);
  return kib;
}

/** `4` → 4 online CPUs; `1/64` → 1 online of 64 possible (the refresh's shapes write them so). Throws on anything else. */
export function parseCpus(text: string): Pick<Machine, 'cpus' | 'possibleCpus'> {
  const match = /^(\d+)(?:\/(\d+))?$/.exec(text.trim());
  const cpus = Number(match?.[1]);
  const possibleCpus = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || cpus < 1 || (possibleCpus !== undefined && possibleCpus < cpus)) throw new Error(`CPUs "${text}" are not N or ONLINE/POSSIBLE (possible at least online), e.g. 4 or 4/64`);
  return { cpus, ...(possibleCpus !== undefined && { possibleCpus }) };
}
