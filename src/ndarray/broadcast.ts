/**
 * NumPy broadcasting: shapes are aligned on their last axes; an axis of length 1 (or a missing
 * leading axis) stretches to the other operands' length by taking stride 0.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { NDArray, Shape } from "./ndarray.js";

function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** The common shape of several operands, or an error naming all of their shapes. */
export function broadcastShapes(...shapes: Shape[]): number[] {
  const ndim = Math.max(0, ...shapes.map((shape) => shape.length));
  const result = new Array<number>(ndim).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const axis = ndim - shape.length + i;
      const length = shape[i];
      if (length === result[axis] || length === 1) continue;
      if (result[axis] !== 1) {
        throw new InvalidOptionError(
          `operands could not be broadcast together with shapes ${shapes.map(formatShape).join(" ")}`,
        );
      }
      result[axis] = length;
    }
  }
  return result;
}

/** The strides that read `array` as if it had `shape` (which must be a broadcast of its shape). */
export function broadcastStrides(array: NDArray, shape: Shape): number[] {
  const leading = shape.length - array.ndim;
  if (leading < 0) {
    throw new InvalidOptionError(`cannot broadcast shape ${formatShape(array.shape)} to the smaller shape ${formatShape(shape)}`);
  }
  return shape.map((length, axis) => {
    if (axis < leading) return 0;
    const own = array.shape[axis - leading];
    if (own === length) return own === 1 ? 0 : array.strides[axis - leading];
    if (own === 1) return 0;
    throw new InvalidOptionError(`cannot broadcast shape ${formatShape(array.shape)} to ${formatShape(shape)}`);
  });
}
