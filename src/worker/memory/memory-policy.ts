/**
 * A worker's memory policy, resolved once at start: the limit in bytes and Dask's four
 * thresholds as fractions of it (or false), the spill cap, how often to measure, how to
 * compress spill files, and how long a stuck pause may last. Options win over the
 * `distributed.worker.memory.*` configuration; everything is validated here so that a bad
 * value fails at start, not at the first spill.
 *
 *   target    (0.6)  managed bytes above this: least recently used results go to disk
 *   spill     (0.7)  process memory (RSS) above this: spill until it is below target
 *   pause     (0.8)  process memory above this: start no tasks, fetch no data
 *   terminate (0.95) process memory above this: the nanny restarts the worker
 */
import { InvalidOptionError } from "../../core/errors.js";
import { parseBytes, parseDuration } from "../../core/units.js";
import { config as processConfig, type ConfigStore, workerMemorySettings } from "../../config/index.js";
import { spillCompressionChoices, type SpillCompression } from "./spill-compression.js";

export type Fraction = number | false;

/** Dask's Worker/Nanny memory keyword arguments, camelCased. */
export interface WorkerMemoryOptions {
  memoryTargetFraction?: Fraction;
  memorySpillFraction?: Fraction;
  memoryPauseFraction?: Fraction;
  memoryTerminateFraction?: Fraction;
  /** Most bytes of spill files ("10GB", bytes), or false for no cap. */
  maxSpill?: string | number | false;
  /** How often process memory is measured: seconds or "100ms". */
  memoryMonitorInterval?: string | number;
  spillCompression?: SpillCompression;
  /** Seconds (or "30s") a pause may last with nothing left to spill before waiting tasks fail; null: forever. */
  pauseTimeout?: string | number | null;
}

/** Every memory option by name: a new option missing here fails to compile. */
const memoryOptionNames: Record<keyof WorkerMemoryOptions, true> = {
  memoryTargetFraction: true, memorySpillFraction: true, memoryPauseFraction: true, memoryTerminateFraction: true,
  maxSpill: true, memoryMonitorInterval: true, spillCompression: true, pauseTimeout: true,
};

/** Just the memory options of a wider options object (cluster options, CLI flags), to pass on to workers. */
export function memoryOptionsOf(options: WorkerMemoryOptions): WorkerMemoryOptions {
  return Object.fromEntries(Object.keys(memoryOptionNames).map((name) => [name, options[name as keyof WorkerMemoryOptions]]));
}

export interface MemoryPolicy {
  /** 0: no limit (no threshold applies). */
  limitBytes: number;
  target: Fraction;
  spill: Fraction;
  pause: Fraction;
  terminate: Fraction;
  maxSpillBytes: number | false;
  monitorIntervalMs: number;
  spillCompression: SpillCompression;
  pauseTimeoutMs: number | null;
}

/** The configured defaults (`distributed.worker.memory.*`), as options. */
export function memoryOptionsFromConfig(store: ConfigStore = processConfig): Required<WorkerMemoryOptions> {
  const settings = workerMemorySettings(store);
  const pauseTimeout = store.get("distributed.worker.memory.pause-timeout") as string | number | null;
  return {
    memoryTargetFraction: settings.target, memorySpillFraction: settings.spill, memoryPauseFraction: settings.pause,
    memoryTerminateFraction: settings.terminate, maxSpill: settings.maxSpillBytes,
    memoryMonitorInterval: settings.monitorIntervalSeconds,
    spillCompression: store.get("distributed.worker.memory.spill-compression") as SpillCompression,
    pauseTimeout,
  };
}

const order = ["target", "spill", "pause", "terminate"] as const;

function fraction(name: string, value: unknown): Fraction {
  if (value === false) return false;
  if (typeof value === "string" && value.trim().toLowerCase() === "false") return false;
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number) || number <= 0 || number > 1) {
    throw new InvalidOptionError(`memory ${name} fraction ${JSON.stringify(value)} is not a fraction above 0 and at most 1, or false to turn the step off`);
  }
  return number;
}

/** Options over configuration, validated: thresholds must rise target ≤ spill ≤ pause ≤ terminate. */
export function resolveMemoryPolicy(limitBytes: number, options: WorkerMemoryOptions = {}, defaults: Required<WorkerMemoryOptions> = memoryOptionsFromConfig()): MemoryPolicy {
  const pick = <K extends keyof WorkerMemoryOptions>(key: K): Required<WorkerMemoryOptions>[K] =>
    (options[key] !== undefined ? options[key] : defaults[key]) as Required<WorkerMemoryOptions>[K];
  const fractions = {
    target: fraction("target", pick("memoryTargetFraction")),
    spill: fraction("spill", pick("memorySpillFraction")),
    pause: fraction("pause", pick("memoryPauseFraction")),
    terminate: fraction("terminate", pick("memoryTerminateFraction")),
  };
  let previous: { name: string; value: number } | null = null;
  for (const name of order) {
    const value = fractions[name];
    if (value === false) continue;
    if (previous && value < previous.value) {
      throw new InvalidOptionError(
        `memory fractions are out of order: ${name} (${value}) is below ${previous.name} (${previous.value}); ` +
          "each step must come at or after the one before: target ≤ spill ≤ pause ≤ terminate",
      );
    }
    previous = { name, value };
  }
  const maxSpill = pick("maxSpill");
  let maxSpillBytes: number | false = false;
  if (maxSpill !== false && maxSpill !== null) {
    maxSpillBytes = parseBytes(maxSpill, "maxSpill");
    if (maxSpillBytes === 0) throw new InvalidOptionError("maxSpill 0 would allow no spilling: give a size, or false for no cap (turn spilling off with memoryTargetFraction and memorySpillFraction false)");
  }
  const monitorSeconds = parseDuration(pick("memoryMonitorInterval"), "memoryMonitorInterval");
  if (monitorSeconds <= 0) throw new InvalidOptionError("memoryMonitorInterval must be longer than 0 s");
  const spillCompression = pick("spillCompression");
  if (!spillCompressionChoices.includes(spillCompression)) {
    throw new InvalidOptionError(`spillCompression ${JSON.stringify(spillCompression)} is not one of "auto", "zlib" or false`);
  }
  const pauseTimeout = pick("pauseTimeout");
  return {
    limitBytes, ...fractions, maxSpillBytes, monitorIntervalMs: monitorSeconds * 1000, spillCompression,
    pauseTimeoutMs: pauseTimeout === null ? null : parseDuration(pauseTimeout, "pauseTimeout") * 1000,
  };
}

/** The byte threshold of a step, or Infinity when the step is off or there is no limit. */
export function thresholdBytes(policy: MemoryPolicy, step: (typeof order)[number]): number {
  const value = policy[step];
  return value === false || policy.limitBytes <= 0 ? Infinity : value * policy.limitBytes;
}

/** Whether the worker spills at all (either threshold on, and a limit to measure against). */
export function spillsAtAll(policy: MemoryPolicy): boolean {
  return policy.limitBytes > 0 && (policy.target !== false || policy.spill !== false);
}
