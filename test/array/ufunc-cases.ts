/**
 * Cases for ufunc-differential.test.ts: the lazy ufuncs of src/array/ufuncs.ts (one-operand
 * float functions, rounding, sign, classification, logicalNot), floorDivide / remainder /
 * power on the corners NumPy defines (zero, negative and minimum-integer divisors, ±inf, NaN,
 * −0, negative integer exponents), where and clip, and the eager logicalAnd / logicalOr, each with its NumPy expression on the
 * same bytes. Inputs are random dtypes, shapes and chunkings (differential-inputs.ts).
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { Inputs, integer, numberDtypes, pick, pyScalar, randomArray, randomChunks, type Rng } from "./differential-inputs.js";

export interface UfuncCase {
  label: string;
  numpy: string;
  /** Dask's expression, for the result's chunks (values: NumPy's). */
  dask?: string;
  ours: () => ta.Array;
  /** Allowed distance in units in the last place of the result dtype (0: bit for bit). */
  ulps: number;
}

function randomShape(rng: Rng): number[] {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [0, 1, 2, 3, 4, 5, 7]));
  if (rng() < 0.4) shape[integer(rng, 0, ndim - 1)] = integer(rng, 20, 60);
  return shape;
}

type Unary = (x: ta.Array) => ta.Array;
// [tessera name, NumPy name, allowed ulps]. The float functions come from V8's Math (fdlibm),
// NumPy's from glibc's libm or its own SIMD loops (SVML on AVX-512 for float64): neither is
// correctly rounded, each is within about 1 ulp of the true value, so 4 ulps is the claim
// (math-functions.ts). sqrt is correctly rounded in both (IEEE 754), rounding and classification
// are exact operations: 0 ulps.
const unaryOps: ReadonlyArray<[string, string, number]> = [
  ["sqrt", "sqrt", 0], ["exp", "exp", 4], ["log", "log", 4], ["log1p", "log1p", 4], ["expm1", "expm1", 4],
  ["log2", "log2", 4], ["log10", "log10", 4], ["sin", "sin", 4], ["cos", "cos", 4], ["tan", "tan", 4],
  ["arcsin", "arcsin", 4], ["arccos", "arccos", 4], ["arctan", "arctan", 4], ["sinh", "sinh", 4], ["cosh", "cosh", 4],
  ["tanh", "tanh", 4], ["floor", "floor", 0], ["ceil", "ceil", 0], ["trunc", "trunc", 0], ["rint", "rint", 0],
  ["abs", "abs", 0], ["negative", "negative", 0], ["sign", "sign", 0], ["isnan", "isnan", 0], ["isinf", "isinf", 0],
  ["isfinite", "isfinite", 0], ["logicalNot", "logical_not", 0],
];
// NumPy 1.24 computes these in float16 for bool, int8 and uint8; tessera has no float16 and
// gives float32 (unary.ts, README): NumPy is given the input as float32, the value before its rounding.
const float16InNumpy = new Set(["sqrt", "exp", "log", "log1p", "expm1", "log2", "log10", "sin", "cos", "tan", "arcsin", "arccos",
  "arctan", "sinh", "cosh", "tanh", "floor", "ceil", "trunc", "rint"]);

function unaryCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  const [name, npName, ulps] = pick(rng, unaryOps);
  const dtype = pick(rng, numberDtypes);
  const shape = randomShape(rng);
  // Random values with NaN, ±inf, −0, or only corners (integer extremes: abs and negative of INT_MIN wrap).
  const data = rng() < 0.3 ? cornerArray(rng, dtype, shape) : randomArray(rng, dtype, shape, { specials: rng() < 0.7 });
  const x = inputs.add(data, shape.map((n) => randomChunks(rng, n)));
  const asFloat32 = float16InNumpy.has(name) && ["bool", "int8", "uint8"].includes(dtype);
  const npInput = asFloat32 ? `${x.name}.astype(np.float32)` : x.name;
  const daInput = asFloat32 ? `${x.py}.astype(np.float32)` : x.py;
  return {
    label: `u${index}_${name}_${dtype}_${shape.join("x")}`,
    numpy: `np.${npName}(${npInput})`,
    dask: `np.${npName}(${daInput})`,
    ours: () => (ta as unknown as Record<string, Unary>)[name](x.lazy()),
    ulps,
  };
}

