/**
 * What unauthenticated peers can cost a listener (issue 9, "weaker" items): at most
 * `maxPendingHandshakes` at once (the rest closed as they arrive), each for at most the
 * handshake timeout, with a bounded log; and a certificate from the wrong CA fails at once,
 * naming the CA problem, instead of being retried until the connect timeout.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { connect, TLSVerificationError } from "../../src/comm/connect.js";
import { listen, type Listener } from "../../src/comm/listener.js";
import { Security } from "../../src/comm/security.js";
import { createLogger } from "../../src/core/log.js";
import { recordingLogger, refusalsLogged } from "./recording-logger.js";
import { parseAddress } from "../../src/comm/address.js";

const credential = "d".repeat(64);

/** Opens a TCP connection that never says anything (it reads, to see the end); resolves once it is connected. */
function silentPeer(address: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { host, port } = parseAddress(address);
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port }, () => resolve({ socket, closed }));
    socket.resume();
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    socket.on("error", () => {});
    socket.once("error", reject);
  });
}

/** A TCP relay in front of `target` that counts the connections made through it. */
async function countingRelay(target: string): Promise<{ address: string; connections: () => number; close(): Promise<void> }> {
  const { host, port } = parseAddress(target);
  let count = 0;
  const sockets = new Set<Socket>();
  const relay: Server = createServer((incoming) => {
    count++;
    const outgoing = netConnect({ host, port });
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => { incoming.destroy(); outgoing.destroy(); });
    }
    incoming.pipe(outgoing);
    outgoing.pipe(incoming);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", () => resolve()));
  return {
    address: `tls://127.0.0.1:${(relay.address() as { port: number }).port}`,
    connections: () => count,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      relay.close(() => resolve());
    }),
  };
}

describe("a listener under unauthenticated load", () => {
  const listeners: Listener[] = [];
  after(async () => { for (const listener of listeners) await listener.close(); });

  it("lets at most maxPendingHandshakes peers authenticate at once, closes the rest at once, and logs a bounded summary", async () => {
    const logger = recordingLogger();
    const listener = await listen("tcp://127.0.0.1:0", {
      credential, logger, handshakeTimeoutMs: 2000, maxPendingHandshakes: 20, onConnection: (connection) => connection.start(() => {}),
    });
    listeners.push(listener);
    const peers = [];
    for (let i = 0; i < 20; i++) peers.push(await silentPeer(listener.address));
    const excess = await Promise.all(Array.from({ length: 200 }, () => silentPeer(listener.address)));
    // Each of the excess peers is closed by the listener without having said a word.
    await Promise.all(excess.map((peer) => peer.closed));
    assert.ok(peers.every((peer) => !peer.socket.destroyed), "the first 20 are still being waited for");
    // Once the silent ones run out of handshake time, a real peer gets in.
    const connection = await connect(listener.address, { credential, logger: createLogger("test"), timeout: 30 });
    connection.start(() => {});
    assert.equal((await connection.request({ op: "ping" })).result, null);
    connection.close();
    await Promise.all(peers.map((peer) => peer.closed));
    await listener.close();
    const refused = refusalsLogged(logger.lines);
    assert.ok(refused >= 220, `every refusal counted (${refused})`);
    assert.ok(logger.lines.length <= 12, `a bounded log: ${logger.lines.length} lines for ${refused} refusals`);
    assert.ok(logger.lines.some((line) => /already authenticating; closed at once/.test(line)));
  });

  it("fails at once, not retried, when the server's certificate is from another CA", async () => {
    const serverSecurity = Security.temporary();
    const listener = await listen("tls://127.0.0.1:0", { credential, security: serverSecurity, logger: recordingLogger(), onConnection: (c) => c.start(() => {}) });
    listeners.push(listener);
    const relay = await countingRelay(listener.address);
    try {
      await assert.rejects(
        connect(relay.address, { credential, security: Security.temporary(), logger: createLogger("test"), timeout: 30 }),
        (error: Error) => {
          assert.ok(error instanceof TLSVerificationError, `${error.name}: ${error.message}`);
          assert.match(error.message, /TLS verification failed for .*does not verify against the CA in this Security/);
          return true;
        },
      );
      assert.equal(relay.connections(), 1, "one attempt, no retries");
    } finally {
      await relay.close();
    }
  });

  it("fails at once when the server rejects this process's certificate", async () => {
    const serverSecurity = Security.temporary();
    const listener = await listen("tls://127.0.0.1:0", { credential, security: serverSecurity, logger: recordingLogger(), onConnection: (c) => c.start(() => {}) });
    listeners.push(listener);
    const relay = await countingRelay(listener.address);
    // Trusts the server's CA, but presents a certificate from another one.
    const other = Security.temporary();
    const client = new Security({ ca: serverSecurity.ca, cert: other.cert, key: other.key });
    try {
      await assert.rejects(
        connect(relay.address, { credential, security: client, logger: createLogger("test"), timeout: 30 }),
        (error: Error) => {
          assert.ok(error instanceof TLSVerificationError, `${error.name}: ${error.message}`);
          assert.match(error.message, /rejected this process's certificate/);
          return true;
        },
      );
      assert.equal(relay.connections(), 1, "one attempt, no retries");
    } finally {
      await relay.close();
    }
  });
});
