/**
 * Events: everything that can happen to the scheduler, as data. The server turns messages,
 * connection losses and timer ticks into these; the state handles them and emits commands.
 * Times are seconds since the epoch and always come in the event (the state reads no clock).
 */
import type { FunctionRef } from "../../protocol/function-ref.js";
import type { StartStop } from "../../protocol/messages.js";
import type { WireError } from "../../protocol/payload.js";
import type { Resources } from "../../protocol/resources.js";
import type { BlockLayer } from "../../protocol/block-layer.js";
import type { WorkerIdentity, WorkerMetricsSnapshot } from "./entities.js";

export interface SubmittedTask {
  key: string;
  fn: FunctionRef;
  args: unknown;
  frames: Uint8Array[];
  deps: string[];
  retries?: number;
  priority?: number;
  workers?: string[];
  allowOtherWorkers?: boolean;
  resources?: Resources;
}

export type SchedulerEvent =
  | { type: "client-added"; clientId: string; now: number }
  | { type: "client-removed"; clientId: string; now: number }
  | { type: "graph-submitted"; clientId: string; tasks: SubmittedTask[]; wanted: string[]; now: number }
  // a graph sent in parts (graph-staging.ts): each part staged, then completed or abandoned
  // (with its block layers as they came, staged block by block: layer-staging.ts)
  | { type: "graph-part"; clientId: string; submission: string; tasks: SubmittedTask[]; layers?: readonly BlockLayer[]; now: number }
  | { type: "graph-completed"; clientId: string; submission: string; wanted: string[]; now: number }
  | { type: "graph-abandoned"; clientId: string; submission: string; now: number }
  | { type: "keys-released"; clientId: string; keys: string[]; now: number }
  | { type: "keys-cancelled"; clientId: string; keys: string[]; force: boolean; now: number }
  | { type: "data-scattered"; clientId: string; placed: Array<{ key: string; worker: string; nbytes: number; type: string }>; now: number }
  // raised by the scheduler's extensions (maintenance-events.ts)
  | { type: "replicas-dropped"; drops: Array<{ key: string; worker: string }>; now: number }
  | { type: "keys-retried"; keys: string[]; now: number }
  | { type: "worker-added"; identity: WorkerIdentity; now: number }
  | { type: "worker-removed"; address: string; reason: string; graceful: boolean; now: number }
  | { type: "worker-status"; address: string; status: "running" | "paused" | "closing-gracefully"; now: number }
  | { type: "worker-setup-failed"; address: string; plugin: string; now: number }
  | { type: "heartbeat"; address: string; metrics: Partial<WorkerMetricsSnapshot>; now: number }
  | { type: "tasks-started"; address: string; keys: string[]; now: number }
  | { type: "task-long-running"; address: string; key: string; now: number }
  | { type: "task-rejoined"; address: string; key: string; now: number }
  /** client.restart(): every task is forgotten, every client told (the workers restart by their nannies). */
  | { type: "cluster-restart"; reason: string; now: number }
  | { type: "task-finished"; address: string; key: string; runId: number; nbytes: number; dataType: string; startstops: StartStop[]; thread: number; peakBytes?: number; now: number }
  | { type: "task-erred"; address: string; key: string; runId: number; error: WireError; startstops: StartStop[]; thread: number; now: number }
  | { type: "keys-added"; address: string; keys: Array<{ key: string; nbytes: number }>; now: number }
  | { type: "data-missing"; address: string; key: string; holder: string; now: number }
  | { type: "data-lost"; address: string; keys: string[]; reason: string; now: number }
  | { type: "steal-response"; address: string; key: string; accepted: boolean; now: number }
  | { type: "retire-workers"; addresses: string[]; now: number }
  | { type: "tick"; now: number };
