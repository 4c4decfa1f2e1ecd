/** `distributed.scheduler.*` of the configuration as the scheduler's settings and extension options (explicit options win over these). */
import { schedulerSettings as configuredSchedulerSettings } from "../../config/index.js";
import type { SchedulerSettings } from "../state/scheduler-state.js";
import type { ExtensionOptions } from "./extensions/scheduler-extensions.js";

/** A null worker-ttl means never. */
export function settingsFromConfig(): Partial<SchedulerSettings> {
  const configured = configuredSchedulerSettings();
  return {
    allowedFailures: configured.allowedFailures,
    workerSaturation: configured.workerSaturation,
    idleTimeout: configured.idleTimeoutSeconds,
    workerTtl: configured.workerTtlSeconds ?? Number.POSITIVE_INFINITY,
    unknownTaskDuration: configured.unknownTaskDurationSeconds,
    bandwidth: configured.bandwidthBytesPerSecond,
    workStealing: configured.workStealing,
  };
}

/** `distributed.scheduler.locks.*` and `.active-memory-manager.*` as the extensions' options. */
export function extensionOptionsFromConfig(): Partial<ExtensionOptions> {
  const configured = configuredSchedulerSettings();
  return {
    leaseValidationInterval: configured.leaseValidationIntervalSeconds,
    leaseTimeout: configured.leaseTimeoutSeconds,
    activeMemoryManager: configured.activeMemoryManager,
    activeMemoryManagerInterval: configured.activeMemoryManagerIntervalSeconds,
  };
}
