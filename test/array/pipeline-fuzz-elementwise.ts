/**
 * The elementwise part of the pipeline fuzzer's catalogue: arithmetic with scalars (either
 * side) and with broadcast arrays of their own chunks, a centring against the array's own
 * keepdims mean, astype, where, clip, abs, negative and comparisons — each as a tessera call and
 * as the Dask expression that means the same.
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { integer, pick, pyScalar, randomArray, randomChunks } from "./differential-inputs.js";
import { isFloat, knownShape, next, type Operation } from "./pipeline-fuzz-stage.js";

type Binary = (a: ta.Array | number, b: ta.Array | number) => ta.Array;
const arithmetic: ReadonlyArray<{ py: string; ours: Binary; discontinuous?: boolean; multiplies?: boolean }> = [
  { py: "+", ours: ta.add },
  { py: "-", ours: ta.subtract },
  { py: "*", ours: ta.multiply, multiplies: true },
  { py: "/", ours: ta.divide, multiplies: true },
  { py: "//", ours: ta.floorDivide, discontinuous: true },
  { py: "%", ours: ta.remainder, discontinuous: true },
];
const comparisons: ReadonlyArray<{ py: string; ours: Binary }> = [
  { py: ">", ours: ta.greater }, { py: ">=", ours: ta.greaterEqual }, { py: "<", ours: ta.less },
  { py: "<=", ours: ta.lessEqual }, { py: "==", ours: ta.equal }, { py: "!=", ours: ta.notEqual },
];
const scalars = [0, 1, 2, 3, -2, 7, 0.5, 1.5, -0.25];
const castTargets: readonly nd.DType[] = ["bool", "int16", "uint16", "int64", "float32", "float64"];

export const elementwiseOperations: readonly Operation[] = [
  {
    name: "scalar-arithmetic",
    unknownOk: true,
    apply({ rng }, s) {
      const op = pick(rng, arithmetic.filter((o) => !(s.inexact && o.discontinuous)));
      const value = pick(rng, scalars);
      const reversed = rng() < 0.3;
      const lazy = (): ta.Array => reversed ? op.ours(value, s.lazy) : op.ours(s.lazy, value);
      const py = reversed ? `(${pyScalar(value)} ${op.py} (${s.py}))` : `((${s.py}) ${op.py} ${pyScalar(value)})`;
      return next(s, lazy, py, { plain: !op.multiplies && !op.discontinuous && Number.isInteger(value) });
    },
  },
  {
    name: "array-arithmetic",
    apply({ rng, inputs }, s) {
      // NumPy 1.24 casts a 0-d array by its value, as a scalar: Dask's float32 blocks divided by a 0-d
      // float64 block stay float32 (its metadata says float64); tessera, as NumPy 2, computes in
      // float64. 0-d operands on either side stay out.
      if (!knownShape(s) || s.lazy.ndim === 0) return null;
      const op = pick(rng, arithmetic.filter((o) => !(s.inexact && o.discontinuous)));
      // A broadcast partner: a suffix of the shape with some lengths 1, its own dtype and chunks.
      // Lengths 1 of the stage may grow in the partner (the stage broadcasts up along them).
      const shape = s.lazy.shape.slice(integer(rng, 0, s.lazy.ndim - 1)).map((n) => (rng() < 0.3 ? 1 : n === 1 && rng() < 0.4 ? integer(rng, 2, 4) : n));
      // Or leading axes the stage lacks (the stage broadcasts up).
      if (rng() < 0.25 && s.lazy.ndim < 4) shape.unshift(...Array.from({ length: integer(rng, 1, 4 - s.lazy.ndim) }, () => pick(rng, [1, 2, 3])));
      const dtype = pick(rng, ["bool", "int16", "uint16", "int64", "float32", "float64"] as const);
      const y = inputs.add(randomArray(rng, dtype, shape, { small: true }), shape.map((n) => randomChunks(rng, n)));
      const reversed = rng() < 0.3;
      const lazy = (): ta.Array => reversed ? op.ours(y.lazy(), s.lazy) : op.ours(s.lazy, y.lazy());
      const py = reversed ? `(${y.py} ${op.py} (${s.py}))` : `((${s.py}) ${op.py} ${y.py})`;
      return next(s, lazy, py, { plain: !op.multiplies && !op.discontinuous });
    },
  },
  {
    name: "self-arithmetic",
    unknownOk: true,
    apply({ rng }, s) {
      // The stage with itself: the same chunks (of unknown sizes too) meet block by block.
      const op = pick(rng, arithmetic.filter((o) => !o.discontinuous));
      return next(s, () => op.ours(s.lazy, s.lazy), `((${s.py}) ${op.py} (${s.py}))`, { plain: !op.multiplies });
    },
  },
  {
    name: "centre-keepdims",
    apply({ rng }, s) {
      if (!knownShape(s) || s.lazy.ndim === 0 || s.lazy.dtype === "bool") return null;
      const axis = integer(rng, -s.lazy.ndim, s.lazy.ndim - 1);
      const lazy = (): ta.Array => ta.subtract(s.lazy, ta.mean(s.lazy, { axis, keepdims: true }));
      return next(s, lazy, `((${s.py}) - da.mean(${s.py}, axis=${axis}, keepdims=True))`, { inexact: true, plain: false });
    },
  },
  {
    name: "astype",
    unknownOk: true,
    apply({ rng }, s) {
      const target = pick(rng, castTargets);
      // NaN, ±inf and floats past the integer's range cast to platform-defined integers in NumPy.
      if (isFloat(s.lazy.dtype) && !isFloat(target) && target !== "bool" && (!s.plain || s.inexact)) return null;
      if (s.inexact && !isFloat(target)) return null;
      return next(s, () => s.lazy.astype(target), `(${s.py}).astype('${target}')`);
    },
  },
  {
    name: "where",
    unknownOk: true,
    apply({ rng }, s) {
      if (s.inexact) return null;
      const threshold = pick(rng, [0, 1, -1]);
      const other = pick(rng, [0, 1, -3, 2.5]);
      const lazy = (): ta.Array => ta.where(ta.greater(s.lazy, threshold), s.lazy, other);
      return next(s, lazy, `da.where((${s.py}) > ${threshold}, ${s.py}, ${pyScalar(other)})`);
    },
  },
  {
    name: "where-arrays",
    apply({ rng, inputs }, s) {
      // Condition, x and y all arrays of their own dtypes and chunks, broadcast against the stage.
      if (s.inexact || !knownShape(s) || s.lazy.ndim === 0) return null;
      const shape = s.lazy.shape.slice(integer(rng, 0, s.lazy.ndim - 1)).map((n) => (rng() < 0.3 ? 1 : n));
      const dtype = pick(rng, ["bool", "int16", "uint16", "int64", "float32", "float64"] as const);
      const y = inputs.add(randomArray(rng, dtype, shape, { small: true }), shape.map((n) => randomChunks(rng, n)));
      const condition = inputs.add(randomArray(rng, "bool", shape), shape.map((n) => randomChunks(rng, n)));
      const swapped = rng() < 0.5;
      const lazy = (): ta.Array => (swapped ? ta.where(condition.lazy(), y.lazy(), s.lazy) : ta.where(condition.lazy(), s.lazy, y.lazy()));
      return next(s, lazy, swapped ? `da.where(${condition.py}, ${y.py}, ${s.py})` : `da.where(${condition.py}, ${s.py}, ${y.py})`);
    },
  },
  {
    name: "clip",
    unknownOk: true,
    apply({ rng }, s) {
      if (s.lazy.dtype === "bool") return null;
      const unsigned = s.lazy.dtype.startsWith("u");
      const low = pick(rng, unsigned ? [0, 1, null] : [-1, 0, -2.5, null]);
      const high = pick(rng, [3, 5, 1.5, ...(low === null ? [] : [null])]);
      return next(s, () => ta.clip(s.lazy, low, high), `da.clip(${s.py}, ${low === null ? "None" : pyScalar(low)}, ${high === null ? "None" : pyScalar(high)})`);
    },
  },
  {
    name: "abs-negative",
    unknownOk: true,
    apply({ rng }, s) {
      // Negative of bool is refused by NumPy (and so must be by tessera): kept, as a refusal case.
      return rng() < 0.5 ? next(s, () => ta.abs(s.lazy), `da.absolute(${s.py})`) : next(s, () => ta.negative(s.lazy), `(-(${s.py}))`);
    },
  },
  {
    name: "compare",
    unknownOk: true,
    apply({ rng }, s) {
      if (s.inexact) return null;
      const op = pick(rng, comparisons);
      const value = pick(rng, [0, 1, -1, 0.5, 2]);
      return next(s, () => op.ours(s.lazy, value), `((${s.py}) ${op.py} ${pyScalar(value)})`);
    },
  },
  {
    name: "logical",
    unknownOk: true,
    apply({ rng }, s) {
      if (s.inexact) return null;
      const invert = rng() < 0.5;
      const lazy = (): ta.Array => invert ? ta.logicalNot(s.lazy) : ta.logicalAnd(s.lazy, ta.less(s.lazy, 2));
      return next(s, lazy, invert ? `da.logical_not(${s.py})` : `da.logical_and(${s.py}, (${s.py}) < 2)`);
    },
  },
];
