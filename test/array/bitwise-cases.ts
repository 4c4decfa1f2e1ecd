/**
 * Cases for bitwise-differential.test.ts: the lazy bitwise, logical and two-operand float
 * ufuncs (ta.bitwiseAnd … ta.fmin) and the LazyArray methods and/or/xor/invert, on random
 * shapes, broadcasting and chunkings (many blocks), with corner values (shift counts past each
 * width, INT_MIN, NaN of both signs, ±inf, ±0) or random ones; a scalar on either side; every
 * dtype pair in turn. Each with NumPy's expression on the same bytes and Dask's, for chunks.
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import {
  type BinaryOp, allDtypes, asNumpyOperand, binaryOps, cornerVector, numpyFloat16, numpyScalar, scalarFits, scalars, unaryOps, weakDtype,
} from "../ndarray/binary-ufunc-pairs.js";
import { Inputs, integer, pick, randomArray, randomChunks, type Rng } from "./differential-inputs.js";
import type { UfuncCase } from "./ufunc-cases.js";

type LazyFn = (...operands: unknown[]) => ta.Array;
const lazyOf = (op: BinaryOp): LazyFn => (ta as unknown as Record<string, LazyFn>)[op.name];

function randomShape(rng: Rng): number[] {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 2, 3, 4, 5, 7]));
  if (rng() < 0.5) shape[integer(rng, 0, ndim - 1)] = integer(rng, 20, 60);
  return shape;
}

/** A trailing part of `shape` with some axes 1: broadcasts against it. */
function broadcastable(rng: Rng, shape: number[]): number[] {
  return shape.slice(integer(rng, 0, shape.length - 1)).map((n) => (rng() < 0.3 ? 1 : n));
}

/** Corner values of `dtype` drawn at random into `shape`, or random values with NaN/±inf/−0. */
function values(rng: Rng, dtype: nd.DType, shape: number[]): nd.NDArray {
  if (rng() < 0.4) return randomArray(rng, dtype, shape, { specials: true });
  const corners = cornerVector(dtype, 40, rng).toTypedArray();
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new (nd.dtypeInfo(dtype).array as unknown as new (n: number) => Array<number | bigint>)(size);
  for (let i = 0; i < size; i++) data[i] = corners[Math.floor(rng() * corners.length)];
  return nd.fromTypedArray(data as never, shape, { dtype });
}

const chunked = (rng: Rng, shape: number[]) => shape.map((n) => randomChunks(rng, n));

/** Two arrays of dtype pair number `pair` (0 … 120 walks every pair), broadcast against each other. */
function pairCase(rng: Rng, inputs: Inputs, index: number, pair: number): UfuncCase {
  const op = rng() < 0.1 ? pick(rng, unaryOps) : pick(rng, binaryOps);
  const [dtypeA, dtypeB] = [allDtypes[pair % 11], allDtypes[Math.floor(pair / 11) % 11]];
  const shape = randomShape(rng);
  const a = inputs.add(values(rng, dtypeA, shape), chunked(rng, shape));
  if (unaryOps.includes(op)) {
    return { label: `p${index}_${op.name}_${dtypeA}`, numpy: `np.${op.numpy}(${a.name})`, dask: `np.${op.numpy}(${a.py})`, ours: () => lazyOf(op)(a.lazy()), ulps: 0 };
  }
  const bShape = broadcastable(rng, shape);
  const b = inputs.add(values(rng, dtypeB, bShape), chunked(rng, bShape));
  const swap = rng() < 0.3;
  const [first, second] = swap ? [b, a] : [a, b];
  const float16 = numpyFloat16(op, [dtypeA, dtypeB]);
  return {
    label: `p${index}_${op.name}_${swap ? dtypeB : dtypeA}_${swap ? dtypeA : dtypeB}`,
    numpy: `np.${op.numpy}(${asNumpyOperand(first.name, float16)}, ${asNumpyOperand(second.name, float16)})`,
    dask: `np.${op.numpy}(${asNumpyOperand(first.py, float16)}, ${asNumpyOperand(second.py, float16)})`,
    ours: () => lazyOf(op)(first.lazy(), second.lazy()),
    ulps: op.ulps,
  };
}

