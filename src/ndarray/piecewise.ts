/**
 * np.piecewise and np.fromfunction on in-memory arrays, with user functions.
 *
 * piecewise(x, condlist, funclist): the result has x's shape and dtype, zeros where no
 * condition holds; for each condition in order (later ones overwrite earlier ones, as NumPy
 * assigns them), its elements are the function's value on x[cond] (the selected values as a
 * 1-d array, C order) or the constant. One function more than conditions is the "otherwise"
 * piece, where no condition holds. Values are cast to x's dtype as NumPy's assignment casts
 * them (a float result of an integer x is truncated). Conditions are read as truth (any dtype,
 * NaN true) and must have x's shape (NumPy's boolean index requires it).
 *
 * fromfunction(fn, shape, { dtype }): fn called once with one index grid per axis (NumPy's
 * np.indices, float64 unless `dtype`), its result returned; it must be an NDArray.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { ascontiguousarray, astype, requireArray } from "./copy.js";
import { array, zeros } from "./creation.js";
import { type DType, toDType } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { readOptions } from "./matrix-options.js";

export type Piece = number | bigint | boolean | ((values: NDArray) => NDArray | number | bigint | boolean);

type Elements = { [i: number]: number | bigint | boolean; length: number };

/** The piece's values as an array of x's dtype: a scalar, or `count` values (or one, broadcast). */
function pieceValues(piece: Piece, selected: () => NDArray, count: number, dtype: DType, k: number): NDArray {
  const value = typeof piece === "function" ? piece(selected()) : piece;
  if (value instanceof NDArray) {
    if (value.size !== count && value.size !== 1) {
      throw new InvalidOptionError(`piecewise: function ${k} returned ${value.size} values for the ${count} elements of its condition (NumPy: shape mismatch)`);
    }
    return astype(ascontiguousarray(value), dtype);
  }
  if (!["number", "bigint", "boolean"].includes(typeof value)) {
    throw new InvalidOptionError(`piecewise: ${typeof piece === "function" ? `function ${k} returned` : `funclist[${k}] is`} ${String(value)}; expected an NDArray or a number`);
  }
  return astype(array([value as number]), dtype);
}

/** NumPy's np.piecewise (see the header). */
export const piecewise = definePublicBuiltin("piecewise", function piecewise(x: NDArray, condlist: NDArray | readonly NDArray[], funclist: readonly Piece[]): NDArray {
  requireArray(x, "piecewise");
  const conditions = condlist instanceof NDArray ? [condlist] : condlist;
  if (!Array.isArray(conditions) || !Array.isArray(funclist)) throw new InvalidOptionError("piecewise: condlist and funclist must be lists (arrays)");
  const n = conditions.length;
  if (funclist.length !== n && funclist.length !== n + 1) {
    throw new InvalidOptionError(`piecewise: with ${n} condition(s), either ${n} or ${n + 1} functions are expected, got ${funclist.length}`);
  }
  const masks = conditions.map((condition, k) => {
    requireArray(condition, `piecewise: condlist[${k}]`);
    if (condition.shape.join() !== x.shape.join()) {
      throw new InvalidOptionError(`piecewise: condlist[${k}] has shape [${condition.shape.join(", ")}], x [${x.shape.join(", ")}]; they must be equal (NumPy's boolean index)`);
    }
    return ascontiguousarray(astype(condition, "bool")).data as Uint8Array;
  });
  if (funclist.length === n + 1) {
    // The "otherwise" piece: where no condition holds.
    const otherwise = new Uint8Array(x.size).fill(1);
    for (const mask of masks) for (let i = 0; i < x.size; i++) if (mask[i]) otherwise[i] = 0;
    masks.push(otherwise);
  }
  const source = ascontiguousarray(x);
  const out = zeros(x.shape, x.dtype);
  const target = out.data as unknown as Elements;
  const data = source.data as unknown as Elements;
  masks.forEach((mask, k) => {
    let count = 0;
    for (let i = 0; i < mask.length; i++) count += mask[i];
    const selected = () => {
      const values = zeros([count], x.dtype);
      const into = values.data as unknown as Elements;
      for (let i = 0, j = 0; i < mask.length; i++) if (mask[i]) into[j++] = data[i];
      return values;
    };
    const values = pieceValues(funclist[k], selected, count, x.dtype, k).data as unknown as Elements;
    const step = values.length === 1 ? 0 : 1;
    for (let i = 0, j = 0; i < mask.length; i++) {
      if (mask[i]) {
        target[i] = values[j];
        j += step;
      }
    }
  });
  return out;
});

/** One index grid per axis of the box [start, stop) (np.indices of a block), in `dtype`. */
export function indexGrids(start: readonly number[], stop: readonly number[], dtype: DType): NDArray[] {
  const shape = stop.map((s, axis) => s - start[axis]);
  const size = shape.reduce((a, b) => a * b, 1);
  const big = dtype === "int64" || dtype === "uint64";
  return shape.map((_, axis) => {
    const grid = zeros(shape, dtype);
    const data = grid.data as unknown as Elements;
    const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    for (let i = 0; i < size; i++) {
      const index = start[axis] + (Math.floor(i / inner) % shape[axis]);
      data[i] = big ? BigInt(index) : index;
    }
    return grid;
  });
}

/** fn on the index grids of the box [start, stop), its result checked to be an NDArray of the box's shape. */
export const fromfunctionBlock = definePublicBuiltin("fromfunctionBlock", function fromfunctionBlock(fn: (...grids: NDArray[]) => unknown, box: { start: number[]; stop: number[]; dtype: DType }): NDArray {
  const result = fn(...indexGrids(box.start, box.stop, box.dtype));
  const shape = box.stop.map((s, axis) => s - box.start[axis]);
  if (!(result instanceof NDArray) || result.shape.join() !== shape.join()) {
    const got = result instanceof NDArray ? `an array of shape [${result.shape.join(", ")}]` : String(result);
    throw new InvalidOptionError(`fromfunction: the function must return an NDArray of its grids' shape [${shape.join(", ")}], got ${got} (an elementwise function of the indices)`);
  }
  return result;
});

export interface FromfunctionOptions {
  /** The dtype of the index grids (default float64, as NumPy). */
  dtype?: DType | string;
}

/** fn(...np.indices(shape)) (np.fromfunction). */
export const fromfunction = definePublicBuiltin("fromfunction", function fromfunction(fn: (...grids: NDArray[]) => NDArray, shape: readonly number[], options?: FromfunctionOptions): NDArray {
  if (typeof fn !== "function") throw new InvalidOptionError(`fromfunction: the first argument must be a function, got ${String(fn)}`);
  if (!Array.isArray(shape) || shape.some((n) => !Number.isSafeInteger(n) || n < 0)) throw new InvalidOptionError(`fromfunction: shape ${JSON.stringify(shape)} must be a list of non-negative integers`);
  const dtype = toDType(readOptions("fromfunction", options, ["dtype"]).dtype ?? "float64", "fromfunction dtype");
  return fromfunctionBlock(fn, { start: shape.map(() => 0), stop: [...shape], dtype });
});
