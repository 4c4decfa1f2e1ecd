/**
 * How one job's cores and memory are shared among its worker processes, kept in bytes.
 *
 * processes: given, or Dask's `nprocesses_nthreads` rule: up to 4 cores, one process per
 * core; beyond, the smallest factor of `cores` that is at least √cores, so processes and
 * threads per process are about equal (24 → 6 × 4, 36 → 6 × 6, 7 → 7 × 1).
 * threads per worker: floor(cores / processes).
 * memory per worker: floor(memory / processes) bytes, written exactly. Dask writes a
 * two-decimal GiB figure instead, which rounds up (6 × "19.87GiB" is more than 128 GB);
 * exact bytes keep the workers' limits summed within what the job requested.
 */
import { InvalidOptionError } from "../core/errors.js";
import { formatBytes } from "../core/units.js";

export interface JobResources {
  cores: number;
  processes: number;
  threadsPerWorker: number;
  memoryBytes: number;
  memoryPerWorkerBytes: number;
}

/** Dask's default number of worker processes for a job of `cores` cores. */
export function defaultProcesses(cores: number): number {
  if (cores <= 4) return cores;
  const root = Math.sqrt(cores);
  for (let candidate = Math.ceil(root); candidate <= cores; candidate++) {
    if (cores % candidate === 0) return candidate;
  }
  return cores;
}

export function computeJobResources(job: { cores: number; memoryBytes: number; processes: number | null }): JobResources {
  if (!Number.isInteger(job.cores) || job.cores < 1) {
    throw new InvalidOptionError(`cores: ${job.cores} is not a positive whole number of cores per job`);
  }
  if (job.memoryBytes <= 0) {
    throw new InvalidOptionError(`memory: ${job.memoryBytes} bytes is not enough for a job; give e.g. "4GiB"`);
  }
  const processes = job.processes ?? defaultProcesses(job.cores);
  if (processes > job.cores) {
    throw new InvalidOptionError(
      `processes: ${processes} worker processes cannot share ${job.cores} cores (each needs at least one thread); use processes ≤ cores`,
    );
  }
  return {
    cores: job.cores,
    processes,
    threadsPerWorker: Math.floor(job.cores / processes),
    memoryBytes: job.memoryBytes,
    memoryPerWorkerBytes: Math.floor(job.memoryBytes / processes),
  };
}

/**
 * One line for logs and `jobScript()` users: what a job asks the batch system for and what
 * each worker gets, so GB/GiB surprises (jobqueue#252) are visible.
 */
export function describeJobResources(resources: JobResources, memoryRequest: string | null): string {
  const requested = memoryRequest ? ` (requested as ${memoryRequest})` : "";
  return `each job: ${resources.cores} cores, ${formatBytes(resources.memoryBytes)}${requested}; ` +
    `${resources.processes} worker process${resources.processes === 1 ? "" : "es"} × ${resources.threadsPerWorker} ` +
    `thread${resources.threadsPerWorker === 1 ? "" : "s"}, memory limit ${formatBytes(resources.memoryPerWorkerBytes)} ` +
    `(${resources.memoryPerWorkerBytes} bytes) each`;
}
