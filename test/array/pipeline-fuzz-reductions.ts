/**
 * The reducing and neighbourhood part of the pipeline fuzzer's catalogue: tree reductions
 * (axis int / tuple / none, keepdims, splitEvery), cumulative sums and products, contractions
 * with a transposed copy, mapOverlap with a minimum filter, coarsen, and lazy boolean masks
 * (unknown chunk sizes) — each as a tessera call and as the Dask expression that means the same.
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { integer, pick, pyBool, pyScalar, pyTuple } from "./differential-inputs.js";
import { isFloat, knownShape, next, sizeOf, type Operation } from "./pipeline-fuzz-stage.js";

type Reduction = "sum" | "mean" | "prod" | "min" | "max" | "std" | "var" | "argmax" | "argmin" | "any" | "all" | "nansum" | "nanmax" | "nanmean" | "nanmin";
const reductions: readonly Reduction[] = ["sum", "mean", "prod", "min", "max", "std", "var", "argmax", "argmin", "any", "all", "nansum", "nanmax", "nanmean", "nanmin"];
/** Reductions whose float results depend on the order of summation. */
const ordered = new Set<Reduction>(["sum", "mean", "prod", "std", "var", "nansum", "nanmean"]);
/** Reductions whose result jumps where floats differ in their last bits. */
const discontinuous = new Set<Reduction>(["argmax", "argmin", "any", "all"]);

