/**
 * Entry point of a compute thread: receives task calls from the worker's main thread, runs
 * them, and posts back the result (NDArray memory shared or transferred, never copied) or
 * the error with its stack. Several calls may be in flight; they run one after another,
 * each claimed first (call-claim.ts): one the pool moved to a thread that freed is skipped.
 * When the pool asks for it, the thread samples its own stacks while tasks run and posts
 * them, grouped by task prefix, as `{ kind: "profile" }` messages.
 *
 * A task that secedes (it waits on tasks it submitted, see task-context.ts) lets the next
 * call start on this thread while it waits: `{ kind: "secede" }` tells the pool. Rejoining
 * asks the pool (`{ kind: "rejoin" }`) and waits for its `{ kind: "rejoined" }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PayloadError, checkSendable, toWireError } from "../../protocol/payload.js";
import { TaskMeter, blockBytesIn, onReleasedBlocks, runTask } from "../../graph/task-runner.js";
import type { FunctionRef } from "../../protocol/function-ref.js";
import { fromThreadValue, toThreadValue } from "./thread-codec.js";
import { loadBuiltins } from "../../graph/builtin-catalog.js";
import { unixSeconds } from "../../core/clock.js";
import { keySplit } from "../../graph/keys.js";
import { ThreadProfiler, type ThreadProfilerOptions } from "./thread-profiler.js";
import { redirectModule } from "../../graph/function-resolver.js";
import { runAsTask, setWorkerConnectionInfo, type RunningTask, type WorkerConnectionInfo } from "../../graph/task-context.js";
import { applyThreadMemoryCaps, collectAfterTask, collectReleasedBlocks, releaseRetained } from "./thread-memory.js";
import { warmUpBuiltinNames, warmUpThread } from "./thread-warm-up.js";
import { claimToRun } from "./call-claim.js";
import { onIdlePoolDropped } from "../../ndarray/block-recycling.js";
import { collectGarbage } from "../memory/process-memory.js";

interface Call {
  id: number;
  key: string;
  fn: FunctionRef;
  args: unknown[];
  /** Taken when the call's turn comes; the pool may have withdrawn it meanwhile (call-claim.ts). */
  claim: Int32Array;
}

const port = parentPort;
if (!port) throw new Error("compute-thread.js must run as a worker thread");

// The array tasks' built-ins loaded (no other module: a task loads the others it calls, by name,
// builtin-catalog.ts), their chain run on a small volume (thread-warm-up.ts): the first task
// pays for none of it. What the warm-up allocated is collected before the worker joins,
// so that it adds nothing to the worker's resident memory when tasks start.
// A warm-up that throws costs only the warm-up: a rejected queue would skip every task after it.
// The profiler's keepalive starts then too (thread-profiler.ts): its heap walk is start-up work.
let queue: Promise<void> = loadBuiltins(warmUpBuiltinNames).then(() => warmUpThread().then(releaseRetained).then(() => undefined, () => undefined)).then(() => profiler?.prime()).catch(() => undefined);
// The pool waits for this before the worker joins its scheduler (thread-pool.ts ready()).
const announceReady = () => port?.postMessage({ kind: "ready" });
queue.then(announceReady, announceReady);

const threadData = workerData as {
  profile?: ThreadProfilerOptions; connection?: WorkerConnectionInfo; moduleLocations?: Array<[string, string]>; memory?: { limit: number; nthreads: number };
} | undefined;
const profileOptions = threadData?.profile;
if (threadData?.memory) applyThreadMemoryCaps(threadData.memory.limit, threadData.memory.nthreads);
setWorkerConnectionInfo(threadData?.connection ?? null);
// Blocks a fused task is done with are freed before its next steps allocate (thread-memory.ts).
onReleasedBlocks((bytes) => void collectReleasedBlocks(bytes));
// Buffers kept for the next tasks and dropped once the thread went idle are freed at once.
onIdlePoolDropped(() => void collectGarbage());
for (const [from, to] of threadData?.moduleLocations ?? []) redirectModule(from, to);
/** Seceded tasks waiting for the pool's leave to rejoin, by call id. */
const rejoinWaiters = new Map<number, () => void>();
const profiler = profileOptions && profileOptions.intervalMs > 0
  ? new ThreadProfiler(profileOptions, (entries) => port?.postMessage({ kind: "profile", entries }))
  : null;

