import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { StreamEncoder, rectKinds } from "../../../src/dashboard/server/stream-encoder.js";
import type { ObservedRecord } from "../../../src/scheduler/state/commands.js";

const task = (key: string, prefix: string, worker: string, thread: number, start: number, stop: number, status: "OK" | "error" = "OK"): ObservedRecord => ({
  kind: "task", key, prefix, worker, thread, status, nbytes: 8, startstops: [{ action: "compute", start, stop }],
});

describe("the task stream's compact form", () => {
  it("names each row and prefix once, then refers to them by number", () => {
    const encoder = new StreamEncoder(1000, (address) => (address === "tcp://a:1" ? "alpha" : address));
    const first = encoder.encode([task("inc-1", "inc", "tcp://a:1", 0, 1001, 1001.5), task("inc-2", "inc", "tcp://a:1", 1, 1001.2, 1002)]);
    assert.deepEqual(first.rows, [[0, "alpha · 0", "tcp://a:1"], [1, "alpha · 1", "tcp://a:1"]]);
    assert.equal(first.prefixes.length, 1);
    assert.equal(first.prefixes[0][1], "inc");
    assert.deepEqual(first.start, [1, 1.2]);
    assert.deepEqual(first.stop, [1.5, 2]);
    const second = encoder.encode([task("inc-3", "inc", "tcp://a:1", 0, 1003, 1004)]);
    assert.deepEqual(second.rows, []);
    assert.deepEqual(second.prefixes, []);
    assert.deepEqual(second.row, [0]);
  });

  it("marks errors, and draws transfers on the receiving worker's first row with their bytes", () => {
    const encoder = new StreamEncoder(0);
    const delta = encoder.encode([
      task("bad-1", "bad", "w1", 2, 1, 2, "error"),
      { kind: "transfer", worker: "w2", from: "w1", keys: ["x-1", "x-2"], bytes: 4096, start: 3, stop: 3.5 },
    ]);
    assert.equal(rectKinds[delta.kind[0]], "error");
    assert.equal(rectKinds[delta.kind[1]], "transfer");
    assert.deepEqual(delta.bytes, [0, 4096]);
    assert.equal(delta.rows.find(([index]) => index === delta.row[1])?.[2], "w2");
    assert.match(delta.key[1], /2 keys from w1/);
  });

  it("gives a late page every name while still announcing new ones to the others", () => {
    const encoder = new StreamEncoder(0);
    encoder.encode([task("a-1", "a", "w1", 0, 1, 2)]);
    const history = encoder.encodeHistory([task("b-1", "b", "w2", 0, 3, 4)]);
    assert.deepEqual(history.rows.map((r) => r[2]), ["w1", "w2"]);
    assert.deepEqual(history.prefixes.map((p) => p[1]), ["a", "b"]);
    const next = encoder.encode([]);
    assert.deepEqual(next.rows.map((r) => r[2]), ["w2"], "pages already connected learn the row the history introduced");
    assert.deepEqual(next.prefixes.map((p) => p[1]), ["b"]);
  });
});
