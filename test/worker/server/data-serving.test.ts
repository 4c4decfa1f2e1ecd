/**
 * Serving get-data within the worker's memory (src/worker/server/data-serving.ts): a worker
 * asked for many spilled results reads back at most one reply's budget at a time (a tenth of
 * its memory limit, and no more than the room left below its pause threshold) and defers the
 * rest, which the requester asks for again (comm/data-request.ts); values in memory cost
 * nothing to send and are never deferred for their size; what was read back only to be sent
 * is not kept in memory (it stays spilled, its file reused); each value read back first waits
 * for room beside the worker's running tasks (its admission). A real listener and connection
 * carry the requests; the store is a real DataStore spilling into a temporary directory.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "../../../src/comm/connect.js";
import type { Connection } from "../../../src/comm/connection.js";
import { messageBytesFor, requestData } from "../../../src/comm/data-request.js";
import { listen, type Listener } from "../../../src/comm/listener.js";
import { createLogger } from "../../../src/core/log.js";
import { NDArray, allocate } from "../../../src/ndarray/ndarray.js";
import { unpackPayload } from "../../../src/protocol/payload.js";
import { DataStore } from "../../../src/worker/memory/data-store.js";
import { resolveMemoryPolicy } from "../../../src/worker/memory/memory-policy.js";
import { type DataServingContext, readBackBudget, serveData } from "../../../src/worker/server/data-serving.js";

const MiB = 2 ** 20;
const logger = createLogger("test");
const credential = "d".repeat(64);
const limit = 100 * MiB;
const policy = resolveMemoryPolicy(limit, { memoryTargetFraction: 0.6, memorySpillFraction: 0.7, memoryPauseFraction: 0.8, memoryTerminateFraction: 0.95 });

/** A 1 MiB float64 block whose values say which block it is. */
function block(seed: number): NDArray {
  const data = allocate("float64", MiB / 8) as Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = seed * 1e6 + i;
  return new NDArray(data, [MiB / 8], { dtype: "float64" });
}

