// Differential test of the eager n-d correlate and convolve, prewitt and laplace against scipy 1.10,
// bit for bit, on seeded random cases: 1–3-d inputs of every filter dtype with NaN and ±inf now and
// then, weights of every length 1–5 per axis (even and odd; integers, fractions, zeros, weights at
// and below DBL_EPSILON that scipy drops, NaN and ±inf weights), origins scalar or per axis, in and
// just outside scipy's range, every mode and alias, cval, output dtypes; weights of the wrong rank,
// empty weights and lists of modes, which scipy refuses. A failure lists each case with its seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import {
  type FilterCase, type Rng, allModes, differences, drawCval, drawInput, drawOrigin, drawOutput, fuzzSeed, integer, kwargs, maybe, oneOrPerAxis,
  pick, py, report, rngOf,
} from "./filter-differential.js";

/** A weight: mostly plain numbers, now and then one scipy drops (|w| ≤ DBL_EPSILON, NaN) or ±inf. */
function drawWeight(rng: Rng, integral: boolean): number {
  const special = rng();
  if (special < 0.04) return pick(rng, [2 ** -52, -(2 ** -53), 1e-300, -0, NaN, Infinity, 2 ** -51]);
  if (integral) return integer(rng, -3, 3);
  return Math.round((rng() - 0.35) * 1e6) / 1e6;
}

type Nested = number | Nested[];

function drawWeights(rng: Rng, shape: readonly number[]): Nested {
  const integral = rng() < 0.4;
  const build = (axis: number): Nested => (axis === shape.length ? drawWeight(rng, integral) : Array.from({ length: shape[axis] }, () => build(axis + 1)));
  return build(0);
}

function correlateCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string, convolve: boolean): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const bad = rng();
  // Wrong rank (one axis more or fewer) or an empty axis now and then: scipy raises.
  const rank = bad < 0.04 ? x.ndim + 1 : bad < 0.08 && x.ndim > 1 ? x.ndim - 1 : x.ndim;
  const shape = Array.from({ length: rank }, () => integer(rng, 1, 5));
  if (bad >= 0.08 && bad < 0.1) shape[0] = 0;
  const weights = drawWeights(rng, shape);
  const asArray = rng() < 0.3;
  const options: Record<string, unknown> = {
    origin: maybe(rng, 0.5, () => (rng() < 0.4 ? drawOrigin(rng, Math.min(...shape)) : shape.map((n) => drawOrigin(rng, n)))),
    mode: maybe(rng, 0.85, () => (rng() < 0.03 ? [pick(rng, allModes)] : pick(rng, allModes))),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  // Both implementations (WebAssembly SIMD and TypeScript) against scipy.
  const backend = pick(rng, ["auto", "js"] as const);
  const fn = convolve ? "convolve" : "correlate";
  const given = asArray && !shape.includes(0) ? nd.fromTypedArray(Float64Array.from((weights as Nested[]).flat(3) as number[]), shape) : weights;
  return {
    label: `${label} ${fn} ${x.dtype}[${x.shape}] weights ${JSON.stringify(weights)}${asArray ? " (NDArray)" : ""} ${JSON.stringify(options)} backend ${backend}`,
    run: () => ndimage[fn](x, given as never, { ...options, backend } as never),
    python: `ndi.${fn}(${name}, np.array(${py(weights)}, dtype=float), ${kwargs(options)})`,
    names: /weights|origin|mode|dtype/,
  };
}

function prewittCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const options: Record<string, unknown> = {
    axis: maybe(rng, 0.7, () => integer(rng, -x.ndim - (rng() < 0.05 ? 1 : 0), x.ndim - 1)),
    mode: maybe(rng, 0.8, () => oneOrPerAxis(rng, x.ndim, () => pick(rng, allModes))),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  return { label: `${label} prewitt ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`, run: () => ndimage.prewitt(x, options as never), python: `ndi.prewitt(${name}, ${kwargs(options)})` };
}

function laplaceCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const options: Record<string, unknown> = {
    mode: maybe(rng, 0.8, () => oneOrPerAxis(rng, x.ndim, () => pick(rng, allModes))),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  return { label: `${label} laplace ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`, run: () => ndimage.laplace(x, options as never), python: `ndi.laplace(${name}, ${kwargs(options)})` };
}

