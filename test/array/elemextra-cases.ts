/**
 * Cases for elemextra-differential.test.ts: the lazy ufuncs square … isclose / allclose
 * (src/ndarray/powers.ts, angles.ts, sign-bit.ts, fmod.ts, logaddexp.ts, nan-to-num.ts, isclose.ts) on random shapes,
 * broadcasting and chunkings (many blocks), with corner values (INT_MIN, zero divisors, NaN of
 * both signs, ±inf, ±0, subnormals, 1e308) or random ones; every dtype in turn; a scalar on either
 * side; near-equal pairs for isclose. Each with NumPy 1.24's expression on the same bytes and
 * Dask's, for chunks.
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { allDtypes, asNumpyOperand, cornerVector, numpyScalar, scalarFits, scalars, weakDtype } from "../ndarray/binary-ufunc-pairs.js";
import { Inputs, integer, pick, randomArray, randomChunks, type Rng } from "./differential-inputs.js";
import type { UfuncCase } from "./ufunc-cases.js";

type LazyFn = (...operands: unknown[]) => ta.Array;
const lazy = (name: string): LazyFn => (ta as unknown as Record<string, LazyFn>)[name];

interface Op {
  name: string;
  numpy: string;
  /** Allowed ulps: V8's Math.cbrt / 2 ** x against NumPy's SVML loops, fdlibm exp/log1p against glibc's (the sources say why). */
  ulps: number;
  /** Float loops only in NumPy: bool/int8/uint8 on every side compute in float16 there, float32 here. */
  floatLoop: boolean;
}

export const unaryOps: readonly Op[] = [
  { name: "square", numpy: "square", ulps: 0, floatLoop: false },
  { name: "reciprocal", numpy: "reciprocal", ulps: 0, floatLoop: false },
  { name: "cbrt", numpy: "cbrt", ulps: 4, floatLoop: true },
  { name: "exp2", numpy: "exp2", ulps: 4, floatLoop: true },
  { name: "degrees", numpy: "degrees", ulps: 0, floatLoop: true },
  { name: "radians", numpy: "radians", ulps: 0, floatLoop: true },
  { name: "deg2rad", numpy: "deg2rad", ulps: 0, floatLoop: true },
  { name: "rad2deg", numpy: "rad2deg", ulps: 0, floatLoop: true },
  { name: "positive", numpy: "positive", ulps: 0, floatLoop: false },
  { name: "signbit", numpy: "signbit", ulps: 0, floatLoop: false },
  { name: "isposinf", numpy: "isposinf", ulps: 0, floatLoop: false },
  { name: "isneginf", numpy: "isneginf", ulps: 0, floatLoop: false },
];

export const binaryOps: readonly Op[] = [
  { name: "fmod", numpy: "fmod", ulps: 0, floatLoop: false },
  { name: "logaddexp", numpy: "logaddexp", ulps: 4, floatLoop: true },
  { name: "logaddexp2", numpy: "logaddexp2", ulps: 4, floatLoop: true },
  { name: "isclose", numpy: "isclose", ulps: 0, floatLoop: false },
];

const narrow = new Set<nd.DType>(["bool", "int8", "uint8"]);
const float16 = (op: Op, dtypes: readonly nd.DType[]) => op.floatLoop && dtypes.every((d) => narrow.has(d));

// [tessera options, NumPy keywords]
const closeOptions: ReadonlyArray<[nd.IscloseOptions, string]> = [
  [{}, ""], [{ rtol: 0.1 }, ", rtol=0.1"], [{ atol: 1, equalNan: true }, ", atol=1, equal_nan=True"], [{ rtol: 0, atol: 0 }, ", rtol=0, atol=0"],
  [{ rtol: 1e-3, atol: 1e-30, equalNan: false }, ", rtol=1e-3, atol=1e-30"],
];
const nanToNumOptions: ReadonlyArray<[nd.NanToNumOptions, string]> = [
  [{}, ""], [{ nan: -1 }, ", nan=-1"], [{ posinf: 1e300, neginf: -0 }, ", posinf=1e300, neginf=-0.0"], [{ nan: 7.5, posinf: 2, neginf: -3 }, ", nan=7.5, posinf=2, neginf=-3"],
];

function randomShape(rng: Rng): number[] {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [0, 1, 2, 3, 4, 5, 7]));
  if (rng() < 0.5) shape[integer(rng, 0, ndim - 1)] = integer(rng, 20, 60);
  return shape;
}

const broadcastable = (rng: Rng, shape: number[]): number[] => shape.slice(integer(rng, 0, shape.length - 1)).map((n) => (rng() < 0.3 ? 1 : n));
const chunked = (rng: Rng, shape: number[]) => shape.map((n) => randomChunks(rng, n));

