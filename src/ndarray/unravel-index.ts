/**
 * np.unravel_index and np.ravel_multi_index (C order), as NumPy 1.24: flat indices into
 * coordinate arrays and back, every result int64. Indices must be of an integer (or bool)
 * dtype; a flat index outside [0, size) and, in mode "raise", a coordinate outside [0, dim)
 * are refused with NumPy's messages. Modes "wrap" (modulo, Python's sign) and "clip" (to the
 * nearest end) may differ per axis. Values are read as numbers: a 64-bit index past 2^53 lies
 * outside every array tessera can hold and is refused as out of bounds.
 *
 * unravelIndexAxis and ravelMultiIndexBlock are the per-block tasks of the lazy twins.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { broadcastShapes } from "./broadcast.js";
import { astype } from "./copy.js";
import { array, fromTypedArray } from "./creation.js";
import { dtypeInfo } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { broadcastTo } from "./views.js";

export type ClipMode = "raise" | "wrap" | "clip";
export interface RavelMultiIndexOptions {
  /** What a coordinate outside its dimension does: one mode, or one per dimension. */
  mode?: ClipMode | readonly ClipMode[];
}

type IndexLike = NDArray | number | bigint | boolean;

function indexArray(value: unknown, what: string): NDArray {
  const a = value instanceof NDArray ? value : typeof value === "number" || typeof value === "bigint" || typeof value === "boolean" ? array(value as never) : null;
  if (a === null) throw new InvalidOptionError(`${what}: indices must be NDArrays or integers, got ${JSON.stringify(value) ?? typeof value}`);
  // An integral JS number is a Python int here (NEP 50): 3 is an index, 3.5 is not.
  const integral = dtypeInfo(a.dtype).kind !== "f" || (typeof value === "number" && Number.isInteger(value));
  if (!integral) throw new InvalidOptionError(`${what}: only int indices permitted, got dtype ${a.dtype}`);
  return a;
}

/** Checks a shape / dims argument: non-negative integers. */
export function checkDims(dims: unknown, what: string): number[] {
  const list = typeof dims === "number" ? [dims] : dims;
  if (!Array.isArray(list) || !list.every((n) => Number.isInteger(n) && n >= 0)) throw new InvalidOptionError(`${what}: dims must be non-negative integers, got ${JSON.stringify(dims)}`);
  return list as number[];
}

/** NumPy refuses dims with a zero, whatever the coordinates. */
export function refuseEmptyDims(dims: readonly number[]): void {
  if (dims.includes(0)) throw new InvalidOptionError(`ravelMultiIndex: cannot unravel if shape has zero entries (is empty): dims [${dims.join(", ")}]`);
}

/** The modes, one per dimension, checked as NumPy checks them. */
export function checkModes(mode: unknown, ndim: number, what: string): ClipMode[] {
  const modes = mode === undefined ? ["raise"] : Array.isArray(mode) ? mode : [mode];
  for (const m of modes) if (m !== "raise" && m !== "wrap" && m !== "clip") throw new InvalidOptionError(`${what}: clipmode must be one of 'clip', 'raise', or 'wrap' (got ${JSON.stringify(m)})`);
  if (Array.isArray(mode) && modes.length !== ndim) throw new InvalidOptionError(`${what}: list of clipmodes has wrong length (${modes.length} instead of ${ndim})`);
  return Array.isArray(mode) ? (modes as ClipMode[]) : new Array<ClipMode>(ndim).fill(modes[0] as ClipMode);
}

const numbersOf = (a: NDArray): Float64Array => astype(a, "float64").toTypedArray() as Float64Array;

/** Coordinate `axis` of each flat index (the lazy twin's block task; options { shape, axis }). */
export const unravelIndexAxis = defineBuiltin("ndarray.unravelIndexAxis", function unravelIndexAxis(indices: NDArray, options: { shape: number[]; axis: number }): NDArray {
  const { shape, axis } = options;
  const size = shape.reduce((a, b) => a * b, 1);
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const values = numbersOf(indices);
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v < size)) throw new InvalidOptionError(`unravelIndex: index ${String(indices.toTypedArray()[i])} is out of bounds for array with size ${size}`);
    out[i] = BigInt(Math.floor(v / stride) % shape[axis]);
  }
  return fromTypedArray(out, [...indices.shape], { dtype: "int64" });
});

/** np.unravel_index(indices, shape): one int64 array of coordinates per dimension, each of the indices' shape. */
export const unravelIndex = definePublicBuiltin("unravelIndex", function unravelIndex(indices: IndexLike, shape: readonly number[] | number): NDArray[] {
  const flat = indexArray(indices, "unravelIndex");
  const dims = checkDims(shape, "unravelIndex");
  return dims.map((_, axis) => unravelIndexAxis(flat, { shape: dims, axis }));
});

/** Flat indices of broadcast coordinate blocks (the lazy twin's block task; options { dims, mode }). */
export const ravelMultiIndexBlock = defineBuiltin("ndarray.ravelMultiIndexBlock", function ravelMultiIndexBlock(...args: unknown[]): NDArray {
  const { dims, mode } = args.pop() as { dims: number[]; mode: ClipMode[] };
  const coordinates = args as NDArray[];
  const shape = broadcastShapes(...coordinates.map((c) => c.shape));
  const columns = coordinates.map((c) => numbersOf(broadcastTo(c, shape)));
  const count = shape.reduce((a, b) => a * b, 1);
  const out = new BigInt64Array(count);
  for (let i = 0; i < count; i++) {
    let flat = 0;
    for (let d = 0; d < dims.length; d++) {
      const n = dims[d];
      let v = columns[d][i];
      if (!(v >= 0 && v < n)) {
        if (mode[d] === "raise" || n === 0) throw new InvalidOptionError(`ravelMultiIndex: invalid entry in coordinates array (${v} on axis ${d} of dims [${dims.join(", ")}], mode "raise")`);
        v = mode[d] === "wrap" ? ((v % n) + n) % n : v < 0 ? 0 : n - 1;
      }
      flat = flat * n + v;
    }
    out[i] = BigInt(flat);
  }
  return fromTypedArray(out, shape, { dtype: "int64" });
});

/** np.ravel_multi_index(multiIndex, dims, mode): the int64 flat index of each (broadcast) coordinate tuple. */
export const ravelMultiIndex = definePublicBuiltin("ravelMultiIndex", function ravelMultiIndex(multiIndex: readonly IndexLike[], dims: readonly number[] | number, options: RavelMultiIndexOptions = {}): NDArray {
  if (options === null || typeof options !== "object") throw new InvalidOptionError("ravelMultiIndex: options must be an object such as { mode: \"wrap\" }");
  for (const key of Object.keys(options)) if (key !== "mode") throw new InvalidOptionError(`ravelMultiIndex: unknown option "${key}"; ravelMultiIndex takes mode`);
  const sizes = checkDims(dims, "ravelMultiIndex");
  refuseEmptyDims(sizes);
  if (!Array.isArray(multiIndex) || multiIndex.length !== sizes.length) throw new InvalidOptionError(`ravelMultiIndex: parameter multi_index must be a sequence of length ${sizes.length}`);
  const coordinates = multiIndex.map((c) => indexArray(c, "ravelMultiIndex"));
  return ravelMultiIndexBlock(...coordinates, { dims: sizes, mode: checkModes(options.mode, sizes.length, "ravelMultiIndex") });
});
