/**
 * Byte sizes and durations as users write them, parsed exactly like Dask does
 * (`dask/utils.py::parse_bytes`, `format_bytes`, `parse_timedelta`) so an existing Dask
 * config or jobqueue.yaml means the same thing here. All arithmetic stays in bytes and
 * seconds; strings exist only at the edges.
 */
import { describeArgument as describeValue } from "./argument-count.js";
import { InvalidOptionError } from "./errors.js";

const byteUnits: Record<string, number> = {
  b: 1,
  "": 1,
  k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, p: 1e15, pb: 1e15,
  ki: 2 ** 10, kib: 2 ** 10, mi: 2 ** 20, mib: 2 ** 20, gi: 2 ** 30, gib: 2 ** 30,
  ti: 2 ** 40, tib: 2 ** 40, pi: 2 ** 50, pib: 2 ** 50,
};

/** "128GB" → 128e9, "2GiB" → 2147483648, "1e6 kB" → 1e9, 42 → 42. Decimal vs binary as in Dask. */
export function parseBytes(value: string | number, what = "byte size"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidOptionError(`${what}: ${value} is not a non-negative number of bytes`);
    }
    return Math.floor(value);
  }
  if (typeof value !== "string") throw new InvalidOptionError(`${what}: expected a number of bytes or a string such as "4GiB", got ${describeValue(value)}`);
  const text = value.trim().replace(/\s+/g, "").toLowerCase();
  const match = /^([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)([a-z]*)$/.exec(text);
  const multiplier = match ? byteUnits[match[2]] : undefined;
  if (!match || multiplier === undefined) {
    throw new InvalidOptionError(
      `${what}: cannot parse "${value}" as a byte size; write a number with a unit such as "4GiB", "128GB" or "512MiB"`,
    );
  }
  return Math.floor(Number(match[1]) * multiplier);
}

/** Dask's format_bytes: "19.87 GiB", "1.50 MiB", "12 B". */
export function formatBytes(bytes: number): string {
  const prefixes: Array<[string, number]> = [
    ["Pi", 2 ** 50], ["Ti", 2 ** 40], ["Gi", 2 ** 30], ["Mi", 2 ** 20], ["ki", 2 ** 10],
  ];
  for (const [prefix, size] of prefixes) {
    if (bytes >= size * 0.9) return `${(bytes / size).toFixed(2)} ${prefix}B`;
  }
  return `${bytes} B`;
}

const durationUnits: Record<string, number> = {
  ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, sec: 1, second: 1, seconds: 1,
  m: 60, min: 60, minute: 60, minutes: 60, h: 3600, hr: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400, w: 604800, week: 604800, weeks: 604800,
};

/**
 * Seconds from "60s", "5m", "1.5h", "100ms", a plain number (seconds), or a batch-system
 * clock "HH:MM:SS" / "MM:SS" / "D-HH:MM:SS" (SLURM and PBS walltimes).
 */
export function parseDuration(value: string | number, what = "duration"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidOptionError(`${what}: ${value} is not a non-negative number of seconds`);
    }
    return value;
  }
  if (typeof value !== "string") throw new InvalidOptionError(`${what}: expected a number of seconds or a string such as "30s" or "5 minutes", got ${describeValue(value)}`);
  const text = value.trim().toLowerCase();
  const clock = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(text);
  if (clock && text.includes(":")) {
    const parts = [clock[2], clock[3], clock[4]].filter((p) => p !== undefined).map(Number);
    const days = clock[1] ? Number(clock[1]) : 0;
    const seconds = parts.length === 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0] * 60 + parts[1];
    return days * 86400 + seconds;
  }
  const match = /^([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-zµ]*)$/.exec(text);
  const multiplier = match ? (match[2] === "" ? 1 : durationUnits[match[2]]) : undefined;
  if (!match || multiplier === undefined) {
    throw new InvalidOptionError(
      `${what}: cannot parse "${value}" as a duration; write e.g. "60s", "5m", "1h" or "02:00:00"`,
    );
  }
  return Number(match[1]) * multiplier;
}

/** "02:00:00" from 7200 seconds (rounded up to whole seconds). */
export function formatClock(seconds: number): string {
  const total = Math.ceil(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h, m, s].map((n) => String(n).padStart(2, "0")).join(":");
}

/** A short human duration for logs and progress: "850 ms", "12.3 s", "4 m 05 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m} m ${String(s).padStart(2, "0")} s`;
}
