/**
 * `rotate`: scipy.ndimage.rotate, bit for bit. The geometry (rotation-geometry.ts) gives a 2×2
 * matrix and offset in the plane of `axes`; as scipy does, each 2-D plane parallel to those
 * axes (one per index of the other axes) is transformed on its own by affineTransform, so the
 * spline prefilter and the spline's taps run only along the plane's two axes. (dask-image's
 * rotate instead runs one n-D affine transform with the identity on the other axes: with the
 * prefilter that is equal only in exact arithmetic, and with `prefilter: false` at order > 1 it
 * smooths along the other axes, which scipy does not.)
 *
 * `rotatePlanes` is the block kernel: it also takes the lazy layer's `inputWindow` (the input is
 * a box of a larger array) and `outputRegion` (compute only this box of the output); each
 * plane's box then runs as affineTransform's own window and region.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import type { DType } from "../ndarray/dtype.js";
import { type Mode, type OutputRegion, resolveLinearOutputDtype, resolveOutputRegion } from "./options.js";
import { affineTransform } from "./affine-transform.js";
import { type InputWindow, resolveWindow } from "./interpolation-options.js";
import { refuseUnknownOptions } from "./option-names.js";
import { rotationGeometry } from "./rotation-geometry.js";

export interface RotateOptions {
  /** The plane of rotation; default [1, 0] (scipy's), i.e. the first two axes. */
  axes?: readonly [number, number];
  /** Grow the output plane to hold the whole rotated input. Default true. */
  reshape?: boolean;
  /** Spline order 0–5. Default 3. */
  order?: number;
  /** Default "constant". */
  mode?: Mode;
  /** Default 0. */
  cval?: number;
  /** Default true. */
  prefilter?: boolean;
  /** dtype of the result; default the input's. */
  output?: DType;
}

export const rotateOptionNames = ["axes", "reshape", "order", "mode", "cval", "prefilter", "output"] as const;

interface PlaneOptions extends RotateOptions {
  angle: number;
  outputRegion?: OutputRegion;
  inputWindow?: InputWindow;
}

function rotatePlanesImpl(input: NDArray, options: PlaneOptions): NDArray {
  if (!(input instanceof NDArray)) throw new InvalidOptionError("rotate needs an NDArray input; for a tessera Array use ta.ndimage.rotate");
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`rotate options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, [...rotateOptionNames, "angle", "outputRegion", "inputWindow"], "rotate");
  const { angle, axes: axesOption, reshape, outputRegion, inputWindow, ...interpolation } = options;
  const window = resolveWindow(inputWindow, input.shape);
  const geometry = rotationGeometry(window.arrayShape, angle, axesOption ?? [1, 0], reshape ?? true);
  const [a0, a1] = geometry.axes;
  const region = resolveOutputRegion(outputRegion, geometry.outputShape);
  const boxShape = region.stop.map((stop, axis) => stop - region.start[axis]);
  const transform = {
    ...interpolation, matrix: geometry.matrix.map((row) => [...row]), offset: [...geometry.offset],
    outputShape: [geometry.outputShape[a0], geometry.outputShape[a1]],
    outputRegion: { start: [region.start[a0], region.start[a1]], stop: [region.stop[a0], region.stop[a1]] },
    inputWindow: {
      origin: [window.origin[a0], window.origin[a1]], arrayShape: [window.arrayShape[a0], window.arrayShape[a1]],
      ...(window.periodic ? { periodic: true } : {}),
    },
  };
  const planeOf = (start: number, shape: readonly number[]): NDArray =>
    new NDArray(input.data, shape, { strides: [input.strides[a0], input.strides[a1]], offset: start, dtype: input.dtype });
  const planeShape = [input.shape[a0], input.shape[a1]];
  if (input.ndim === 2) return affineTransform(planeOf(input.offset, planeShape), transform);
  const dtype = resolveLinearOutputDtype(input, options.output);
  const output = new NDArray(allocate(dtype, boxShape.reduce((a, b) => a * b, 1)), boxShape, { dtype });
  const others = boxShape.map((_, axis) => axis).filter((axis) => axis !== a0 && axis !== a1);
  const planes = others.reduce((count, axis) => count * boxShape[axis], 1);
  if (planes === 0) {
    // No plane to run: the interpolation options are still checked, on an empty plane.
    affineTransform(planeOf(input.offset, [0, 0]), { ...transform, outputRegion: { start: [0, 0], stop: [0, 0] }, inputWindow: undefined });
    return output;
  }
  const index = new Array<number>(input.ndim).fill(0);
  const [rows, columns] = [boxShape[a0], boxShape[a1]];
  const target = output.data as unknown as Array<number | bigint>;
  for (let plane = 0; plane < planes; plane++) {
    // Row-major over the other axes, as scipy's itertools.product visits the planes.
    let rest = plane;
    for (let k = others.length - 1; k >= 0; k--) {
      index[others[k]] = rest % boxShape[others[k]];
      rest = Math.floor(rest / boxShape[others[k]]);
    }
    // The other axes are not transformed: output index i reads input index i of the array.
    let start = input.offset;
    for (const axis of others) {
      const at = region.start[axis] + index[axis] - window.origin[axis];
      if (at < 0 || at >= input.shape[axis]) {
        throw new InvalidOptionError(`rotate: the input window [origin ${window.origin.join(", ")}, shape ${input.shape.join(", ")}] does not hold output index ${region.start[axis] + index[axis]} on axis ${axis}`);
      }
      start += at * input.strides[axis];
    }
    const source = affineTransform(planeOf(start, planeShape), transform).toTypedArray() as unknown as ArrayLike<number | bigint>;
    const base = others.reduce((at, axis) => at + index[axis] * output.strides[axis], 0);
    for (let i = 0; i < rows; i++) {
      const row = base + i * output.strides[a0];
      for (let j = 0; j < columns; j++) target[row + j * output.strides[a1]] = source[i * columns + j];
    }
  }
  return output;
}

/** The block kernel of the eager and the chunked rotate (see the module comment). */
export const rotatePlanes = defineBuiltin("ndimage.rotatePlanes", rotatePlanesImpl);

function rotateImpl(input: NDArray, angle: number, options: RotateOptions = {}): NDArray {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`rotate options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, rotateOptionNames, "rotate");
  return rotatePlanesImpl(input, { ...options, angle });
}

/** Rotates an array in the plane of two axes by spline interpolation (scipy.ndimage.rotate). */
export const rotate = definePublicBuiltin("rotate", rotateImpl);
