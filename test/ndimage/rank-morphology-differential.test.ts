// Differential test of the eager rank filters and grey and binary morphology against scipy 1.10,
// bit for bit, on seeded random cases: 1–3-d shapes with size-1 axes and axes shorter than the
// window, every dtype scipy and tessera share, NaN/±inf/−0, sizes, footprints (sparse, off-centre,
// larger than the array), grey structures, origins in and just outside scipy's range, every mode,
// cval, output dtypes; binary structures, iterations (incl. 0 and −1: until stable), border value,
// mask and origins. A failure lists each case with its seed.
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { randomArray } from "../array/differential-inputs.js";
import {
  type FilterCase, type Rng, allModes, bruteForce, differences, drawCval, drawFootprint, drawInput, drawOrigin, drawOutput, fuzzSeed, integer, kwargs, maybe, pick, report, rngOf,
} from "./filter-differential.js";
import { drawGreyWindow, drawWindow, gridShape, sizeOneOrigin } from "./morphology-draws.js";

const rankFunctions = [
  ["minimumFilter", "minimum_filter"], ["maximumFilter", "maximum_filter"], ["medianFilter", "median_filter"],
  ["rankFilter", "rank_filter"], ["percentileFilter", "percentile_filter"],
] as const;

function rankCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const [fn, scipyName] = pick(rng, rankFunctions);
  const window = drawWindow(rng, x.ndim);
  // A list of modes is scipy's for separable (size) minimum/maximum filters only.
  const perAxisModes = fn.startsWith("m") && fn !== "medianFilter" && rng() < 0.3;
  const options: Record<string, unknown> = {
    ...(fn === "rankFilter" ? { rank: integer(rng, -4, 4) } : {}),
    ...(fn === "percentileFilter" ? { percentile: pick(rng, [0, 10, 37.5, 50, 99, 100, -20, -100]) } : {}),
    ...window,
    mode: maybe(rng, 0.8, () => (perAxisModes ? Array.from({ length: x.ndim }, () => pick(rng, allModes)) : pick(rng, allModes))),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  return {
    label: `${label} ${fn} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => (ndimage[fn] as (x: nd.NDArray, o: unknown) => nd.NDArray)(x, options),
    python: `ndi.${scipyName}(${name}, ${kwargs(options)})`,
    refusalAllowed: sizeOneOrigin,
  };
}

function minMax1dCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const maximum = rng() < 0.5;
  const size = integer(rng, 1, 7);
  const options: Record<string, unknown> = {
    size,
    axis: maybe(rng, 0.7, () => integer(rng, -x.ndim, x.ndim - 1)),
    origin: maybe(rng, 0.5, () => drawOrigin(rng, size)),
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  const [fn, scipyName] = maximum ? [ndimage.maximumFilter1d, "maximum_filter1d"] : [ndimage.minimumFilter1d, "minimum_filter1d"];
  return { label: `${label} ${scipyName} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`, run: () => fn(x, options as never), python: `ndi.${scipyName}(${name}, ${kwargs(options)})` };
}

const greyFunctions = [
  ["greyErosion", "grey_erosion"], ["greyDilation", "grey_dilation"], ["greyOpening", "grey_opening"],
  ["greyClosing", "grey_closing"], ["whiteTophat", "white_tophat"], ["blackTophat", "black_tophat"],
] as const;

function greyCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const [fn, scipyName] = pick(rng, greyFunctions);
  const window = drawGreyWindow(rng, x.ndim);
  const options: Record<string, unknown> = {
    ...window,
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  return {
    label: `${label} ${fn} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => (ndimage[fn] as (x: nd.NDArray, o: unknown) => nd.NDArray)(x, options),
    python: `ndi.${scipyName}(${name}, ${kwargs(options)})`,
    refusalAllowed: sizeOneOrigin,
  };
}

const binaryFunctions = [
  ["binaryErosion", "binary_erosion"], ["binaryDilation", "binary_dilation"], ["binaryOpening", "binary_opening"], ["binaryClosing", "binary_closing"],
] as const;

function binaryCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 2, 3, 5, 8, 11]));
  const name = `b${Object.keys(inputs).length}`;
  const dtype = pick(rng, ["bool", "bool", "uint8", "float64", "int16"] as const);
  const density = pick(rng, [0.2, 0.5, 0.8]);
  const bits = randomArray(rng, "float64", shape, { small: false });
  const values = bits.toTypedArray() as Float64Array;
  for (let i = 0; i < values.length; i++) values[i] = rng() < density ? (dtype === "float64" ? pick(rng, [1, -0.5, NaN]) : 1) : 0;
  inputs[name] = nd.astype(bits, dtype);
  const x = inputs[name];
  const [fn, scipyName] = pick(rng, binaryFunctions);
  const structure = maybe(rng, 0.6, () => (rng() < 0.5 ? ndimage.generateBinaryStructure(x.ndim, integer(rng, 1, x.ndim)).toArray() : drawFootprint(rng, x.ndim)));
  const sshape = structure ? gridShape(structure) : new Array<number>(x.ndim).fill(3);
  let maskName: string | undefined;
  if (rng() < 0.25 && !fn.endsWith("g")) {
    maskName = `m${Object.keys(inputs).length}`;
    inputs[maskName] = nd.astype(nd.greater(randomArray(rng, "float64", shape, { small: true }), 0), "bool");
  }
  const options: Record<string, unknown> = {
    structure,
    iterations: maybe(rng, 0.5, () => pick(rng, [0, -1, 1, 2, 3])),
    borderValue: maybe(rng, 0.4, () => pick(rng, [0, 1])),
    // In range only: scipy 1.10 does not check binary morphology's origins and crashes (SIGSEGV) outside.
    origin: maybe(rng, 0.4, () => sshape.map((s) => drawOrigin(rng, s, 0))),
  };
  // scipy loops for ever where "until nothing changes" cycles, which a structure whose centre
  // (after the origin) is off can do: those draws repeat twice instead (the corners test has
  // non-cycling ones; binary-morphology.test.ts the refusal of a cycling one).
  const origin = (options.origin as number[] | undefined) ?? sshape.map(() => 0);
  let cell: unknown = structure ?? ndimage.generateBinaryStructure(x.ndim, 1).toArray();
  sshape.forEach((n, a) => (cell = (cell as unknown[])[Math.floor(n / 2) + origin[a]]));
  if ((options.iterations as number | undefined ?? 1) < 1 && !cell) options.iterations = 2;
  const withMask = maskName ? { ...options, mask: inputs[maskName] } : options;
  return {
    label: `${label} ${fn} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}${maskName ? " with mask" : ""}`,
    run: () => (ndimage[fn] as (x: nd.NDArray, o: unknown) => nd.NDArray)(x, withMask),
    python: `ndi.${scipyName}(${[name, kwargs(options), maskName ? `mask=${maskName}` : "", bruteForce(options)].filter(Boolean).join(", ")})`,
  };
}

