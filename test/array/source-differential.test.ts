// Seeded differential test of the lazy sources (arange, linspace, zeros, ones, full and the *_like
// functions) against NumPy 1.24: values bit for bit, dtype and shape, for every dtype, steps of
// either sign, fractional steps into integer dtypes (NumPy casts the first two values and steps
// by their difference), NumPy's length rule ceil((stop − start) / step), and random chunkings;
// and Dask 2022.12's chunks where Dask is given the same chunks (its values are not the
// reference: Dask restarts the arithmetic at every block, creation.test.ts). dtype is always
// given to NumPy: tessera's default is float64 (JS numbers do not say int or float).
// TESSERA_FUZZ_SEED=n reruns another seed, TESSERA_FUZZ_CASES=n sets the number of cases (600).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython, type PythonResult } from "./python-eval.js";
import { integer, numberDtypes, pick, pyChunks, rngOf, randomChunks, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);
const count = Number(process.env.TESSERA_FUZZ_CASES ?? 600);

interface SourceCase {
  label: string;
  numpy: string;
  dask?: string;
  ours: () => ta.Array;
  /** NumPy 1.24 wraps (with a DeprecationWarning) a value NumPy 2 refuses, as tessera does: a refusal is right then. */
  refusalAllowed?: RegExp;
}

const pyNumber = (v: number): string => (Number.isNaN(v) ? "float('nan')" : !Number.isFinite(v) ? `float('${v > 0 ? "" : "-"}inf')` : Object.is(v, -0) ? "-0.0" : Number.isInteger(v) ? String(v) : String(v));

function chunksFor(rng: Rng, n: number): { ours: ta.ChunkSpec; py: string } {
  const style = rng();
  if (style < 0.2) return { ours: -1, py: "-1" };
  if (style < 0.5) {
    const size = integer(rng, 1, Math.max(1, n));
    return { ours: size, py: String(size) };
  }
  const sizes = randomChunks(rng, n);
  return { ours: [sizes], py: pyChunks([sizes]) };
}

function arangeCase(rng: Rng, index: number): SourceCase {
  const dtype = pick(rng, numberDtypes.filter((d) => d !== "bool"));
  const float = dtype.startsWith("float");
  const start = pick(rng, [0, 1, -3, 2.5, -7.25, 250, 0.1, -0.3, 1e3]);
  let step = pick(rng, [1, -1, 2, -3, 0.5, -0.25, 0.37, 1.9, 7, 0.1, -0.7, 1e-3]);
  let length = integer(rng, 0, 60);
  if (!float && Math.abs(step) < 0.3) step = pick(rng, [1, -2, 0.5]);
  if (Math.abs(step) < 0.01) length = Math.min(length, 40);
  // A stop a little past or short of start + length·step: the ceil rule decides the last value.
  const stop = start + length * step + pick(rng, [0, 0, 1e-9, -1e-9, step / 2, -step / 3]);
  const chunks = chunksFor(rng, Math.max(0, Math.ceil((stop - start) / step)));
  return {
    label: `a${index}_arange_${dtype}`,
    numpy: `np.arange(${pyNumber(start)}, ${pyNumber(stop)}, ${pyNumber(step)}, dtype="${dtype}")`,
    dask: `da.arange(${pyNumber(start)}, ${pyNumber(stop)}, ${pyNumber(step)}, dtype="${dtype}", chunks=${chunks.py})`,
    ours: () => ta.arange(start, stop, step, { dtype, chunks: chunks.ours }),
    // NumPy 1.24 wraps a start outside an unsigned dtype with a warning; NumPy 2 refuses it.
    refusalAllowed: /out of bounds|cannot hold|out of range/,
  };
}

