/**
 * Options shared by the interpolation functions (zoom, shift, affineTransform, mapCoordinates,
 * splineFilter): the spline order, the boundary mode as scipy's C code sees it, and the
 * window and region options through which the lazy array layer runs one block at a time.
 * Every refusal is an InvalidOptionError naming the option.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { refuseUnknownOptions } from "./option-names.js";
import { type Mode, type OutputRegion, checkCval, resolveLinearOutputDtype } from "./options.js";

/**
 * scipy's `NI_ExtendMode` for interpolation: unlike the filters, `grid-wrap` and
 * `grid-constant` are modes of their own here; only `grid-mirror` is an alias (of reflect).
 */
export type ExtendMode = "nearest" | "wrap" | "reflect" | "mirror" | "constant" | "grid-wrap" | "grid-constant";

const extendModes: Record<Mode, ExtendMode> = {
  nearest: "nearest",
  wrap: "wrap",
  reflect: "reflect",
  "grid-mirror": "reflect",
  mirror: "mirror",
  constant: "constant",
  "grid-wrap": "grid-wrap",
  "grid-constant": "grid-constant",
};

export function toExtendMode(mode: unknown): ExtendMode {
  if (typeof mode === "string" && Object.hasOwn(extendModes, mode)) return extendModes[mode as Mode];
  throw new InvalidOptionError(
    `mode ${JSON.stringify(mode)} is not an interpolation boundary mode: use one of ${Object.keys(extendModes).join(", ")}`,
  );
}

/**
 * How taps past the edge are read once the coordinate itself is inside (`_get_spline_boundary_mode`):
 * constant and wrap have no exact spline extension, so their taps mirror.
 */
export function tapMode(mode: ExtendMode): ExtendMode {
  return mode === "constant" || mode === "wrap" ? "mirror" : mode;
}

/** Which boundary initialisation the prefilter uses for a mode (ni_splines.c `apply_filter`). */
export type PrefilterInit = "mirror" | "wrap" | "reflect";

export function prefilterInit(mode: ExtendMode): PrefilterInit {
  if (mode === "grid-wrap") return "wrap";
  if (mode === "nearest" || mode === "reflect") return "reflect";
  return "mirror";
}

/**
 * Cells scipy pads on every side before prefiltering (`_prepad_for_spline_filter`): nearest
 * and grid-constant have no exact spline boundary, so the array is extended with edge values
 * or cval first and the interpolation reads the padded coefficients.
 */
export function prepadWidth(mode: ExtendMode): number {
  return mode === "nearest" || mode === "grid-constant" ? 12 : 0;
}

/** A spline order, 0–5 unless `minimum` says otherwise (splineFilter needs ≥ 2). */
export function checkSplineOrder(value: unknown, minimum = 0): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum || value > 5) {
    throw new InvalidOptionError(
      `order ${JSON.stringify(value)} is not a supported spline order: use an integer from ${minimum} to 5`,
    );
  }
  return value;
}

export function checkBoolean(value: unknown, what: string): boolean {
  if (typeof value !== "boolean") throw new InvalidOptionError(`${what} ${JSON.stringify(value)} must be true or false`);
  return value;
}

/** A finite number, or one per axis: the shape of zoom factors, shifts and offsets. */
export function finitePerAxis(value: unknown, count: number, what: string): number[] {
  const values = Array.isArray(value) ? value : new Array<unknown>(count).fill(value);
  if (values.length !== count) {
    throw new InvalidOptionError(`${what} ${JSON.stringify(value)} has ${values.length} entries, expected ${count} (one per axis)`);
  }
  return values.map((item) => {
    if (typeof item !== "number" || !Number.isFinite(item)) {
      throw new InvalidOptionError(`${what} ${JSON.stringify(value)} must hold finite numbers`);
    }
    return item;
  });
}

