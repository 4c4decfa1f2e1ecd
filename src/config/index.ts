// tessera's configuration: defaults < files < environment < config.set < explicit options.
export { config, ConfigStore, loadDefaults, type ConfigEnvironment, type ConfigOverride } from "./store.js";
export { ConfigError } from "./validate.js";
export { parseWalltime, type WalltimeSyntax } from "./walltime.js";
export { parseYamlFile, parseYamlScalar } from "./yaml.js";
export { kebabToCamel, normaliseKey } from "./keys.js";
export { batchSystemNames, type BatchSystem } from "./schema.js";
export {
  resolveJobQueueOptions, jobOptionNames, isBatchSystem, clusterClassNames,
  type JobQueueOptions, type JobQueueOptionsFor, type CommonJobOptions, type WorkerLifetime,
  type SlurmJobOptions, type PbsJobOptions, type SgeJobOptions, type LsfJobOptions, type HTCondorJobOptions,
  type ResolveContext,
} from "./jobqueue-options.js";
export {
  schedulerSettings, workerMemorySettings, workerLifetimeSettings, commTimeouts, dashboardLink, arrayChunkSizeBytes,
  type SchedulerSettings, type WorkerMemorySettings, type WorkerLifetimeSettings, type CommTimeouts,
} from "./sections.js";
