/**
 * A reduction whose input is binary arithmetic (x + x.T, x − y, x · 2) computes its first
 * level with reduceElementwisePartial: the arithmetic's blocks never become blocks of their
 * own. The answers must stay those of reducing the materialised arithmetic (bit for bit: the
 * same partials in the same tree) and NumPy's, over many blocks per axis.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import type { FusedStep } from "../../src/graph/task-runner.js";

function lowered(array: ta.Array) {
  return lowerArrays([array], () => false, (node) => (node as ta.Array).blockKeys()).graph;
}

/** The builtin names a task runs (its steps, when fused). */
function stepsOf(task: { fn: unknown; args: unknown[] }): string[] {
  const fn = task.fn as { builtin?: string };
  if (fn.builtin === "graph.fused") return (task.args[0] as { steps: FusedStep[] }).steps.map((step) => (step.fn as { builtin?: string }).builtin ?? "?");
  return [fn.builtin ?? "?"];
}

const values = (a: nd.NDArray) => Array.from(a.toTypedArray() as ArrayLike<number>);

describe("reductions of binary arithmetic", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "tessera-reduce-arithmetic-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // 23 blocks along each axis (the last one short), so the tree has two combining levels.
  const data = nd.random([230, 230], { seed: 4 });
  const other = nd.random([230, 230], { seed: 5 });
  const x = ta.fromArray(data, { chunks: [10, 10] });
  const y = ta.fromArray(other, { chunks: [10, 10] });

  it("gives the partials of the materialised arithmetic, bit for bit, for sum, mean, max and var, transposed operands and scalars", async () => {
    const cases: Array<[string, ta.Array, ta.Array]> = [
      ["sum(x + x.T)", x.add(x.transpose()).sum(), ta.fromArray(nd.add(data, nd.transpose(data)), { chunks: [10, 10] }).sum()],
      ["sum(x - y, axis 0)", x.sub(y).sum({ axis: 0 }), ta.fromArray(nd.subtract(data, other), { chunks: [10, 10] }).sum({ axis: 0 })],
      ["mean(x * 2, axis 1)", x.mul(2).mean({ axis: 1 }), ta.fromArray(nd.multiply(data, 2), { chunks: [10, 10] }).mean({ axis: 1 })],
      ["max(x / y.T)", x.div(y.transpose()).max(), ta.fromArray(nd.divide(data, nd.transpose(other)), { chunks: [10, 10] }).max()],
      ["var(maximum(x, y), splitEvery 4)", x.maximum(y).var({ splitEvery: 4 }), ta.fromArray(nd.maximum(data, other), { chunks: [10, 10] }).var({ splitEvery: 4 })],
    ];
    for (const [what, fused, materialised] of cases) {
      assert.deepEqual(values(await fused.compute()), values(await materialised.compute()), what);
    }
  });

  it("equals NumPy's sum of x + x.T and mean of x − y", async () => {
    const file = (name: string, a: nd.NDArray) => {
      const path = join(dir, name);
      const bytes = a.data as Float64Array;
      writeFileSync(path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return path;
    };
    const script = "import json, sys\nimport numpy as np\nx = np.fromfile(sys.argv[1], '<f8').reshape(230, 230)\ny = np.fromfile(sys.argv[2], '<f8').reshape(230, 230)\nprint(json.dumps([float((x + x.T).sum()), float((x - y).mean())]))";
    const [sum, mean] = JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, file("x.bin", data), file("y.bin", other)], { encoding: "utf8" })) as number[];
    const gotSum = (await x.add(x.transpose()).sum().compute()).item() as number;
    const gotMean = (await x.sub(y).mean().compute()).item() as number;
    // The tree adds partials in another order than NumPy's one pass: last bits may differ.
    assert.ok(Math.abs(gotSum - sum) <= 1e-12 * Math.abs(sum), `sum ${gotSum}, NumPy ${sum}`);
    assert.ok(Math.abs(gotMean - mean) <= 1e-12, `mean ${gotMean}, NumPy ${mean}`);
  });

  it("lowers x + x.T then sum to one task per block that reads both operand blocks: no arithmetic or transpose block of its own", () => {
    const graph = lowered(x.add(x.transpose()).sum());
    const tasks = [...graph.tasks.values()];
    const partials = tasks.filter((task) => stepsOf(task).includes("ndarray.reduceElementwisePartial"));
    assert.equal(partials.length, 23 * 23);
    // The transposed block is a step inside its partial; no add or transpose task stands alone.
    assert.ok(partials.every((task) => stepsOf(task).at(-1) === "ndarray.reduceElementwisePartial"));
    assert.ok(partials.filter((task) => stepsOf(task).includes("ndarray.transpose")).length === 23 * 23);
    assert.deepEqual(tasks.filter((task) => /^\('?(add|transpose)-/.test(task.key)), []);
    // Beside them, as many tasks as summing x alone, plus the off-diagonal blocks of x, which
    // two partials read (x_ij for (i, j) and, transposed, for (j, i)), so they stay tasks.
    assert.equal(graph.size, lowered(x.sum()).size + 23 * 23 - 23);
  });

  it("keeps the arithmetic's blocks when the reduction keeps every axis", async () => {
    const kept = x.add(y).sum({ axis: [] });
    assert.deepEqual(values(await kept.compute()), values(nd.add(data, other)));
    assert.ok([...lowered(kept).tasks.values()].every((task) => !stepsOf(task).includes("ndarray.reduceElementwisePartial")));
  });
});
