/**
 * One built-in task through a fresh worker's own task path, before the worker joins its
 * scheduler: the compute-task message decoded and checked as the connection does, the task
 * state machine's compute-task → execute → execute-success, the inputs unpacked and pinned,
 * the call handed to a compute thread and its result back. The compute threads have already
 * run the array tasks' chain (executor/thread-warm-up.ts); this is the main thread's side and
 * the hand-off between the two, which a fresh worker otherwise ran as cold code with its
 * first real task: measured on the DoG at 64×256×256 (2 workers × 1 thread), ~8 ms from the
 * scheduler's compute-task to the first task starting on a fresh worker, ~4 ms on one that
 * had run a task before, of a wall time of ~0.46 s.
 *
 * Invisible by construction: the task state is a scratch WorkerState (no transition hooks, so
 * no story, plugin or metric sees it; the worker's own state never hears of it), nothing is
 * sent (the worker has not registered, and the scratch state's commands are dropped), nothing
 * is stored (the result is dropped), the function is the `graph.identity` built-in (no user
 * code), and the profile samples of its prefix are dropped where the worker reports its
 * profile (`isWarmUpProfile`). Nothing here may fail the worker's start: a warm-up that throws
 * costs only itself.
 */
import { decodeHeader, encodeHeader } from "../../comm/stream-channel.js";
import { keySplit } from "../../graph/keys.js";
import { identity } from "../../graph/graph-ops.js";
import { functionRefOf } from "../../graph/function-travel.js";
import { ones } from "../../ndarray/creation.js";
import { parseMessage } from "../../protocol/fast-validation.js";
import type { MessageOf } from "../../protocol/messages.js";
import { packPayload, unpackPayload } from "../../protocol/payload.js";
import type { ThreadPool } from "../executor/thread-pool.js";
import type { DataStore } from "../memory/data-store.js";
import { WorkerState, type WorkerStateSettings } from "../state/worker-state.js";

/** The warm-up task's key: its prefix names it in the (dropped) profile samples. */
export const warmUpTaskKey = "tessera-worker-warm-up";
const warmUpPrefix = keySplit(warmUpTaskKey);

/** Whether a profile entry holds the warm-up task's samples (dropped, not reported). */
export function isWarmUpProfile(entry: { prefix: string }): boolean {
  return entry.prefix === warmUpPrefix;
}

/** What a warm-up needs of the worker: its threads, its data store (pins only), its state's settings. */
export interface TaskPathHost {
  threads: Pick<ThreadPool, "run">;
  data: Pick<DataStore, "pin" | "unpin">;
  settings: WorkerStateSettings;
}

/** Runs the warm-up task; resolves whether it ran to the end (false: it stopped somewhere, harmlessly). */
export async function warmUpTaskPath(host: TaskPathHost): Promise<boolean> {
  try {
    // A small shared block as argument: the thread hand-off's shared-memory path, both ways.
    const frames: Uint8Array[] = [];
    const args = packPayload([ones([4, 4, 4], "uint16")], frames, "the warm-up task's arguments");
    const wire = { op: "compute-task", key: warmUpTaskKey, runId: 1, priority: [0, 0, 0], fn: functionRefOf(identity), args, deps: [], prefix: warmUpPrefix, f: frames.map((_, i) => i) };
    const [raw] = decodeHeader(encodeHeader([wire])) as unknown[];
    const parsed = parseMessage(raw);
    if ("problem" in parsed) return false;
    const message = parsed.message as MessageOf<"compute-task">;
    const state = new WorkerState(host.settings);
    const commands = state.handle({ type: "compute-task", key: message.key, runId: message.runId, priority: message.priority, fn: message.fn, args: message.args, frames, deps: message.deps, prefix: message.prefix });
    const execute = commands.find((command) => command.type === "execute");
    if (!execute) return false;
    const values = await host.data.pin([]);
    const taskArgs = unpackPayload(execute.args, execute.frames, (key) => values.get(key)) as unknown[];
    host.data.unpin([]);
    const outcome = await host.threads.run(execute.key, execute.fn, taskArgs);
    if (!outcome.ok) return false;
    const startstops = [{ action: "compute" as const, start: outcome.start, stop: outcome.stop }];
    state.handle({ type: "execute-success", key: execute.key, nbytes: 128, dataType: "NDArray", startstops, thread: outcome.thread, peakBytes: outcome.peakBytes });
    return true;
  } catch {
    return false;
  }
}
