/**
 * The options of one batch-system worker job, resolved once at the edge:
 * explicit options > config.set > environment > files > defaults, for the section
 * `jobqueue.<configName>` (default: the system's own section). The result is fully typed,
 * validated and converted to bytes and seconds; nothing downstream reads config again.
 *
 * Differences from dask-jobqueue, on purpose:
 *  - an explicit `null` unsets a value (e.g. `walltime: null` drops the default time limit);
 *    in Dask `None` means "read the config", so a config default could never be removed;
 *  - deprecated names (extra, envExtra, jobExtra, headerSkip, project for SLURM/PBS) keep
 *    working with Dask's rule (used when the new name is empty) but warn once per process,
 *    not on every job;
 *  - a custom section (`configName: "my-slurm"`) falls back to the system's defaults for the
 *    keys it does not set, instead of failing with a KeyError.
 */
import { InvalidOptionError } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import { parseBytes, parseDuration } from "../core/units.js";
import { isPlainObject, kebabToCamel, mergePlain, normaliseKey, suggestKeys } from "./keys.js";
import { batchSystemNames, jobqueueSectionSchema, parses, type BatchSystem, type SchemaNode } from "./schema.js";
import { config as processConfig, loadDefaults, type ConfigStore } from "./store.js";
import { validateConfig } from "./validate.js";
import { parseWalltime, type WalltimeSyntax } from "./walltime.js";
import { z } from "zod";

export { batchSystemNames, type BatchSystem };

/** When workers retire on their own, so they leave before the batch system kills the job. */
export type WorkerLifetime =
  | { kind: "from-walltime" }
  | { kind: "off" }
  | { kind: "fixed"; durationSeconds: number; staggerSeconds: number };

export interface CommonJobOptions {
  /** The config section read (`slurm`, or a custom `configName`). */
  configName: string;
  /** Batch job name (config key `name`; `#SBATCH -J`); null writes none. */
  jobName: string | null;
  cores: number;
  memoryBytes: number;
  /** Worker processes per job; null ⇒ the default from the number of cores. */
  processes: number | null;
  interface: string | null;
  deathTimeoutSeconds: number | null;
  /** Written unquoted so `$TMPDIR` expands on the node. */
  localDirectory: string | null;
  sharedTempDirectory: string | null;
  /** A command prefix replacing `<node> <tessera.js> worker`; null ⇒ tessera's own worker. */
  workerCommand: string | null;
  workerExtraArgs: string[];
  shebang: string;
  jobScriptPrologue: string[];
  jobScriptEpilogue: string[];
  /** Substrings: a generated directive containing any of them is dropped (HTCondor: keys). */
  jobDirectivesSkip: string[];
  logDirectory: string | null;
  schedulerOptions: Record<string, unknown>;
  lifetime: WorkerLifetime;
}

export interface SlurmJobOptions extends CommonJobOptions {
  system: "slurm";
  queue: string | null;
  account: string | null;
  walltimeSeconds: number | null;
  jobCpu: number | null;
  /** Written verbatim as `--mem=`; null ⇒ the rounded memory. */
  jobMem: string | null;
  jobExtraDirectives: string[];
}

export interface PbsJobOptions extends CommonJobOptions {
  system: "pbs";
  queue: string | null;
  /** From the option, the config, or else $PBS_ACCOUNT. */
  account: string | null;
  resourceSpec: string | null;
  walltimeSeconds: number | null;
  jobExtraDirectives: string[];
}

export interface SgeJobOptions extends CommonJobOptions {
  system: "sge";
  queue: string | null;
  project: string | null;
  resourceSpec: string | null;
  walltimeSeconds: number | null;
  jobExtraDirectives: string[];
}

export interface LsfJobOptions extends CommonJobOptions {
  system: "lsf";
  queue: string | null;
  project: string | null;
  walltimeSeconds: number | null;
  ncpus: number | null;
  memBytes: number | null;
  /** kb, mb, gb…; null ⇒ detect from lsf.conf when the script is written. */
  lsfUnits: string | null;
  useStdin: boolean;
  jobExtraDirectives: string[];
}

