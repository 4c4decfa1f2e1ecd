/**
 * `geometricTransform`: scipy.ndimage.geometric_transform. The user's mapping takes the output
 * coordinates of a cell (integers, one per output axis) and gives the input coordinates to read
 * there (one per input axis); the value comes from the spline interpolation mapCoordinates uses.
 * scipy runs both through one C routine (NI_GeometricTransform), the mapping only supplying the
 * coordinates that map_coordinates reads from its array, so collecting the mapping's coordinates in
 * C order and handing them to mapCoordinates gives scipy's result bit for bit. The mapping is
 * called as scipy calls it: mapping(coordinates, ...extraArguments, extraKeywords?) — extraKeywords
 * as one last argument when given — once per output cell, in C order.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import { NDArray, shapeSize, validateShape } from "../ndarray/ndarray.js";
import { mapCoordinates } from "./map-coordinates.js";
import { refuseUnknownOptions } from "./option-names.js";
import type { Mode } from "./options.js";

/** Output coordinates (integers) → input coordinates (one number per input axis). */
export type CoordinateMapping = (outputCoordinates: number[], ...extra: never[]) => ArrayLike<number>;

export interface GeometricTransformOptions {
  /** Default: the input's shape. */
  outputShape?: readonly number[];
  /** dtype of the result; default the input's. */
  output?: DType;
  /** Spline order 0–5. Default 3. */
  order?: number;
  /** Default "constant". */
  mode?: Mode;
  cval?: number;
  /** Convert the input to spline coefficients first (orders > 1). Default true. */
  prefilter?: boolean;
  /** Passed after the coordinates to every call. */
  extraArguments?: readonly unknown[];
  /** Passed as one last argument to every call when given (scipy's **extra_keywords). */
  extraKeywords?: Readonly<Record<string, unknown>>;
}

/** Interpolates the input where the mapping says each output cell comes from. */
export function geometricTransform(input: NDArray, mapping: CoordinateMapping, options: GeometricTransformOptions = {}): NDArray {
  const what = "geometricTransform";
  if (typeof mapping !== "function") throw new InvalidOptionError(`${what}: the mapping must be a function (outputCoordinates, ...extraArguments) → input coordinates`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, ["outputShape", "output", "order", "mode", "cval", "prefilter", "extraArguments", "extraKeywords"], what, {
    output_shape: "use outputShape", extra_arguments: "use extraArguments", extra_keywords: "use extraKeywords",
  });
  const outputShape = [...(options.outputShape ?? input.shape)];
  validateShape(outputShape, `${what} outputShape`);
  const extra = options.extraArguments ?? [];
  if (!Array.isArray(extra)) throw new InvalidOptionError(`${what}: extraArguments must be a list, got ${JSON.stringify(extra)}`);
  const keywords = options.extraKeywords;
  if (keywords !== undefined && (keywords === null || typeof keywords !== "object" || Array.isArray(keywords))) {
    throw new InvalidOptionError(`${what}: extraKeywords must be an object of named values`);
  }
  const args = keywords === undefined ? extra : [...extra, keywords];
  const ndim = input.ndim;
  const count = shapeSize(outputShape);
  const coordinates = new Float64Array(ndim * count);
  const here = new Array<number>(outputShape.length).fill(0);
  for (let p = 0; p < count; p++) {
    const mapped = (mapping as (...a: unknown[]) => unknown)([...here], ...args) as ArrayLike<unknown> | null;
    if (mapped === null || typeof mapped !== "object" || typeof mapped.length !== "number" || mapped.length !== ndim) {
      throw new InvalidOptionError(`${what}: the mapping returned ${JSON.stringify(mapped)} for [${here.join(", ")}]; it must return ${ndim} input coordinates (one per input axis)`);
    }
    for (let a = 0; a < ndim; a++) {
      const value = mapped[a];
      if (typeof value !== "number") throw new InvalidOptionError(`${what}: the mapping returned ${JSON.stringify(value)} as input coordinate ${a} for [${here.join(", ")}]; coordinates are numbers`);
      coordinates[a * count + p] = value;
    }
    for (let a = outputShape.length - 1; a >= 0; a--) {
      if (++here[a] < outputShape[a]) break;
      here[a] = 0;
    }
  }
  const { order, mode, cval, prefilter, output } = options;
  const interpolation = Object.fromEntries(Object.entries({ order, mode, cval, prefilter, output }).filter(([, v]) => v !== undefined));
  return mapCoordinates(input, new NDArray(coordinates, [ndim, ...outputShape], { dtype: "float64" }), interpolation);
}