/** Integer corners: 0, ±1, the extremes (INT_MIN // −1 wraps in NumPy). */
function cornerInteger(rng: Rng, dtype: nd.DType, shape: number[]): nd.NDArray {
  const info = nd.dtypeInfo(dtype);
  const bits = info.itemsize * 8;
  const min = info.kind === "u" ? 0n : -(1n << BigInt(bits - 1));
  const max = info.kind === "u" ? (1n << BigInt(bits)) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const corners = info.kind === "b" ? [0n, 1n] : [0n, 1n, -1n, 2n, -2n, 3n, -7n, 7n, min, max, min + 1n, max - 1n].filter((v) => v >= min && v <= max);
  const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => pick(rng, corners));
  const big = dtype === "int64" || dtype === "uint64";
  const typed = new (info.array as unknown as new (n: number) => Array<number | bigint>)(values.length);
  values.forEach((v, i) => (typed[i] = big ? v : Number(v)));
  return nd.fromTypedArray(typed as never, shape, { dtype });
}

/** Float corners of floor division and remainder: zeros of both signs, ±inf, NaN, exact multiples, tiny and huge. */
function cornerFloat(rng: Rng, dtype: nd.DType, shape: number[]): nd.NDArray {
  const corners = [0, -0, 1, -1, 3, -3, 0.5, -2.5, 7.25, Infinity, -Infinity, NaN, 1e-300, -1e300, 6, -6, 1e308, 5e-324, 0.1, 2 ** 53];
  const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => pick(rng, corners));
  return nd.fromTypedArray(dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values), shape);
}

const divisionOps: ReadonlyArray<[string, string, (a: never, b: never) => ta.Array]> = [
  ["floorDivide", "np.floor_divide", ta.floorDivide as never], ["remainder", "np.remainder", ta.remainder as never],
  ["mod", "np.mod", ta.mod as never], ["power", "np.power", ta.power as never],
];

function cornerArray(rng: Rng, dtype: nd.DType, shape: number[]): nd.NDArray {
  if (dtype === "float32" || dtype === "float64") return cornerFloat(rng, dtype, shape);
  return cornerInteger(rng, dtype, shape);
}

/** floorDivide / remainder / mod / power of same-kind operands with corner values on both sides. */
function divisionCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  const [name, npName, fn] = pick(rng, divisionOps);
  const dtypeA = pick(rng, numberDtypes);
  // Mostly one dtype (the wrapping rules of each are the point), sometimes a promoted pair.
  const dtypeB = rng() < 0.7 ? dtypeA : pick(rng, numberDtypes);
  const shape = randomShape(rng);
  const bShape = shape.slice(integer(rng, 0, shape.length - 1)).map((n) => (rng() < 0.3 ? 1 : n));
  const a = inputs.add(cornerArray(rng, dtypeA, shape), shape.map((n) => randomChunks(rng, n)));
  // Power's exponents: small, so integer results wrap only sometimes and floats stay finite mostly.
  const bData = name === "power" && dtypeB !== "float32" && dtypeB !== "float64"
    ? randomArray(rng, dtypeB, bShape, { small: true })
    : cornerArray(rng, dtypeB, bShape);
  const b = inputs.add(bData, bShape.map((n) => randomChunks(rng, n)));
  return {
    label: `d${index}_${name}_${dtypeA}_${dtypeB}_${shape.join("x")}`,
    numpy: `${npName}(${a.name}, ${b.name})`,
    dask: `${npName}(${a.py}, ${b.py})`,
    ours: () => fn(a.lazy() as never, b.lazy() as never),
    // V8's Math.pow against glibc's pow / powf: 1 ulp (reduction-differential.test.ts).
    ulps: name === "power" ? 1 : 0,
  };
}

/** NEP 50's dtype for a JS scalar beside an array of `dtype`; −0 is a Python float (promotion.ts). */
function weakDtype(value: number | bigint | boolean, dtype: nd.DType): string {
  if (typeof value === "boolean") return "bool";
  const kind = nd.dtypeInfo(dtype).kind;
  if (typeof value === "bigint" || (Number.isInteger(value) && !Object.is(value, -0))) return kind === "b" ? "int64" : dtype;
  return kind === "f" ? dtype : "float64";
}

function fits(value: number | bigint | boolean, dtype: nd.DType): boolean {
  if (typeof value === "boolean" || (typeof value === "number" && !Number.isInteger(value))) return true;
  const info = nd.dtypeInfo(dtype);
  if (info.kind !== "i" && info.kind !== "u") return true;
  const bits = BigInt(info.itemsize * 8);
  const big = BigInt(value);
  return info.kind === "u" ? big >= 0n && big < 1n << bits : big >= -(1n << (bits - 1n)) && big < 1n << (bits - 1n);
}