export interface HTCondorJobOptions extends CommonJobOptions {
  system: "htcondor";
  diskBytes: number;
  jobExtraDirectives: Record<string, string>;
  submitCommandExtra: string[];
  cancelCommandExtra: string[];
}

export type JobQueueOptions = SlurmJobOptions | PbsJobOptions | SgeJobOptions | LsfJobOptions | HTCondorJobOptions;
export type JobQueueOptionsFor<S extends BatchSystem> = Extract<JobQueueOptions, { system: S }>;

export interface ResolveContext {
  /** The store to read (default: the process-wide `config`). */
  store?: ConfigStore;
  /** Receives each deprecation or compatibility warning once (default: the log). */
  warn?: (message: string) => void;
  /** Environment for $PBS_ACCOUNT (default: process.env). */
  env?: Record<string, string | undefined>;
}

export const clusterClassNames: Record<BatchSystem, string> = {
  slurm: "SLURMCluster", pbs: "PBSCluster", sge: "SGECluster", lsf: "LSFCluster", htcondor: "HTCondorCluster",
};

/** Options that exist only as explicit options (no Dask config key). */
const explicitOnly: Record<string, SchemaNode> = {
  lifetime: {
    kind: "leaf",
    schema: z.union([z.literal(false), z.string().refine(parses(parseDuration)), z.number().nonnegative()], {
      errorMap: () => ({ message: 'is not a duration (e.g. "55m") or false' }),
    }).nullable(),
  },
  "lifetime-stagger": {
    kind: "leaf",
    schema: z.union([z.string().refine(parses(parseDuration)), z.number().nonnegative()], {
      errorMap: () => ({ message: 'is not a duration (e.g. "4m")' }),
    }),
  },
};

/** Dask's old key names and the keys that replaced them ([old, current]). */
function renamedKeys(system: BatchSystem): Array<[string, string]> {
  const renamed: Array<[string, string]> = [
    ["extra", "worker-extra-args"], ["env-extra", "job-script-prologue"],
    ["job-extra", "job-extra-directives"], ["header-skip", "job-directives-skip"],
  ];
  if (system === "slurm" || system === "pbs") renamed.push(["project", "account"]);
  return renamed;
}

/** The camelCase option names a cluster of `system` accepts (without deprecated ones). */
export function jobOptionNames(system: BatchSystem): string[] {
  const deprecated = new Set(["python", ...renamedKeys(system).map(([old]) => old)]);
  return [...Object.keys(jobqueueSectionSchema(system).children), ...Object.keys(explicitOnly)]
    .filter((key) => !deprecated.has(key))
    .map((key) => (key === "name" ? "jobName" : kebabToCamel(key)));
}

export function isBatchSystem(value: string): value is BatchSystem {
  return (batchSystemNames as readonly string[]).includes(value);
}

/**
 * Resolve the job options of `system` from explicit options and configuration. Explicit
 * options use camelCase (`jobExtraDirectives`; kebab and snake case are accepted too);
 * `undefined` means "from config", `null` means "unset".
 */
