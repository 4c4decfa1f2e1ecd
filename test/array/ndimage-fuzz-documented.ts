/**
 * The chunked forms' documented differences from scipy on the whole array (each stated in the src
 * file named), applied to a fuzz case before it runs chunked: a tolerance where a block's result
 * is an approximation by design, a skipped input where scipy's answer depends on a whole line's
 * history, the documented refusals, and dask-image's result forms. Anything not listed here must
 * match as the eager form does.
 */
import * as nd from "../../src/ndarray/index.js";
import type { Drawn } from "../ndimage/ndimage-fuzz-run.js";

const minMaxFamily = new Set([
  "minimumFilter", "maximumFilter", "minimumFilter1d", "maximumFilter1d", "greyErosion", "greyDilation", "greyOpening", "greyClosing",
  "whiteTophat", "blackTophat", "morphologicalGradient", "morphologicalLaplace", "rankFilter", "medianFilter", "percentileFilter",
]);
const measurements = new Set(["sum", "mean", "variance", "standardDeviation", "minimum", "maximum", "median", "centerOfMass", "minimumPosition", "maximumPosition"]);

function finite(array: nd.NDArray): boolean {
  if (!array.dtype.startsWith("float")) return true;
  for (const v of array.toTypedArray() as Float64Array) if (!Number.isFinite(v)) return false;
  return true;
}

const largest = (array: nd.NDArray): number => Math.max(1, ...Array.from(array.toTypedArray() as Float64Array, (v) => Math.abs(Number(v))));

/** A flat box window (no footprint, or an all-true one; no grey structure). */
function box(options: Record<string, unknown>): boolean {
  if (options.structure !== undefined) return false;
  const footprint = options.footprint as nd.NDArray | undefined;
  return footprint === undefined || Array.from(footprint.toTypedArray() as Uint8Array).every(Boolean);
}

/** The case as the chunked form is checked, or null where the chunked form has no defined answer to compare. */
export function documented(d: Drawn): Drawn | null {
  const { kase, input } = d;
  if (kase.eagerOnly !== undefined) return null;
  const options = (kase.args[kase.args.length - 1] ?? {}) as Record<string, unknown>;
  const out = { ...kase };
  // ndimage-filters.ts: with NaN, scipy's min/max deque answer depends on where a line starts.
  if (minMaxFamily.has(kase.fn) && box(options) && !finite(input)) return null;
  if (kase.fn === "uniformFilter" || kase.fn === "uniformFilter1d") {
    // ndimage-linear-filters.ts: scipy's running sum starts at each line's start (last bits; a NaN or ±inf poisons the rest of the line).
    if (!finite(input)) return null;
    const output = (options.output as string | undefined) ?? input.dtype;
    if (output.startsWith("float")) out.tolerance = output === "float32" ? 1e-6 : 1e-12;
    else out.absolute = 1; // a last-bit change may cross an integer before the cast
  }
  if (kase.fn === "splineFilter" || kase.fn === "splineFilter1d" || (["zoom", "shift", "rotate", "affineTransform", "mapCoordinates"].includes(kase.fn) && (options.order ?? 3) as number > 1 && options.prefilter !== false)) {
    // ndimage-spline-filter.ts / ndimage-interpolation.ts: each block's recursive prefilter starts `depth` cells out (~1e-8 of the data's range).
    if (!finite(input)) return null;
    // spline_filter's output defaults to float64, the interpolations' to the input's dtype.
    const output = (options.output as string | undefined) ?? (kase.fn.startsWith("splineFilter") ? "float64" : input.dtype);
    if (output === "bool") return null; // any difference from exactly 0 flips a cell
    // Integer outputs: a last-bits difference may cross the rounding point.
    out.absolute = output.startsWith("float") ? 1e-6 * largest(input) : 1;
    out.tolerance = 1e-7;
    if (options.mode === "wrap") out.chunkedRefusal = /mode "wrap" is not supported on chunked arrays/;
  }
  if (kase.fn === "binaryFillHoles") out.chunkedRefusal = /structure|symmetric|centre/; // ndimage-fill-holes.ts: label's structures only
  if (/^binary(Erosion|Dilation|Opening|Closing)$/.test(kase.fn)) out.chunkedRefusal = /iterations < 1/; // no bounded reach
  if (kase.fn === "gaussianLaplace" || kase.fn === "gaussianGradientMagnitude") out.chunkedRefusal = /mixes wrap with other modes/;
  if (measurements.has(kase.fn)) {
    // ndimage-measurements.ts / -label-stats.ts: float sums accumulate per block in float64 (scipy: one pass, float32 for float32 data).
    // dask-image's minimum/maximum (and positions) give 0 for a label without cells where scipy's one-label form raises.
    if (/^(minimum|maximum)(Position)?$/.test(kase.fn)) out.scipyDefect = /zero-size array to reduction/;
    if (["sum", "mean", "variance", "standardDeviation", "centerOfMass"].includes(kase.fn)) out.tolerance = input.dtype === "float32" ? 2e-5 : 1e-9;
    // Results are lazy arrays in dask-image's dtypes (float64 sums, int64 positions): compared as scipy's numbers, as the eager ones are.
    const pick = kase.pick;
    out.pick = (r) => {
      const value = pick ? pick(r) : r;
      return value instanceof nd.NDArray ? (value.ndim === 0 ? Number(value.item()) : value.toArray()) : value;
    };
  }
  if (kase.fn === "histogram") {
    // ndimage-label-stats.ts: a label without cells gives a row of zeros (scipy: None).
    out.python = kase.python.replace("np.full(", "np.zeros(").replace(/np\.zeros\((\d+), np\.nan\)/, "np.zeros($1)");
    out.pick = (r) => {
      const rows = r as nd.NDArray;
      return rows.ndim === 1 ? [Array.from(rows.toTypedArray() as BigInt64Array, Number)] : rows.toArray();
    };
  }
  return { ...d, kase: out };
}