/** A scalar divisor or exponent (zero, negative, fractional, inf, NaN) on either side. */
function scalarCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  const [name, npName, fn] = pick(rng, divisionOps);
  const dtype = pick(rng, numberDtypes);
  const shape = randomShape(rng);
  const a = inputs.add(cornerArray(rng, dtype, shape), shape.map((n) => randomChunks(rng, n)));
  let value: number | bigint | boolean = pick(rng, [0, -0, 1, -1, 2, -2, 3, -3, 0.5, -2.5, Infinity, -Infinity, NaN, true, false, 127, -128, 255, 5n, -5n]);
  if (!fits(value, dtype)) value = 3;
  const scalar = `np.asarray(${Object.is(value, -0) ? "-0.0" : pyScalar(value)}, dtype="${weakDtype(value, dtype)}")`;
  const left = rng() < 0.4;
  return {
    label: `s${index}_${name}_${dtype}_${String(value)}_${left ? "left" : "right"}`,
    numpy: left ? `${npName}(${scalar}, ${a.name})` : `${npName}(${a.name}, ${scalar})`,
    ours: () => (left ? fn(value as never, a.lazy() as never) : fn(a.lazy() as never, value as never)),
    ulps: name === "power" ? 1 : 0,
  };
}

/** where (condition of any dtype, read as truth) and clip with array and scalar bounds. */
function selectionCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  const shape = randomShape(rng);
  // At least 1-d: NumPy 1.24 promotes 0-d arrays by value, tessera as NumPy 2 (NEP 50) by dtype.
  const sub = () => shape.slice(integer(rng, 0, shape.length - 1)).map((n) => (rng() < 0.3 ? 1 : n));
  const operand = (dtype: nd.DType, s: number[]) => inputs.add(randomArray(rng, dtype, s, { specials: true, small: rng() < 0.5 }), s.map((n) => randomChunks(rng, n)));
  if (rng() < 0.6) {
    const cond = operand(pick(rng, ["bool", "bool", "float64", "int8", "uint64", "float32"] as const), sub());
    const dtypeA = pick(rng, numberDtypes);
    const a = operand(dtypeA, sub());
    const scalarB = rng() < 0.3;
    // NumPy 2 refuses a Python int the dtype cannot hold (NEP 50); 1.24 wraps it: only values that fit.
    const value = pick(rng, [0, -1, 2.5, NaN, true].filter((v) => fits(v, dtypeA)));
    const b = operand(pick(rng, numberDtypes), sub());
    const pyB = scalarB ? `np.asarray(${pyScalar(value)}, dtype="${weakDtype(value, dtypeA)}")` : b.name;
    return {
      label: `w${index}_where_${dtypeA}${scalarB ? "_scalar" : ""}`,
      numpy: `np.where(${cond.name}, ${a.name}, ${pyB})`,
      dask: `da.where(${cond.py}, ${a.py}, ${scalarB ? pyB : b.py})`,
      ours: () => ta.where(cond.lazy(), a.lazy(), scalarB ? value : b.lazy()),
      ulps: 0,
    };
  }
  const dtype = pick(rng, numberDtypes.filter((d) => d !== "bool"));
  const x = operand(dtype, shape);
  const low = rng() < 0.5 ? operand(dtype, sub()) : null;
  const high = rng() < 0.5 || low === null ? operand(dtype, sub()) : null;
  return {
    label: `c${index}_clip_${dtype}`,
    numpy: `np.clip(${x.name}, ${low?.name ?? "None"}, ${high?.name ?? "None"})`,
    ours: () => ta.clip(x.lazy(), low?.lazy() ?? null, high?.lazy() ?? null),
    ulps: 0,
  };
}

/**
 * The eager logicalAnd / logicalOr (the lazy ones: bitwise-differential.test.ts): NaN is true
 * and −0 false, as in C. The eager result is wrapped with fromArray so it goes through the same comparison.
 */
function logicalCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  const shape = randomShape(rng);
  const bShape = shape.slice(integer(rng, 0, shape.length - 1)).map((n) => (rng() < 0.3 ? 1 : n));
  const [dtypeA, dtypeB] = [pick(rng, numberDtypes), pick(rng, numberDtypes)];
  const a = inputs.add(rng() < 0.5 ? cornerArray(rng, dtypeA, shape) : randomArray(rng, dtypeA, shape, { specials: true, small: true }), []);
  const b = inputs.add(rng() < 0.5 ? cornerArray(rng, dtypeB, bShape) : randomArray(rng, dtypeB, bShape, { specials: true, small: true }), []);
  const [name, npName] = pick(rng, [["logicalAnd", "logical_and"], ["logicalOr", "logical_or"]] as const);
  return {
    label: `l${index}_${name}_${dtypeA}_${dtypeB}`,
    numpy: `np.${npName}(${a.name}, ${b.name})`,
    ours: () => ta.fromArray(nd[name](inputs.arrays[a.name], inputs.arrays[b.name])),
    ulps: 0,
  };
}

export function drawUfuncCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  const kind = rng();
  if (kind < 0.45) return unaryCase(rng, inputs, index);
  if (kind < 0.67) return divisionCase(rng, inputs, index);
  if (kind < 0.82) return scalarCase(rng, inputs, index);
  if (kind < 0.95) return selectionCase(rng, inputs, index);
  return logicalCase(rng, inputs, index);
}
