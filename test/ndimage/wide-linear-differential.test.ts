// Differential test of int64, uint64 and bool inputs and outputs of the linear filters and the
// interpolation against scipy 1.10, bit for bit (bool compared as its raw bytes: a filter store
// leaves any byte 0…255, as scipy's does): every function × {int64, uint64, bool} input ×
// {same, int64, uint64, bool, float64, float32, uint8} output, random modes, sigmas, sizes and orders, values near
// 2^53, 2^63 and 2^64 (where `(double)x` rounds and the C casts wrap or saturate). One Python
// process answers all cases; a failure lists each mismatch with the seed (TESSERA_FUZZ_SEED reruns another).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ta from "../../src/array/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { type Rng, integer, pick, randomChunks, rngOf } from "../array/differential-inputs.js";
import { fuzzSeed, py } from "./differential-harness.js";
import { type Wide, wideArray, wideDtypes } from "./wide-inputs.js";

const outputs: ReadonlyArray<nd.DType | undefined> = [undefined, "int64", "uint64", "bool", "float64", "float32", "uint8"];
const modes = ["reflect", "nearest", "mirror", "constant", "wrap"];

/** Why two arrays differ, exactly: dtype, shape, every element (bool as bytes, int64 as BigInt, NaN = NaN). */
export function exactMismatch(actual: nd.NDArray, expected: nd.NDArray): string | undefined {
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, scipy ${expected.dtype}`;
  if (actual.shape.join() !== expected.shape.join()) return `shape [${actual.shape.join(", ")}], scipy [${expected.shape.join(", ")}]`;
  const a = nd.ascontiguousarray(actual).toTypedArray();
  const b = nd.ascontiguousarray(expected).toTypedArray();
  let count = 0;
  let first: string | undefined;
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    count++;
    first ??= `element ${i} is ${String(a[i])}, scipy ${String(b[i])}`;
  }
  return first === undefined ? undefined : `${count} of ${b.length} differ; first: ${first}`;
}

interface Case {
  label: string;
  python: string;
  run: () => nd.NDArray | Promise<nd.NDArray>;
}

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const kw = (options: Record<string, unknown>): string =>
  Object.entries(options).filter(([, v]) => v !== undefined).map(([k, v]) => `${snake(k)}=${k === "output" ? `np.${v === "bool" ? "bool_" : String(v)}` : py(v)}`).join(", ");

const filterNames = [
  "gaussianFilter", "gaussianFilter1d", "uniformFilter", "uniformFilter1d", "correlate1d", "convolve1d", "correlate", "convolve",
  "sobel", "prewitt", "laplace", "gaussianLaplace", "gaussianGradientMagnitude",
  "zoom", "shift", "affineTransform", "mapCoordinates", "splineFilter", "splineFilter1d",
] as const;

function drawCase(rng: Rng, fn: (typeof filterNames)[number], dtype: Wide, output: nd.DType | undefined, inputs: Record<string, nd.NDArray>, index: number): Case {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, 1, ndim === 1 ? 12 : ndim === 2 ? 6 : 4));
  const name = `x${index}`;
  const x = wideArray(rng, dtype, shape);
  inputs[name] = x;
  const sigma = () => pick(rng, [0, 0.6, 1, 1.7]);
  const mode = pick(rng, modes);
  const cval = pick(rng, [0, 1, -2.5, 3e18]);
  const axis = integer(rng, -ndim, ndim - 1);
  const base = { mode, cval, output };
  let options: Record<string, unknown>;
  let python: string;
  let args: unknown[] = [];
  switch (fn) {
    case "gaussianFilter": options = { ...base, sigma: rng() < 0.5 ? sigma() : shape.map(sigma), order: integer(rng, 0, 2), truncate: pick(rng, [2, 4]) }; break;
    case "gaussianFilter1d": options = { ...base, sigma: pick(rng, [0.6, 1, 1.7]), axis, order: integer(rng, 0, 3) }; break;
    case "uniformFilter": options = { ...base, size: rng() < 0.5 ? integer(rng, 1, 4) : shape.map(() => integer(rng, 1, 4)) }; break;
    case "uniformFilter1d": options = { ...base, size: integer(rng, 1, 5), axis }; break;
    case "correlate1d": case "convolve1d": args = [Array.from({ length: integer(rng, 1, 4) }, () => pick(rng, [1, -1, 0.5, 2, -0.25, 3]))]; options = { ...base, axis }; break;
    case "correlate": case "convolve": {
      const w = shape.map(() => integer(rng, 1, 3));
      const flat = Array.from({ length: w.reduce((a, b) => a * b, 1) }, () => pick(rng, [1, -1, 0.5, 2, 0, -3]));
      const weights = nd.reshape(nd.fromTypedArray(Float64Array.from(flat), [flat.length]), w);
      args = [weights];
      options = { ...base };
      python = `ndi.${fn}(${name}, np.array(${py(flat)}, dtype=float).reshape(${py(w)}), ${kw(options)})`;
      return { label: `${fn} ${dtype}[${shape}] ${JSON.stringify(options)} weights ${JSON.stringify(flat)}/${w}`, python, run: () => ndimage[fn](x, weights, options as never) };
    }
    case "sobel": case "prewitt": options = { ...base, axis }; break;
    case "laplace": options = { ...base }; break;
    case "gaussianLaplace": case "gaussianGradientMagnitude": options = { ...base, sigma: rng() < 0.5 ? pick(rng, [0.6, 1, 1.7]) : shape.map(sigma) }; break;
    case "zoom": options = { ...base, zoom: pick(rng, [0.5, 1.5, 2]), order: integer(rng, 0, 5), mode: pick(rng, [...modes, "grid-constant", "grid-wrap", "grid-mirror"]), cval: pick(rng, [0, 1, -2.5, 7.25]) }; break;
    case "shift": options = { ...base, shift: pick(rng, [0, 0.5, -1.25, 2.5]), order: integer(rng, 0, 5) }; break;
    case "affineTransform": {
      const matrix = shape.map(() => pick(rng, [1, 0.5, -1, 1.5]));
      options = { ...base, matrix, offset: pick(rng, [0, 0.5, -1.5]), order: integer(rng, 0, 5) };
      python = `ndi.affine_transform(${name}, np.array(${py(matrix)}), offset=${py(options.offset)}, output=${output ? `np.${output === "bool" ? "bool_" : output}` : "None"}, order=${options.order}, mode=${py(mode)}, cval=${py(cval)})`;
      return { label: `affineTransform ${dtype}[${shape}] ${JSON.stringify(options)}`, python, run: () => ndimage.affineTransform(x, options as never) };
    }
    case "mapCoordinates": {
      const count = integer(rng, 1, 8);
      const values = Float64Array.from({ length: ndim * count }, (_, i) => rng() * (shape[Math.floor(i / count)] + 2) - 1);
      const coordinates = nd.fromTypedArray(values, [ndim, count]);
      inputs[`${name}c`] = coordinates;
      options = { ...base, order: integer(rng, 0, 5) };
      python = `ndi.map_coordinates(${name}, ${name}c, ${kw(options)})`;
      return { label: `mapCoordinates ${dtype}[${shape}] ${JSON.stringify(options)}`, python, run: () => ndimage.mapCoordinates(x, coordinates, options as never) };
    }
    case "splineFilter": options = { order: integer(rng, 2, 5), mode: pick(rng, ["mirror", "reflect", "wrap"]), output }; break;
    case "splineFilter1d": options = { order: integer(rng, 2, 5), axis, mode: pick(rng, ["mirror", "reflect", "wrap"]), output }; break;
  }
  const scipyName = snake(fn);
  if (fn === "zoom" || fn === "shift") {
    const { [fn]: amount, ...rest } = options;
    python = `ndi.${fn}(${name}, ${py(amount)}, ${kw(rest)})`;
  } else if (fn === "gaussianFilter" || fn === "gaussianFilter1d" || fn === "gaussianLaplace" || fn === "gaussianGradientMagnitude") {
    const { sigma: s, ...rest } = options;
    python = `ndi.${scipyName}(${name}, ${py(s)}, ${kw(rest)})`;
  } else {
    python = `ndi.${scipyName}(${name}, ${args.map(py).join(", ")}${args.length ? ", " : ""}${kw(options)})`;
  }
  const call = ndimage[fn] as (...a: unknown[]) => nd.NDArray;
  return { label: `${fn} ${dtype}[${shape}] ${JSON.stringify(options)}`, python, run: () => call(x, ...args, options) };
}

export async function checkCases(cases: readonly Case[], inputs: Record<string, nd.NDArray>, seed: number): Promise<void> {
  const results: Array<{ value?: nd.NDArray; error?: Error }> = [];
  for (const c of cases) {
    try {
      results.push({ value: await c.run() });
    } catch (error) {
      results.push({ error: error as Error });
    }
  }
  // bool results compare as their bytes: view them as uint8 on both sides.
  const expressions = Object.fromEntries(cases.map((c, i) => [`c${i}`, `(lambda r: r.view(np.uint8) if r.dtype == bool else r)(np.asarray(${c.python}))`]));
  const reference = evaluatePython(inputs, expressions);
  const problems: string[] = [];
  cases.forEach((c, i) => {
    const expected = reference[`c${i}`];
    const { value, error } = results[i];
    const say = (what: string) => problems.push(`${c.label}\n    ${c.python}\n    ${what}`);
    if (expected.error !== undefined) return void (error ? undefined : say(`scipy raises ${expected.error.split("\n")[0]}`));
    if (error) return void say(`tessera throws ${error.message}`);
    const actual = value as nd.NDArray;
    const bytes = actual.dtype === "bool" ? nd.fromTypedArray(nd.ascontiguousarray(actual).toTypedArray() as Uint8Array, actual.shape) : actual;
    const difference = exactMismatch(bytes, expected.array as nd.NDArray);
    if (difference) say(difference);
  });
  assert.equal(problems.length, 0, `seed ${seed} (TESSERA_FUZZ_SEED reruns another): ${problems.length} of ${cases.length} cases differ\n${problems.slice(0, 20).join("\n")}`);
}

/** Doubles where the C casts saturate, wrap or truncate differently: NaN, ±inf, ±2^63, ±2^64 and near them, halves, bytes. */
const T = 2 ** 63;
const cornerValues = [
  0.5, -0.7, 255.9, 256, -1, -256, 1e10, -1e10, NaN, Infinity, -Infinity, 2 ** 53 + 2, T, T - 1024, 2 * T, 2 * T - 2048, -T, -T - 4096,
  -0, 3e19, -5.5, 4294967303.5, 2 ** 31, -(2 ** 31) - 1, -1.25 * T, -1.5 * T, -2 * T, -3e19, 1.5 * T, 2.5, -2.5,
];

function cornerCases(inputs: Record<string, nd.NDArray>): Case[] {
  const line = nd.fromTypedArray(Float64Array.from(cornerValues), [cornerValues.length]);
  const plane = nd.fromTypedArray(Float64Array.from({ length: 48 }, (_, i) => cornerValues[(i * 7) % cornerValues.length] * (i % 5 === 0 ? 0.25 : 1)), [6, 8]);
  inputs.line = line;
  inputs.plane = plane;
  const cases: Case[] = [];
  for (const output of ["int64", "uint64", "bool"] as const) {
    const o = `output=np.${output === "bool" ? "bool_" : output}`;
    const add = (label: string, python: string, run: () => nd.NDArray) => cases.push({ label: `corner ${label} → ${output}`, python, run });
    add("correlate1d", `ndi.correlate1d(line, [1.0], ${o})`, () => ndimage.correlate1d(line, [1], { output }));
    add("correlate", `ndi.correlate(line, [1.0], ${o})`, () => ndimage.correlate(line, [1], { output }));
    add("convolve 2-d", `ndi.convolve(plane, [[1.0, -2.0], [0.5, 3.0]], ${o})`, () => ndimage.convolve(plane, nd.fromTypedArray(Float64Array.of(1, -2, 0.5, 3), [2, 2]), { output }));
    for (const order of [0, 1, 3]) add(`shift order ${order}`, `ndi.shift(line, 0.0, order=${order}, ${o})`, () => ndimage.shift(line, { shift: 0, order, output }));
    add("zoom", `ndi.zoom(plane, 1.5, order=1, ${o})`, () => ndimage.zoom(plane, { zoom: 1.5, order: 1, output }));
    add("gaussianFilter", `ndi.gaussian_filter(plane, [0.7, 1.2], ${o})`, () => ndimage.gaussianFilter(plane, { sigma: [0.7, 1.2], output }));
    add("uniformFilter", `ndi.uniform_filter(plane, 2, ${o})`, () => ndimage.uniformFilter(plane, { size: 2, output }));
    add("sobel", `ndi.sobel(plane, 0, ${o})`, () => ndimage.sobel(plane, { axis: 0, output }));
    add("prewitt", `ndi.prewitt(plane, 1, ${o})`, () => ndimage.prewitt(plane, { axis: 1, output }));
    add("laplace", `ndi.laplace(plane, ${o})`, () => ndimage.laplace(plane, { output }));
    add("gaussianLaplace", `ndi.gaussian_laplace(plane, 0.8, ${o})`, () => ndimage.gaussianLaplace(plane, { sigma: 0.8, output }));
    add("gaussianGradientMagnitude", `ndi.gaussian_gradient_magnitude(plane, 0.8, ${o})`, () => ndimage.gaussianGradientMagnitude(plane, { sigma: 0.8, output }));
    add("splineFilter", `ndi.spline_filter(plane, 3, ${o})`, () => ndimage.splineFilter(plane, { order: 3, output }));
  }
  // A bool input whose bytes are not 0/1 (a filter's bool output, read back by the next filter as 0…255).
  const bytes = ndimage.sobel(nd.fromTypedArray(Uint8Array.from({ length: 24 }, (_, i) => (i * 5) % 3 === 0 ? 1 : 0), [4, 6], { dtype: "bool" }), { axis: 1 });
  inputs.bytes = bytes;
  cases.push({ label: "bool bytes → gaussianFilter", python: "ndi.gaussian_filter(bytes, 0.9)", run: () => ndimage.gaussianFilter(bytes, { sigma: 0.9 }) });
  cases.push({ label: "bool bytes → laplace", python: "ndi.laplace(bytes)", run: () => ndimage.laplace(bytes) });
  cases.push({ label: "bool bytes → zoom", python: "ndi.zoom(bytes, 2, order=1, output=np.float64)", run: () => ndimage.zoom(bytes, { zoom: 2, order: 1, output: "float64" }) });
  // np.pad's cval in the input's dtype (grid-constant prefilter): truncated into int64, wrapped into uint64, bool(cval) for bool.
  const rng = rngOf(7);
  for (const [dtype, cval] of [["int64", -2.5], ["uint64", -1.5], ["bool", 0.5], ["int64", 3.75]] as const) {
    // Small values: a pad cell off by a fraction must show in the coefficients.
    const x = nd.astype(nd.fromTypedArray(Float64Array.from({ length: 20 }, () => integer(rng, 0, dtype === "bool" ? 1 : 9)), [5, 4]), dtype);
    inputs[`pad${cases.length}`] = x;
    cases.push({
      label: `grid-constant pad ${dtype} cval ${cval}`, python: `ndi.zoom(pad${cases.length}, 1.5, order=3, mode='grid-constant', cval=${cval}, output=np.float64)`,
      run: () => ndimage.zoom(x, { zoom: 1.5, order: 3, mode: "grid-constant", cval, output: "float64" }),
    });
  }
  return cases;
}

describe("int64, uint64 and bool through the linear filters and the interpolation, as scipy 1.10", () => {
  it("matches scipy bit for bit on every function × input × output dtype, and on the casts' corner values", async () => {
    const rng = rngOf(fuzzSeed);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: Case[] = cornerCases(inputs);
    for (let round = 0; round < 2; round++) {
      for (const fn of filterNames) {
        for (const dtype of wideDtypes) {
          for (const output of outputs) cases.push(drawCase(rng, fn, dtype, output, inputs, cases.length));
        }
      }
    }
    await checkCases(cases, inputs, fuzzSeed);
  });

  it("chunked (ta.ndimage, the eager filter per block with a halo) matches scipy on the whole array", async () => {
    const rng = rngOf(fuzzSeed + 1);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: Case[] = [];
    const sample = ["gaussianFilter", "sobel", "laplace", "gaussianGradientMagnitude", "correlate1d", "prewitt", "zoom", "shift"] as const;
    for (const fn of sample) {
      for (const dtype of wideDtypes) {
        const shape = [integer(rng, 5, 12), integer(rng, 4, 9)];
        const name = `k${cases.length}`;
        const x = wideArray(rng, dtype, shape);
        inputs[name] = x;
        const lazy = ta.fromArray(x, { chunks: shape.map((n) => randomChunks(rng, n)) });
        const output = pick(rng, outputs);
        const o = output === undefined ? "None" : `np.${output === "bool" ? "bool_" : output}`;
        const mode = pick(rng, ["reflect", "nearest", "mirror", "wrap"]);
        const common = { mode, ...(output === undefined ? {} : { output }) };
        const label = `chunked ${fn} ${dtype}[${shape}] ${JSON.stringify(common)} chunks ${JSON.stringify(lazy.chunks)}`;
        const lazyCall = ta.ndimage[fn] as (...a: unknown[]) => ta.Array;
        const add = (python: string, ...args: unknown[]) => cases.push({ label, python, run: () => lazyCall(lazy, ...args).compute() });
        // Orders 0 and 1 only: a block's spline prefilter is exact only on the whole array (spline-source.ts).
        if (fn === "zoom") add(`ndi.zoom(${name}, 1.5, order=1, mode='${mode}', output=${o})`, { zoom: 1.5, order: 1, ...common });
        else if (fn === "shift") add(`ndi.shift(${name}, [0.5, -1.25], order=1, mode='${mode}', output=${o})`, { shift: [0.5, -1.25], order: 1, ...common });
        else if (fn === "correlate1d") add(`ndi.correlate1d(${name}, [1.5, -2, 0.25], axis=0, mode='${mode}', output=${o})`, [1.5, -2, 0.25], { axis: 0, ...common });
        else if (fn === "sobel" || fn === "prewitt") add(`ndi.${fn}(${name}, 1, mode='${mode}', output=${o})`, { axis: 1, ...common });
        else if (fn === "laplace") add(`ndi.laplace(${name}, mode='${mode}', output=${o})`, common);
        else add(`ndi.${snake(fn)}(${name}, [0.8, 1.3], mode='${mode}', output=${o})`, { sigma: [0.8, 1.3], ...common });
      }
    }
    await checkCases(cases, inputs, fuzzSeed + 1);
  });
});

describe("an outputRegion of a wide-dtype filter", () => {
  it("equals the whole result sliced, bit for bit, on both backends (int64/uint64 chains run their early passes whole)", () => {
    const x = nd.fromTypedArray(BigInt64Array.from({ length: 7 * 9 }, (_, i) => BigInt(((i * 7919) % 97) - 40) * 2n ** 56n), [7, 9]);
    const region = { start: [2, 3], stop: [6, 7] };
    for (const output of ["int64", "uint64", "bool", "float64"] as const) {
      for (const backend of ["js", "wasm"] as const) {
        const calls: Array<[string, (extra: object) => nd.NDArray]> = [
          ["gaussianFilter", (extra) => ndimage.gaussianFilter(x, { sigma: [1, 0.7], output, backend, ...extra })],
          ["uniformFilter", (extra) => ndimage.uniformFilter(x, { size: 3, output, backend, ...extra })],
          ["sobel", (extra) => ndimage.sobel(x, { output, backend, ...extra })],
          ["gaussianGradientMagnitude", (extra) => ndimage.gaussianGradientMagnitude(x, { sigma: 1, output, backend, ...extra })],
          ["correlate", (extra) => ndimage.correlate(x, [[1, 2], [-3, 0.5]], { output, backend, ...extra })],
        ];
        for (const [name, call] of calls) {
          const whole = nd.ascontiguousarray(nd.slice(call({}), { start: 2, stop: 6 }, { start: 3, stop: 7 }));
          assert.equal(exactMismatch(call({ outputRegion: region }), whole), undefined, `${name} → ${output} (${backend})`);
        }
      }
    }
  });
});
