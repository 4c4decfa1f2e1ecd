import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FrameDecoder, FramingError, encodePrelude, handshakeLimits, sessionLimits } from "../../src/protocol/framing.js";
import { fastValidate } from "../../src/protocol/fast-validation.js";
import { messageSchema } from "../../src/protocol/messages.js";
import { TaskRef, packPayload, unpackPayload } from "../../src/protocol/payload.js";
import * as nd from "../../src/ndarray/index.js";

function decodeAll(bytes: Uint8Array, chunkSize: number, limits = sessionLimits): Uint8Array[][] {
  const messages: Uint8Array[][] = [];
  const decoder = new FrameDecoder(limits, (frames) => messages.push(frames));
  for (let i = 0; i < bytes.length; i += chunkSize) decoder.push(bytes.subarray(i, i + chunkSize));
  return messages;
}

describe("framing", () => {
  const frames = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(1000).fill(7)];
  const wire = Buffer.concat([encodePrelude(frames), ...frames, encodePrelude(frames), ...frames]);
  for (const chunkSize of [1, 7, 64, wire.length]) {
    it(`reassembles messages delivered in ${chunkSize}-byte pieces`, () => {
      const messages = decodeAll(wire, chunkSize);
      assert.equal(messages.length, 2);
      for (const message of messages) {
        assert.deepEqual(message.map((f) => f.length), [3, 0, 1000]);
        assert.equal(message[2][999], 7);
        assert.ok(message[2].buffer instanceof SharedArrayBuffer, "binary frames land in shared memory");
      }
    });
  }
  it("rejects a bad magic, too many frames and absurd lengths before allocating", () => {
    assert.throws(() => decodeAll(new Uint8Array(16), 16), FramingError);
    const many = encodePrelude([new Uint8Array(1), new Uint8Array(1)]);
    assert.throws(() => decodeAll(many, many.length, handshakeLimits), /frames/);
    const huge = encodePrelude([{ byteLength: 2 ** 40 } as Uint8Array]);
    assert.throws(() => decodeAll(huge, huge.length, handshakeLimits), /limit/);
  });
});

describe("payloads", () => {
  it("round-trips values with binary data out of band, without copying", () => {
    const array = nd.arange(0, 12, 1, "float32");
    const view = nd.transpose(nd.reshape(array, [3, 4]));
    const value = { a: [1, "two", null, undefined, true], m: new Map([["k", 1]]), s: new Set([1, 2]), d: new Date(5), nd: view, raw: new Uint16Array([9, 8]), ref: new TaskRef("x-1"), $nd: "not a marker" };
    const frames: Uint8Array[] = [];
    const tree = packPayload(value, frames);
    assert.equal(frames.length, 2, "the array and the typed array travel as frames");
    const back = unpackPayload(tree, frames, (key) => `value of ${key}`) as typeof value & { ref: string };
    assert.deepEqual(back.a, value.a);
    assert.deepEqual([...back.m], [["k", 1]]);
    assert.deepEqual([...back.s], [1, 2]);
    assert.equal(back.d.getTime(), 5);
    assert.deepEqual((back.nd as nd.NDArray).toArray(), view.toArray());
    assert.deepEqual([...back.raw], [9, 8]);
    assert.equal(back.ref, "value of x-1");
    assert.equal(back.$nd, "not a marker");
    const contiguous = nd.arange(0, 4, 1, "float64");
    const out: Uint8Array[] = [];
    packPayload(contiguous, out);
    assert.equal(out[0].buffer, contiguous.data.buffer, "a contiguous block is sent from its own memory");
  });
  it("refuses functions as data, naming where they are", () => {
    assert.throws(() => packPayload({ f: () => 1 }, [], "the arguments of task t"), /cannot send the arguments of task t: the part at \.f is a function \(f\)/);
  });
});

describe("fast validation agrees with the schemas", () => {
  const valid: unknown[] = [
    { op: "compute-task", key: "k", runId: 1, priority: [0, 3], fn: { builtin: "graph.noop" }, args: [], deps: [{ key: "d", whoHas: ["tcp://a:1"], nbytes: 8 }], prefix: "k" },
    { op: "task-finished", key: "k", runId: 1, nbytes: 8, type: "number", startstops: [{ action: "compute", start: 1, stop: 2 }], thread: 0 },
    { op: "task-started", keys: ["a", "b"], start: 3 },
    { op: "key-in-memory", key: "k", nbytes: 8, type: "number", whoHas: ["tcp://a:1"] },
    { op: "free-keys", keys: ["k"] },
    { op: "free-keys", keys: ["k"], seq: 3 },
    { op: "reply", reqId: 4, ok: true, result: { x: 1 } },
    { op: "get-data", reqId: 2, keys: ["k"] },
    { op: "update-graph", reqId: 3, tasks: [{ key: "k", fn: { builtin: "graph.noop" }, args: [1], deps: ["d"], retries: 2, priority: -1, workers: ["w"], allowOtherWorkers: true }], wanted: ["k"] },
    { op: "update-graph", reqId: 3, tasks: [{ key: "k", fn: { source: "(x) => x", name: "" }, args: { $nd: 1 }, f: [0], deps: [] }], wanted: [], fifo: false },
    { op: "ping", reqId: 9 },
  ];
  const invalid: unknown[] = [
    { op: "compute-task", key: "", runId: 1, priority: [], fn: { builtin: "x" }, args: [], deps: [], prefix: "" },
    { op: "compute-task", key: "k", runId: 1, priority: [], fn: { eval: "x" }, args: [], deps: [], prefix: "" },
    { op: "task-finished", key: "k", runId: -1, nbytes: 8, type: "n", startstops: [], thread: 0 },
    { op: "task-finished", key: "k", runId: 1, nbytes: 8, type: "n", startstops: [{ action: "sleep", start: 1, stop: 2 }], thread: 0 },
    { op: "task-started", keys: [1], start: 3 },
    { op: "free-keys", keys: "k" },
    { op: "free-keys", keys: ["k"], seq: -1 },
    { op: "get-data", reqId: 2, keys: [""] },
    { op: "update-graph", tasks: [], wanted: [] },
    { op: "update-graph", reqId: 3, tasks: [{ key: "k".repeat(4097), fn: { builtin: "x" }, args: [], deps: [] }], wanted: [] },
    { op: "update-graph", reqId: 3, tasks: [{ key: "k", fn: { builtin: "x" }, args: [], deps: [] }], wanted: [""] },
    { op: "update-graph", reqId: 3, tasks: [{ key: "k", fn: { builtin: "x" }, args: [], deps: [], retries: 1.5 }], wanted: [] },
    { op: "update-graph", reqId: 3, tasks: [{ key: "k", fn: { builtin: "x" }, args: [], deps: [], priority: NaN }], wanted: [] },
    { op: "update-graph", reqId: 3, tasks: [{ key: "k", fn: { source: "x".repeat(1_000_001), name: "f" }, args: [], deps: [] }], wanted: [] },
    { op: "task-started", keys: ["a"], start: NaN },
    { op: "ping" },
  ];
  for (const message of valid) {
    it(`accepts a valid ${(message as { op: string }).op}, as zod does`, () => {
      assert.ok(messageSchema.safeParse(structuredClone(message)).success);
      assert.ok(fastValidate(structuredClone(message)));
    });
  }
  for (const message of invalid) {
    it(`rejects an invalid ${(message as { op: string }).op}, as zod does`, () => {
      assert.equal(messageSchema.safeParse(structuredClone(message)).success, false);
      assert.equal(fastValidate(structuredClone(message)), undefined);
    });
  }
});