describe("eager correlate, convolve, prewitt and laplace against scipy 1.10 (seeded differential, bit for bit)", () => {
  it("correlate and convolve: n-d weights (dropped tiny and NaN weights, ±inf), origins, modes, cval, output dtypes, bad weights", async () => {
    const rng = rngOf(fuzzSeed + 40);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 150; i++) cases.push(correlateCase(rng, inputs, `c${i}`, false));
    for (let i = 0; i < 150; i++) cases.push(correlateCase(rng, inputs, `k${i}`, true));
    report(await differences(cases, inputs), "correlate and convolve", fuzzSeed + 40);
  });

  it("prewitt and laplace (axis, per-axis modes, cval, output dtypes)", async () => {
    const rng = rngOf(fuzzSeed + 41);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 80; i++) cases.push(prewittCase(rng, inputs, `p${i}`));
    for (let i = 0; i < 80; i++) cases.push(laplaceCase(rng, inputs, `l${i}`));
    report(await differences(cases, inputs), "prewitt and laplace", fuzzSeed + 41);
  });

  it("hand-picked corners: weights wider than the input, every weight dropped, a single weight, origin at both ends", async () => {
    const inputs: Record<string, nd.NDArray> = {
      a: nd.fromTypedArray(Float32Array.of(1, -2, 3.5, NaN, 5, -0, 7, 8), [2, 4]),
      b: nd.fromTypedArray(Int16Array.of(300, -7, 12, 32767, -32768, 5), [6]),
      z: nd.fromTypedArray(Float64Array.of(0, -0, 0, -0, -0), [5]),
    };
    const { a, b, z } = inputs;
    const wide = [[1, 2, 3, 4, 5, 6, 7], [0, 1, 0, -1, 0, 2, 0], [3, 0, 0, 0, 0, 0, 1], [1, 1, 1, 1, 1, 1, 1], [2, 0, 2, 0, 2, 0, 2]];
    const cases: FilterCase[] = [];
    for (const backend of ["auto", "js"] as const) {
      for (const mode of allModes) {
        cases.push({ label: `wide ${mode} ${backend}`, run: () => ndimage.correlate(a, wide, { mode, cval: -1.25, backend }), python: `ndi.correlate(a, np.array(${py(wide)}, dtype=float), mode='${mode}', cval=-1.25)` });
        cases.push({ label: `wide convolve ${mode} ${backend}`, run: () => ndimage.convolve(a, wide, { mode, origin: [-2, 3], backend }), python: `ndi.convolve(a, np.array(${py(wide)}, dtype=float), mode='${mode}', origin=[-2, 3])` });
        cases.push({ label: `int16 ${mode} ${backend}`, run: () => ndimage.correlate(b, [1.5, 0, -2.25, 1, 0, 3, 0, 0, 1], { mode, output: "int16", backend }), python: `ndi.correlate(b, [1.5, 0, -2.25, 1, 0, 3, 0, 0, 1], mode='${mode}', output=np.int16)` });
      }
      // Products that are all −0 (0 times negative weights, −0 times positive ones) sum to +0 from scipy's 0.0 start.
      cases.push({ label: `signed zeros ${backend}`, run: () => ndimage.correlate(z, [-1, 0, -2], { mode: "constant", cval: -0, backend }), python: `ndi.correlate(z, [-1, 0, -2], mode='constant', cval=-0.0)` });
      cases.push({ label: `negative zeros ${backend}`, run: () => ndimage.convolve(z, [3, 1], { mode: "constant", cval: -0, backend }), python: `ndi.convolve(z, [3, 1], mode='constant', cval=-0.0)` });
    }
    cases.push({ label: "all dropped", run: () => ndimage.correlate(a, [[0, 1e-17], [NaN, -0]]), python: `ndi.correlate(a, [[0, 1e-17], [float('nan'), -0.0]])` });
    cases.push({ label: "one weight", run: () => ndimage.convolve(b, [-3], { output: "float32" }), python: `ndi.convolve(b, [-3], output=np.float32)` });
    cases.push({ label: "origin low", run: () => ndimage.convolve(b, [1, 2, 3, 4], { origin: -2 }), python: `ndi.convolve(b, [1, 2, 3, 4], origin=-2)` });
    cases.push({ label: "origin high", run: () => ndimage.convolve(b, [1, 2, 3, 4], { origin: 1 }), python: `ndi.convolve(b, [1, 2, 3, 4], origin=1)` });
    cases.push({ label: "origin beyond", run: () => ndimage.convolve(b, [1, 2, 3, 4], { origin: 2 }), python: `ndi.convolve(b, [1, 2, 3, 4], origin=2)`, names: /origin 2 .*-2 to 1/ });
    cases.push({ label: "origin list length", run: () => ndimage.correlate(a, [[1]], { origin: [0] }), python: `ndi.correlate(a, [[1]], origin=[0])`, names: /origin/ });
    cases.push({ label: "mode list", run: () => ndimage.correlate(b, [1], { mode: ["wrap"] as never }), python: `ndi.correlate(b, [1], mode=['wrap'])`, names: /mode/ });
    cases.push({ label: "rank", run: () => ndimage.correlate(b, [[1, 2]]), python: `ndi.correlate(b, [[1, 2]])`, names: /weights have 2 dimensions/ });
    cases.push({ label: "empty", run: () => ndimage.correlate(b, []), python: `ndi.correlate(b, [])`, names: /weights .*empty/ });
    const scalar = nd.fromTypedArray(Float64Array.of(2), []);
    const byte = nd.fromTypedArray(Uint8Array.of(2), [], { dtype: "uint8" });
    cases.push({ label: "0-d correlate", run: () => ndimage.correlate(scalar, nd.fromTypedArray(Float64Array.of(3), [])), python: `ndi.correlate(np.array(2.0), np.array(3.0))` });
    cases.push({ label: "0-d convolve", run: () => ndimage.convolve(byte, 1.5, { output: "float32" }), python: `ndi.convolve(np.array(2, dtype=np.uint8), 1.5, output=np.float32)` });
    cases.push({ label: "0-d dropped", run: () => ndimage.correlate(scalar, 1e-17), python: `ndi.correlate(np.array(2.0), 1e-17)` });
    cases.push({ label: "scalar weights", run: () => ndimage.correlate(b, 3), python: `ndi.correlate(b, 3.0)`, names: /weights have 0 dimensions/ });
    cases.push({ label: "0-d prewitt", run: () => ndimage.prewitt(nd.fromTypedArray(Float64Array.of(2), [])), python: `ndi.prewitt(np.float64(2))`, names: /axis/ });
    cases.push({ label: "0-d laplace", run: () => ndimage.laplace(nd.fromTypedArray(Float64Array.of(2), [])), python: `ndi.laplace(np.array(2.0))` });
    report(await differences(cases, inputs), "correlate corners", 0);
  });

  /**
   * A documented difference: scipy 1.10's NI_InitFilterOffsets maps an offset of exactly −2n·m
   * (m ≥ 2, axis length n ≥ 2) in mode reflect to index −1, reading outside the line (e.g.
   * correlate([1, 10], 17 weights, mode='reflect') reads the memory before the array). tessera
   * reflects such offsets like every other (as scipy's correlate1d does), so there it equals
   * correlate1d, and scipy's n-d correlate is not a reference.
   */
  it("reflects offsets of −2n·m like any other (where scipy reads outside the array)", () => {
    const x = nd.fromTypedArray(Float64Array.of(1, 10), [2]);
    const weights = Array.from({ length: 17 }, (_, i) => 2 ** i);
    for (const backend of ["auto", "js"] as const) {
      for (const origin of [-8, 0, 8]) {
        const expected = Array.from(ndimage.correlate1d(x, weights, { origin }).toTypedArray() as Float64Array);
        assert.deepEqual(Array.from(ndimage.correlate(x, weights, { origin, backend }).toTypedArray() as Float64Array), expected, `origin ${origin} ${backend}`);
      }
    }
  });

  it("refuses unknown options, non-integer origins and non-dtype outputs by name", () => {
    const x = nd.fromTypedArray(Float64Array.of(1, 2, 3), [3]);
    assert.throws(() => ndimage.correlate(x, [1, 2], { orgin: 1 } as never), /unknown option "orgin".*did you mean origin/);
    assert.throws(() => ndimage.convolve(x, [1, 2], { backend: "simd" } as never), /backend "simd" is not known/);
    assert.throws(() => ndimage.correlate(x, [1, 2], { origin: 0.5 }), /origin 0.5 must be an integer/);
    assert.throws(() => ndimage.correlate(x, "abc" as never), /weights must be an NDArray or nested lists/);
    assert.throws(() => ndimage.correlate(x, [[1], [2, 3]] as never), /weights is ragged/);
    assert.throws(() => ndimage.laplace(x, { size: 3 } as never), /laplace: unknown option "size"/);
    assert.throws(() => ndimage.prewitt(x, { axis: 1 }), /axis 1 is out of range/);
    // bool, int64 and uint64 are taken (wide-linear-differential.test.ts); a name that is no dtype is refused.
    assert.throws(() => ndimage.correlate(x, [1], { output: "float16" as never }), /output dtype "float16" is not a dtype/);
    assert.deepEqual(ndimage.correlate.kernelRadius({ origin: [0, -1] }, 2, [[1, 2, 3], [0, 0, 1e-17]]), [1, 2]);
    assert.deepEqual(ndimage.convolve.kernelRadius({ origin: -2 }, 1, [1, 2, 3, 4]), [3]);
  });
});