/**
 * The input block is the box of a larger array that starts at `origin`: the lazy layer hands each
 * task only the cells it reads. Coordinates, boundary modes and the output shape then refer to
 * the whole array of shape `arrayShape`, so the result is the same box of the whole-array result
 * (bit for bit without prefiltering; see the functions for what the prefilter does at a window's
 * inner edges).
 */
export interface InputWindow {
  readonly origin: readonly number[];
  readonly arrayShape: readonly number[];
  /**
   * grid-wrap only: the block is a stretch of the array's periodic extension, so `origin` may be
   * negative and the block may run past the end (cell i holds the value of cell i mod n). A
   * block near an edge then carries the cells across it instead of the whole axis.
   */
  readonly periodic?: boolean;
}

/** Options every geometric transform accepts (scipy's names in camelCase). */
export interface InterpolationOptions {
  /** Spline order 0–5. Default 3. */
  order?: number;
  /** Default "constant". */
  mode?: Mode;
  /** Value past the edges for the constant modes. Default 0. */
  cval?: number;
  /** Convert the input to spline coefficients first (orders > 1). Default true. */
  prefilter?: boolean;
  /** dtype of the result; default the input's. Integer results are rounded half away from zero and clipped. */
  output?: DType;
  /** Compute only this box of the output. */
  outputRegion?: OutputRegion;
}

/** Checks a window against the block it describes. */
export function resolveWindow(window: InputWindow | undefined, blockShape: readonly number[]): InputWindow {
  if (window === undefined) return { origin: blockShape.map(() => 0), arrayShape: [...blockShape] };
  const { origin, arrayShape } = window;
  const periodic = checkBoolean(window.periodic ?? false, "inputWindow.periodic");
  const ok = Array.isArray(origin) && Array.isArray(arrayShape) && origin.length === blockShape.length &&
    arrayShape.length === blockShape.length &&
    blockShape.every((n, axis) => Number.isInteger(origin[axis]) && Number.isInteger(arrayShape[axis]) && arrayShape[axis] >= 0 &&
      (periodic || (origin[axis] >= 0 && origin[axis] + n <= arrayShape[axis])));
  if (!ok) {
    throw new InvalidOptionError(
      `inputWindow ${JSON.stringify(window)} must give an integer origin and arrayShape per axis with the block ` +
        `[${blockShape.join(", ")}] inside the array (or periodic: true, for grid-wrap)`,
    );
  }
  return { origin: [...origin], arrayShape: [...arrayShape], periodic };
}

/** InterpolationOptions after checking, plus the window the input block is. */
export interface ResolvedInterpolation {
  readonly order: number;
  readonly mode: ExtendMode;
  readonly cval: number;
  readonly prefilter: boolean;
  readonly outputDtype: DType;
  readonly window: InputWindow;
}

/** The option names every transform reads through resolveInterpolation. */
const interpolationKeys = ["order", "mode", "cval", "prefilter", "output", "outputRegion", "inputWindow"];

/** Checks the shared options; `ownKeys` are the other option names the transform `what` reads (any other key is refused). */
export function resolveInterpolation(
  input: NDArray, options: InterpolationOptions & { inputWindow?: InputWindow }, what: string, ownKeys: readonly string[],
): ResolvedInterpolation {
  refuseUnknownOptions(options, [...ownKeys, ...interpolationKeys], what);
  if (input.ndim < 1) throw new InvalidOptionError(`${what} needs an input with at least one axis, got a 0-d array`);
  const mode = toExtendMode(options.mode ?? "constant");
  const window = resolveWindow(options.inputWindow, input.shape);
  if (window.periodic && mode !== "grid-wrap") {
    throw new InvalidOptionError(`inputWindow.periodic needs mode "grid-wrap" (the mode whose extension has the array's period), not ${JSON.stringify(options.mode ?? "constant")}`);
  }
  return {
    order: checkSplineOrder(options.order ?? 3),
    mode,
    cval: checkCval(options.cval ?? 0),
    prefilter: checkBoolean(options.prefilter ?? true, "prefilter"),
    outputDtype: resolveLinearOutputDtype(input, options.output),
    window,
  };
}
