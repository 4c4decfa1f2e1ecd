/**
 * Commands: what the scheduler state asks its server to do. The server executes them in
 * order; the state never performs I/O itself.
 */
import type { OutgoingMessage } from "../../comm/connection.js";

/** One timed phase of a task run (compute, transfer, …), as the task stream keeps it. */
export interface ObservedStartStop {
  action: string;
  start: number;
  stop: number;
  source?: string;
}

export type ObservedRecord =
  | { kind: "task"; key: string; prefix: string; worker: string; thread: number; status: "OK" | "error"; nbytes: number; startstops: ObservedStartStop[]; /** Measured peak memory of the run (OK tasks). */ peakBytes?: number }
  | { kind: "worker-added" | "worker-removed"; worker: string; name: string; reason?: string; time: number }
  | { kind: "task-lost"; key: string; worker: string; reason: string; time: number }
  /** A worker's report that needs the user now (its spill directory is full, …). */
  | { kind: "worker-warning"; worker: string; message: string; time: number }
  | { kind: "transfer"; worker: string; from: string; keys: string[]; bytes: number; start: number; stop: number };

export type SchedulerCommand =
  /** `soon`: the worker has work queued behind every thread, so the message may wait a moment to share a write. */
  | { type: "to-worker"; address: string; message: OutgoingMessage; frames?: Uint8Array[]; soon?: true }
  | { type: "to-client"; clientId: string; message: OutgoingMessage }
  | { type: "to-all-clients"; message: OutgoingMessage }
  | { type: "close-worker"; address: string; reason: string; graceful: boolean }
  | { type: "retirement-done"; addresses: string[] }
  | { type: "idle-timeout"; idleSeconds: number }
  | { type: "observe"; record: ObservedRecord };