function linspaceCase(rng: Rng, index: number): SourceCase {
  let dtype: nd.DType = pick(rng, ["float64", "float64", "float32", "int32", "int16", "int8", "uint8", "uint16", "uint32", "int64", "uint64", "bool"] as const);
  const start = pick(rng, [0, 1, -3, 2.5, -7.25, 0.1, 1e10, -1e-300]);
  const stop = pick(rng, [0, 10, -3.3, 7.1, 1, 1e-300, 2.5, 1e10 + 1]);
  // NumPy 1.24's float64 → uint32 cast of values past 2^32 depends on the element's place: its
  // SIMD loop (4 at a time) gives 0, the scalar tail (length mod 4) the value mod 2^32, so
  // linspace(1e10, 0, 2) gives 1410065408 and a longer array 0. tessera gives the SIMD loop's
  // value everywhere (cast-expressions.ts): such cases have no reproducible reference.
  if (dtype === "uint32" && Math.max(Math.abs(start), Math.abs(stop)) >= 2 ** 31) dtype = "int64";
  const num = pick(rng, [0, 1, 2, 3, 7, 50, integer(rng, 0, 200)]);
  const endpoint = rng() < 0.7;
  const chunks = chunksFor(rng, num);
  const py = `${pyNumber(start)}, ${pyNumber(stop)}, ${num}, endpoint=${endpoint ? "True" : "False"}, dtype="${dtype}"`;
  return {
    label: `l${index}_linspace_${dtype}_${num}`,
    numpy: `np.linspace(${py})`,
    dask: `da.linspace(${py}, chunks=${chunks.py})`,
    ours: () => ta.linspace(start, stop, num, { endpoint, dtype, chunks: chunks.ours }),
    refusalAllowed: /out of bounds|cannot hold|out of range/,
  };
}