export function resolveJobQueueOptions<S extends BatchSystem>(
  system: S,
  explicitOptions: Record<string, unknown> = {},
  configName?: string,
  context: ResolveContext = {},
): JobQueueOptionsFor<S> {
  if (!isBatchSystem(system)) {
    throw new InvalidOptionError(`unknown batch system ${JSON.stringify(system)}; use one of ${batchSystemNames.join(", ")}`);
  }
  const store = context.store ?? processConfig;
  const warn = warnOnce(context.warn ?? logWarning);
  const sectionName = configName ? normaliseKey(configName) : system;
  const section = readSection(store, system, sectionName);
  const explicit = validateExplicit(system, explicitOptions);
  const pick = (key: string): unknown => (key in explicit ? explicit[key] : section[key]);

  const renamed = renamedKeys(system);
  const value = (key: string): unknown => {
    const alias = renamed.find(([, current]) => current === key);
    const current = pick(key);
    if (!alias) return current;
    const old = pick(alias[0]);
    if (old === null || old === undefined) return current;
    warn(`${kebabToCamel(alias[0])} (config key ${alias[0]}) has been renamed to ${kebabToCamel(key)} (${key}); ` +
      `it is used while ${kebabToCamel(key)} is empty, please rename it in your options or config files`);
    return isEmpty(current) ? old : current;
  };

  const cores = value("cores") as number | null;
  const memory = value("memory") as string | number | null;
  if (cores === null || memory === null) {
    throw new InvalidOptionError(
      `You must specify how many cores and how much memory per job you want to use, for example ` +
      `${clusterClassNames[system]}.start({ cores: ${cores ?? 8}, memory: ${JSON.stringify(memory ?? "24GB")} }), ` +
      `or set jobqueue.${sectionName}.cores and jobqueue.${sectionName}.memory in a config file`,
    );
  }
  if (value("python") !== null) {
    warn(`jobqueue.${sectionName}.python is Dask's Python interpreter; tessera workers run on Node and ignore it`);
  }
  const workerCommand = value("worker-command") as string | null;
  const workerExtraArgs = list(value("worker-extra-args"));
  const deathTimeout = value("death-timeout") as string | number | null;

  const common: CommonJobOptions = {
    configName: sectionName,
    jobName: value("name") as string | null,
    cores,
    memoryBytes: parseBytes(memory, "memory"),
    processes: value("processes") as number | null,
    interface: value("interface") as string | null,
    deathTimeoutSeconds: deathTimeout === null ? null : parseDuration(deathTimeout, "deathTimeout"),
    localDirectory: value("local-directory") as string | null,
    sharedTempDirectory: value("shared-temp-directory") as string | null,
    workerCommand: workerCommand === "distributed.cli.dask_worker" ? null : workerCommand,
    workerExtraArgs,
    shebang: value("shebang") as string,
    jobScriptPrologue: list(value("job-script-prologue")),
    jobScriptEpilogue: list(value("job-script-epilogue")),
    jobDirectivesSkip: list(value("job-directives-skip")),
    logDirectory: value("log-directory") as string | null,
    schedulerOptions: (value("scheduler-options") as Record<string, unknown> | null) ?? {},
    lifetime: resolveLifetime(explicit, store, workerExtraArgs),
  };
  const walltime = (syntax: WalltimeSyntax): number | null => {
    const raw = value("walltime") as string | number | null;
    return raw === null ? null : parseWalltime(syntax, raw);
  };
  const text = (key: string) => value(key) as string | null;
  const directives = () => list(value("job-extra-directives"));

  switch (system) {
    case "slurm":
      return { ...common, system, queue: text("queue"), account: text("account"), walltimeSeconds: walltime("slurm"),
        jobCpu: value("job-cpu") as number | null, jobMem: text("job-mem"), jobExtraDirectives: directives() } as JobQueueOptionsFor<S>;
    case "pbs":
      return { ...common, system, queue: text("queue"), account: text("account") ?? (context.env ?? process.env).PBS_ACCOUNT ?? null,
        resourceSpec: text("resource-spec"), walltimeSeconds: walltime("pbs"), jobExtraDirectives: directives() } as JobQueueOptionsFor<S>;
    case "sge":
      return { ...common, system, queue: text("queue"), project: text("project"), resourceSpec: text("resource-spec"),
        walltimeSeconds: walltime("sge"), jobExtraDirectives: directives() } as JobQueueOptionsFor<S>;
    case "lsf": {
      const mem = value("mem") as string | number | null;
      return { ...common, system, queue: text("queue"), project: text("project"), walltimeSeconds: walltime("lsf"),
        ncpus: value("ncpus") as number | null, memBytes: mem === null ? null : parseBytes(mem, "mem"),
        lsfUnits: text("lsf-units"), useStdin: value("use-stdin") as boolean, jobExtraDirectives: directives() } as JobQueueOptionsFor<S>;
    }
    case "htcondor": {
      const disk = value("disk") as string | number | null;
      if (disk === null) {
        throw new InvalidOptionError(`You must specify how much disk to use per job, for example HTCondorCluster.start({ disk: "1GB" }), or set jobqueue.${sectionName}.disk`);
      }
      const extra = value("job-extra-directives");
      return { ...common, system, diskBytes: parseBytes(disk, "disk"),
        jobExtraDirectives: isPlainObject(extra) ? (extra as Record<string, string>) : {},
        submitCommandExtra: list(value("submit-command-extra")), cancelCommandExtra: list(value("cancel-command-extra")) } as JobQueueOptionsFor<S>;
    }
  }
  throw new InvalidOptionError(`unknown batch system ${String(system)}`);
}

