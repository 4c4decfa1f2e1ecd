/**
 * A spilled value bigger than a piece served to a peer from its file, piece by piece
 * (src/worker/server/data-serving.ts over memory/spill-stream.ts and comm/frame-source.ts):
 * - it arrives intact, and the serving process's memory does not rise by its size (the
 *   server runs in a process of its own, spilled-value-server.ts, sampling its ArrayBuffer
 *   memory every millisecond and as each reply is done; a read-back would hold the value);
 * - it goes in a reply of its own (the keys after it deferred), and a reply sent on the same
 *   connection while it streams arrives after it, intact;
 * - a spill file damaged on disk makes the fetch fail (the connection drops before the last
 *   byte: never a wrong value, no hang), the key is lost on the serving side with the reason
 *   (its owner told, as for a failed read-back: the scheduler recomputes it), and asked again,
 *   it is reported missing.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "../../../src/comm/connect.js";
import type { Connection } from "../../../src/comm/connection.js";
import { requestData } from "../../../src/comm/data-request.js";
import { listen, type Listener } from "../../../src/comm/listener.js";
import { createLogger } from "../../../src/core/log.js";
import { unpackPayload } from "../../../src/protocol/payload.js";
import { DataStore } from "../../../src/worker/memory/data-store.js";
import { resolveMemoryPolicy } from "../../../src/worker/memory/memory-policy.js";
import { streamPieceBytes } from "../../../src/worker/memory/spill-stream.js";
import { serveData } from "../../../src/worker/server/data-serving.js";
import { servedValue } from "./spilled-value-server.js";

const MiB = 2 ** 20;
const logger = createLogger("test");

async function fetch(connection: Connection, keys: string[]): Promise<{ values: Map<string, unknown>; missing: string[]; replies: number }> {
  const values = new Map<string, unknown>();
  const { missing, replies } = await requestData(connection, keys, { timeoutMs: 60_000 }, (data, frames) => {
    for (const [key, tree] of Object.entries(data)) values.set(key, unpackPayload(tree, frames));
  });
  return { values, missing, replies };
}

function assertSame(actual: unknown, expected: Float64Array, what: string): void {
  assert.ok(actual instanceof Float64Array, `${what} is a Float64Array`);
  assert.ok(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer)), `${what}: bytes equal`);
}

describe("serving a spilled value from its file, in a process of its own", () => {
  const bytes = 48 * MiB;
  let dir: string;
  let child: ChildProcess;
  let connection: Connection;
  const replies: Array<(message: Record<string, unknown>) => void> = [];
  const ask = (what: string) => new Promise<Record<string, unknown>>((resolve) => {
    replies.push(resolve);
    child.send(what);
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-streamed-serving-"));
    const script = fileURLToPath(new URL("./spilled-value-server.js", import.meta.url));
    child = fork(script, [dir, String(bytes)], { execArgv: ["--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const started = new Promise<string>((resolve) => child.once("message", (message: { address: string }) => resolve(message.address)));
    const address = await started;
    child.on("message", (message: Record<string, unknown>) => replies.shift()?.(message));
    connection = await connect(address, { credential: "e".repeat(64), logger, timeout: 10 });
    connection.start(() => {});
  });
  after(async () => {
    connection?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send("stop");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends a value bigger than a piece intact, holding pieces of it and not the value", async (t) => {
    await ask("peak"); // from here on
    for (let round = 0; round < 2; round++) {
      const { values, missing, replies: count } = await fetch(connection, ["big"]);
      assert.deepEqual(missing, []);
      assert.equal(count, 1);
      assertSame(values.get("big"), servedValue(bytes), `round ${round}`);
      values.clear();
      const { baseline, peak, unspills, inMemory } = await ask("peak") as { baseline: number; peak: number; unspills: number; inMemory: boolean };
      const rise = peak - baseline;
      t.diagnostic(`round ${round}: ArrayBuffer memory rose ${(rise / MiB).toFixed(2)} MiB serving ${bytes / MiB} MiB`);
      assert.ok(rise < bytes / 8, `round ${round}: the serving process's ArrayBuffer memory rose ${(rise / MiB).toFixed(1)} MiB serving ${bytes / MiB} MiB`);
      assert.equal(unspills, 0, "nothing was read back whole");
      assert.equal(inMemory, false, "the value stays spilled");
    }
  });
});

describe("serving a spilled value from its file, in this process", () => {
  let dir: string;
  let listener: Listener;
  let store: DataStore;
  const lost: Array<{ key: string; reason: string }> = [];
  const requests: string[][] = [];
  const context = { get data() { return store; }, memoryPolicy: resolveMemoryPolicy(2 ** 30), readRss: () => 0 };
  const big = servedValue(32 * streamPieceBytes + 24);
  const small = servedValue(1024);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-streamed-serving-"));
    listener = await listen("tcp://127.0.0.1:0", {
      credential: "f".repeat(64), logger,
      onConnection: (conn) => conn.start((message, _frames, c) => {
        if (message.op !== "get-data") return;
        requests.push(message.keys);
        serveData(context, message, c).catch((error: unknown) => c.replyError(message.reqId, error));
      }),
    });
  });
  after(async () => {
    await listener?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function connection(): Promise<Connection> {
    const opened = await connect(listener.address, { credential: "f".repeat(64), logger, timeout: 10 });
    opened.start(() => {});
    return opened;
  }

  /** A store with big and big2 spilled (big's file returned) and small in memory. */
  async function storeWithSpilled(): Promise<string> {
    const directory = mkdtempSync(join(dir, "store-"));
    store = new DataStore({ spillDirectory: directory, compression: false, targetBytes: Infinity });
    store.onLost = (key, reason) => lost.push({ key, reason });
    store.set("big", big);
    while ((await store.evictOne()) > 0);
    const [file] = readdirSync(directory);
    store.set("big2", big);
    while ((await store.evictOne()) > 0);
    store.set("small", small);
    return join(directory, file);
  }

  it("sends a streamed value in a reply of its own, and a reply sent meanwhile after it", async () => {
    await storeWithSpilled();
    const conn = await connection();
    try {
      requests.length = 0;
      // Once big's reply has begun to arrive, small is asked for: its reply is sent while big streams.
      const channel = conn.channel as unknown as { receive(chunk: Uint8Array): void };
      const receive = channel.receive.bind(channel);
      let asked: Promise<Awaited<ReturnType<typeof fetch>>> | null = null;
      channel.receive = (chunk) => {
        receive(chunk);
        if (requests.length === 2 && asked === null) asked = fetch(conn, ["small"]);
      };
      const all = await fetch(conn, ["small", "big", "big2"]);
      assert.ok(asked !== null, "small was asked for while big arrived");
      const alone = await (asked as Promise<Awaited<ReturnType<typeof fetch>>>);
      assertSame(alone.values.get("small"), small, "small, asked while big streamed");
      assertSame(all.values.get("small"), small, "small");
      assertSame(all.values.get("big"), big, "big");
      assertSame(all.values.get("big2"), big, "big2");
      assert.equal(all.replies, 3, "small, then big alone, then big2 alone");
      assert.deepEqual(requests.map((keys) => keys.join(",")), ["small,big,big2", "big,big2", "small", "big2"]);
      assert.equal(store.statistics.unspills, 0, "nothing was read back whole");
    } finally {
      conn.close();
    }
  });

  it("fails the fetch of a value whose spill file is damaged, loses the key there, and reports it missing after", async () => {
    const file = await storeWithSpilled();
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.byteLength / 2)] ^= 0x04;
    writeFileSync(file, bytes);
    lost.length = 0;
    const conn = await connection();
    const received: unknown[] = [];
    await assert.rejects(requestData(conn, ["big"], { timeoutMs: 60_000 }, (data) => received.push(data)), (error: Error) => {
      assert.equal(error.name, "ClosedError", `the connection dropped (${error.message}), no timeout`);
      return true;
    });
    assert.deepEqual(received, [], "no reply, so no wrong value");
    assert.equal(store.has("big"), false, "the key is lost on the serving side");
    assert.equal(lost.length, 1);
    assert.equal(lost[0].key, "big");
    assert.match(lost[0].reason, /spill file could not be read back: .*frame 0 fails its checksum/);
    const again = await connection();
    try {
      const { values, missing } = await fetch(again, ["big", "big2"]);
      assert.deepEqual(missing, ["big"]);
      assertSame(values.get("big2"), big, "big2, whose file is intact");
    } finally {
      again.close();
    }
  });
});
