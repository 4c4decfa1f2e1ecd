import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect as netConnect } from "node:net";
import { randomBytes } from "node:crypto";
import { SchedulerServer } from "../../src/scheduler/server/scheduler-server.js";
import { WorkerServer } from "../../src/worker/server/worker-server.js";
import { Client } from "../../src/client/client.js";
import { connect } from "../../src/comm/connect.js";
import { parseAddress } from "../../src/comm/address.js";
import { encodePrelude } from "../../src/protocol/framing.js";
import { encodeHeader } from "../../src/comm/stream-channel.js";
import type { Logger } from "../../src/core/log.js";

/** A logger that counts what the servers report instead of printing it. */
function countingLogger(): Logger & { problems: number } {
  const logger = {
    problems: 0,
    error: () => { logger.problems++; },
    warn: () => { logger.problems++; },
    info: () => {},
    debug: () => {},
    enabled: () => false,
  };
  return logger;
}

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
    case 1: { const valid = frame({ op: "hello", version: 1, nonce: "a".repeat(32), role: "client" }); return valid.subarray(0, 1 + (i % (valid.length - 1))); }
    case 2: { const b = Buffer.alloc(16); b.writeUInt32LE(0x31525354, 0); b.writeUInt32LE(0xffffffff, 4); return b; }
    case 3: { const b = Buffer.alloc(16); b.writeUInt32LE(0x31525354, 0); b.writeUInt32LE(1, 4); b.writeUInt32LE(0xffffffff, 8); b.writeUInt32LE(0xffff, 12); return b; }
    case 4: return frame({ op: "prove", proof: "0".repeat(64) });
    case 5: return frame({ op: "hello", version: 99, nonce: "b".repeat(32), role: "client" });
    case 6: return frame(["not", "an", "object"]);
    default: return Buffer.concat([frame({ op: "hello", version: 1, nonce: "c".repeat(32), role: "client" }), random]);
  }
}

/** Messages with the right credential but wrong fields or wrong ops. */
const badMessages: unknown[] = [
  { op: "update-graph", tasks: "nope", wanted: [] },
  { op: "update-graph", tasks: [{ key: "", fn: { builtin: "x" }, args: [], deps: [] }], wanted: [] },
  { op: "update-graph", tasks: [{ key: "a", fn: { eval: "process.exit()" }, args: [], deps: [] }], wanted: ["a"] },
  { op: "task-finished", key: "x", runId: -1 },
  { op: "register-worker", reqId: 1, address: 5 },
  { op: "no-such-op" },
  { op: "get-data", reqId: "one", keys: [1, 2] },
  { op: "compute-task", key: "k" },
  { op: "release-keys", keys: [null] },
  42,
];

describe("malformed input against scheduler and worker ports", () => {
  let logger: Logger & { problems: number };
  let scheduler: SchedulerServer;
  let worker: WorkerServer;
  before(async () => {
    logger = countingLogger();
    scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0", logger });
    worker = await WorkerServer.start({ schedulerAddress: scheduler.address, credential: scheduler.credential, logger });
  });
  after(async () => {
    await worker?.close();
    await scheduler?.close();
  });

  it("drops 10,000 malformed connections with a logged error each, and keeps serving", async () => {
    const targets = [scheduler.address, worker.address];
    let sent = 0;
    for (let batch = 0; batch < 90; batch++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => sendRaw(targets[(batch + i) % 2], malformed(batch * 100 + i))));
      sent += 100;
    }
    for (let round = 0; round < 50; round++) {
      for (const target of targets) {
        for (const bad of badMessages) {
          const connection = await connect(target, { credential: scheduler.credential, logger, timeout: 5 });
          connection.start(() => {});
          const closed = new Promise<void>((resolve) => connection.onClose(() => resolve()));
          connection.channel.send({ messages: [bad], frames: [] });
          await closed;
          sent++;
        }
      }
    }
    assert.ok(sent >= 10_000, `sent ${sent}`);
    assert.ok(logger.problems >= sent * 0.99, `${logger.problems} problems logged for ${sent} malformed inputs`);
    const client = await Client.connect(scheduler.address, { credential: scheduler.credential, setAsDefault: false });
    try {
      assert.equal(await client.submit((a: number, b: number) => a * b, 6, 7).result(), 42);
    } finally {
      await client.close();
    }
  });

  it("refuses a client with a wrong credential before handling anything it sends", async () => {
    await assert.rejects(Client.connect(scheduler.address, { credential: "f".repeat(64), timeout: 5, setAsDefault: false }), /refused|credential/);
    assert.equal(scheduler.state.clients.size, 0);
  });
});
