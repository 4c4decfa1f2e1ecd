import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect as netConnect } from "node:net";
import { randomBytes } from "node:crypto";
import { SchedulerServer } from "../../src/scheduler/server/scheduler-server.js";
import { WorkerServer } from "../../src/worker/server/worker-server.js";
import { Client } from "../../src/client/client.js";
import { connect } from "../../src/comm/connect.js";
import type { OutgoingMessage } from "../../src/comm/connection.js";
import { parseAddress } from "../../src/comm/address.js";
import { encodePrelude } from "../../src/protocol/framing.js";
import { encodeHeader } from "../../src/comm/stream-channel.js";
import type { Logger } from "../../src/core/log.js";
import { recordingLogger, refusalsLogged } from "../comm/recording-logger.js";

/** Sends raw bytes on a fresh TCP connection, half-closes, and waits for the server to hang up. */
function sendRaw(address: string, bytes: Uint8Array): Promise<void> {
  const { host, port } = parseAddress(address);
  return new Promise((resolve) => {
    const socket = netConnect({ host, port }, () => {
      socket.end(bytes);
    });
    socket.on("data", () => {});
    socket.on("error", () => resolve());
    socket.on("close", () => resolve());
    socket.setTimeout(5000, () => socket.destroy());
  });
}

function frame(header: unknown, extra: Uint8Array[] = []): Buffer {
  const frames = [encodeHeader([header]), ...extra];
  return Buffer.concat([encodePrelude(frames), ...frames]);
}

/** 16 kinds of bytes a peer without the credential (or a broken one) might send. */
function malformed(i: number): Uint8Array {
  const random = randomBytes(1 + (i % 97));
  switch (i % 8) {
    case 0: return random;
    case 1: { const valid = frame({ op: "hello", version: 2, nonce: "a".repeat(32), role: "client" }); return valid.subarray(0, 1 + (i % (valid.length - 1))); }
    case 2: { const b = Buffer.alloc(16); b.writeUInt32LE(0x31525354, 0); b.writeUInt32LE(0xffffffff, 4); return b; }
    case 3: { const b = Buffer.alloc(16); b.writeUInt32LE(0x31525354, 0); b.writeUInt32LE(1, 4); b.writeUInt32LE(0xffffffff, 8); b.writeUInt32LE(0xffff, 12); return b; }
    case 4: return frame({ op: "prove", proof: "0".repeat(64) });
    case 5: return frame({ op: "hello", version: 99, nonce: "b".repeat(32), role: "client" });
    case 6: return frame(["not", "an", "object"]);
    default: return Buffer.concat([frame({ op: "hello", version: 2, nonce: "c".repeat(32), role: "client" }), random]);
  }
}

/** Messages with the right credential but wrong fields or wrong ops (those with a reqId go as requests). */
const badMessages: unknown[] = [
  { op: "update-graph", reqId: 7, tasks: "nope", wanted: [] },
  { op: "update-graph", reqId: 7, tasks: [{ key: "", fn: { builtin: "x" }, args: [], deps: [] }], wanted: [] },
  { op: "update-graph", reqId: 7, tasks: [{ key: "a", fn: { eval: "process.exit()" }, args: [], deps: [] }], wanted: ["a"] },
  { op: "update-graph", reqId: 7, tasks: [{ key: "a", fn: { builtin: "graph.noop" }, args: [], f: [3], deps: [] }], wanted: ["a"] },
  { op: "task-finished", key: "x", runId: -1 },
  { op: "register-worker", reqId: 7, address: 5 },
  { op: "no-such-op", reqId: 7 },
  { op: "get-data", reqId: "one", keys: [1, 2] },
  { op: "get-data", reqId: 7, keys: [""] },
  { op: "compute-task", key: "k" },
  { op: "release-keys", keys: [null] },
  { op: "who-has", reqId: 7, keys: ["k"], f: [0] },
  42,
];
const isRequest = (m: unknown) => typeof m === "object" && m !== null && "reqId" in m;
const requestsAmongThem = badMessages.filter(isRequest).length;

/** A scheduler and a worker in this process, both logging into one recording logger. */
function serversUnderTest(): { logger: Logger & { lines: string[] }; scheduler: SchedulerServer; worker: WorkerServer } {
  const servers = { logger: recordingLogger() } as { logger: Logger & { lines: string[] }; scheduler: SchedulerServer; worker: WorkerServer };
  before(async () => {
    servers.scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0", logger: servers.logger });
    servers.worker = await WorkerServer.start({ schedulerAddress: servers.scheduler.address, credential: servers.scheduler.credential, logger: servers.logger });
  });
  after(async () => {
    await servers.worker?.close();
    await servers.scheduler?.close();
  });
  return servers;
}

describe("malformed input against scheduler and worker ports", () => {
  const servers = serversUnderTest();

  it("drops 9,000 malformed unauthenticated connections, logs them in a bounded log, and keeps serving", async () => {
    const { scheduler, worker, logger } = servers;
    const targets = [scheduler.address, worker.address];
    let sent = 0;
    for (let batch = 0; batch < 90; batch++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => sendRaw(targets[(batch + i) % 2], malformed(batch * 100 + i))));
      sent += 100;
    }
    const client = await Client.connect(scheduler.address, { credential: scheduler.credential, setAsDefault: false });
    try {
      assert.equal(await client.submit((a: number, b: number) => a * b, 6, 7).result(), 42);
    } finally {
      await client.close();
    }
    await worker.close();
    await scheduler.close(); // closing the listeners writes the last summary lines
    assert.ok(refusalsLogged(logger.lines) >= sent, `${refusalsLogged(logger.lines)} refusals logged for ${sent} malformed connections`);
    assert.ok(logger.lines.length < sent / 20, `${logger.lines.length} log lines for ${sent} refused connections`);
  });
});

describe("malformed messages from authenticated peers", () => {
  const servers = serversUnderTest();

  it("answers each bad request with an error, logs the rest, and never drops the connection", async () => {
    const { scheduler, worker, logger } = servers;
    for (const target of [scheduler.address, worker.address]) {
      const connection = await connect(target, { credential: scheduler.credential, logger, timeout: 5 });
      connection.start(() => {});
      const refusals: Array<Promise<unknown>> = [];
      for (let round = 0; round < 20; round++) {
        for (const bad of badMessages) {
          if (isRequest(bad)) refusals.push(connection.request(bad as OutgoingMessage).then(() => "answered", (error: Error) => error.message));
          else connection.channel.send({ messages: [bad], frames: [] });
        }
      }
      const outcomes = await Promise.all(refusals);
      assert.equal(outcomes.length, 20 * requestsAmongThem);
      for (const outcome of outcomes) assert.match(String(outcome), /refused/, `${target}: every bad request fails alone, with the reason`);
      assert.equal((await connection.request({ op: "ping" })).result, null, "the connection still answers");
      assert.equal(connection.isClosed, false);
      connection.close();
    }
    const client = await Client.connect(scheduler.address, { credential: scheduler.credential, setAsDefault: false });
    try {
      assert.equal(await client.submit((a: number, b: number) => a * b, 6, 7).result(), 42);
    } finally {
      await client.close();
    }
  });

  it("refuses a client with a wrong credential before handling anything it sends", async () => {
    const { scheduler } = servers;
    await assert.rejects(Client.connect(scheduler.address, { credential: "f".repeat(64), timeout: 5, setAsDefault: false }), /refused|credential/);
    assert.equal(scheduler.state.clients.size, 0);
  });
});
