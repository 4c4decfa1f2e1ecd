/**
 * `ta.ndimage.rotate`: dask_image.ndinterp.rotate on a lazy array — scipy.ndimage.rotate's
 * geometry (ndimage/rotation-geometry.ts), output chunks by default the input's chunk size on
 * every axis (dask-image's `input_arr.chunksize`), each output block computed from the input
 * window it reads. dask-image runs an n-D affine_transform with the identity on the other axes;
 * here each block runs scipy's own plane-by-plane rotate (ndimage/rotate.ts `rotatePlanes`), so
 * the other axes are never interpolated or prefiltered. The window is found through that n-D
 * matrix (a superset of what the planes read), so without the prefilter every block is the same
 * box of scipy's result bit for bit; with it, as for affineTransform, each window is prefiltered
 * on its own (off by about |pole|^prefilterDepth of the data's range at inner window edges).
 */
import { InvalidOptionError } from "../core/errors.js";
import { rotatePlanes } from "../ndimage/rotate.js";
import type { RotateOptions } from "../ndimage/rotate.js";
import { rotationGeometry } from "../ndimage/rotation-geometry.js";
import { affinePlan } from "../ndimage/transform-plan.js";
import { LazyArray } from "./array.js";
import { type Kernel, type LazyInterpolationOptions, lazyTransform } from "./ndimage-interpolation.js";

/** Rotates a lazy array in the plane of two axes (scipy.ndimage.rotate, block by block). */
export function rotate(array: LazyArray, angle: number, options: RotateOptions & LazyInterpolationOptions = {}): LazyArray {
  if (!(array instanceof LazyArray)) throw new InvalidOptionError("rotate needs a tessera Array; for an NDArray use ndimage.rotate");
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`rotate needs an options object, got ${JSON.stringify(options)}`);
  if ("angle" in options) throw new InvalidOptionError("rotate takes the angle as its second argument, not as an option");
  return lazyTransform("rotate", array, rotatePlanes as unknown as Kernel, { ...options, angle } as Record<string, unknown>, (kernelOptions) => {
    const geometry = rotationGeometry(array.shape, angle, kernelOptions.axes ?? [1, 0], kernelOptions.reshape ?? true);
    const [a0, a1] = geometry.axes;
    const matrix = array.shape.map((_, row) => array.shape.map((__, column) => (row === column ? 1 : 0) as number));
    const offset = array.shape.map(() => 0);
    geometry.axes.forEach((axis, planeRow) => {
      matrix[axis][a0] = geometry.matrix[planeRow][0];
      matrix[axis][a1] = geometry.matrix[planeRow][1];
      offset[axis] = geometry.offset[planeRow];
    });
    const { order, mode, prefilter } = kernelOptions as RotateOptions;
    return affinePlan({ matrix, offset, outputShape: [...geometry.outputShape], order, mode, prefilter }, array.shape);
  });
}
