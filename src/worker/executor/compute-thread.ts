/**
 * Entry point of a compute thread: receives task calls from the worker's main thread, runs
 * them, and posts back the result (NDArray memory shared or transferred, never copied) or
 * the error with its stack. Several calls may be in flight; they run one after another.
 */
import { parentPort } from "node:worker_threads";
import { toWireError } from "../../protocol/payload.js";
import { runTask } from "../../graph/task-runner.js";
import type { FunctionRef } from "../../protocol/function-ref.js";
import { fromThreadValue, toThreadValue } from "./thread-codec.js";
import { loadBuiltinModules } from "./builtin-modules.js";
import { unixSeconds } from "../../core/clock.js";

interface Call {
  id: number;
  key: string;
  fn: FunctionRef;
  args: unknown[];
}

const port = parentPort;
if (!port) throw new Error("compute-thread.js must run as a worker thread");

let queue: Promise<void> = loadBuiltinModules();

port.on("message", (call: Call) => {
  queue = queue.then(() => execute(call));
});

async function execute(call: Call): Promise<void> {
  const start = unixSeconds();
  try {
    const result = await runTask(call.fn, fromThreadValue(call.args) as unknown[]);
    const stop = unixSeconds();
    const transfer: ArrayBuffer[] = [];
    const encoded = toThreadValue(result, transfer);
    port?.postMessage({ id: call.id, ok: true, result: encoded, start, stop }, transfer);
  } catch (error) {
    const stop = unixSeconds();
    port?.postMessage({ id: call.id, ok: false, error: toWireError(error, call.key), start, stop });
  }
}
