/**
 * Worker memory limits as Dask reads them: a byte size ("4GiB", 4e9), a fraction of the
 * machine (0.5), "auto" (the machine's memory × min(1, threads / CPUs), honouring a cgroup
 * limit when the process runs in one, as under SLURM), or 0/null for no limit. A limit above
 * what the machine has is clamped with a warning.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { InvalidOptionError } from "../../core/errors.js";
import { parseBytes } from "../../core/units.js";

/** The memory this process may use: the machine's, or its cgroup's when lower. */
export function systemMemoryLimit(): number {
  let limit = totalmem();
  for (const file of ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]) {
    try {
      const text = readFileSync(file, "utf8").trim();
      const value = Number(text);
      if (text !== "max" && Number.isFinite(value) && value > 0) limit = Math.min(limit, value);
    } catch {
      // not in a cgroup with a memory limit
    }
  }
  return limit;
}

export function parseMemoryLimit(
  value: string | number | null | undefined,
  nthreads: number,
  onWarning: (message: string) => void = () => {},
): number {
  if (value === null || value === undefined || value === 0 || value === "0") return 0;
  const system = systemMemoryLimit();
  let bytes: number;
  if (value === "auto") {
    bytes = Math.floor(system * Math.min(1, nthreads / availableParallelism()));
  } else if (typeof value === "number" && value > 0 && value <= 1) {
    bytes = Math.floor(system * value);
  } else if (typeof value === "string" && /^\s*0?\.\d+\s*$/.test(value)) {
    bytes = Math.floor(system * Number(value));
  } else {
    bytes = parseBytes(value, "memoryLimit");
  }
  if (!Number.isFinite(bytes) || bytes < 0) throw new InvalidOptionError(`memoryLimit: ${String(value)} is not a usable memory limit`);
  if (bytes > system) {
    onWarning(`memoryLimit ${bytes} bytes is more than this machine has (${system}); using ${system}`);
    bytes = system;
  }
  return bytes;
}
