// Seeded differential test of the lazy ufuncs (ufunc-cases.ts) against NumPy 1.24 (values,
// dtype, shape, refusals) and Dask 2022.12 (chunks), on random dtypes, shapes and chunkings with
// NaN, ±inf, −0 and integer extremes; one Python process answers every case of a test. Then a
// sample of the same cases on a LocalCluster of 2 workers × 1 thread must equal the local result
// bit for bit (blocks travel and are computed in other processes, nothing else may change).
// The seed is printed with every failure; TESSERA_FUZZ_SEED=n reruns another, TESSERA_FUZZ_CASES=n
// sets the number of cases (700).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { mismatch } from "./differential-compare.js";
import { rngOf } from "./differential-inputs.js";
import { Inputs } from "./differential-inputs.js";
import { drawUfuncCase, type UfuncCase } from "./ufunc-cases.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);
const count = Number(process.env.TESSERA_FUZZ_CASES ?? 700);

function draw(offset: number, n: number): { cases: UfuncCase[]; inputs: Inputs } {
  const rng = rngOf(seed + offset);
  const inputs = new Inputs();
  return { cases: Array.from({ length: n }, (_, i) => drawUfuncCase(rng, inputs, i)), inputs };
}

async function computeAll(cases: readonly UfuncCase[]): Promise<Array<nd.NDArray | Error>> {
  const results: Array<nd.NDArray | Error> = [];
  for (const c of cases) {
    try {
      results.push(await c.ours().compute());
    } catch (error) {
      results.push(error as Error);
    }
  }
  return results;
}

function report(problems: string[], total: number): void {
  if (problems.length > 0) assert.fail(`${problems.length} of ${total} cases differ (seed ${seed}; TESSERA_FUZZ_SEED=${seed} reruns):\n${problems.join("\n")}`);
}

describe(`lazy ufuncs against NumPy and Dask (seed ${seed})`, () => {
  it("unary functions, floorDivide/remainder/power corners, where and clip: NumPy's values, dtypes and refusals, Dask's chunks", async () => {
    const { cases, inputs } = draw(0, count);
    const expressions: Record<string, string> = {};
    for (const c of cases) {
      expressions[`${c.label}_np`] = c.numpy;
      if (c.dask) expressions[`${c.label}_da`] = c.dask;
    }
    const reference = evaluatePython(inputs.arrays, expressions);
    const results = await computeAll(cases);
    const problems: string[] = [];
    cases.forEach((c, i) => {
      const ours = results[i];
      const say = (what: string) => problems.push(`${c.label}: ${what}\n    numpy: ${c.numpy}`);
      const numpy = reference[`${c.label}_np`];
      // tessera refuses an integer power by a negative scalar when the graph is built, before it
      // knows whether any element is left; NumPy's loop raises only if it runs (an empty array gives []).
      if (ours instanceof Error && /negative integer powers/.test(ours.message) && numpy.array?.size === 0) return;
      const problem = mismatch(c, ours, numpy);
      if (problem) return say(problem);
      if (ours instanceof Error) {
        // A refusal must say what was refused: the function's name.
        const fn = c.label.split("_")[1];
        if (!ours.message.toLowerCase().includes(fn.toLowerCase().replace("mod", "remainder")) && !ours.message.includes(fn)) say(`the error does not name ${fn}: ${ours.message}`);
        return;
      }
      const lazy = c.ours();
      if (lazy.dtype !== ours.dtype || lazy.shape.join() !== ours.shape.join()) say(`lazy ${lazy.dtype} [${lazy.shape.join(", ")}], computed ${ours.dtype} [${ours.shape.join(", ")}]`);
      const dask = c.dask ? reference[`${c.label}_da`] : undefined;
      if (dask?.chunks && ours.size > 0 && JSON.stringify(lazy.chunks) !== JSON.stringify(dask.chunks)) {
        say(`chunks ${JSON.stringify(lazy.chunks)}, Dask ${JSON.stringify(dask.chunks)}\n    dask: ${c.dask}`);
      }
    });
    report(problems, cases.length);
  });
});

describe("a sample of the ufunc cases on a LocalCluster of 2 workers × 1 thread", () => {
  let cluster: LocalCluster;
  let client: Client;
  // Boolean masks too: each output block's piece of the mask travels in a task of its own (mask-select.ts).
  const masked = nd.subtract(nd.multiply(nd.random([23, 9], { seed: 7 }), 100), 50);
  const maskCases: UfuncCase[] = [
    nd.greater(nd.random([23, 9], { seed: 8 }), 0.6), nd.greater(nd.random([23], { seed: 9 }), 0.5), nd.zeros([23], "bool"),
  ].map((mask, i) => ({
    label: `m${i}_mask_${mask.shape.join("x")}`, numpy: "", ulps: 0,
    ours: () => ta.where(ta.fromArray(masked, { chunks: [4, 5] }).gt(0), ta.fromArray(masked, { chunks: [5, 4] }), -1).get(mask),
  }));
  const cases = [...draw(0, 24).cases, ...maskCases];
  let local: Array<nd.NDArray | Error>;
  before(async () => {
    local = await computeAll(cases);
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("gives the local executor's results bit for bit (and its refusals)", async () => {
    const remote = await computeAll(cases);
    const problems: string[] = [];
    cases.forEach((c, i) => {
      const [here, there] = [local[i], remote[i]];
      if (here instanceof Error || there instanceof Error) {
        if (!(here instanceof Error && there instanceof Error)) problems.push(`${c.label}: local ${String(here instanceof Error ? here.message : "a result")}, cluster ${String(there instanceof Error ? there.message : "a result")}`);
        return;
      }
      const problem = mismatch({ ...c, ulps: 0 }, there, { array: here });
      if (problem) problems.push(`${c.label}: ${problem.replace("NumPy", "local")}`);
    });
    assert.ok(remote.some((r) => !(r instanceof Error)), "no case computed on the cluster");
    report(problems, cases.length);
  });
});
