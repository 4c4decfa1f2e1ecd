/**
 * Walltimes in each batch system's own syntax, read into seconds.
 *
 * dask-jobqueue copies the walltime string into the script verbatim, so a value means what
 * the batch system makes of it. To keep an existing Dask config meaning the same thing, a
 * bare number (or digits-only string) is read with that system's unit: minutes for SLURM
 * (`sbatch -t 90`) and LSF (`bsub -W 90`), seconds for PBS and SGE (`walltime=90`,
 * `h_rt=90`). Clock forms follow the system too: a two-part `A:B` is minutes:seconds for
 * SLURM/PBS/SGE but hours:minutes for LSF. Values with a unit (`"2h"`, `"90m"`, `"3600s"`)
 * mean the same everywhere and are the spelling to prefer.
 */
import { InvalidOptionError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";

export type WalltimeSyntax = "slurm" | "pbs" | "sge" | "lsf";

/** How to write a walltime for each system, for error messages. */
export const walltimeHint: Record<WalltimeSyntax, string> = {
  slurm: 'write e.g. "02:00:00", "1-00:00:00" or "2h"',
  pbs: 'write e.g. "02:00:00" or "2h"',
  sge: 'write e.g. "02:00:00" or "2h"',
  lsf: 'write e.g. "02:00" (hours:minutes) or "2h"',
};

/** Seconds from a walltime written for `syntax`; throws naming `what` and the value. */
export function parseWalltime(syntax: WalltimeSyntax, value: string | number, what = "walltime"): number {
  const text = String(value).trim();
  const seconds = /[a-zµ]/i.test(text) ? parseWithUnit(text) : parseClock(syntax, text);
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidOptionError(`${what}: cannot read ${JSON.stringify(value)} as a ${syntax} walltime; ${walltimeHint[syntax]}`);
  }
  return seconds;
}

function parseWithUnit(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

function parseClock(syntax: WalltimeSyntax, text: string): number | undefined {
  const days = /^(\d+)-(.*)$/.exec(text);
  if (days) {
    // Only SLURM writes days: "D-H", "D-H:M", "D-H:M:S".
    if (syntax !== "slurm") return undefined;
    const rest = numbers(days[2]);
    if (!rest || rest.length > 3) return undefined;
    const [hours, minutes = 0, seconds = 0] = rest;
    return Number(days[1]) * 86400 + hours * 3600 + minutes * 60 + seconds;
  }
  const parts = numbers(text);
  if (!parts || parts.length > 3) return undefined;
  const nativeUnit = syntax === "slurm" || syntax === "lsf" ? 60 : 1;
  if (parts.length === 1) return parts[0] * nativeUnit;
  if (parts.length === 2) {
    return syntax === "lsf" ? parts[0] * 3600 + parts[1] * 60 : parts[0] * 60 + parts[1];
  }
  return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

function numbers(text: string): number[] | undefined {
  const parts = text.split(":");
  if (parts.some((part) => !/^\d+(?:\.\d+)?$/.test(part))) return undefined;
  return parts.map(Number);
}
