/**
 * Entry point of a compute thread: receives task calls from the worker's main thread, runs
 * them, and posts back the result (NDArray memory shared or transferred, never copied) or
 * the error with its stack. Several calls may be in flight; they run one after another.
 * When the pool asks for it, the thread samples its own stacks while tasks run and posts
 * them, grouped by task prefix, as `{ kind: "profile" }` messages.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PayloadError, checkSendable, toWireError } from "../../protocol/payload.js";
import { TaskMeter, blockBytesIn, runTask } from "../../graph/task-runner.js";
import type { FunctionRef } from "../../protocol/function-ref.js";
import { fromThreadValue, toThreadValue } from "./thread-codec.js";
import { loadBuiltinModules } from "../../graph/builtin-catalog.js";
import { unixSeconds } from "../../core/clock.js";
import { keySplit } from "../../graph/keys.js";
import { ThreadProfiler, type ThreadProfilerOptions } from "./thread-profiler.js";

interface Call {
  id: number;
  key: string;
  fn: FunctionRef;
  args: unknown[];
}

const port = parentPort;
if (!port) throw new Error("compute-thread.js must run as a worker thread");

let queue: Promise<void> = loadBuiltinModules();

const profileOptions = (workerData as { profile?: ThreadProfilerOptions } | undefined)?.profile;
const profiler = profileOptions && profileOptions.intervalMs > 0
  ? new ThreadProfiler(profileOptions, (entries) => port?.postMessage({ kind: "profile", entries }))
  : null;

port.on("message", (call: Call) => {
  queue = queue.then(() => execute(call));
});

async function execute(call: Call): Promise<void> {
  const start = unixSeconds();
  profiler?.taskStarted(keySplit(call.key));
  const transfer: ArrayBuffer[] = [];
  let reply: Record<string, unknown>;
  try {
    const args = fromThreadValue(call.args) as unknown[];
    const meter = new TaskMeter(blockBytesIn(args));
    const result = await runTask(call.fn, args, meter);
    const stop = unixSeconds();
    // A result that could not travel fails its task here, named, rather than wherever it is
    // first sent (or than this thread, when postMessage cannot clone it).
    checkSendable(result, `the result of task ${call.key}`);
    reply = { id: call.id, ok: true, result: toThreadValue(result, transfer), start, stop, peakBytes: meter.peakBytes };
  } catch (error) {
    transfer.length = 0;
    reply = { id: call.id, ok: false, error: toWireError(error, call.key), start, stop: unixSeconds() };
  }
  profiler?.taskFinished();
  try {
    port?.postMessage(reply, transfer);
  } catch (error) {
    const failure = new PayloadError(`the result of task ${call.key} cannot be handed to the worker: ${(error as Error).message}`, { cause: error });
    port?.postMessage({ id: call.id, ok: false, error: toWireError(failure, call.key), start: reply.start, stop: reply.stop });
  }
  profiler?.flushIfDue();
}
