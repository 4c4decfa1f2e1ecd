// A worker state with a task queued on its one compute thread behind the running one, and the
// events and command readers the withdrawal tests (free-queued-task, steal-request) use.
import assert from "node:assert/strict";
import { WorkerState, type WorkerCommand, type WorkerEvent } from "../../../src/worker/state/worker-state.js";

export const peer = "tcp://peer:1";

/** A task of the kind "short" (identity), its dependencies held by `peer`. */
export function computeTask(key: string, deps: string[] = [], resources?: Record<string, number>): WorkerEvent {
  return {
    type: "compute-task", key, runId: 1, priority: [0, 0], fn: { builtin: "graph.identity" }, args: [], frames: [], prefix: "short",
    deps: deps.map((dep) => ({ key: dep, whoHas: [peer], nbytes: 8 })), ...(resources ? { resources } : {}),
  };
}

export const finished = (key: string): WorkerEvent => ({ type: "execute-success", key, nbytes: 8, dataType: "number", startstops: [{ action: "compute", start: 0, stop: 0.01 }], thread: 0 });
export const executed = (commands: WorkerCommand[]) => commands.flatMap((command) => (command.type === "execute" ? [command.key] : []));
export const forgotten = (commands: WorkerCommand[]) => commands.flatMap((command) => (command.type === "forget-data" ? command.keys : []));

/**
 * One thread, a kind seen short: "run" runs, "queued" (its input "d" fetched for it alone,
 * holding the one GPU) is handed to the thread behind it, "next" waits ready.
 */
export function withQueuedTask(): WorkerState {
  const state = new WorkerState({ nthreads: 1, maxIncomingPeers: 10, maxBytesPerRequest: 50e6, resources: { GPU: 1 } });
  state.handle(computeTask("seed"));
  state.handle(finished("seed"));
  assert.deepEqual(executed(state.handle(computeTask("run"))), ["run"]);
  state.handle(computeTask("queued", ["d"], { GPU: 1 }));
  assert.deepEqual(executed(state.handle({ type: "fetch-success", peer, received: [{ key: "d", nbytes: 8 }] })), ["queued"]);
  assert.deepEqual(executed(state.handle(computeTask("next"))), [], "two per thread for a short kind");
  assert.equal(state.executing, 2);
  return state;
}