const log = createLogger("config");
const logWarning = (message: string) => log.warn(message);

/** The system's defaults overlaid by the section's configured values. */
function readSection(store: ConfigStore, system: BatchSystem, sectionName: string): Record<string, unknown> {
  const configured = store.get(`jobqueue.${sectionName}`);
  if (sectionName === system) return configured as Record<string, unknown>;
  if (configured === undefined) {
    throw new InvalidOptionError(`config section jobqueue.${sectionName} does not exist; add it to a config file or leave configName unset to use jobqueue.${system}`);
  }
  const source = `config section jobqueue.${sectionName}`;
  const validated = validateConfig(configured, jobqueueSectionSchema(system), { source, path: ["jobqueue", sectionName] });
  const systemDefaults = (loadDefaults().values.jobqueue as Record<string, unknown>)[system];
  return mergePlain(systemDefaults, validated) as Record<string, unknown>;
}

function validateExplicit(system: BatchSystem, options: Record<string, unknown>): Record<string, unknown> {
  const section = jobqueueSectionSchema(system);
  const validated: Record<string, unknown> = {};
  for (const [rawKey, raw] of Object.entries(options)) {
    if (raw === undefined) continue;
    let key = normaliseKey(rawKey);
    if (key === "job-name") key = "name";
    else if (key === "name") {
      throw new InvalidOptionError(`option "name" is the worker name the cluster chooses; use jobName for the batch job name`);
    }
    const node = section.children[key] ?? explicitOnly[key];
    if (!node) {
      const suggestions = suggestKeys(rawKey, jobOptionNames(system));
      throw new InvalidOptionError(
        `Got unexpected option ${JSON.stringify(rawKey)} for a ${system} job; ` +
        (suggestions.length > 0 ? `did you mean ${suggestions.join(" or ")}?` : `known options are ${jobOptionNames(system).join(", ")}`),
      );
    }
    validated[key] = validateConfig(raw, node, { source: "options", path: [key === "name" ? "jobName" : kebabToCamel(key)] });
  }
  return validated;
}

function resolveLifetime(explicit: Record<string, unknown>, store: ConfigStore, workerExtraArgs: string[]): WorkerLifetime {
  if (workerExtraArgs.includes("--lifetime")) return { kind: "off" }; // the user manages it
  const configured = store.get("distributed.worker.lifetime") as { duration: string | number | null; stagger: string | number };
  const stagger = parseDuration((explicit["lifetime-stagger"] as string | number | undefined) ?? configured.stagger, "lifetimeStagger");
  if ("lifetime" in explicit) {
    const lifetime = explicit.lifetime as string | number | false | null;
    if (lifetime === false || lifetime === null) return { kind: "off" };
    return { kind: "fixed", durationSeconds: parseDuration(lifetime, "lifetime"), staggerSeconds: stagger };
  }
  if (configured.duration !== null) {
    return { kind: "fixed", durationSeconds: parseDuration(configured.duration, "lifetime"), staggerSeconds: stagger };
  }
  return { kind: "from-walltime" };
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

const warnedBySink = new WeakMap<(message: string) => void, Set<string>>();

function warnOnce(sink: (message: string) => void): (message: string) => void {
  const seen = warnedBySink.get(sink) ?? new Set<string>();
  warnedBySink.set(sink, seen);
  return (message) => {
    if (seen.has(message)) return;
    seen.add(message);
    sink(message);
  };
}
