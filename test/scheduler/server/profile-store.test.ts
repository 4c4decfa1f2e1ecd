import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { addStack, emptyProfile } from "../../../src/protocol/profile-tree.js";
import { ProfileStore } from "../../../src/scheduler/server/profile-store.js";

const frame = (name: string, line = 1) => ({ name, filename: "file:///job.js", line });

describe("the scheduler's profile store", () => {
  const tree = (name: string, n: number) => {
    const t = emptyProfile();
    addStack(t, [frame(name)], n);
    return t;
  };

  it("merges entries in a time range, by prefix and per worker", () => {
    const store = new ProfileStore();
    assert.ok(store.add("tcp://w1", { intervalMs: 5, entries: [{ time: 100, prefix: "inc", tree: tree("inc", 4) }, { time: 100, prefix: "sum", tree: tree("sum", 1) }] }));
    assert.ok(store.add("tcp://w2", { intervalMs: 5, entries: [{ time: 102, prefix: "inc", tree: tree("inc", 6) }] }));
    assert.equal(store.add("tcp://w2", { nonsense: true }), false);
    const all = store.query();
    assert.equal(all.tree.count, 11);
    assert.equal(all.intervalMs, 5);
    assert.deepEqual(all.prefixes, { inc: 10, sum: 1 });
    assert.equal(all.byWorker["tcp://w1"].count, 5);
    assert.deepEqual(all.timeline, [[100, 5], [102, 6]]);
    assert.equal(store.query({ prefix: "inc" }).tree.count, 10);
    assert.equal(store.query({ since: 101 }).tree.count, 6);
    assert.equal(store.query({ worker: "tcp://w1", prefix: "inc" }).tree.count, 4);
  });

  it("keeps a bounded number of entries", () => {
    const store = new ProfileStore(10);
    for (let i = 0; i < 40; i++) store.add("w", { intervalMs: 10, entries: [{ time: i, prefix: "p", tree: tree("f", 1) }] });
    assert.ok(store.size <= 13);
    assert.equal(store.query().timeline.at(-1)?.[0], 39, "the newest entries stay");
  });
});
