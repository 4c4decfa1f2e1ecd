/**
 * A serving worker in a process of its own (forked by streamed-serving.test.ts), so that its
 * memory is its own and not the receiver's: one value of `bytes` spilled (and out of memory),
 * get-data served as a worker does (serveData), and the process's ArrayBuffer memory sampled
 * every millisecond and as each reply is done. Asked "peak" over IPC, it answers the highest
 * sample since the last ask and the level it started from (after a full collection, taken at
 * each ask: a test process's measure, not a worker's).
 *
 * Arguments: spill directory, value bytes. The value: Float64Array, element i = i / 4 - 1.
 */
import { createLogger } from "../../../src/core/log.js";
import { listen } from "../../../src/comm/listener.js";
import { DataStore } from "../../../src/worker/memory/data-store.js";
import { resolveMemoryPolicy } from "../../../src/worker/memory/memory-policy.js";
import { serveData } from "../../../src/worker/server/data-serving.js";

export const servedValue = (bytes: number): Float64Array => Float64Array.from({ length: bytes / 8 }, (_, i) => i / 4 - 1);

async function main(): Promise<void> {
  const [directory, bytes] = [process.argv[2], Number(process.argv[3])];
  const logger = createLogger("spilled-value-server");
  const store = new DataStore({ spillDirectory: directory, compression: false, targetBytes: Infinity });
  store.set("big", servedValue(bytes));
  while ((await store.evictOne()) > 0);
  const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const arrayBuffers = () => process.memoryUsage().arrayBuffers;
  collect();
  let baseline = arrayBuffers();
  let peak = baseline;
  const sample = () => (peak = Math.max(peak, arrayBuffers()));
  const timer = setInterval(sample, 1);
  const context = { data: store, memoryPolicy: resolveMemoryPolicy(2 ** 30), readRss: () => 0 };
  const listener = await listen("tcp://127.0.0.1:0", {
    credential: "e".repeat(64), logger,
    onConnection: (connection) => connection.start((message, _frames, c) => {
      if (message.op !== "get-data") return;
      serveData(context, message, c).then(sample, (error: unknown) => c.replyError(message.reqId, error));
    }),
  });
  process.on("message", (ask: string) => {
    if (ask === "peak") {
      sample();
      process.send?.({ baseline, peak, unspills: store.statistics.unspills, inMemory: store.isInMemory("big") });
      collect();
      baseline = peak = arrayBuffers();
    } else {
      clearInterval(timer);
      void listener.close().then(() => process.exit(0));
    }
  });
  process.send?.({ address: listener.address });
}

if (process.send) void main();
