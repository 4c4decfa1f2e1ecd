/**
 * What a Connection promises: a message fails alone. One that cannot be encoded fails its
 * own request (the others in its batch go); a reply that cannot be encoded reaches the
 * requester as an error; frames travel with any op; a send on a closed connection raises;
 * requests waiting when the peer goes fail naming it.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../../src/comm/connect.js";
import { listen, type Listener } from "../../src/comm/listener.js";
import type { Connection, OutgoingMessage } from "../../src/comm/connection.js";
import { ClosedError } from "../../src/core/errors.js";
import { createLogger } from "../../src/core/log.js";
import { connectToRecordingPeer } from "./recording-peer.js";

const logger = createLogger("test");
const credential = "b".repeat(64);

/**
 * A server answering who-has with the keys and the sizes of the frames it got, and
 * scheduler-info with whatever the test put in `answer` (raw: not a payload).
 */
async function server(): Promise<{ listener: Listener; peers: Connection[]; answer: { value: unknown } }> {
  const peers: Connection[] = [];
  const answer = { value: null as unknown };
  const listener = await listen("tcp://127.0.0.1:0", {
    credential, logger,
    onConnection: (connection) => {
      peers.push(connection);
      connection.start((message, frames, conn) => {
        if (message.op === "who-has") conn.reply(message.reqId, { keys: message.keys, frameBytes: frames.map((f) => f.byteLength) });
        if (message.op === "scheduler-info") conn.reply(message.reqId, answer.value);
      });
    },
  });
  return { listener, peers, answer };
}

describe("a connection", () => {
  const listeners: Listener[] = [];
  after(async () => { for (const listener of listeners) await listener.close(); });
  const connectedToServer = async () => {
    const started = await server();
    listeners.push(started.listener);
    const connection = await connect(started.listener.address, { credential, logger, timeout: 5 });
    connection.start(() => {});
    return { ...started, connection };
  };

  it("carries frames with any op, also one whose schema names none", async () => {
    const { connection } = await connectedToServer();
    const reply = await connection.request({ op: "who-has", keys: ["k"] }, [new Uint8Array(10), new Uint8Array(3)]);
    assert.deepEqual(reply.result, { keys: ["k"], frameBytes: [10, 3] });
    connection.close();
  });

  it("fails only the request that cannot be encoded; the rest of its batch goes, and the connection lives", async () => {
    const { connection } = await connectedToServer();
    // Sent in one turn, so they share one batch; the middle one holds what msgpack cannot encode.
    const before = connection.request({ op: "who-has", keys: ["a"] });
    const unencodable = assert.rejects(
      connection.request({ op: "who-has", keys: [2n ** 70n] } as unknown as OutgoingMessage),
      /"who-has" message could not be sent to .*: cannot encode the message: .*too large/,
    );
    const symbol = assert.rejects(connection.request({ op: "who-has", keys: [Symbol("s")] } as unknown as OutgoingMessage), /could not be sent/);
    const after = connection.request({ op: "who-has", keys: ["b"] }, [new Uint8Array(4)]);
    assert.deepEqual((await before).result, { keys: ["a"], frameBytes: [] });
    await unencodable;
    await symbol;
    assert.deepEqual((await after).result, { keys: ["b"], frameBytes: [4] }, "a later message keeps its own frames");
    assert.equal(connection.isClosed, false);
    assert.deepEqual((await connection.request({ op: "who-has", keys: ["c"] })).result, { keys: ["c"], frameBytes: [] });
    connection.close();
  });

  it("turns a reply that cannot be encoded into an error for the requester", async () => {
    const { connection, answer } = await connectedToServer();
    answer.value = { huge: 2n ** 70n };
    await assert.rejects(connection.request({ op: "scheduler-info" }), /"reply" message could not be sent/);
    answer.value = { fine: 1 };
    assert.deepEqual((await connection.request({ op: "scheduler-info" })).result, { fine: 1 });
    connection.close();
  });

  it("raises on a send after close, and fails waiting requests naming the peer when it goes", async () => {
    const { connection, listener, peers } = await connectedToServer();
    await connection.request({ op: "who-has", keys: ["x"] });
    const unanswered = connection.request({ op: "adaptive-target" }); // the server never answers it
    peers[0].close();
    await assert.rejects(unanswered, (error: Error) => error instanceof ClosedError && error.message.includes(listener.address));
    assert.throws(() => connection.send({ op: "heartbeat-client" }), (error: Error) => error instanceof ClosedError && error.message.includes(listener.address));
    await assert.rejects(connection.request({ op: "who-has", keys: ["y"] }), ClosedError);
  });
});

describe("messages that may wait for company (sendSoon)", () => {
  const listeners: Listener[] = [];
  after(async () => { for (const listener of listeners) await listener.close(); });

  /** A connection to a server that records the keys of the task-started messages it gets, and the sender's writes. */
  const recorded = () => connectToRecordingPeer(listeners, credential, (message) => (message.op === "task-started" ? message.keys : undefined));
  const started = (key: string): OutgoingMessage => ({ op: "task-started", keys: [key], start: 1 });
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("goes with the next ordinary send, in the order told, in one write", async () => {
    const { connection, received, writes, arrived } = await recorded();
    connection.sendSoon(started("a"), 60_000); // a long wait: only the send below may carry it
    await nextTurn();
    await nextTurn();
    connection.sendSoon(started("b"), 60_000);
    connection.send(started("c"));
    connection.sendSoon(started("d"), 60_000);
    await arrived(4);
    assert.deepEqual(received, ["a", "b", "c", "d"]);
    assert.deepEqual(writes, [4]);
    connection.close();
  });

  it("goes on its own when its wait ends, and before the connection closes", { timeout: 20_000 }, async () => {
    const { connection, received, arrived } = await recorded();
    connection.sendSoon(started("alone"), 1);
    await arrived(1);
    connection.sendSoon(started("at-close"), 60_000);
    connection.close();
    await arrived(2);
    assert.deepEqual(received, ["alone", "at-close"]);
  });
});