describe("serving get-data within the worker's memory", () => {
  let dir: string;
  let listener: Listener;
  let connection: Connection;
  /** What the served worker reports as its resident memory (set per test). */
  let rss = 0;
  let store: DataStore;
  /** The worker's admission, when a test gives one (task-admission.ts holdForServing). */
  let admission: DataServingContext["admission"] = null;
  const requests: string[][] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-data-serving-"));
    const context: DataServingContext = { get data() { return store; }, get admission() { return admission; }, memoryPolicy: policy, readRss: () => rss };
    listener = await listen("tcp://127.0.0.1:0", {
      credential, logger,
      onConnection: (conn) => conn.start((message, _frames, c) => {
        if (message.op !== "get-data") return;
        requests.push(message.keys);
        serveData(context, message, c).catch((error: unknown) => c.replyError(message.reqId, error));
      }),
    });
    connection = await connect(listener.address, { credential, logger, timeout: 5 });
    connection.start(() => {}); // replies are delivered once started
  });
  after(async () => {
    connection?.close();
    await listener?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A store holding `spilled` blocks on disk only, then `inMemory` blocks in memory. */
  async function storeWith(spilled: number, inMemory = 0): Promise<string[]> {
    store = new DataStore({ spillDirectory: mkdtempSync(join(dir, "store-")), compression: false, targetBytes: Infinity });
    const keys: string[] = [];
    for (let i = 0; i < spilled; i++) {
      store.set(`s${i}`, block(i));
      keys.push(`s${i}`);
    }
    while ((await store.evictOne()) > 0);
    for (let i = 0; i < inMemory; i++) {
      store.set(`m${i}`, block(100 + i));
      keys.push(`m${i}`);
    }
    assert.equal(store.spilledBytes, spilled * MiB);
    return keys;
  }

  /** Asks for `keys` as a peer or client does; returns the values, the missing keys and the replies it took. */
  async function fetch(keys: string[]): Promise<{ values: Map<string, NDArray>; missing: string[]; replies: number }> {
    requests.length = 0;
    const values = new Map<string, NDArray>();
    const { missing, replies } = await requestData(connection, keys, { timeoutMs: 30_000 }, (data, frames) => {
      for (const [key, tree] of Object.entries(data)) values.set(key, unpackPayload(tree, frames) as NDArray);
    });
    return { values, missing, replies };
  }

  function assertBlock(value: NDArray | undefined, seed: number, key: string): void {
    assert.ok(value, `${key} arrived`);
    assert.equal(value.data.length, MiB / 8, key);
    assert.equal(value.data[0], seed * 1e6, key);
    assert.equal(value.data[MiB / 8 - 1], seed * 1e6 + MiB / 8 - 1, key);
  }

  it("reads back a tenth of the memory limit per reply, defers the rest, and keeps none of it in memory", async () => {
    rss = 10 * MiB; // plenty of room below the pause threshold: the message bound decides
    const keys = await storeWith(25);
    assert.equal(readBackBudget(policy, rss, 0), messageBytesFor(limit));
    const { values, missing, replies } = await fetch(keys);
    assert.deepEqual(missing, []);
    keys.forEach((key, i) => assertBlock(values.get(key), i, key));
    // 10 MiB per reply: 10, 10, then 5 blocks, each request naming the keys left.
    assert.equal(replies, 3);
    assert.deepEqual(requests.map((asked) => asked.length), [25, 15, 5]);
    assert.equal(store.managedBytes, 0, "values read back only to be sent stay out of memory");
    assert.equal(store.spilledBytes, 25 * MiB);
    assert.ok(keys.every((key) => !store.isInMemory(key)));
    assert.equal(store.statistics.unspills, 25);
    assert.equal(await store.evictOne(), 0, "nothing came back into memory to evict");
    assert.equal(store.statistics.spills, 25, "no file was written twice");
  });

  it("sends one spilled value per reply when the worker is at its pause threshold, and in-memory values regardless", async () => {
    rss = 0.8 * limit + MiB; // past pause: no room at all
    const keys = await storeWith(4, 6);
    const { values, missing, replies } = await fetch([...keys.slice(4), ...keys.slice(0, 4)]);
    assert.deepEqual(missing, []);
    for (let i = 0; i < 4; i++) assertBlock(values.get(`s${i}`), i, `s${i}`);
    for (let i = 0; i < 6; i++) assertBlock(values.get(`m${i}`), 100 + i, `m${i}`);
    // The six in memory first (no room needed), then one spilled value per reply.
    assert.deepEqual(requests.map((asked) => asked.length), [10, 4, 3, 2, 1]);
    assert.equal(replies, 5);
    assert.equal(store.managedBytes, 6 * MiB);
  });

  it("reads a spilled value back only once the admission holds room for it, and gives the room back once sent", async () => {
    rss = 0;
    const keys = await storeWith(2, 1);
    const log: string[] = [];
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let asked = () => {};
    const waiting = new Promise<void>((resolve) => (asked = resolve));
    admission = {
      holdForServing: async (bytes) => {
        log.push(`hold ${bytes / MiB}`);
        asked();
        await gate;
        return () => log.push(`release ${bytes / MiB}`);
      },
    };
    try {
      const served = fetch(keys);
      assert.equal(await Promise.race([waiting.then(() => "asked"), served.then(() => "served")]), "asked", "a spilled value is read back only with room held");
      assert.deepEqual(log, ["hold 1"], "the first spilled value waits for its room");
      assert.equal(store.statistics.unspills, 0, "nothing was read back while waiting");
      open();
      const { values } = await served;
      assert.equal(values.size, 3);
      assert.deepEqual(log, ["hold 1", "hold 1", "release 1", "release 1"], "each spilled value holds its room (the one in memory none) until the reply is sent");
    } finally {
      admission = null;
    }
  });

  it("reports keys it does not hold as missing, and sends the rest", async () => {
    rss = 0;
    const keys = await storeWith(2);
    const { values, missing, replies } = await fetch(["gone", ...keys, "also-gone"]);
    assert.deepEqual(missing, ["gone", "also-gone"]);
    assert.deepEqual([...values.keys()], keys);
    assert.equal(replies, 1);
  });

  it("bounds nothing on a worker without a memory limit (it never spills)", () => {
    assert.equal(readBackBudget(resolveMemoryPolicy(0), 10 * MiB, 0), Infinity);
    assert.equal(readBackBudget(policy, limit, 0), 0, "a worker past its limit reads back one value per reply");
    assert.equal(readBackBudget(policy, 70 * MiB, 5 * MiB), 0.8 * limit - 75 * MiB, "room left below pause, less what other replies are reading");
  });
});
