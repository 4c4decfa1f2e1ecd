// The one walk that finds the fromZarr sources of a graph (zarr-sources.ts), used by the
// changed-source check and the write-over-source refusal: every source at any depth, each
// once by name, through graphs too deep to recurse and nodes too wide to spread.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ArrayExpr, ArrayNode } from "../../src/array/expr.js";
import { FromZarrExpr } from "../../src/array/sources.js";
import { zarrSourcesOf } from "../../src/array/zarr-sources.js";

const identity = { stamp: "s", token: "", generation: "" };

function source(name: string, component: string): ArrayNode {
  return { name, shape: [4], chunks: [[4]], dtype: "float64", expr: new FromZarrExpr({ path: "/data/store.zarr", component }, [4], identity) };
}

function step(name: string, inputs: readonly ArrayNode[]): ArrayNode {
  const expr: ArrayExpr = { kind: "test-step", inputs, lower() {} };
  return { name, shape: [4], chunks: [[4]], dtype: "float64", expr };
}

const componentsOf = (found: Map<string, FromZarrExpr>) => [...found.values()].map((expr) => expr.ref.component).sort();

describe("zarrSourcesOf", () => {
  it("finds sources below the first level, each under its node name", () => {
    const a = source("from-zarr-a", "a");
    const b = source("from-zarr-b", "b");
    const graph = step("out", [step("left", [a]), step("right", [step("deeper", [b])])]);
    const found = zarrSourcesOf([graph]);
    assert.deepEqual([...found.keys()].sort(), ["from-zarr-a", "from-zarr-b"]);
    assert.deepEqual(componentsOf(found), ["a", "b"]);
    assert.equal(zarrSourcesOf([source("from-zarr-root", "root")]).size, 1, "an output that is itself a source");
    assert.equal(zarrSourcesOf([step("constant", [])]).size, 0);
  });

  it("gives a source used 50 times once, whether one node or 50 fromZarr calls with its name", () => {
    const shared = source("from-zarr-x", "x");
    let once = step("start", []);
    for (let i = 0; i < 50; i++) once = step(`use-${i}`, [once, shared]);
    assert.equal(zarrSourcesOf([once]).size, 1);
    let calls = step("start", []);
    for (let i = 0; i < 50; i++) calls = step(`call-${i}`, [calls, source("from-zarr-x", "x")]);
    assert.equal(zarrSourcesOf([calls]).size, 1);
    assert.equal(zarrSourcesOf([once, calls]).size, 1, "across outputs too");
  });

  it("keeps the sources below an unpersisted node whose name a persisted one shares", () => {
    // persist() returns a node with the same name and no inputs; the graph may use both.
    const below = step("y", [source("from-zarr-y", "y")]);
    const persisted = step("y", []);
    assert.equal(zarrSourcesOf([step("out", [below, persisted])]).size, 1);
    assert.equal(zarrSourcesOf([step("out", [persisted, below])]).size, 1);
  });

  it("walks a chain 200,000 deep and a node with 200,000 inputs without overflowing the stack", () => {
    let chain = source("from-zarr-bottom", "bottom");
    for (let i = 0; i < 200_000; i++) chain = step(`chain-${i}`, [chain]);
    assert.deepEqual([...zarrSourcesOf([chain]).keys()], ["from-zarr-bottom"]);
    const inputs = Array.from({ length: 200_000 }, (_, i) => (i === 123_456 ? source("from-zarr-wide", "wide") : step(`leaf-${i}`, [])));
    assert.deepEqual([...zarrSourcesOf([step("wide", inputs)]).keys()], ["from-zarr-wide"]);
  });

  it("reads each node's inputs once: a shared input is not walked again", () => {
    // Without the visited set, 60 levels of these diamonds would be 2^60 paths to the source.
    const reads = new Map<string, number>();
    const counted = (name: string, inputs: readonly ArrayNode[]): ArrayNode => {
      const expr: ArrayExpr = { kind: "test-step", get inputs() { reads.set(name, (reads.get(name) ?? 0) + 1); return inputs; }, lower() {} };
      return { name, shape: [4], chunks: [[4]], dtype: "float64", expr };
    };
    let node = source("from-zarr-diamond", "diamond");
    for (let i = 0; i < 5; i++) node = counted(`join-${i}`, [counted(`l-${i}`, [node]), counted(`r-${i}`, [node])]);
    assert.equal(zarrSourcesOf([node, node]).size, 1);
    assert.equal(reads.size, 15);
    assert.deepEqual([...reads].filter(([, count]) => count !== 1), [], "inputs read more than once");
  });
});