/** A scalar on either side: it takes its NEP 50 dtype, as in every tessera binary op. */
function scalarCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  const op = pick(rng, binaryOps);
  const dtype = pick(rng, allDtypes);
  const value = pick(rng, scalars.filter((v) => scalarFits(v, dtype)));
  const shape = randomShape(rng);
  const a = inputs.add(values(rng, dtype, shape), chunked(rng, shape));
  const float16 = numpyFloat16(op, [dtype, weakDtype(value, dtype)]);
  const scalar = asNumpyOperand(numpyScalar(value, weakDtype(value, dtype)), float16);
  const array = asNumpyOperand(a.name, float16);
  const left = rng() < 0.5;
  return {
    label: `s${index}_${op.name}_${dtype}_${String(value)}_${left ? "left" : "right"}`,
    numpy: left ? `np.${op.numpy}(${scalar}, ${array})` : `np.${op.numpy}(${array}, ${scalar})`,
    ours: () => (left ? lazyOf(op)(value, a.lazy()) : lazyOf(op)(a.lazy(), value)),
    ulps: op.ulps,
  };
}

/** The methods on masks as a threshold step writes them: `(x > lo) & (x < hi)`, `|`, `^`, `~`. */
function methodCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  const dtype = pick(rng, allDtypes.filter((d) => d !== "bool"));
  const shape = randomShape(rng);
  const x = inputs.add(randomArray(rng, dtype, shape, { specials: true, small: true }), chunked(rng, shape));
  const yShape = broadcastable(rng, shape);
  const y = inputs.add(randomArray(rng, dtype, yShape, { specials: true, small: true }), chunked(rng, yShape));
  const [lo, hi] = [-1, 2];
  const integral = nd.dtypeInfo(dtype).kind !== "f";
  const method = pick(rng, integral ? (["and", "or", "xor", "invert", "integers"] as const) : (["and", "or", "xor", "invert"] as const));
  const mask = (v: typeof x) => v.lazy().gt(lo);
  if (method === "invert") {
    return { label: `m${index}_invert_${dtype}`, numpy: `~((${x.name} > ${lo}) & (${x.name} < ${hi}))`, dask: `~((${x.py} > ${lo}) & (${x.py} < ${hi}))`, ours: () => mask(x).and(x.lazy().lt(hi)).invert(), ulps: 0 };
  }
  if (method === "integers") {
    // On integer arrays the methods are the bitwise ops (floats are refused, as NumPy refuses them).
    return { label: `m${index}_integers_${dtype}`, numpy: `(${x.name} & ${y.name}) | ~${x.name}`, dask: `(${x.py} & ${y.py}) | ~${x.py}`, ours: () => x.lazy().and(y.lazy()).or(x.lazy().invert()), ulps: 0 };
  }
  const operator = { and: "&", or: "|", xor: "^" }[method];
  return {
    label: `m${index}_${method}_${dtype}`,
    numpy: `(${x.name} > ${lo}) ${operator} (${y.name} < ${hi})`,
    dask: `(${x.py} > ${lo}) ${operator} (${y.py} < ${hi})`,
    ours: () => mask(x)[method](y.lazy().lt(hi)),
    ulps: 0,
  };
}

/** Cases 0 … 241 walk every dtype pair twice; the rest are drawn. */
export function drawBitwiseCase(rng: Rng, inputs: Inputs, index: number): UfuncCase {
  if (index < 242) return pairCase(rng, inputs, index, index % 121);
  const kind = rng();
  if (kind < 0.5) return pairCase(rng, inputs, index, integer(rng, 0, 120));
  if (kind < 0.85) return scalarCase(rng, inputs, index);
  return methodCase(rng, inputs, index);
}