/** Corner values of `dtype` drawn at random into `shape`, or random values with NaN/±inf/−0. */
function values(rng: Rng, dtype: nd.DType, shape: number[], cornersOnly = false): nd.NDArray {
  if (!cornersOnly && rng() < 0.4) return randomArray(rng, dtype, shape, { specials: true, small: rng() < 0.5 });
  const corners = cornerVector(dtype, 40, rng).toTypedArray();
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new (nd.dtypeInfo(dtype).array as unknown as new (n: number) => Array<number | bigint>)(size);
  for (let i = 0; i < size; i++) data[i] = corners[Math.floor(rng() * corners.length)];
  return nd.fromTypedArray(data as never, shape, { dtype });
}

function unaryCase(rng: Rng, inputs: Inputs, index: number, dtype: nd.DType, op = pick(rng, unaryOps), corners = false): UfuncCase {
  const shape = corners ? [integer(rng, 30, 60), integer(rng, 1, 3)] : randomShape(rng);
  const x = inputs.add(values(rng, dtype, shape, corners), chunked(rng, shape));
  const half = float16(op, [dtype]);
  return {
    label: `u${index}_${op.name}_${dtype}`,
    numpy: `np.${op.numpy}(${asNumpyOperand(x.name, half)})`,
    dask: `np.${op.numpy}(${asNumpyOperand(x.py, half)})`,
    ours: () => lazy(op.name)(x.lazy()),
    ulps: op.ulps,
  };
}

function binaryCase(rng: Rng, inputs: Inputs, index: number, dtypeA: nd.DType, op = pick(rng, binaryOps), dtypeB = pick(rng, allDtypes)): UfuncCase {
  // The same dtype on both sides: every corner against every corner (a column against a row).
  const corners = dtypeA === dtypeB;
  const shape = corners ? [40, 1] : randomShape(rng);
  const bShape = corners ? [40] : broadcastable(rng, shape);
  const a = inputs.add(corners ? nd.reshape(cornerVector(dtypeA, 40, rng), shape) : values(rng, dtypeA, shape), chunked(rng, shape));
  const b = inputs.add(corners ? cornerVector(dtypeB, 40, rng) : values(rng, dtypeB, bShape), chunked(rng, bShape));
  const half = float16(op, [dtypeA, dtypeB]);
  const [options, keywords] = op.name === "isclose" ? pick(rng, closeOptions) : [undefined, ""];
  const call = (x: string, y: string) => `np.${op.numpy}(${asNumpyOperand(x, half)}, ${asNumpyOperand(y, half)}${keywords})`;
  return {
    label: `b${index}_${op.name}_${dtypeA}_${dtypeB}`,
    numpy: call(a.name, b.name),
    dask: call(a.py, b.py),
    ours: () => (options ? lazy(op.name)(a.lazy(), b.lazy(), options) : lazy(op.name)(a.lazy(), b.lazy())),
    ulps: op.ulps,
  };
}

/** A scalar on either side: it takes its NEP 50 dtype (NumPy is given a 1-element array of it). */
function scalarCase(rng: Rng, inputs: Inputs, index: number, dtype: nd.DType): UfuncCase {
  const op = pick(rng, binaryOps);
  const value = pick(rng, scalars.filter((v) => scalarFits(v, dtype)));
  const shape = randomShape(rng);
  const a = inputs.add(values(rng, dtype, shape), chunked(rng, shape));
  const weak = weakDtype(value, dtype);
  const half = float16(op, [dtype, weak]);
  const scalar = asNumpyOperand(numpyScalar(value, weak), half);
  const array = asNumpyOperand(a.name, half);
  const left = rng() < 0.5;
  const [options, keywords] = op.name === "isclose" ? pick(rng, closeOptions) : [undefined, ""];
  const run = (x: unknown, y: unknown) => (options ? lazy(op.name)(x, y, options) : lazy(op.name)(x, y));
  return {
    label: `s${index}_${op.name}_${dtype}_${String(value)}_${left ? "left" : "right"}`,
    numpy: left ? `np.${op.numpy}(${scalar}, ${array}${keywords})` : `np.${op.numpy}(${array}, ${scalar}${keywords})`,
    ours: () => (left ? run(value, a.lazy()) : run(a.lazy(), value)),
    ulps: op.ulps,
  };
}

/** isclose / allclose of x with x scaled by 1 + d: near the tolerance, where the dtypes of each step decide. */
function nearCase(rng: Rng, inputs: Inputs, index: number, dtype: nd.DType): UfuncCase {
  const shape = randomShape(rng);
  const data = values(rng, dtype, shape);
  const factor = 1 + pick(rng, [1e-7, 1e-6, 9e-6, 1e-5, 1.1e-5, 1e-3]) * (rng() < 0.5 ? 1 : -1);
  const scaled = nd.multiply(nd.astype(data, dtype === "float32" ? "float32" : "float64"), factor);
  const x = inputs.add(data, chunked(rng, shape));
  const y = inputs.add(scaled, chunked(rng, shape));
  const [options, keywords] = pick(rng, closeOptions);
  const [first, second] = rng() < 0.5 ? [x, y] : [y, x];
  if (rng() < 0.3) {
    return {
      label: `n${index}_allclose_${dtype}`,
      numpy: `np.asarray(np.allclose(${first.name}, ${second.name}${keywords}))`,
      ours: () => ta.allclose(first.lazy(), second.lazy(), options),
      ulps: 0,
    };
  }
  return {
    label: `n${index}_isclose_${dtype}`,
    numpy: `np.isclose(${first.name}, ${second.name}${keywords})`,
    dask: `da.isclose(${first.py}, ${second.py}${keywords})`,
    ours: () => ta.isclose(first.lazy(), second.lazy(), options),
    ulps: 0,
  };
}

