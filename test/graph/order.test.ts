/**
 * Task order (dask.order, simplified): dependencies before dependents, outputs in key order
 * with digits compared as numbers, and tasks no output reaches last, in key order. The
 * scheduler orders every graph it takes in by this, a million tasks at a time (issue 10).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { computeOrder, type OrderInput } from "../../src/graph/order.js";

const graph = (entries: Array<[string, string[]]>): Map<string, OrderInput> => new Map(entries.map(([key, deps]) => [key, { key, deps }]));
const sequence = (order: Map<string, number>) => [...order].sort((a, b) => a[1] - b[1]).map(([key]) => key);

describe("task order", () => {
  it("finishes one output (its dependencies first) before the next, outputs in numeric key order", () => {
    const tasks = graph([
      ["(x, 10)", ["(load, 10)"]], ["(x, 9)", ["(load, 9)"]], ["(load, 9)", []], ["(load, 10)", []],
      ["(x, 2)", ["(load, 2)", "(load, 9)"]], ["(load, 2)", []],
    ]);
    assert.deepEqual(sequence(computeOrder(tasks)), ["(load, 2)", "(load, 9)", "(x, 2)", "(x, 9)", "(load, 10)", "(x, 10)"]);
  });

  it("orders what the given outputs do not reach last, in key order", () => {
    const tasks = graph([["b", ["a"]], ["a", []], ["z-10", ["z-9"]], ["z-9", []], ["y", []]]);
    assert.deepEqual(sequence(computeOrder(tasks, ["b"])), ["a", "b", "y", "z-9", "z-10"]);
  });

  it("keeps the given order for independent tasks", () => {
    const tasks = graph([["m-2", []], ["m-10", []], ["m-1", []]]);
    assert.deepEqual(sequence(computeOrder(tasks, ["m-10", "m-1", "m-2"])), ["m-10", "m-1", "m-2"]);
    assert.deepEqual(sequence(computeOrder(tasks)), ["m-2", "m-10", "m-1"]);
  });
});
