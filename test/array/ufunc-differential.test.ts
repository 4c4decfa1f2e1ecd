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
import { evaluatePython, type PythonResult } from "./python-eval.js";
import { rngOf } from "./differential-inputs.js";
import { Inputs } from "./differential-inputs.js";
import { drawUfuncCase, type UfuncCase } from "./ufunc-cases.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);
const count = Number(process.env.TESSERA_FUZZ_CASES ?? 700);

/** Distance in units in the last place between two floats of `dtype` (their bit patterns in order). */
function ulpDistance(a: number, b: number, dtype: nd.DType): number {
  const ordered = (x: number): bigint => {
    const view = new DataView(new ArrayBuffer(8));
    let bits: bigint;
    if (dtype === "float32") {
      view.setFloat32(0, x);
      bits = BigInt(view.getInt32(0));
    } else {
      view.setFloat64(0, x);
      bits = view.getBigInt64(0);
    }
    return bits < 0n ? -(bits & (dtype === "float32" ? 0x7fffffffn : 0x7fffffffffffffffn)) : bits;
  };
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}

function mismatch(c: UfuncCase, ours: nd.NDArray | Error, numpy: PythonResult): string | null {
  if (ours instanceof Error) return numpy.error !== undefined ? null : `tessera raised ${ours.message}; NumPy gives ${numpy.array?.dtype} [${numpy.array?.shape.join(", ")}]`;
  if (numpy.error !== undefined) return `NumPy raises ${numpy.error}; tessera gives ${ours.dtype} [${ours.shape.join(", ")}] ${String(ours.toTypedArray().slice(0, 6))}`;
  const expected = numpy.array as nd.NDArray;
  if (ours.dtype !== expected.dtype) return `dtype ${ours.dtype}, NumPy ${expected.dtype}`;
  if (ours.shape.join() !== expected.shape.join()) return `shape [${ours.shape.join(", ")}], NumPy [${expected.shape.join(", ")}]`;
  const a = ours.toTypedArray();
  const b = expected.toTypedArray();
  const float = nd.dtypeInfo(ours.dtype).kind === "f";
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    // ±0 against ±0 is a sign difference, never within ulps; NaN against a number never either.
    const near = float && c.ulps > 0 && a[i] !== 0 && b[i] !== 0 && ulpDistance(a[i] as number, b[i] as number, ours.dtype) <= c.ulps;
    if (!near) return `element ${i}: ${String(Object.is(a[i], -0) ? "-0" : a[i])}, NumPy ${String(Object.is(b[i], -0) ? "-0" : b[i])}`;
  }
  return null;
}

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