/**
 * isclose at its boundary: x = y + (atol + rtol·|y|)·(1 + k·2⁻²³), k = −3 … 3, in float32 and
 * float64 on either side: whether the difference and the tolerance round in float32 or float64
 * (isclose.ts) decides these elements.
 */
function boundaryCase(rng: Rng, inputs: Inputs, index: number, j: number): UfuncCase {
  const [dtypeX, dtypeY] = (["float32", "float64"] as const).flatMap((a) => (["float32", "float64"] as const).map((b) => [a, b] as const))[j % 4];
  const [options, keywords] = closeOptions[[0, 1, 4, 2][Math.floor(j / 4) % 4]];
  const [rtol, atol] = [options.rtol ?? 1e-5, options.atol ?? 1e-8];
  const n = 200;
  const ys = Array.from({ length: n }, () => (rng() - 0.5) * 10 ** integer(rng, -3, 3));
  const y = nd.astype(nd.array(ys), dtypeY);
  const yRead = y.toTypedArray() as Float32Array | Float64Array;
  const xs = Array.from(yRead, (v, i) => v + (atol + rtol * Math.abs(v)) * (1 + ((i % 7) - 3) * 2 ** -23) * (i % 2 ? 1 : -1));
  const x = inputs.add(nd.astype(nd.array(xs), dtypeX), chunked(rng, [n]));
  const yIn = inputs.add(y, chunked(rng, [n]));
  return {
    label: `e${index}_isclose_${dtypeX}_${dtypeY}`,
    numpy: `np.isclose(${x.name}, ${yIn.name}${keywords})`,
    ours: () => ta.isclose(x.lazy(), yIn.lazy(), options),
    ulps: 0,
  };
}

function nanToNumCase(rng: Rng, inputs: Inputs, index: number, dtype: nd.DType, which?: number): UfuncCase {
  const shape = which === undefined ? randomShape(rng) : [integer(rng, 30, 60)];
  const x = inputs.add(values(rng, dtype, shape, which !== undefined), chunked(rng, shape));
  const [options, keywords] = which === undefined ? pick(rng, nanToNumOptions) : nanToNumOptions[which];
  return {
    label: `t${index}_nanToNum_${dtype}`,
    numpy: `np.nan_to_num(${x.name}${keywords})`,
    dask: `da.nan_to_num(${x.py}${keywords})`,
    ours: () => ta.nanToNum(x.lazy(), options),
    ulps: 0,
  };
}

const unaryWalk = unaryOps.length * allDtypes.length;
const binaryWalk = binaryOps.length * allDtypes.length * 3;
const walked = unaryWalk + binaryWalk + 6 * allDtypes.length + 4 * 40;

/**
 * Cases 0 … walked − 1 walk every one-operand op with every dtype on corner values, every
 * two-operand op with every first dtype three times (the same dtype on both sides and corner
 * values first, so INT_MIN and zero divisors meet), nanToNum and the near pairs with every dtype
 * twice; the rest are drawn, every kind walking the dtypes in turn.
 */
export function drawElemextraCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  if (index < unaryWalk) return unaryCase(rng, inputs, index, allDtypes[Math.floor(index / unaryOps.length)], unaryOps[index % unaryOps.length], true);
  if (index < unaryWalk + binaryWalk) {
    const j = index - unaryWalk;
    const dtypeA = allDtypes[Math.floor(j / binaryOps.length) % allDtypes.length];
    return binaryCase(rng, inputs, index, dtypeA, binaryOps[j % binaryOps.length], j < binaryWalk / 3 ? dtypeA : pick(rng, allDtypes));
  }
  if (index < walked) {
    const j = index - unaryWalk - binaryWalk;
    const dtype = allDtypes[j % allDtypes.length];
    if (j < 4 * allDtypes.length) return nanToNumCase(rng, inputs, index, dtype, Math.floor(j / allDtypes.length));
    if (j < 6 * allDtypes.length) return nearCase(rng, inputs, index, dtype);
    return boundaryCase(rng, inputs, index, j - 6 * allDtypes.length);
  }
  const dtype = allDtypes[index % allDtypes.length];
  const kind = Math.floor(index / allDtypes.length) % 5;
  if (kind === 0 || kind === 3) return unaryCase(rng, inputs, index, dtype);
  if (kind === 1) return binaryCase(rng, inputs, index, dtype);
  if (kind === 2) return scalarCase(rng, inputs, index, dtype);
  return rng() < 0.5 ? nearCase(rng, inputs, index, dtype) : nanToNumCase(rng, inputs, index, dtype);
}