describe("eager rank filters and morphology against scipy 1.10 (seeded differential, bit for bit)", () => {
  it("minimum/maximum/median/rank/percentile filters with sizes, footprints, origins, modes and output dtypes; minimum/maximumFilter1d", async () => {
    const rng = rngOf(fuzzSeed + 10);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 300; i++) cases.push(rankCase(rng, inputs, `r${i}`));
    for (let i = 0; i < 60; i++) cases.push(minMax1dCase(rng, inputs, `m${i}`));
    report(await differences(cases, inputs), "rank filters", fuzzSeed + 10);
  });

  it("grey erosion, dilation, opening, closing and tophats with sizes, footprints, grey structures and origins", async () => {
    const rng = rngOf(fuzzSeed + 11);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 300; i++) cases.push(greyCase(rng, inputs, `g${i}`));
    report(await differences(cases, inputs), "grey morphology", fuzzSeed + 11);
  });

  it("binary erosion, dilation, opening and closing with structures, iterations, border value, mask and origins", async () => {
    const rng = rngOf(fuzzSeed + 12);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 200; i++) cases.push(binaryCase(rng, inputs, `b${i}`));
    report(await differences(cases, inputs), "binary morphology", fuzzSeed + 12);
  });

  it("hand-picked corners: integer extremes with grey structures and NaN or huge cval, footprints wider than a length-1 axis, tophat outputs, empty structures", async () => {
    const inputs: Record<string, nd.NDArray> = {
      i32: new nd.NDArray(Int32Array.from([-(2 ** 31), -(2 ** 31) + 1, 0, 2 ** 31 - 2, 2 ** 31 - 1, 5, -7]), [1, 7]),
      u16: new nd.NDArray(Uint16Array.from([0, 1, 65534, 65535, 7, 300]), [6, 1], { dtype: "uint16" }),
      col: new nd.NDArray(Float64Array.from([1, 2, 3, 4, 5]), [5, 1]),
      i8: new nd.NDArray(Int8Array.from([3, -7, 100, 3, 9, -2, -128, 127]), [2, 4], { dtype: "int8" }),
      b: nd.astype(new nd.NDArray(Uint8Array.from([1, 0, 1, 1, 0, 1, 1, 1, 0]), [9], { dtype: "uint8" }), "bool"),
    };
    const cases: FilterCase[] = [];
    const add = (fn: string, scipyName: string, name: string, options: Record<string, unknown>) => cases.push({
      label: `${fn} ${name} ${JSON.stringify(options)}`,
      run: () => (ndimage[fn as "greyErosion"] as (x: nd.NDArray, o: unknown) => nd.NDArray)(inputs[name], options),
      python: `ndi.${scipyName}(${name}, ${kwargs(options)})`,
    });
    for (const [fn, scipyName] of greyFunctions) {
      for (const cval of [NaN, -1e12, 1e12, 0]) {
        add(fn, scipyName, "i32", { structure: [[0.5, 2, 1]], mode: "constant", cval });
        add(fn, scipyName, "u16", { structure: [[3], [-2.5], [1]], mode: "constant", cval });
      }
      for (const mode of allModes) add(fn, scipyName, "col", { footprint: [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]], origin: [1, 1], mode });
      for (const output of ["float64", "int16", "uint8", "float32"]) add(fn, scipyName, "i8", { size: [1, 3], output });
    }
    inputs.u32 = new nd.NDArray(Uint32Array.from([3000000091, 5, 2147483648, 2147483647, 4294967295]), [5], { dtype: "uint32" });
    for (const output of ["uint8", "int16", "int32", "float32"]) {
      add("minimumFilter1d", "minimum_filter1d", "u32", { size: 1, output });
      add("maximumFilter", "maximum_filter", "u32", { size: 1, output });
    }
    for (const [fn, scipyName] of rankFunctions) {
      for (const mode of allModes) add(fn, scipyName, "col", { footprint: [[1, 0, 0, 0]], mode, ...(fn === "rankFilter" ? { rank: 0 } : fn === "percentileFilter" ? { percentile: 50 } : {}) });
    }
    for (const [fn, scipyName] of binaryFunctions) {
      for (const structure of [[0, 0, 0], [1, 1, 0], [0, 0, 1]]) for (const iterations of [1, 2, -1]) add(fn, scipyName, "b", { structure, iterations, borderValue: 1 });
    }
    report(await differences(cases, inputs), "rank and morphology corners", 0);
  });
});

