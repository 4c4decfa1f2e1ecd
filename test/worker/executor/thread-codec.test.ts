/**
 * Values crossing to and from a compute thread (thread-codec.ts) through a real
 * MessageChannel, as the thread pool sends them: NDArrays come back as NDArrays over the same
 * shared memory (views with their strides and offset intact), plain objects keep every key,
 * "__proto__" included as an own key, and Maps, Sets and arrays keep what they hold.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { fromThreadValue, toThreadValue } from "../../../src/worker/executor/thread-codec.js";
import { NDArray } from "../../../src/ndarray/ndarray.js";

/** What the other side of postMessage gets. */
function acrossThreads(value: unknown): unknown {
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(toThreadValue(value));
    return fromThreadValue((receiveMessageOnPort(port2) as { message: unknown }).message);
  } finally {
    port1.close();
  }
}

describe("values handed to compute threads", () => {
  it("keeps an NDArray view over the same shared memory, with its own shape, strides and offset", () => {
    const data = new Float64Array(new SharedArrayBuffer(8 * 12));
    data.forEach((_, i) => (data[i] = i));
    const base = new NDArray(data, [3, 4]);
    const view = new NDArray(base.data, [2, 2], { strides: [1, 4], offset: 5, dtype: "float64" }); // a transposed window
    const back = acrossThreads({ block: view, params: [view] }) as { block: NDArray; params: NDArray[] };
    assert.ok(back.block instanceof NDArray);
    assert.deepEqual([...back.block.shape], [2, 2]);
    assert.deepEqual([...back.block.strides], [1, 4]);
    assert.equal(back.block.offset, 5);
    assert.equal(back.block.data.buffer, back.params[0].data.buffer);
    (back.block.data as Float64Array)[5] = -1; // shared: the sender sees it
    assert.equal(base.data[5], -1);
    assert.equal(back.block.get(0, 0), -1, "the receiver reads at its offset");
    assert.equal(back.block.get(0, 1), 9, "the receiver reads through its strides (offset 5 + 1 × 4)");
  });

  it("keeps every key of plain objects, an own \"__proto__\" included, and what Maps, Sets and arrays hold", () => {
    const options = JSON.parse('{"__proto__": {"polluted": true}, "sigma": [1, 2], "mode": "reflect"}') as Record<string, unknown>;
    const value = { options, table: new Map<unknown, unknown>([["a", { n: 1 }], [2, new Set([3, "x"])]]), list: [null, -0, "s", { deep: { er: [1] } }] };
    const back = acrossThreads(value) as typeof value;
    assert.deepEqual(Object.keys(back.options), ["__proto__", "sigma", "mode"]);
    assert.deepEqual(Object.getOwnPropertyDescriptor(back.options, "__proto__")?.value, { polluted: true });
    assert.equal(Object.getPrototypeOf(back.options), Object.prototype);
    assert.equal((back.options as { polluted?: unknown }).polluted, undefined);
    assert.deepEqual(back.table, value.table);
    assert.deepEqual(back.list, value.list);
    assert.ok(Object.is(back.list[1], -0));
  });
});
