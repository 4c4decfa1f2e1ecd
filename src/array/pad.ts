/**
 * np.pad / dask.array.pad on lazy arrays, for the modes tessera/ndarray's pad has: "constant",
 * "edge", "reflect", "symmetric" and "wrap". Axes are padded one after another, as NumPy pads
 * them, so corners follow the later axis and the values equal np.pad's. The chunks are Dask's:
 * a "constant" or "edge" pad is one chunk along its axis, and a "reflect", "symmetric" or
 * "wrap" pad is the slice of the array it copies (reversed where it mirrors), so it keeps that
 * slice's chunks. Each pad is a view or a fill, never a copy of the array.
 *
 * Better than Dask: a pad wider than the axis (Dask 2022.12 fails or returns a wrongly shaped
 * array) follows NumPy's rounds of reflection or wrapping, gathered as an index list.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import type { DType } from "../ndarray/dtype.js";
import { full } from "../ndarray/creation.js";
import { normalizePadWidth, padModes, padSourcePositions, type PadMode, type PadOptions, type PadWidth } from "../ndarray/pad.js";
import { LazyArray } from "./array.js";
import type { Chunks } from "./chunks.js";
import { concatenateNodes } from "./concatenate.js";
import { alongAxis } from "./manipulation.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { FillExpr } from "./sources.js";

/** Modes dask.array.pad has and tessera does not: named in the refusal instead of "unknown mode". */
const daskOnlyModes = ["linear_ramp", "maximum", "mean", "median", "minimum", "empty"];

type Side = "before" | "after";

/** A "constant" pad: one fill block along the axis, the array's chunks on the others. */
function constantPad(x: LazyArray, axis: number, width: number, value: PadOptions["constantValue"]): LazyArray {
  const shape = x.shape.map((n, a) => (a === axis ? width : n));
  const chunks: Chunks = x.chunks.map((c, a) => (a === axis ? [width] : [...c]));
  const fill = { value: value ?? 0 };
  return new LazyArray(`pad-constant-${tokenize(shape, chunks, x.dtype, fill)}`, shape, chunks, x.dtype, new FillExpr(fill));
}

/**
 * The slice a mirrored or wrapped pad copies, when it lies inside the axis (Dask's pad_reuse
 * selection); null when the pad is wider and NumPy's rounds decide.
 */
function reusedSlice(x: LazyArray, axis: number, side: Side, width: number, mode: PadMode): LazyArray | null {
  const n = x.shape[axis];
  const reach = mode === "reflect" ? n - 1 : n;
  if (width > reach) return null;
  if (mode === "wrap") return alongAxis(x, axis, side === "before" ? { start: n - width } : { stop: width });
  const start = side === "before" ? (mode === "reflect" ? 1 : 0) : n - width - (mode === "reflect" ? 1 : 0);
  return alongAxis(alongAxis(x, axis, { start, stop: start + width }), axis, { step: -1 });
}

/** One side's pad along one axis of `x` (the array padded along the earlier axes already). */
function sidePad(x: LazyArray, axis: number, side: Side, widths: readonly [number, number], mode: PadMode, options: PadOptions): LazyArray | null {
  const width = side === "before" ? widths[0] : widths[1];
  if (width === 0) return null;
  if (mode === "constant") return constantPad(x, axis, width, options.constantValue);
  const n = x.shape[axis];
  if (mode === "edge") return alongAxis(x, axis, new Array<number>(width).fill(side === "before" ? 0 : n - 1)).rechunk({ [axis]: width });
  const slice = reusedSlice(x, axis, side, width, mode);
  if (slice) return slice;
  const positions = padSourcePositions(n, widths[0], widths[1], mode);
  const picked = side === "before" ? positions.subarray(0, width) : positions.subarray(widths[0] + n);
  return alongAxis(x, axis, Array.from(picked, (p) => p - widths[0]));
}

/** A constant the dtype cannot hold is refused now, not when the first pad block is filled. */
function checkConstant(value: PadOptions["constantValue"], dtype: DType): void {
  try {
    full([], value ?? 0, dtype);
  } catch (error) {
    throw new InvalidOptionError(`pad: constantValue ${String(value)} cannot be stored as ${dtype}: ${(error as Error).message}`);
  }
}

/** np.pad(x, padWidth, mode, constant_values=…) on a lazy array; options as tessera/ndarray's pad. */
export function pad(x: LazyArray, padWidth: PadWidth, options: PadOptions = {}): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError("pad: expected a lazy array (ta.fromArray wraps an NDArray)");
  refuseUnknownOptions("pad", options, ["mode", "constantValue"]);
  const mode = options.mode ?? "constant";
  if (!padModes.includes(mode)) {
    const note = daskOnlyModes.includes(mode as string) ? " (Dask's mode is not supported by tessera)" : "";
    throw new InvalidOptionError(`pad: mode ${JSON.stringify(mode)} is not one of ${padModes.join(", ")}${note}`);
  }
  if (mode !== "constant" && options.constantValue !== undefined) {
    throw new InvalidOptionError(`pad: constantValue applies to mode "constant" only, not ${JSON.stringify(mode)}`);
  }
  if (mode === "constant") checkConstant(options.constantValue, x.dtype);
  const widths = normalizePadWidth(padWidth, x.ndim);
  if (mode !== "constant") {
    x.shape.forEach((n, axis) => {
      if (n === 0 && widths[axis].some((w) => w > 0)) {
        throw new InvalidOptionError(`pad: can't extend empty axis ${axis} using modes other than "constant"`);
      }
    });
  }
  let result = x;
  for (let axis = 0; axis < x.ndim; axis++) {
    const before = sidePad(result, axis, "before", widths[axis], mode, options);
    const after = sidePad(result, axis, "after", widths[axis], mode, options);
    if (!before && !after) continue;
    result = LazyArray.of(concatenateNodes([before, result, after].filter((part): part is LazyArray => part !== null), axis, "pad"));
  }
  return result;
}
