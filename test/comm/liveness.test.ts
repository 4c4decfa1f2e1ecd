/**
 * The liveness check (issue 9 item 6): a peer that is stopped (SIGSTOP) keeps its socket open
 * and says nothing; the connection must give it up after the timeout, failing what waits on
 * it with an error that says so, even while a large message to it is stuck in the buffers.
 * A peer that answers, or that is reading what we send, is kept.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect as netConnect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { connect } from "../../src/comm/connect.js";
import type { Connection } from "../../src/comm/connection.js";
import { watchLiveness } from "../../src/comm/liveness.js";
import { StreamChannel } from "../../src/comm/stream-channel.js";
import { ClosedError } from "../../src/core/errors.js";
import { createLogger } from "../../src/core/log.js";

const logger = createLogger("test");
const credential = "c".repeat(64);
const peerScript = fileURLToPath(new URL("./echo-peer.js", import.meta.url));

async function startPeer(): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, [peerScript], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, TESSERA_CREDENTIAL: credential } });
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (text: Buffer) => resolve(text.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the peer exited with ${code}`)));
  });
  return { child, address };
}

/** Resolves once `count` pings on the connection have been answered. */
function answeredPings(connection: Connection, count: number): Promise<void> {
  const request = connection.request.bind(connection);
  let answered = 0;
  return new Promise((resolve) => {
    connection.request = (message, frames, options) => {
      const reply = request(message, frames, options);
      if (message.op === "ping") void reply.then(() => { if (++answered === count) resolve(); }, () => {});
      return reply;
    };
  });
}

describe("liveness", { timeout: 60_000 }, () => {
  const peers: ChildProcess[] = [];
  after(() => {
    for (const child of peers) {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    }
  });

  it("gives up a stopped peer after the timeout, failing waiting requests with the reason", async () => {
    const peer = await startPeer();
    peers.push(peer.child);
    const connection = await connect(peer.address, { credential, logger, timeout: 5 });
    connection.start(() => {});
    watchLiveness(connection, { timeoutMs: 1000, peerName: "the echo peer" });
    assert.deepEqual((await connection.request({ op: "who-has", keys: ["k"] })).result, { keys: ["k"], frameBytes: [] });
    peer.child.kill("SIGSTOP");
    const waiting = connection.request({ op: "who-has", keys: ["never answered"] });
    // A large message stuck in the socket buffers of a stopped peer is no sign of life.
    const stuck = connection.request({ op: "who-has", keys: ["big"] }, [new Uint8Array(256 * 2 ** 20)]);
    for (const pending of [waiting, stuck]) {
      await assert.rejects(pending, (error: Error) => {
        assert.ok(error instanceof ClosedError);
        assert.match(error.message, new RegExp(`the echo peer at ${peer.address.replace(/[.]/g, "\\.")} has not answered for 1 s`));
        return true;
      });
    }
    assert.throws(() => connection.send({ op: "heartbeat-client" }), /has not answered/);
  });

  it("keeps a peer that answers its pings", async () => {
    const peer = await startPeer();
    peers.push(peer.child);
    const connection = await connect(peer.address, { credential, logger, timeout: 5 });
    connection.start(() => {});
    const tenPings = answeredPings(connection, 10);
    watchLiveness(connection, { timeoutMs: 200, intervalMs: 20, peerName: "the echo peer" });
    await tenPings; // ten quiet intervals, each ended by a ping and its answer
    assert.equal(connection.isClosed, false);
    assert.deepEqual((await connection.request({ op: "who-has", keys: ["k"] })).result, { keys: ["k"], frameBytes: [] });
    connection.close();
  });

  it("counts bytes the network takes from a large message as a sign of life", async () => {
    let accepted: (socket: Socket) => void = () => {};
    const reader = new Promise<Socket>((resolve) => (accepted = resolve));
    const received = { bytes: 0, target: 0, reached: () => {} };
    const server = createServer((socket) => {
      accepted(socket);
      socket.pause();
      socket.on("data", (chunk: Buffer) => {
        received.bytes += chunk.length;
        if (received.bytes >= received.target) {
          socket.pause();
          received.reached();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as { port: number }).port;
    const socket = netConnect({ host: "127.0.0.1", port });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const channel = new StreamChannel(socket, "tcp://client", `tcp://127.0.0.1:${port}`);
    channel.setAuthenticated();
    channel.send({ messages: [{ op: "who-has", keys: ["big"] }], frames: [new Uint8Array(128 * 2 ** 20)] });
    const before = channel.lastActivity();
    // The peer reads 32 MiB of it: the network takes that much more from our buffers.
    received.target = 32 * 2 ** 20;
    const readerSocket = await reader;
    await new Promise<void>((resolve) => {
      received.reached = resolve;
      readerSocket.resume();
    });
    assert.ok(channel.lastActivity() > before, "draining output counts as life");
    channel.close();
    socket.destroy();
    readerSocket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
