/**
 * How each batch system is asked for a job's memory. Every system spells units its own way;
 * all of them round up so the request never falls below the memory the workers may use.
 *
 *  SLURM `--mem`: binary units spelled K/M/G, ceil; below 1 KiB, "1K" (SLURM has no bytes).
 *  PBS `mem=`: binary units spelled kB/MB/GB, ceil, a unit only from 10 of it upward.
 *  SGE `mem_free=`: binary units K/M/G (SGE's upper-case suffixes are powers of 1024), ceil.
 *  LSF `-M`: decimal, in the cluster's LSF_UNIT_FOR_LIMITS (kb by default), ceil.
 *  HTCondor: RequestMemory in MiB and RequestDisk in KiB, computed by HTCondor from bytes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

export function slurmMemory(bytes: number): string {
  if (bytes >= GiB) return `${Math.ceil(bytes / GiB)}G`;
  if (bytes >= MiB) return `${Math.ceil(bytes / MiB)}M`;
  if (bytes >= KiB) return `${Math.ceil(bytes / KiB)}K`;
  return "1K";
}

export function pbsMemory(bytes: number): string {
  if (bytes >= 10 * GiB) return `${Math.ceil(bytes / GiB)}GB`;
  if (bytes >= 10 * MiB) return `${Math.ceil(bytes / MiB)}MB`;
  if (bytes >= 10 * KiB) return `${Math.ceil(bytes / KiB)}kB`;
  return `${bytes}B`;
}

export function sgeMemory(bytes: number): string {
  if (bytes >= GiB) return `${Math.ceil(bytes / GiB)}G`;
  if (bytes >= MiB) return `${Math.ceil(bytes / MiB)}M`;
  if (bytes >= KiB) return `${Math.ceil(bytes / KiB)}K`;
  return String(bytes);
}

const lsfExponents: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6, z: 7 };

/** `bytes` in LSF's decimal `units` ("kb", "MB", "g"…), rounded up: 1234567890 in mb → "1235". */
export function lsfMemory(bytes: number, units: string): string {
  const exponent = lsfExponents[units.toLowerCase()[0]];
  if (exponent === undefined) throw new RangeError(`unknown LSF unit ${JSON.stringify(units)}`);
  return String(Math.ceil(bytes / 1000 ** exponent));
}

export const htcondorMemoryMiB = (bytes: number): number => Math.floor(bytes / MiB);
export const htcondorDiskKiB = (bytes: number): number => Math.floor(bytes / KiB);

/**
 * The unit LSF applies to `-M`: LSF_UNIT_FOR_LIMITS in `$LSF_ENVDIR/lsf.conf` (or
 * `$LSF_CONFDIR`, else /etc), the last setting winning as in LSF; "kb" when unset or unreadable.
 */
export function detectLsfUnits(
  env: Record<string, string | undefined> = process.env,
  readText: (path: string) => string = (path) => readFileSync(path, "utf8"),
): string {
  const directory = env.LSF_ENVDIR ?? env.LSF_CONFDIR ?? "/etc";
  let text: string;
  try {
    text = readText(join(directory, "lsf.conf"));
  } catch {
    return "kb";
  }
  const settings = text.split("\n").map((line) => line.trim()).filter((line) => line.startsWith("LSF_UNIT_FOR_LIMITS"));
  const value = settings.at(-1)?.split("=")[1]?.trim().toLowerCase();
  return value && value[0] in lsfExponents ? `${value[0]}b` : "kb";
}
