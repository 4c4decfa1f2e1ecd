/**
 * Turning peer messages into scheduler events. Each op is accepted from one role only: a
 * client cannot report task results and a worker cannot submit graphs; a peer that tries is
 * dropped (the connection layer logs why).
 */
import type { Connection } from "../../comm/connection.js";
import type { Message } from "../../protocol/messages.js";
import { PackedArgs } from "../../protocol/packed-args.js";
import type { SchedulerEvent, SubmittedTask } from "../state/events.js";
import { layerTasks } from "../state/layer-expansion.js";
import { sharedBuiltin } from "../state/builtin-refs.js";
import { layerBlockCount, type BlockLayer } from "../../protocol/block-layer.js";

export interface EventContext {
  connection: Connection;
  role: "worker" | "client";
  /** The worker's address or the client's id. */
  peer: string;
}

const workerOps = new Set(["task-started", "task-finished", "task-erred", "heartbeat", "add-keys", "missing-data", "data-lost", "worker-warning", "worker-status", "goodbye", "steal-response", "transfer-log", "profile-samples"]);
const clientOps = new Set(["update-graph", "abandon-graph", "release-keys", "cancel-keys", "scatter-placed", "who-has", "scheduler-info", "run-on-workers", "run-on-scheduler", "retire-workers", "adaptive-target", "subscribe-events", "get-task-stream", "get-profile", "get-transfer-log", "heartbeat-client", "close-client"]);

export function messageToEvent(message: Message, frames: Uint8Array[], context: EventContext, now: number): SchedulerEvent | null {
  const allowed = context.role === "worker" ? workerOps : clientOps;
  if (!allowed.has(message.op)) throw new Error(`a ${context.role} may not send "${message.op}"`);
  const peer = context.peer;
  switch (message.op) {
    case "update-graph":
      return { type: "graph-submitted", clientId: peer, tasks: submittedTasks(message, frames), wanted: message.wanted, now };
    case "release-keys":
      return { type: "keys-released", clientId: peer, keys: message.keys, now };
    case "cancel-keys":
      return { type: "keys-cancelled", clientId: peer, keys: message.keys, force: message.force ?? false, now };
    case "task-started":
      return { type: "tasks-started", address: peer, keys: message.keys, now };
    case "task-finished":
      return { type: "task-finished", address: peer, key: message.key, runId: message.runId, nbytes: message.nbytes, dataType: message.type, startstops: message.startstops, thread: message.thread, peakBytes: message.peakBytes, now };
    case "task-erred":
      return { type: "task-erred", address: peer, key: message.key, runId: message.runId, error: message.error, startstops: message.startstops, thread: message.thread, now };
    case "heartbeat":
      return { type: "heartbeat", address: peer, metrics: message.metrics, now };
    case "add-keys":
      return { type: "keys-added", address: peer, keys: message.keys, now };
    case "missing-data":
      return { type: "data-missing", address: peer, key: message.key, holder: message.worker, now };
    case "data-lost":
      return { type: "data-lost", address: peer, keys: message.keys, reason: message.reason, now };
    case "worker-status":
      return { type: "worker-status", address: peer, status: message.status, now };
    case "steal-response":
      return { type: "steal-response", address: peer, key: message.key, accepted: message.accepted, now };
    default:
      return null;
  }
}

/**
 * The tasks of an update-graph, each with its own frames and its arguments packed
 * (protocol/packed-args.ts: kept that way until the task is dispatched): its block layers' (a
 * task per block each) first, expanded, then those it lists.
 */
export function submittedTasks(message: Extract<Message, { op: "update-graph" }>, frames: Uint8Array[]): SubmittedTask[] {
  const listed = listedTasks(message, frames);
  if (!message.layers || message.layers.length === 0) return listed;
  const fromLayers = layerTasks(message.layers, (builtin) => sharedBuiltin({ builtin }));
  for (const task of listed) fromLayers.push(task);
  return fromLayers;
}

/**
 * One part of a graph sent in parts: the tasks it lists, and its block layers as they came
 * (the state stages them block by block: state/layer-staging.ts); `count` is how many tasks
 * they stand for together.
 */
export function submittedPart(message: Extract<Message, { op: "update-graph" }>, frames: Uint8Array[]): { tasks: SubmittedTask[]; layers: BlockLayer[]; count: number } {
  const tasks = listedTasks(message, frames);
  const layers = message.layers ?? [];
  let count = tasks.length;
  for (const layer of layers) count += layerBlockCount(layer);
  return { tasks, layers, count };
}

/** The tasks an update-graph lists one by one. */
function listedTasks(message: Extract<Message, { op: "update-graph" }>, frames: Uint8Array[]): SubmittedTask[] {
  return message.tasks.map((task) => {
    const taskFrames = task.f.map((index) => {
      const frame = frames[index];
      if (!frame) throw new Error(`task ${task.key} refers to a missing frame`);
      return frame;
    });
    return {
      key: task.key, fn: sharedBuiltin(task.fn), args: PackedArgs.pack(task.args), frames: taskFrames, deps: task.deps,
      ...(task.retries !== undefined ? { retries: task.retries } : {}),
      ...(task.priority !== undefined ? { priority: task.priority } : {}),
      ...(task.workers ? { workers: task.workers, allowOtherWorkers: task.allowOtherWorkers ?? false } : {}),
      ...(task.resources ? { resources: task.resources } : {}),
    };
  });
}
