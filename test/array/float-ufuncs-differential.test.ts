// Seeded differential test of the lazy forms of float-ufuncs-cases.ts (ufuncs-extra.ts,
// two-outputs.ts) against NumPy 1.24 (values within the stated ulps, dtype, shape, refusals)
// and Dask 2022.12 (chunks): random shapes, broadcasting and chunkings (many blocks), corner
// values of every dtype, every dtype pair, a scalar on either side. Then the pair functions'
// graph (one shared task per block) and a LocalCluster of 2 workers × 1 thread, where the
// pair's blocks travel between workers.
// TESSERA_FUZZ_SEED=n reruns another seed, TESSERA_FUZZ_CASES=n sets the number of cases (400).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { evaluatePython } from "./python-eval.js";
import { mismatch } from "./differential-compare.js";
import { Inputs, integer, pick, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";
import { checkUfuncCases } from "./ufunc-case-check.js";
import type { UfuncCase } from "./ufunc-cases.js";
import { allDtypes, cornerVector, numpyScalar, scalarFits, scalars, weakDtype } from "../ndarray/binary-ufunc-pairs.js";
import { type UfuncSpec, binarySpecs, numpyCall, numpyOperands, unarySpecs } from "../ndarray/float-ufuncs-cases.js";
import { useCluster2x1 } from "./cluster-sample.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);
const count = Number(process.env.TESSERA_FUZZ_CASES ?? 400);

type LazyFn = (...operands: unknown[]) => ta.Array | ta.Array[];
const lazyOf = (spec: UfuncSpec) => (...operands: unknown[]): ta.Array => {
  const result = (ta as unknown as Record<string, LazyFn>)[spec.name](...operands);
  return spec.part === undefined ? (result as ta.Array) : (result as ta.Array[])[spec.part];
};
// Dask's function: NumPy's name under da (da.isnull needs pandas, which the reference Python lacks: isnan).
const daskCall = (spec: UfuncSpec, operands: readonly string[]) => numpyCall(spec, operands).replace(/np\.(?!float32)/g, "da.");

function randomShape(rng: Rng): number[] {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 2, 3, 4, 5, 7]));
  if (rng() < 0.5) shape[integer(rng, 0, ndim - 1)] = integer(rng, 20, 60);
  return shape;
}

function values(rng: Rng, dtype: nd.DType, shape: number[]): nd.NDArray {
  if (rng() < 0.4) return randomArray(rng, dtype, shape, { specials: true });
  const corners = cornerVector(dtype, 40, rng).toTypedArray();
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new (nd.dtypeInfo(dtype).array as unknown as new (n: number) => Array<number | bigint>)(size);
  for (let i = 0; i < size; i++) data[i] = corners[Math.floor(rng() * corners.length)];
  return nd.fromTypedArray(data as never, shape, { dtype });
}

const chunked = (rng: Rng, shape: number[]) => shape.map((n) => randomChunks(rng, n));

function drawCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  const unary = index % 3 === 0;
  const spec = unary ? pick(rng, unarySpecs) : pick(rng, binarySpecs);
  const label = `c${index}_${spec.name}`;
  const dtypeA = pick(rng, allDtypes);
  const shape = randomShape(rng);
  const a = inputs.add(values(rng, dtypeA, shape), chunked(rng, shape));
  if (unary) {
    const [np, da] = [numpyOperands(spec, [a.name], [dtypeA]), numpyOperands(spec, [a.py], [dtypeA])];
    return { label: `${label}_${dtypeA}`, numpy: numpyCall(spec, np), dask: daskCall(spec, da), ours: () => lazyOf(spec)(a.lazy()), ulps: spec.ulps };
  }
  const dtypeB = pick(rng, allDtypes);
  if (rng() < 0.25) {
    // A scalar on either side, as NEP 50 types it (float_power and ldexp: float64 / int64, their own rule).
    const value = pick(rng, scalars.filter((v) => scalarFits(v, dtypeA)));
    const left = rng() < 0.5;
    let scalarDtype = weakDtype(value, dtypeA);
    if (spec.name === "floatPower" && typeof value !== "boolean") scalarDtype = "float64";
    if (spec.name === "ldexp" && typeof value !== "boolean") scalarDtype = left || !Number.isInteger(Number(value)) || Object.is(value, -0) ? "float64" : "int64";
    const names = left ? [numpyScalar(value, scalarDtype), a.name] : [a.name, numpyScalar(value, scalarDtype)];
    const dtypes = left ? [scalarDtype, dtypeA] : [dtypeA, scalarDtype];
    return {
      label: `${label}_${dtypeA}_${String(value)}_${left ? "left" : "right"}`, numpy: numpyCall(spec, numpyOperands(spec, names, dtypes)),
      ours: () => (left ? lazyOf(spec)(value, a.lazy()) : lazyOf(spec)(a.lazy(), value)), ulps: spec.ulps,
    };
  }
  const bShape = shape.slice(integer(rng, 0, shape.length - 1)).map((n) => (rng() < 0.3 ? 1 : n));
  const b = inputs.add(values(rng, dtypeB, bShape), chunked(rng, bShape));
  const swap = rng() < 0.3;
  const [first, second] = swap ? [b, a] : [a, b];
  const dtypes = swap ? [dtypeB, dtypeA] : [dtypeA, dtypeB];
  return {
    label: `${label}_${dtypes.join("_")}`,
    numpy: numpyCall(spec, numpyOperands(spec, [first.name, second.name], dtypes)),
    dask: daskCall(spec, numpyOperands(spec, [first.py, second.py], dtypes)),
    ours: () => lazyOf(spec)(first.lazy(), second.lazy()),
    ulps: spec.ulps,
  };
}