function fillCase(rng: Rng, index: number): SourceCase {
  const dtype = pick(rng, numberDtypes);
  const shape = Array.from({ length: integer(rng, 0, 3) }, () => pick(rng, [0, 1, 3, 5, 17]));
  const chunks = shape.map((n) => randomChunks(rng, n));
  const pyShape = `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
  const value = pick(rng, [0, 1, -1, 2.7, -2.7, 255, 256, -128, 1e10, NaN, Infinity, -0, 0.5, 65535, true]);
  const pyValue = typeof value === "boolean" ? "True" : pyNumber(value);
  const kind = pick(rng, ["full", "zeros", "ones", "fullLike", "zerosLike", "onesLike"] as const);
  const likeDtype = rng() < 0.5 ? pick(rng, numberDtypes) : undefined;
  const model = () => ta.zeros(shape, { chunks, dtype });
  const daModel = `da.zeros(${pyShape}, chunks=${pyChunks(chunks)}, dtype="${dtype}")`;
  const npLikeDtype = likeDtype ? `, dtype="${likeDtype}"` : "";
  const options = likeDtype ? { dtype: likeDtype } : {};
  // Refusals: NumPy 2 refuses a Python int the dtype cannot hold and NaN or ±inf into integers (1.24 raises for those two too).
  const refusalAllowed = /out of bounds|cannot hold|out of range|cannot convert|NaN|inf/i;
  switch (kind) {
    case "full":
      return { label: `f${index}_full_${dtype}`, numpy: `np.full(${pyShape}, ${pyValue}, dtype="${dtype}")`, dask: `da.full(${pyShape}, ${pyValue}, dtype="${dtype}", chunks=${pyChunks(chunks)})`,
        ours: () => ta.full(shape, Number(value), { dtype, chunks }), refusalAllowed };
    case "zeros":
    case "ones":
      return { label: `f${index}_${kind}_${dtype}`, numpy: `np.${kind}(${pyShape}, dtype="${dtype}")`, dask: `da.${kind}(${pyShape}, dtype="${dtype}", chunks=${pyChunks(chunks)})`,
        ours: () => ta[kind](shape, { dtype, chunks }) };
    case "fullLike":
      return { label: `f${index}_fullLike_${dtype}_${likeDtype ?? ""}`, numpy: `np.full_like(np.zeros(${pyShape}, dtype="${dtype}"), ${pyValue}${npLikeDtype})`,
        dask: `da.full_like(${daModel}, ${pyValue}${npLikeDtype})`, ours: () => ta.fullLike(model(), value, options), refusalAllowed };
    default: {
      const py = kind === "zerosLike" ? "zeros_like" : "ones_like";
      return { label: `f${index}_${kind}_${dtype}_${likeDtype ?? ""}`, numpy: `np.${py}(np.zeros(${pyShape}, dtype="${dtype}")${npLikeDtype})`,
        dask: `da.${py}(${daModel}${npLikeDtype})`, ours: () => ta[kind](model(), options) };
    }
  }
}

function mismatch(c: SourceCase, ours: nd.NDArray | Error, numpy: PythonResult): string | null {
  if (ours instanceof Error) {
    if (numpy.error !== undefined || c.refusalAllowed?.test(ours.message)) return null;
    return `tessera raised ${ours.message}; NumPy gives ${numpy.array?.dtype} [${numpy.array?.shape.join(", ")}] ${String(numpy.array?.toTypedArray().slice(0, 6))}`;
  }
  if (numpy.error !== undefined) return `NumPy raises ${numpy.error}; tessera gives ${ours.dtype} [${ours.shape.join(", ")}] ${String(ours.toTypedArray().slice(0, 6))}`;
  const expected = numpy.array as nd.NDArray;
  if (ours.dtype !== expected.dtype) return `dtype ${ours.dtype}, NumPy ${expected.dtype}`;
  if (ours.shape.join() !== expected.shape.join()) return `shape [${ours.shape.join(", ")}], NumPy [${expected.shape.join(", ")}]`;
  const a = ours.toTypedArray();
  const b = expected.toTypedArray();
  for (let i = 0; i < b.length; i++) {
    if (!(Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) return `element ${i}: ${String(a[i])}, NumPy ${String(b[i])}`;
  }
  return null;
}

describe(`lazy sources against NumPy and Dask (seed ${seed})`, () => {
  it("arange, linspace, zeros/ones/full and the *_like functions: NumPy's values, dtype and length, Dask's chunks", async () => {
    const rng = rngOf(seed);
    const cases = Array.from({ length: count }, (_, i) => {
      const kind = rng();
      return kind < 0.4 ? arangeCase(rng, i) : kind < 0.7 ? linspaceCase(rng, i) : fillCase(rng, i);
    });
    const expressions: Record<string, string> = {};
    for (const c of cases) {
      expressions[`${c.label}_np`] = c.numpy;
      if (c.dask) expressions[`${c.label}_da`] = c.dask;
    }
    const reference = evaluatePython({}, expressions);
    const problems: string[] = [];
    for (const c of cases) {
      let ours: nd.NDArray | Error;
      let lazy: ta.Array | undefined;
      try {
        lazy = c.ours();
        ours = await lazy.compute();
      } catch (error) {
        ours = error as Error;
      }
      const say = (what: string) => problems.push(`${c.label}: ${what}\n    numpy: ${c.numpy}`);
      const problem = mismatch(c, ours, reference[`${c.label}_np`]);
      if (problem) {
        say(problem);
        continue;
      }
      const dask = c.dask ? reference[`${c.label}_da`] : undefined;
      if (lazy && !(ours instanceof Error) && dask?.chunks && ours.size > 0 && JSON.stringify(lazy.chunks) !== JSON.stringify(dask.chunks)) {
        say(`chunks ${JSON.stringify(lazy.chunks)}, Dask ${JSON.stringify(dask.chunks)}\n    dask: ${c.dask}`);
      }
    }
    if (problems.length > 0) assert.fail(`${problems.length} of ${cases.length} cases differ (seed ${seed}; TESSERA_FUZZ_SEED=${seed} reruns):\n${problems.join("\n")}`);
  });
});
