/**
 * gradient (dask.array.gradient): per axis, each block is extended by one cell of each
 * neighbour along that axis (boundary "none": nothing beyond the array's ends), np.gradient is
 * taken of it with the coordinates cut to the same cells, and the result is cut back to the
 * block (ndarray/gradient.ts gradientBlock). The chunks are the input's; each block's values are
 * what Dask's block gives, which equal NumPy's except that a block whose own coordinates are
 * evenly spaced takes NumPy's uniform formula, as Dask's blocks do.
 *
 * As Dask: bool and integers are taken as float64 first (so bool works, unlike np.gradient);
 * chunks along a gradient axis must hold at least edgeOrder + 1 cells; axis null (the default)
 * gives a list even for a 1-d array, a number gives one array; one coordinate array may serve
 * every axis; a lazy array of coordinates is refused. Deliberate difference: a 0-d NDArray spacing
 * is a scalar of its dtype, as np.gradient reads it (Dask takes it for coordinates and fails).
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { copy } from "../ndarray/copy.js";
import { isNDArray } from "../ndarray/ndarray.js";
import { checkEdgeOrder, gradientArguments, gradientBlock, type GradientOptions, type Spacing } from "../ndarray/gradient.js";
import { spacingsFor } from "../ndarray/gradient-spacing.js";
import { LazyArray, mapBlocksOf } from "./array.js";
import { smallestOf } from "./chunks.js";

/** The spacing as gradientBlock gets it: a scalar with NumPy's dtype, or the coordinates' values. */
function travellingSpacing(given: Spacing): Record<string, unknown> {
  if (typeof given === "number") return { value: given, dtype: Number.isInteger(given) ? "pyint" : "pyfloat" };
  if (isNDArray(given) && given.ndim === 0) return { value: Number(given.item()), dtype: given.dtype };
  const values = isNDArray(given) ? Array.from(given.toTypedArray() as ArrayLike<number | bigint>, Number) : [...given];
  return { coordinates: values, dtype: isNDArray(given) && given.dtype === "float32" ? "float32" : "float64" };
}

/** `gradient(x, ...spacings, { axis, edgeOrder })`: dask.array.gradient's graph and values. */
export function gradient(x: LazyArray, ...args: Array<Spacing | LazyArray | GradientOptions>): LazyArray | LazyArray[] {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError("gradient: x must be a tessera array (use nd.gradient for an NDArray)");
  refuseComplex("gradient", x.dtype);
  const { varargs, options } = gradientArguments(args.filter((a) => !(a instanceof LazyArray)), "gradient");
  if (args.some((a) => a instanceof LazyArray)) throw new InvalidOptionError("gradient: dask array coordinated is not supported (give coordinates as an NDArray or a list of numbers)");
  const edgeOrder = checkEdgeOrder(options.edgeOrder === undefined ? 1 : Math.ceil(options.edgeOrder), "gradient");
  const single = typeof options.axis === "number";
  const given = options.axis === null || options.axis === undefined ? x.shape.map((_, a) => a) : typeof options.axis === "number" ? [options.axis] : [...options.axis];
  const axes = given.map((axis) => normalizeAxis(axis, x.ndim, "gradient"));
  if (new Set(axes).size !== axes.length) throw new InvalidOptionError(`gradient: duplicate axes not allowed (axis [${given.join(", ")}])`);
  const spacings = varargs.length === 0 ? axes.map(() => 1) : varargs.length === 1 ? axes.map(() => varargs[0]) : varargs;
  if (spacings.length !== axes.length) {
    throw new InvalidOptionError(`gradient: Spacing must either be a single scalar, or a scalar / 1d-array per axis (${varargs.length} spacings for ${axes.length} axes)`);
  }
  // Read as NumPy would, so a wrong spacing is refused here rather than inside a task.
  spacingsFor(spacings, axes, x.shape, "gradient", true);
  const f = x.dtype === "float32" || x.dtype === "float64" ? x : x.astype("float64");
  const results = axes.map((axis, i) => {
    const smallest = smallestOf(f.chunks[axis]);
    if (smallest < edgeOrder + 1) {
      throw new InvalidOptionError(`gradient: Chunk size must be larger than edge_order + 1. Minimum chunk for axis ${axis} is ${smallest}. Rechunk to proceed.`);
    }
    const depth = Object.fromEntries([[axis, 1]]);
    const halo = f.mapOverlap(copy, { depth, boundary: "none", trim: false });
    const fnOptions = { axis, edgeOrder, length: f.shape[axis], spacing: travellingSpacing(spacings[i] as Spacing) };
    return mapBlocksOf(gradientBlock, [halo], { chunks: f.chunks.map((sizes) => [...sizes]), dtype: f.dtype, blockInfo: true, name: "gradient" }, fnOptions);
  });
  return single ? results[0] : results;
}
