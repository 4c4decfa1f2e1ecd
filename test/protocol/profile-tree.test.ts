import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { addStack, emptyProfile, mergeProfile, readProfileSamples, type ProfileNode } from "../../src/protocol/profile-tree.js";

const frame = (name: string, line = 1) => ({ name, filename: "file:///job.js", line });

describe("profile trees", () => {
  it("count samples inclusively along each stack and merge by identifier", () => {
    const a = emptyProfile();
    addStack(a, [frame("main"), frame("filter"), frame("convolve")]);
    addStack(a, [frame("main"), frame("filter")]);
    const b = emptyProfile();
    addStack(b, [frame("main"), frame("store")], 3);
    mergeProfile(a, b);
    assert.equal(a.count, 5);
    const main = a.children["main;file:///job.js;1"];
    assert.equal(main.count, 5);
    assert.equal(main.children["filter;file:///job.js;1"].count, 2);
    assert.equal(main.children["filter;file:///job.js;1"].children["convolve;file:///job.js;1"].count, 1);
    assert.equal(main.children["store;file:///job.js;1"].count, 3);
  });

  it("refuses malformed samples from the network", () => {
    const tree = emptyProfile();
    addStack(tree, [frame("f")]);
    assert.ok(readProfileSamples({ intervalMs: 10, entries: [{ time: 1, prefix: "inc", tree }] }));
    assert.equal(readProfileSamples({ intervalMs: 10, entries: [{ time: 1, prefix: "inc", tree: { identifier: "root" } }] }), null);
    assert.equal(readProfileSamples({ intervalMs: -1, entries: [] }), null);
    let deep: ProfileNode = emptyProfile();
    for (let i = 0; i < 1100; i++) deep = { ...emptyProfile(), identifier: `f${i}`, children: { x: deep } };
    assert.equal(readProfileSamples({ intervalMs: 10, entries: [{ time: 1, prefix: "p", tree: deep }] }), null, "too deep");
  });
});