describe(`the added lazy ufuncs against NumPy and Dask (seed ${seed})`, () => {
  it("every function, dtypes, broadcasting, scalars on either side: NumPy's values, dtypes and refusals, Dask's chunks", async () => {
    const rng = rngOf(seed);
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rng, inputs, i));
    const { problems, refused, manyBlocks } = await checkUfuncCases(cases, inputs);
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} cases differ (seed ${seed}):\n${problems.slice(0, 30).join("\n")}`);
    assert.ok(refused > 0 && refused < cases.length / 4, `${refused} refusals`);
    assert.ok(manyBlocks > cases.length / 10, `${manyBlocks} cases of ≥ 16 blocks`);
  });

  it("frexp, modf and divmod: both outputs from one task per block, named as Dask names them", () => {
    const x = ta.fromArray(nd.random([12, 10], { seed: 2 }), { chunks: [5, 4] });
    const blocks = x.blockKeys().length;
    for (const [first, second] of [ta.frexp(x), ta.modf(x), ta.divmod(x, 0.25)]) {
      const { graph } = lowerArrays([first, second], () => false, (node) => (node as ta.Array).blockKeys(), Infinity);
      const pairTasks = [...graph.tasks.values()].filter((task) => /^(frexp|modf|divmod)-/.test(task.key));
      assert.equal(pairTasks.length, blocks, `${first.name}: ${pairTasks.length} pair tasks for ${blocks} blocks`);
    }
    const [mantissa, exponent] = ta.frexp(x);
    assert.match(mantissa.name, /^mantissa-frexp-/);
    assert.match(exponent.name, /^exponent-frexp-/);
    assert.equal(exponent.dtype, "int32");
  });

  it("refuses a float exponent of ldexp and extra arguments when the graph is built, naming them", () => {
    const x = ta.fromArray(nd.random([10], { seed: 1 }), { chunks: 3 });
    assert.throws(() => ta.ldexp(x, x), /ldexp \(np\.ldexp\): the exponent must be of an integer dtype.*float64/);
    assert.throws(() => ta.ldexp(x, 1.5), /ldexp \(np\.ldexp\): the exponent must be an integer/);
    assert.throws(() => (ta.frexp as unknown as LazyFn)(x, { out: x }), /frexp takes 1 operand and no options/);
    assert.throws(() => (ta.equal as unknown as LazyFn)(x, x, { where: x }), /equal takes 2 operands and no options/);
    assert.throws(() => (ta.divmod as unknown as LazyFn)(x, 2, 3), /divmod takes 2 operands/);
    assert.throws(() => ta.sinc(nd.zeros([2]) as never), /sinc: operand 0 must be a tessera array.*fromArray/);
  });
});

describe("frexp and divmod on a LocalCluster of 2 workers × 1 thread", () => {
  const data = nd.subtract(nd.multiply(nd.random([30, 26], { seed: 7 }), 1000), 500);
  useCluster2x1();

  it("the pair's parts, computed together and alone, equal NumPy's", async () => {
    const x = ta.fromArray(data, { chunks: [7, 6] });
    const [mantissa, exponent] = ta.frexp(x);
    const [quotient, rest] = ta.divmod(x, 7.5);
    const together = await ta.compute(mantissa.add(1), exponent, quotient, rest.mul(2));
    const alone = await exponent.compute();
    const reference = evaluatePython({ x: data }, { m: "np.frexp(x)[0] + 1", e: "np.frexp(x)[1]", q: "np.divmod(x, 7.5)[0]", r: "np.divmod(x, 7.5)[1] * 2" });
    for (const [i, name] of ["m", "e", "q", "r"].entries()) assert.equal(mismatch({ ulps: 0 }, together[i], reference[name]), null, name);
    assert.equal(mismatch({ ulps: 0 }, alone, reference.e), null);
  });
});
