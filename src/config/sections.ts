/**
 * Typed views of the non-jobqueue sections, for the parts that read them at their edge
 * (scheduler and worker start-up, the dashboard, the array layer). Values come out in the
 * units tessera computes with: seconds, bytes, fractions; `false` where Dask allows
 * switching a step off.
 */
import { parseBytes, parseDuration } from "../core/units.js";
import { config as processConfig, type ConfigStore } from "./store.js";

type Raw = string | number;
const seconds = (value: Raw, what: string) => parseDuration(value, what);
const optionalSeconds = (value: Raw | null, what: string) => (value === null ? null : seconds(value, what));

export interface SchedulerSettings {
  allowedFailures: number;
  workerSaturation: number;
  idleTimeoutSeconds: number | null;
  workerTtlSeconds: number | null;
  unknownTaskDurationSeconds: number;
  bandwidthBytesPerSecond: number;
  workStealing: boolean;
  noWorkersTimeoutSeconds: number | null;
  leaseValidationIntervalSeconds: number;
  leaseTimeoutSeconds: number;
  activeMemoryManager: boolean;
  activeMemoryManagerIntervalSeconds: number;
}

export function schedulerSettings(store: ConfigStore = processConfig): SchedulerSettings {
  const raw = store.get("distributed.scheduler") as Record<string, unknown>;
  const locks = raw.locks as Record<string, unknown>;
  const memoryManager = raw["active-memory-manager"] as Record<string, unknown>;
  return {
    allowedFailures: raw["allowed-failures"] as number,
    workerSaturation: raw["worker-saturation"] as number,
    idleTimeoutSeconds: optionalSeconds(raw["idle-timeout"] as Raw | null, "idle-timeout"),
    workerTtlSeconds: optionalSeconds(raw["worker-ttl"] as Raw | null, "worker-ttl"),
    unknownTaskDurationSeconds: seconds(raw["unknown-task-duration"] as Raw, "unknown-task-duration"),
    bandwidthBytesPerSecond: parseBytes(raw.bandwidth as Raw, "bandwidth"),
    workStealing: raw["work-stealing"] as boolean,
    noWorkersTimeoutSeconds: optionalSeconds(raw["no-workers-timeout"] as Raw | null, "no-workers-timeout"),
    leaseValidationIntervalSeconds: seconds(locks["lease-validation-interval"] as Raw, "locks.lease-validation-interval"),
    leaseTimeoutSeconds: seconds(locks["lease-timeout"] as Raw, "locks.lease-timeout"),
    activeMemoryManager: memoryManager.start as boolean,
    activeMemoryManagerIntervalSeconds: seconds(memoryManager.interval as Raw, "active-memory-manager.interval"),
  };
}

export interface WorkerMemorySettings {
  /** Fractions of the worker's memory limit; false = step disabled. */
  target: number | false;
  spill: number | false;
  pause: number | false;
  terminate: number | false;
  maxSpillBytes: number | false;
  monitorIntervalSeconds: number;
}

export function workerMemorySettings(store: ConfigStore = processConfig): WorkerMemorySettings {
  const raw = store.get("distributed.worker.memory") as Record<string, unknown>;
  const maxSpill = raw["max-spill"] as Raw | false;
  return {
    target: raw.target as number | false,
    spill: raw.spill as number | false,
    pause: raw.pause as number | false,
    terminate: raw.terminate as number | false,
    maxSpillBytes: maxSpill === false ? false : parseBytes(maxSpill, "max-spill"),
    monitorIntervalSeconds: seconds(raw["monitor-interval"] as Raw, "monitor-interval"),
  };
}

export interface WorkerLifetimeSettings {
  durationSeconds: number | null;
  staggerSeconds: number;
}

export function workerLifetimeSettings(store: ConfigStore = processConfig): WorkerLifetimeSettings {
  const raw = store.get("distributed.worker.lifetime") as Record<string, unknown>;
  return {
    durationSeconds: optionalSeconds(raw.duration as Raw | null, "lifetime.duration"),
    staggerSeconds: seconds(raw.stagger as Raw, "lifetime.stagger"),
  };
}

export interface CommTimeouts {
  connectSeconds: number;
  tcpSeconds: number;
}

export function commTimeouts(store: ConfigStore = processConfig): CommTimeouts {
  const raw = store.get("distributed.comm.timeouts") as Record<string, Raw>;
  return { connectSeconds: seconds(raw.connect, "timeouts.connect"), tcpSeconds: seconds(raw.tcp, "timeouts.tcp") };
}

/**
 * The dashboard address shown to users: `distributed.dashboard.link` with {scheme}, {host}
 * and {port} filled in, and any other {NAME} taken from the environment (as Dask does, e.g.
 * {JUPYTERHUB_SERVICE_PREFIX}); an unknown name is left as written.
 */
export function dashboardLink(
  address: { scheme: string; host: string; port: number },
  store: ConfigStore = processConfig,
  env: Record<string, string | undefined> = process.env,
): string {
  const template = store.get("distributed.dashboard.link") as string;
  const values: Record<string, string | undefined> = { ...env, scheme: address.scheme, host: address.host, port: String(address.port) };
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => values[name] ?? whole);
}

export function arrayChunkSizeBytes(store: ConfigStore = processConfig): number {
  return parseBytes(store.get("array.chunk-size") as Raw, "array.chunk-size");
}
