import { after, describe, it } from "node:test";
import { getEventListeners } from "node:events";
import assert from "node:assert/strict";
import { connect } from "../../src/comm/connect.js";
import { listen, type Listener } from "../../src/comm/listener.js";
import type { Connection } from "../../src/comm/connection.js";
import { Security } from "../../src/comm/security.js";
import { createLogger } from "../../src/core/log.js";
import { TimeoutError, InvalidOptionError } from "../../src/core/errors.js";
import { AuthenticationError } from "../../src/comm/handshake.js";

const logger = createLogger("test");
const credential = "a".repeat(64);

/** An echo server: answers who-has requests with the keys it was asked for. */
async function echoServer(address: string, security?: Security): Promise<{ listener: Listener; connections: Connection[] }> {
  const connections: Connection[] = [];
  const listener = await listen(address, {
    credential, security, logger,
    onConnection: (connection) => {
      connections.push(connection);
      connection.start((message, frames, conn) => {
        if (message.op === "who-has") conn.reply(message.reqId, { keys: message.keys, frameBytes: frames.length }, []);
        if (message.op === "update-data") conn.reply(message.reqId, { sizes: frames.map((f) => f.byteLength) }, frames);
      });
    },
  });
  return { listener, connections };
}

describe("comm", () => {
  const listeners: Listener[] = [];
  after(async () => { for (const l of listeners) await l.close(); });

  for (const scheme of ["tcp", "inproc"] as const) {
    it(`answers requests over ${scheme}`, async () => {
      const { listener } = await echoServer(scheme === "tcp" ? "tcp://127.0.0.1:0" : "inproc://echo-1");
      listeners.push(listener);
      const connection = await connect(listener.address, { credential, logger, timeout: 5 });
      connection.start(() => {});
      const reply = await connection.request({ op: "who-has", keys: ["x-1", "y-2"] });
      assert.deepEqual(reply.result, { keys: ["x-1", "y-2"], frameBytes: 0 });
      connection.close();
    });
  }

  it("ends a request when its signal aborts, and leaves no listener behind", async () => {
    const { listener } = await echoServer("inproc://echo-abort");
    listeners.push(listener);
    const connection = await connect(listener.address, { credential, logger, timeout: 5 });
    connection.start(() => {});
    const done = new AbortController();
    await connection.request({ op: "who-has", keys: ["k"] }, [], { signal: done.signal });
    assert.equal(getEventListeners(done.signal, "abort").length, 0, "a settled request forgets the signal");
    const aborted = AbortSignal.abort(new Error("given up before sending"));
    await assert.rejects(connection.request({ op: "who-has", keys: ["k"] }, [], { signal: aborted }), /given up before sending/);
    const controller = new AbortController();
    // The echo server never answers scheduler-info, so only the signal can end this request.
    const unanswered = connection.request({ op: "scheduler-info" }, [], { signal: controller.signal, timeoutMs: 5000 });
    controller.abort(new Error("given up while waiting"));
    await assert.rejects(unanswered, /given up while waiting/);
    connection.close();
  });

  it("moves large binary frames intact over tcp", async () => {
    const { listener } = await echoServer("tcp://127.0.0.1:0");
    listeners.push(listener);
    const connection = await connect(listener.address, { credential, logger, timeout: 5 });
    connection.start(() => {});
    const big = new Uint8Array(32 * 2 ** 20);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    const reply = await connection.request({ op: "update-data", data: {} }, [big, new Uint8Array([1, 2, 3])]);
    assert.deepEqual((reply.result as { sizes: number[] }).sizes, [big.length, 3]);
    assert.equal(reply.frames[0].byteLength, big.length);
    assert.ok(reply.frames[0].buffer instanceof SharedArrayBuffer, "binary frames land in shared memory");
    for (let i = 0; i < big.length; i += 4096) assert.equal(reply.frames[0][i], i % 251);
    connection.close();
  });

  it("works over tls with temporary certificates", async () => {
    const security = Security.temporary();
    const { listener } = await echoServer("tls://127.0.0.1:0", security);
    listeners.push(listener);
    assert.match(listener.address, /^tls:\/\//);
    const connection = await connect(listener.address, { credential, security, logger, timeout: 5 });
    connection.start(() => {});
    const reply = await connection.request({ op: "who-has", keys: ["k"] });
    assert.deepEqual(reply.result, { keys: ["k"], frameBytes: 0 });
    connection.close();
  });

  it("refuses a client with the wrong credential, and says so", async () => {
    const { listener, connections } = await echoServer("tcp://127.0.0.1:0");
    listeners.push(listener);
    await assert.rejects(
      connect(listener.address, { credential: "b".repeat(64), logger, timeout: 5 }),
      (error: Error) => error instanceof AuthenticationError && /refused|credential/.test(error.message),
    );
    assert.equal(connections.length, 0, "the server never handed the peer to its owner");
  });

  it("refuses plain tcp when encryption is required", async () => {
    await assert.rejects(
      connect("tcp://127.0.0.1:1", { credential, security: Security.temporary(), logger, timeout: 1 }),
      InvalidOptionError,
    );
  });

  it("times out on an unreachable address with an error naming it and the timeout", { timeout: 60_000 }, async () => {
    await assert.rejects(
      connect("tcp://127.0.0.1:9", { credential, logger, timeout: 0.5 }),
      (error: Error) => error instanceof TimeoutError && error.message.includes("tcp://127.0.0.1:9 after 0.5 s"),
    );
  });

  it("rejects an unknown scheme at once", async () => {
    await assert.rejects(connect("udp://host:1", { credential, logger, timeout: 5 }), /unknown scheme "udp"/);
  });
});
