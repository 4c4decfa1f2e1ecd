/**
 * Walltimes written the way each batch system reads them, from seconds (rounded up: a job
 * never gets less time than asked). SLURM adds days past 24 h ("1-12:00:00"); PBS and SGE
 * let hours run on ("36:00:00"); LSF's -W is hours:minutes. HTCondor has no walltime.
 */
const pad = (n: number) => String(n).padStart(2, "0");

/** HH:MM:SS with hours unbounded: PBS `walltime=`, SGE `h_rt=`. */
export function clockWalltime(seconds: number): string {
  const total = Math.ceil(seconds);
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/** SLURM `-t`: HH:MM:SS, or D-HH:MM:SS from one day up. */
export function slurmWalltime(seconds: number): string {
  const total = Math.ceil(seconds);
  if (total < 86400) return clockWalltime(total);
  return `${Math.floor(total / 86400)}-${clockWalltime(total % 86400)}`;
}

/** LSF `-W`: HH:MM, minutes rounded up. */
export function lsfWalltime(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
