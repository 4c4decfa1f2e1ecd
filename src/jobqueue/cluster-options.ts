/**
 * The options a job-queue cluster takes, sorted at the edge into three kinds:
 *  - cluster options (name, nWorkers, security, polling…), read here;
 *  - job options (cores, memory, queue, walltime…), resolved with the configuration by
 *    config/resolveJobQueueOptions;
 *  - scheduler options (`schedulerOptions`, from the option or the config key
 *    `scheduler-options`), read here by readSchedulerOptions once the job options are resolved.
 * Everything is validated before anything starts, and a wrong key is named with a hint.
 */
import type { BatchSystem } from "../config/index.js";
import { kebabToCamel, normaliseKey } from "../config/index.js";
import { InvalidOptionError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";
import type { Security } from "../comm/security.js";
import type { SchedulerSettings } from "../scheduler/state/scheduler-state.js";
import type { CommandRunner } from "./command-runner.js";

/** Job options every system takes, as a user writes them; `null` unsets a configured value. */
export interface CommonJobQueueOptions {
  /** Batch job name (`#SBATCH -J`); config key `name`. */
  jobName?: string | null;
  /** Cores per job. */
  cores?: number | null;
  /** Memory per job: "128GB" (decimal) or "120GiB" (binary). */
  memory?: string | number | null;
  /** Worker processes per job (default: about √cores). */
  processes?: number | null;
  /** Network interface the workers bind to (and the scheduler, unless schedulerOptions says otherwise). */
  interface?: string | null;
  deathTimeout?: string | number | null;
  localDirectory?: string | null;
  /** A directory the compute nodes see, for the credential (and TLS) files. */
  sharedTempDirectory?: string | null;
  workerCommand?: string | null;
  workerExtraArgs?: string[] | null;
  shebang?: string;
  jobScriptPrologue?: string[] | null;
  jobScriptEpilogue?: string[] | null;
  jobDirectivesSkip?: string[] | null;
  logDirectory?: string | null;
  schedulerOptions?: SchedulerOptionsInput | null;
  /** Worker lifetime; default: the walltime minus a margin. false switches it off. */
  lifetime?: string | number | false | null;
  lifetimeStagger?: string | number;
  /** @deprecated renamed jobExtraDirectives */
  jobExtra?: string[] | Record<string, string> | null;
  /** @deprecated renamed workerExtraArgs */
  extra?: string[] | null;
  /** @deprecated renamed jobScriptPrologue */
  envExtra?: string[] | null;
  /** @deprecated renamed jobDirectivesSkip */
  headerSkip?: string[] | null;
}

/** Options of the cluster itself (not of its jobs). */
export interface ClusterLevelOptions {
  /** Cluster name, the prefix of job and worker names (default: the class name, e.g. "SLURMCluster"). */
  name?: string;
  /** Workers to start at once (jobs = ⌈nWorkers / processes⌉). */
  nWorkers?: number;
  /** Config section to read instead of the system's own (`jobqueue.<configName>`). */
  configName?: string;
  /** TLS: true for temporary certificates, or a Security with your own. */
  security?: Security | boolean;
  /** Runs the batch commands (default: child_process.execFile, no shell). Tests inject fakes. */
  commandRunner?: CommandRunner;
  /** How often job states are polled from the batch system (default "5s"). */
  pollInterval?: string | number;
  /** Where the state file of submitted job ids lives (default ~/.tessera/jobqueue). */
  stateDirectory?: string;
  /** Bound on waiting for workers to retire when scaling down or closing (default "30s"). */
  retireTimeout?: string | number;
  /** Bound on waiting for the batch system to stop listing cancelled jobs (default "60s"). */
  closeTimeout?: string | number;
  /**
   * Jobs that may end in a row before any of their workers connected, before the cluster
   * stops replacing them (default 3): a broken script is not resubmitted forever.
   */
  maxFailedStarts?: number;
  /**
   * How long before a job's workers retire (their lifetime, ahead of the walltime) its
   * replacement is submitted, so results are handed over rather than recomputed. Default
   * "auto": a tenth of the lifetime, at least a minute, at most half of it; false: replace
   * only after the job has ended.
   */
  replacementLead?: string | number | false;
}

export type JobQueueClusterOptions = CommonJobQueueOptions & ClusterLevelOptions;

/** `schedulerOptions` as a user writes them (camelCase, kebab-case and snake_case keys all work). */
export interface SchedulerOptionsInput {
  /** Bind the scheduler to this interface's address (e.g. "ib0"). */
  interface?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** ":8787" (default), "host:port", or false for no dashboard. */
  dashboardAddress?: string | false;
  /** Close the cluster after this long without work. */
  idleTimeout?: string | number | null;
  /** Worker deaths a task may witness before it errs (default 3). */
  allowedFailures?: number;
  workerTtl?: string | number | null;
  workStealing?: boolean;
}

export interface SchedulerOptions {
  interface: string | null;
  host: string | null;
  port: number;
  dashboardAddress: string | false;
  settings: Partial<SchedulerSettings>;
}

export interface ResolvedClusterOptions {
  name: string | null;
  nWorkers: number;
  configName: string | undefined;
  security: Security | boolean | undefined;
  commandRunner: CommandRunner | undefined;
  pollIntervalSeconds: number;
  stateDirectory: string | undefined;
  retireTimeoutSeconds: number;
  closeTimeoutSeconds: number;
  maxFailedStarts: number;
  /** Seconds, "auto" (from the lifetime) or false. */
  replacementLead: number | "auto" | false;
}

const clusterKeys = new Set([
  "name", "n-workers", "config-name", "security", "command-runner", "poll-interval", "state-directory",
  "retire-timeout", "close-timeout", "max-failed-starts", "replacement-lead",
]);

/** Keys Dask takes on the cluster that belong in schedulerOptions here, as in dask-jobqueue. */
const schedulerOnlyKeys = new Set(["dashboard-address", "host", "scheduler-port", "port", "protocol"]);

/**
 * Splits a cluster's options into its own and the job options (left for the config resolver,
 * which rejects unknown keys with suggestions).
 */
export function splitClusterOptions(
  system: BatchSystem,
  options: Record<string, unknown>,
): { cluster: ResolvedClusterOptions; job: Record<string, unknown> } {
  const own: Record<string, unknown> = {};
  const job: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const normalised = normaliseKey(key);
    if (schedulerOnlyKeys.has(normalised)) {
      throw new InvalidOptionError(
        `${key} is a scheduler option: pass it inside schedulerOptions, e.g. schedulerOptions: { ${key === "scheduler-port" ? "port" : key}: … }` +
        (normalised === "protocol" ? " (the protocol follows `security`: tls with it, tcp without)" : ""),
      );
    }
    if (clusterKeys.has(normalised)) own[normalised] = value;
    else job[key] = value;
  }
  const nWorkers = own["n-workers"] ?? 0;
  if (typeof nWorkers !== "number" || !Number.isInteger(nWorkers) || nWorkers < 0) {
    throw new InvalidOptionError(`nWorkers: ${JSON.stringify(nWorkers)} is not a number of workers; give a whole number ≥ 0`);
  }
  const name = own.name ?? null;
  if (name !== null && (typeof name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(name))) {
    throw new InvalidOptionError(`name: ${JSON.stringify(name)} is not a usable cluster name; use letters, digits, ".", "_" and "-"`);
  }
  const maxFailedStarts = own["max-failed-starts"] ?? 3;
  if (typeof maxFailedStarts !== "number" || !Number.isInteger(maxFailedStarts) || maxFailedStarts < 1) {
    throw new InvalidOptionError(`maxFailedStarts: ${JSON.stringify(maxFailedStarts)} is not a whole number ≥ 1`);
  }
  const configName = own["config-name"];
  if (configName !== undefined && typeof configName !== "string") {
    throw new InvalidOptionError(`configName: ${JSON.stringify(configName)} is not the name of a config section`);
  }
  const runner = own["command-runner"];
  if (runner !== undefined && typeof runner !== "function") {
    throw new InvalidOptionError("commandRunner must be a function (command, args, options) => Promise<{ exitCode, stdout, stderr }>");
  }
  const stateDirectory = own["state-directory"];
  if (stateDirectory !== undefined && typeof stateDirectory !== "string") {
    throw new InvalidOptionError(`stateDirectory: ${JSON.stringify(stateDirectory)} is not a directory path`);
  }
  const lead = own["replacement-lead"] ?? "auto";
  const replacementLead = lead === "auto" || lead === false ? lead : durationOption(lead, "replacementLead", ' (e.g. "5m"), "auto" or false');
  return {
    cluster: {
      name: name as string | null,
      nWorkers,
      configName,
      security: own.security as Security | boolean | undefined,
      commandRunner: runner as CommandRunner | undefined,
      pollIntervalSeconds: positiveDuration(own["poll-interval"] ?? "5s", "pollInterval"),
      stateDirectory,
      retireTimeoutSeconds: positiveDuration(own["retire-timeout"] ?? "30s", "retireTimeout"),
      closeTimeoutSeconds: positiveDuration(own["close-timeout"] ?? "60s", "closeTimeout"),
      maxFailedStarts,
      replacementLead,
    },
    job,
  };
}

