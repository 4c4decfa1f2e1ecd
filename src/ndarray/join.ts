/**
 * Joining arrays: `concatenate` along an existing axis and `stack` along a new one. The
 * result dtype is NumPy's promotion of all inputs; each input is cast-copied into its block.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxis } from "./axes.js";
import { assign, requireArray } from "./copy.js";
import { NDArray, empty } from "./ndarray.js";
import { promoteTypes } from "./promotion.js";
import { refuseUnknownKeys } from "./option-keys.js";
import { expandDims, reshape } from "./views.js";

type AxisOption = number | null | { axis?: number | null };

const axisKey = ["axis"];

function readAxis(option: AxisOption | undefined, operation: string): number | null {
  if (option === undefined) return 0;
  if (option !== null && typeof option === "object") {
    refuseUnknownKeys(option, axisKey, operation);
    return option.axis === undefined ? 0 : option.axis;
  }
  return option;
}

function checkArrays(arrays: readonly NDArray[], what: string): void {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new InvalidOptionError(`${what}: needs a non-empty list of arrays`);
  arrays.forEach((array, i) => requireArray(array, `${what}: item ${i}`));
}

/** Joins arrays along `axis` (default 0; null flattens them first), as `np.concatenate`. */
export const concatenate = definePublicBuiltin("concatenate", function concatenate(arrays: readonly NDArray[], axis?: AxisOption): NDArray {
  checkArrays(arrays, "concatenate");
  let requested = readAxis(axis, "concatenate");
  let inputs = arrays;
  if (requested === null) {
    inputs = arrays.map((array) => reshape(array, [-1]));
    requested = 0;
  }
  const first = inputs[0];
  if (first.ndim === 0) throw new InvalidOptionError("concatenate: zero-dimensional arrays cannot be concatenated");
  const joinAxis = normalizeAxis(requested, first.ndim, "concatenate");
  inputs.forEach((array, i) => {
    if (array.ndim !== first.ndim) {
      throw new InvalidOptionError(
        `concatenate: all the input arrays must have the same number of dimensions, but the array at index 0 has ${first.ndim} and the array at index ${i} has ${array.ndim}`,
      );
    }
    array.shape.forEach((length, a) => {
      if (a !== joinAxis && length !== first.shape[a]) {
        throw new InvalidOptionError(
          `concatenate: all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${a}, the array at index 0 has size ${first.shape[a]} and the array at index ${i} has size ${length}`,
        );
      }
    });
  });
  const dtype = inputs.map((array) => array.dtype).reduce((a, b) => promoteTypes(a, b));
  const shape = [...first.shape];
  shape[joinAxis] = inputs.reduce((total, array) => total + array.shape[joinAxis], 0);
  const out = empty(shape, dtype);
  let position = 0;
  for (const array of inputs) {
    const block = new NDArray(out.storage, array.shape, {
      strides: out.strides,
      offset: position * out.strides[joinAxis],
      dtype,
    });
    assign(block, array);
    position += array.shape[joinAxis];
  }
  return out;
});

/** Joins arrays of one shape along a new axis (default 0), as `np.stack`. */
export const stack = definePublicBuiltin("stack", function stack(arrays: readonly NDArray[], axis?: AxisOption): NDArray {
  checkArrays(arrays, "stack");
  const requested = readAxis(axis, "stack");
  if (requested === null) throw new InvalidOptionError("stack: axis must be an integer");
  const shape = arrays[0].shape;
  arrays.forEach((array, i) => {
    if (array.ndim !== shape.length || array.shape.some((length, a) => length !== shape[a])) {
      throw new InvalidOptionError(
        `stack: all input arrays must have the same shape; the array at index 0 has [${shape.join(", ")}] and the array at index ${i} has [${array.shape.join(", ")}]`,
      );
    }
  });
  const newAxis = normalizeAxis(requested, shape.length + 1, "stack");
  return concatenate(arrays.map((array) => expandDims(array, newAxis)), newAxis);
});