type Control = { kind: "rejoined"; id: number } | { kind: "module-location"; from: string; to: string } | { kind: "release-retained"; id?: number };

port.on("message", (message: Call | Control) => {
  if ("kind" in message) {
    if (message.kind === "rejoined") {
      rejoinWaiters.get(message.id)?.();
      rejoinWaiters.delete(message.id);
    } else if (message.kind === "release-retained") {
      releaseRetained();
      if (message.id !== undefined) port?.postMessage({ kind: "released", id: message.id }); // the worker may wait for it (task-admission.ts)
    } else redirectModule(message.from, message.to);
    return;
  }
  // A withdrawn call runs on the thread that freed first: here it is skipped, unanswered.
  queue = queue.then(() => (claimToRun(message.claim) ? occupyThread(message) : undefined));
});

/** Runs the call; resolves when it is done or has seceded, so that the next call may start. */
function occupyThread(call: Call): Promise<void> {
  return new Promise<void>((release) => {
    void runAsTask(runningTask(call.id, call.key, release), () => execute(call)).finally(release);
  });
}

/**
 * The task as the code it runs sees it (task-context.ts), made apart from its call: it must not
 * reach the call's arguments. It is the AsyncLocalStorage store of everything the task starts,
 * and a promise created inside the task keeps its store for as long as the promise lives: a
 * module the task imports first (a built-in loaded by name, the ModuleJob's promises, the
 * module's own evaluation promise) and a loader's memoized promise live as long as the thread.
 * A store closed over `call` kept that task's input blocks for good (a heap snapshot of the
 * thread: SharedArrayBuffers of 16 MB merged rows and 8 MB blocks, reached through
 * ModuleJob / module evaluation promises → their store → `call.args`). On 2 workers of 256 MiB
 * after a rechunk and a ravel, with nothing stored and garbage collected in every thread, 19–35
 * MB of blocks stayed and each worker stayed 31–40 MiB above its start-up memory (11–12 MiB
 * since); a median task started from there passed 95% and the worker was restarted.
 */
function runningTask(id: number, key: string, release: () => void): RunningTask {
  let seceded = false;
  return {
    key,
    get seceded() { return seceded; },
    secede: () => {
      if (seceded) return;
      seceded = true;
      port?.postMessage({ kind: "secede", id });
      release();
    },
    rejoin: () => {
      if (!seceded) return Promise.resolve();
      return new Promise<void>((resolve) => {
        rejoinWaiters.set(id, () => {
          seceded = false;
          resolve();
        });
        port?.postMessage({ kind: "rejoin", id });
      });
    },
  };
}

async function execute(call: Call): Promise<void> {
  const start = unixSeconds();
  profiler?.taskStarted(keySplit(call.key));
  const transfer: ArrayBuffer[] = [];
  let reply: Record<string, unknown>;
  let taskBytes = 0;
  try {
    const args = fromThreadValue(call.args) as unknown[];
    const meter = new TaskMeter(blockBytesIn(args));
    const result = await runTask(call.fn, args, meter);
    const stop = unixSeconds();
    taskBytes = meter.peakBytes;
    // A result that could not travel fails its task here, named, rather than wherever it is
    // first sent (or than this thread, when postMessage cannot clone it).
    checkSendable(result, `the result of task ${call.key}`);
    reply = { id: call.id, ok: true, result: toThreadValue(result, transfer), start, stop, peakBytes: meter.peakBytes, allocatedBytes: meter.allocatedBytes };
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
  // After the reply: its buffers are the worker's now, and what the task read is garbage here.
  collectAfterTask(taskBytes);
  profiler?.flushIfDue();
}
