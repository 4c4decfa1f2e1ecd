/**
 * Options of SLURMRunner and MPIRunner, read once into seconds and plain values.
 */
import { InvalidOptionError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";

export interface RunnerOptions {
  /** Scheduler file on a filesystem every rank shares; `{job_id}` becomes the batch job id. */
  schedulerFile: string;
  /** Bound on waiting for the scheduler file, and the scheduler's wait for the client rank (default "120s"). */
  timeout?: string | number;
  /** Network interface for the scheduler and the workers (e.g. "ib0"). */
  interface?: string;
  schedulerOptions?: {
    /** Bind the scheduler to this interface instead. */
    interface?: string;
    host?: string;
    /** Default 0: a free port. */
    port?: number;
    /** ":8787" (default) or false. */
    dashboardAddress?: string | false;
  };
  workerOptions?: {
    /** Threads per worker (default: SLURM_CPUS_PER_TASK, else the CPUs this process may use). */
    nthreads?: number;
    /** "4GiB", a fraction, "auto" (default) or 0 for none. */
    memoryLimit?: string | number;
    localDirectory?: string;
    interface?: string;
  };
  /** How long the scheduler and worker ranks wait for the client rank's exit status (default "10s"). */
  exitStatusWait?: string | number;
  /** For tests: the environment to read (default process.env). */
  env?: Record<string, string | undefined>;
  /** For tests: what ends a scheduler or worker rank (default process.exit). */
  exit?: (code: number) => void;
}

export interface ResolvedRunnerOptions {
  schedulerFileTemplate: string;
  timeoutSeconds: number;
  exitStatusWaitSeconds: number;
  schedulerInterface: string | null;
  schedulerHost: string | null;
  schedulerPort: number;
  dashboardAddress: string | false;
  workerInterface: string | null;
  nthreads: number | null;
  memoryLimit: string | number;
  localDirectory: string | undefined;
}

export function resolveRunnerOptions(options: RunnerOptions): ResolvedRunnerOptions {
  if (!options || typeof options.schedulerFile !== "string" || options.schedulerFile === "") {
    throw new InvalidOptionError('schedulerFile is required: a path every rank can read, e.g. "/shared/scheduler-{job_id}.json"');
  }
  const scheduler = options.schedulerOptions ?? {};
  const worker = options.workerOptions ?? {};
  const port = scheduler.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError(`schedulerOptions.port: ${JSON.stringify(port)} is not a port number (0–65535)`);
  }
  if (worker.nthreads !== undefined && (!Number.isInteger(worker.nthreads) || worker.nthreads < 1)) {
    throw new InvalidOptionError(`workerOptions.nthreads: ${JSON.stringify(worker.nthreads)} is not a positive whole number`);
  }
  return {
    schedulerFileTemplate: options.schedulerFile,
    timeoutSeconds: parseDuration(options.timeout ?? "120s", "timeout"),
    exitStatusWaitSeconds: parseDuration(options.exitStatusWait ?? "10s", "exitStatusWait"),
    schedulerInterface: scheduler.interface ?? options.interface ?? null,
    schedulerHost: scheduler.host ?? null,
    schedulerPort: port,
    dashboardAddress: scheduler.dashboardAddress ?? ":8787",
    workerInterface: worker.interface ?? options.interface ?? null,
    nthreads: worker.nthreads ?? null,
    memoryLimit: worker.memoryLimit ?? "auto",
    localDirectory: worker.localDirectory,
  };
}
