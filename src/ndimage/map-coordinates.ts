/**
 * `mapCoordinates`: scipy.ndimage.map_coordinates, bit for bit. `coordinates` has shape
 * [ndim, ...outputShape]; output point p reads the input at (coordinates[0][p], …,
 * coordinates[ndim − 1][p]). A NaN coordinate reads cval in the modes that map coordinates
 * into the array and gives NaN in nearest and grid-constant, as in scipy; infinite coordinates
 * are refused (scipy's result for them is undefined behaviour of a C cast).
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { astype } from "../ndarray/copy.js";
import { NDArray } from "../ndarray/ndarray.js";
import { type InputWindow, type InterpolationOptions, resolveInterpolation } from "./interpolation-options.js";
import { samplePoints } from "./point-sampler.js";
import { splineSource } from "./spline-source.js";
import { tapAxes } from "./spline-taps.js";

export type MapCoordinatesOptions = Omit<InterpolationOptions, "outputRegion"> & { inputWindow?: InputWindow };

function mapCoordinatesImpl(input: NDArray, coordinates: NDArray, options: MapCoordinatesOptions = {}): NDArray {
  if (!(coordinates instanceof NDArray)) {
    throw new InvalidOptionError(`mapCoordinates needs the coordinates as an NDArray of shape [${input.ndim}, ...outputShape]`);
  }
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`mapCoordinates options must be an object, got ${JSON.stringify(options)}`);
  // An inputWindow (the lazy layer's: the input is a window of a larger array, coordinates are
  // the whole array's) is read by resolveInterpolation; an output box is a slice of the coordinates.
  if ("outputRegion" in options) throw new InvalidOptionError("mapCoordinates takes no outputRegion: slice the coordinates instead");
  const settings = resolveInterpolation(input, options, "mapCoordinates", []);
  if (coordinates.ndim < 2 || coordinates.shape[0] !== input.ndim) {
    throw new InvalidOptionError(
      `coordinates of shape [${coordinates.shape.join(", ")}] do not fit a ${input.ndim}-D input: give shape [${input.ndim}, ...outputShape] with at least one output axis`,
    );
  }
  if (coordinates.dtype === "bool") throw new InvalidOptionError("coordinates must be numbers, not bool");
  // C order: the values for input axis h are the h-th block of `count` values.
  const values = astype(coordinates, "float64").data as Float64Array;
  for (const value of values) {
    if (value === Infinity || value === -Infinity) {
      throw new InvalidOptionError("coordinates hold an infinite value: scipy's result there is undefined; use NaN or a coordinate outside the input");
    }
  }
  const outputShape = coordinates.shape.slice(1);
  const count = values.length / input.ndim;
  const { order, mode, cval, prefilter, outputDtype, window } = settings;
  const source = splineSource(input, window, order, mode, cval, prefilter);
  return samplePoints(source, tapAxes(source, mode, order), outputShape.map(() => 0), outputShape, (_index, flat, length, target) => {
    for (let h = 0; h < input.ndim; h++) target.set(values.subarray(h * count + flat, h * count + flat + length), h * length);
  }, outputDtype, cval);
}

/** Interpolates the input at the given coordinates (scipy.ndimage.map_coordinates). */
export const mapCoordinates = definePublicBuiltin("mapCoordinates", mapCoordinatesImpl);