/** Seconds from a duration option; `accepted` completes "is not a duration…" in the error. */
function durationOption(value: unknown, what: string, accepted: string): number {
  if (typeof value !== "string" && typeof value !== "number") {
    throw new InvalidOptionError(`${what}: ${JSON.stringify(value)} is not a duration${accepted}`);
  }
  return parseDuration(value, what);
}

function positiveDuration(value: unknown, what: string): number {
  const seconds = durationOption(value, what, '; write e.g. "5s"');
  if (seconds <= 0) throw new InvalidOptionError(`${what}: ${JSON.stringify(value)} must be longer than zero`);
  return seconds;
}

const schedulerKeys = ["interface", "host", "port", "dashboard-address", "idle-timeout", "allowed-failures", "worker-ttl", "work-stealing"];
const schedulerDurationHint = '; write e.g. "3600s" or "1h"';

/** Reads `schedulerOptions` (explicit or from the config key `scheduler-options`). */
export function readSchedulerOptions(raw: Record<string, unknown>): SchedulerOptions {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const normalised = normaliseKey(key);
    if (!schedulerKeys.includes(normalised)) {
      throw new InvalidOptionError(
        `schedulerOptions: unknown option ${JSON.stringify(key)}; known options are ${schedulerKeys.map(kebabToCamel).join(", ")}`,
      );
    }
    options[normalised] = value;
  }
  const text = (key: string): string | null => {
    const value = options[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== "string" || value === "") throw new InvalidOptionError(`schedulerOptions.${key}: ${JSON.stringify(value)} is not a name`);
    return value;
  };
  const port = options.port ?? 0;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError(`schedulerOptions.port: ${JSON.stringify(port)} is not a port number (0–65535; 0 picks a free one)`);
  }
  const dashboard = options["dashboard-address"] ?? ":8787";
  if (dashboard !== false && dashboard !== null && typeof dashboard !== "string") {
    throw new InvalidOptionError(`schedulerOptions.dashboardAddress: ${JSON.stringify(dashboard)} is not an address like ":8787" (or false)`);
  }
  const settings: Partial<SchedulerSettings> = {};
  if (options["idle-timeout"] !== undefined) {
    const value = options["idle-timeout"];
    settings.idleTimeout = value === null ? null : durationOption(value, "schedulerOptions.idleTimeout", schedulerDurationHint);
  }
  if (options["worker-ttl"] !== undefined) {
    // null: never (as distributed.scheduler.worker-ttl: null), not the default.
    const value = options["worker-ttl"];
    settings.workerTtl = value === null ? Number.POSITIVE_INFINITY : durationOption(value, "schedulerOptions.workerTtl", schedulerDurationHint);
  }
  if (options["allowed-failures"] !== undefined) {
    const value = options["allowed-failures"];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new InvalidOptionError(`schedulerOptions.allowedFailures: ${JSON.stringify(value)} is not a whole number ≥ 0`);
    }
    settings.allowedFailures = value;
  }
  if (options["work-stealing"] !== undefined) {
    if (typeof options["work-stealing"] !== "boolean") {
      throw new InvalidOptionError(`schedulerOptions.workStealing: ${JSON.stringify(options["work-stealing"])} is not true or false`);
    }
    settings.workStealing = options["work-stealing"];
  }
  return {
    interface: text("interface"),
    host: text("host"),
    port,
    dashboardAddress: dashboard === null ? false : (dashboard as string | false),
    settings,
  };
}
