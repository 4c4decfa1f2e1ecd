/**
 * What the Client is given and gives back: targets (an address, a cluster, a scheduler file)
 * and how each becomes an address plus credential, options, scheduler information.
 */
import { resolveCredential } from "../comm/credential.js";
import { readSchedulerFile, waitForSchedulerFile } from "../comm/scheduler-file.js";
import type { Security } from "../comm/security.js";
import type { ProfileResult } from "../protocol/profile-tree.js";

/** Writes a profile as a flame-graph HTML file (the dashboard's writer, wired by the package entry). */
export type ProfileHtmlWriter = (filename: string, profile: ProfileResult, options: { prefix?: string; workerNames?: Record<string, string> }) => Promise<void>;

export interface ProfileOptions {
  /** Write the flame graph here as a self-contained HTML file. */
  filename?: string;
  /** Only tasks of this prefix (e.g. "gaussian-filter"). */
  prefix?: string;
  /** Only samples since this time (seconds since the epoch). */
  since?: number;
}

/** Anything that can tell a client where its scheduler is: a cluster, a runner. */
export interface ClusterLike {
  readonly schedulerAddress: string;
  readonly credential: string;
  readonly security?: Security;
  readonly dashboardLink?: string;
  /** An in-process address of the same scheduler, used when the client runs in its process. */
  readonly inprocAddress?: string;
}

export interface ClientOptions {
  /** Seconds (or "30s") to keep trying to reach the scheduler (default distributed.comm.timeouts.connect). */
  timeout?: number | string;
  /**
   * Seconds (or "30s") the scheduler may stay silent, pinged, before every pending call fails
   * and the client is given up (default distributed.comm.timeouts.tcp, 30 s).
   */
  schedulerTimeout?: number | string;
  /**
   * Seconds (or "30s") to try reconnecting after the scheduler connection dropped (default:
   * `timeout`, Dask's distributed.comm.timeouts.connect); 0 gives up at once.
   */
  reconnectTimeout?: number | string;
  credential?: string;
  credentialFile?: string;
  security?: Security;
  /**
   * Most tasks per update-graph message (default 20,000): a larger graph travels in parts, so
   * the scheduler keeps serving others while it arrives.
   */
  graphPartTasks?: number;
  /** Become the default executor for lazy collections (default true). */
  setAsDefault?: boolean;
}

export type ClientTarget = string | ClusterLike | { schedulerFile: string } | undefined;

export interface WorkerSummary {
  address: string; name: string; host: string; nthreads: number; memoryLimit: number; status: string;
  jobId?: string; metrics: Record<string, unknown>; processing: number; storedBytes: number; localDirectory: string;
  /** Abstract resources the worker offers (`--resources`), when it offers any. */
  resources?: Record<string, number>;
  /** Free-keys messages the scheduler had sent the worker (a scatter's update-data names it: data-transfer.ts). */
  freeKeysSent?: number;
}

/** Tasks waiting in no-worker for one reason (client.unrunnable()). */
export interface UnrunnableGroup {
  reason: string;
  count: number;
  exampleKey: string;
  /** Seconds since the epoch when the longest-waiting of them started waiting. */
  since: number;
}

export interface SchedulerInfo {
  type: "Scheduler"; id: string; address: string; services: Record<string, number>; started: number;
  workers: Record<string, WorkerSummary>;
}

export interface ResolvedTarget {
  /** The scheduler's address as others see it. */
  address: string;
  /** Where this client connects (an in-process address when the scheduler runs here). */
  connectTo: string;
  credential: string;
  security: Security | undefined;
  dashboardLink: string | undefined;
}

export async function resolveTarget(target: Exclude<ClientTarget, undefined>, options: ClientOptions, timeout: number): Promise<ResolvedTarget> {
  if (typeof target === "string") {
    return { address: target, connectTo: target, credential: resolveCredential(options), security: options.security, dashboardLink: undefined };
  }
  if ("schedulerFile" in target) {
    const file = readSchedulerFile(target.schedulerFile) ?? await waitForSchedulerFile(target.schedulerFile, timeout);
    const credential = resolveCredential({ ...options, fromSchedulerFile: file.credential });
    return { address: file.address, connectTo: file.address, credential, security: options.security, dashboardLink: undefined };
  }
  return {
    address: target.schedulerAddress, connectTo: target.inprocAddress ?? target.schedulerAddress,
    credential: options.credential ?? target.credential, security: options.security ?? target.security, dashboardLink: target.dashboardLink,
  };
}
