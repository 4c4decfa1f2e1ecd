/** `distributed.scheduler.*` of the configuration as the scheduler's settings (explicit options win over these). */
import { schedulerSettings as configuredSchedulerSettings } from "../../config/index.js";
import type { SchedulerSettings } from "../state/scheduler-state.js";

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