export const reductionOperations: readonly Operation[] = [
  {
    name: "reduce",
    unknownOk: true,
    apply({ rng }, s) {
      const op = pick(rng, reductions.filter((r) => !(s.inexact && discontinuous.has(r))));
      const ndim = s.lazy.ndim;
      const arg = op === "argmax" || op === "argmin";
      const roll = rng();
      let axis: number | number[] | null = null;
      if (ndim > 0 && roll < 0.5) axis = integer(rng, -ndim, ndim - 1);
      else if (ndim > 1 && roll < 0.75 && !arg) axis = Array.from({ length: ndim }, (_, a) => a).filter(() => rng() < 0.5);
      const keepdims = rng() < 0.3;
      // A number, or per reduced axis ({ axis: n }, Dask's dict), for a single non-negative axis.
      const splitEvery = rng() < 0.3 ? (typeof axis === "number" && axis >= 0 && rng() < 0.4 ? { [axis]: pick(rng, [2, 3]) } : pick(rng, [2, 3, 4])) : undefined;
      const ddof = (op === "std" || op === "var") && rng() < 0.3 ? 1 : undefined;
      const options: ta.ReductionCallOptions = { axis, keepdims };
      if (splitEvery !== undefined) options.splitEvery = splitEvery;
      if (ddof !== undefined) options.ddof = ddof;
      // An accumulator dtype for sum / prod / mean (NumPy's dtype=), sometimes narrower than the default.
      const dtype = (op === "sum" || op === "prod" || op === "mean") && rng() < 0.25 ? pick(rng, ["float32", "float64", "int64", "int16"] as const) : undefined;
      // A float cast to an integer accumulator is NumPy's unsafe cast (platform-defined past the range): integers only.
      if (dtype !== undefined && !dtype.startsWith("float") && (op === "mean" || isFloat(s.lazy.dtype))) return null;
      if (dtype !== undefined) options.dtype = dtype;
      const fn = (ta as unknown as Record<string, (x: ta.Array, o: ta.ReductionCallOptions) => ta.Array>)[op];
      const pyAxis = axis === null ? "None" : Array.isArray(axis) ? pyTuple(axis) : String(axis);
      const extra = `${splitEvery === undefined ? "" : `, split_every=${typeof splitEvery === "number" ? splitEvery : `{${Object.entries(splitEvery).map(([k, v]) => `${k}: ${v}`).join(", ")}}`}`}${ddof === undefined ? "" : `, ddof=${ddof}`}${dtype === undefined ? "" : `, dtype='${dtype}'`}`;
      let py = `da.${op}(${s.py}, axis=${pyAxis}, keepdims=${pyBool(keepdims)}${extra})`;
      // Dask 2022.12's tree of argmin / argmax partials over several axes does not keep the first of
      // tied values (it gave flat index 82 where NumPy gives 8): NumPy's values in Dask's chunks.
      // Dask 2022.12's var / std give NaN where a block of unknown size is empty; tessera leaves such
      // blocks out (unknown-reduction.ts), as NumPy's variance of the elements there are.
      if ((op === "std" || op === "var") && !knownShape(s)) {
        const step = next(s, () => fn(s.lazy, options), `da.from_array(np.${op}(np.asarray(${s.py}), axis=${pyAxis}, keepdims=${pyBool(keepdims)}${ddof === undefined ? "" : `, ddof=${ddof}`}))`, { inexact: true, ownChunks: true });
        return { ...step, final: true };
      }
      if (arg && knownShape(s)) py = `da.from_array(np.${op}(np.asarray(${s.py}), axis=${pyAxis}, keepdims=${pyBool(keepdims)}), chunks=(${py}).chunks)`;
      return next(s, () => fn(s.lazy, options), py, { inexact: ordered.has(op) && (isFloat(s.lazy.dtype) || (dtype?.startsWith("float") ?? false) || op === "mean" || op === "nanmean" || op === "std" || op === "var"), plain: op !== "prod" });
    },
  },
  {
    name: "cumulative",
    unknownOk: true,
    apply({ rng }, s) {
      const product = rng() < 0.4;
      const axis = s.lazy.ndim > 0 && rng() < 0.8 ? integer(rng, -s.lazy.ndim, s.lazy.ndim - 1) : null;
      const lazy = (): ta.Array => product ? ta.cumprod(s.lazy, { axis }) : ta.cumsum(s.lazy, { axis });
      const name = product ? "cumprod" : "cumsum";
      const flags = { inexact: isFloat(s.lazy.dtype), plain: false };
      // Dask 2022.12 carries an empty block's empty last slice (it loses elements or fails) and gives
      // its carries NaN shapes along known axes: of unknown sizes, NumPy's values in one block.
      if (!knownShape(s)) return axis === null ? null : { ...next(s, lazy, `da.from_array(np.${name}(np.asarray(${s.py}), axis=${axis}))`, { ...flags, ownChunks: true }), final: true };
      return next(s, lazy, `da.${name}(${s.py}, axis=${axis === null ? "None" : axis})`, flags);
    },
  },
  {
    name: "contraction",
    apply({ rng }, s) {
      const ndim = s.lazy.ndim;
      // Dask 2022.12 sums the partial products with np.sum, which widens: booleans become integers
      // (True·True + True·True gives 2 where NumPy's dot gives True), int8 … int32 become int64.
      // tessera keeps NumPy's dtype (contraction-differential.test.ts): only 64-bit dtypes and float32 are drawn.
      if (!knownShape(s) || ndim === 0 || ndim > 2 || sizeOf(s.lazy.shape) > 600 || !["int64", "uint64", "float32", "float64"].includes(s.lazy.dtype)) return null;
      const flags = { inexact: isFloat(s.lazy.dtype), plain: false };
      const roll = rng();
      if (ndim === 2 && roll < 0.35) return next(s, () => ta.matmul(s.lazy, s.lazy.T), `da.matmul(${s.py}, (${s.py}).T)`, flags);
      if (ndim === 2 && roll < 0.6) return next(s, () => ta.dot(s.lazy.T, s.lazy), `da.dot((${s.py}).T, ${s.py})`, flags);
      const axis = integer(rng, 0, ndim - 1);
      return next(s, () => ta.tensordot(s.lazy, s.lazy, [[axis], [axis]]), `da.tensordot(${s.py}, ${s.py}, axes=([${axis}], [${axis}]))`, flags);
    },
  },
  {
    name: "map-overlap",
    apply({ rng }, s) {
      const ndim = s.lazy.ndim;
      if (!knownShape(s) || ndim === 0 || s.lazy.dtype === "bool") return null;
      // Dask refuses a depth past the whole axis (tessera reads halos across chunks, and further).
      const depth = integer(rng, 1, 2);
      if (s.lazy.shape.some((n) => n < depth)) return null;
      const boundary = pick(rng, ["none", "reflect", "nearest", "periodic", 0] as const);
      const pyBoundary = typeof boundary === "number" ? String(boundary) : `'${boundary}'`;
      const lazy = (): ta.Array => s.lazy.mapOverlap(ndimage.minimumFilter as never, { depth, boundary }, { size: 3, mode: "nearest" });
      const py = `da.map_overlap(lambda b: ndi.minimum_filter(b, size=3, mode='nearest'), ${s.py}, depth=${depth}, boundary=${pyBoundary}, dtype=(${s.py}).dtype)`;
      // Dask merges chunks smaller than the depth into their neighbours; tessera keeps the chunks
      // and reads halos across several (map-overlap.ts, allowRechunk): the chunks differ there.
      return next(s, lazy, py, { ownChunks: s.lazy.chunks.some((sizes) => sizes.some((c) => c < depth)) });
    },
  },
  {
    name: "coarsen",
    apply({ rng }, s) {
      const shape = s.lazy.shape;
      if (!knownShape(s) || shape.length === 0) return null;
      const axis = integer(rng, 0, shape.length - 1);
      const factors = Array.from({ length: shape[axis] }, (_, i) => i + 1).filter((f) => shape[axis] % f === 0);
      if (factors.length === 0) return null;
      const factor = pick(rng, factors);
      const [reduction, pyReduction] = pick(rng, [[nd.sum, "np.sum"], [nd.max, "np.max"], [nd.mean, "np.mean"]] as const);
      const lazy = (): ta.Array => ta.coarsen(reduction, s.lazy, { [axis]: factor });
      return next(s, lazy, `da.coarsen(${pyReduction}, ${s.py}, {${axis}: ${factor}})`, { inexact: pyReduction !== "np.max" && isFloat(s.lazy.dtype), plain: pyReduction === "np.max" });
    },
  },
  {
    name: "axis-mask",
    apply({ rng }, s) {
      // A lazy 1-d mask along one axis (x[:, m]): that axis gets unknown sizes, the others stay.
      if (s.inexact || s.lazy.ndim < 2 || !knownShape(s)) return null;
      const axis = integer(rng, 0, s.lazy.ndim - 1);
      const others = s.lazy.shape.map((_, a) => a).filter((a) => a !== axis);
      const threshold = pick(rng, [0, 1, 2]);
      const items = s.lazy.shape.map((_, a) => (a === axis ? "m" : ":"));
      return next(s, () => {
        const mask = ta.greater(ta.sum(s.lazy, { axis: others }), threshold);
        return s.lazy.get(...items.map((i) => (i === "m" ? mask : ":")) as ta.IndexItem[]);
      }, `(lambda m: (${s.py})[${items.map((i) => (i === "m" ? "m" : ":")).join(", ")}])(da.sum(${s.py}, axis=${pyTuple(others)}) > ${threshold})`);
    },
  },
  {
    name: "mask",
    unknownOk: true,
    apply({ rng }, s) {
      if (s.inexact || s.lazy.ndim === 0) return null;
      const threshold = pick(rng, [0, 1, -1, 0.5]);
      return next(s, () => s.lazy.get(ta.greater(s.lazy, threshold)), `(${s.py})[(${s.py}) > ${pyScalar(threshold)}]`);
    },
  },
];
