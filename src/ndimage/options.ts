/**
 * Option types shared by the filters and their validation. Options are checked once, when a
 * filter is called, and every refusal is an InvalidOptionError that names the bad value.
 * Names follow scipy.ndimage in camelCase.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, type TypedArray, dtypes, isDType } from "../ndarray/dtype.js";
import { type NDArray, isNDArray } from "../ndarray/ndarray.js";

/** scipy's boundary modes, with its aliases (`grid-mirror` = reflect, `grid-wrap` = wrap, `grid-constant` = constant). */
export type Mode = "reflect" | "nearest" | "mirror" | "constant" | "wrap" | "grid-mirror" | "grid-wrap" | "grid-constant";

/** A mode after resolving aliases: what the line extension actually does. */
export type BoundaryMode = "reflect" | "nearest" | "mirror" | "constant" | "wrap";

/** The storage of every dtype the filters accept (no 64-bit integers, which need BigInt). */
export type NumericArray = Exclude<TypedArray, BigInt64Array | BigUint64Array>;

/** A box of the output, per axis of the input, half-open: `start[i] ≤ index < stop[i]`. */
export interface OutputRegion {
  readonly start: readonly number[];
  readonly stop: readonly number[];
}

/**
 * Which implementation runs the correlation loops: `"wasm"` (WebAssembly SIMD, f64x2),
 * `"js"` (plain TypeScript) or `"auto"` (WASM when the runtime has SIMD). Results are identical.
 */
export type Backend = "auto" | "wasm" | "js";

/** Options every filter accepts besides its own. */
export interface CommonFilterOptions {
  /** dtype of the result (and of the intermediate passes, as in scipy); default: the input's. */
  output?: DType;
  /** Compute only this box of the output, bit-identical to filtering everything and slicing. */
  outputRegion?: OutputRegion;
  backend?: Backend;
}

const modeAliases: Record<Mode, BoundaryMode> = {
  reflect: "reflect",
  "grid-mirror": "reflect",
  nearest: "nearest",
  mirror: "mirror",
  constant: "constant",
  "grid-constant": "constant",
  wrap: "wrap",
  "grid-wrap": "wrap",
};

export function toBoundaryMode(mode: unknown): BoundaryMode {
  if (typeof mode === "string" && Object.hasOwn(modeAliases, mode)) return modeAliases[mode as Mode];
  throw new InvalidOptionError(
    `mode ${JSON.stringify(mode)} is not a boundary mode: use one of ${Object.keys(modeAliases).join(", ")}`,
  );
}

/** scipy's `_normalize_sequence`: a scalar applies to every axis, a list must have one entry per axis. */
export function perAxis<T>(value: T | readonly T[], count: number, what: string): T[] {
  if (Array.isArray(value)) {
    if (value.length !== count) {
      throw new InvalidOptionError(
        `${what} ${JSON.stringify(value)} has ${value.length} entries, expected ${count} (one per filtered axis)`,
      );
    }
    return [...(value as readonly T[])];
  }
  return new Array<T>(count).fill(value as T);
}

export function modesPerAxis(mode: Mode | readonly Mode[] | undefined, count: number): BoundaryMode[] {
  return perAxis<Mode>(mode ?? "reflect", count, "mode").map(toBoundaryMode);
}

/** A NumPy-style axis (negative counts from the end), checked against ndim. */
export function normalizeAxis(axis: unknown, ndim: number): number {
  if (typeof axis !== "number" || !Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new InvalidOptionError(
      `axis ${JSON.stringify(axis)} is out of range for an array with ${ndim} dimension${ndim === 1 ? "" : "s"}`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

export function normalizeAxes(axes: readonly number[] | undefined, ndim: number): number[] {
  if (axes === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (!Array.isArray(axes)) throw new InvalidOptionError(`axes ${JSON.stringify(axes)} must be a list of axis numbers`);
  const normalized = axes.map((axis) => normalizeAxis(axis, ndim));
  if (new Set(normalized).size !== normalized.length) {
    throw new InvalidOptionError(`axes ${JSON.stringify(axes)} name an axis twice: list each axis once`);
  }
  return normalized;
}

export function checkFiniteNumber(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidOptionError(`${what} ${JSON.stringify(value)} must be a finite number`);
  }
  return value;
}

export function checkCval(value: unknown): number {
  if (typeof value !== "number") throw new InvalidOptionError(`cval ${JSON.stringify(value)} must be a number`);
  return value;
}

export function checkSigma(value: unknown): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    throw new InvalidOptionError(`sigma ${JSON.stringify(value)} must be a finite number ≥ 0`);
  }
  return value;
}

export function checkOrder(value: unknown): number {
  if (value !== 0 && value !== 1 && value !== 2 && value !== 3) {
    throw new InvalidOptionError(`order ${JSON.stringify(value)} is not supported: use 0, 1, 2 or 3`);
  }
  return value;
}

/**
 * The largest Gaussian radius accepted: scipy builds the kernel from x² for x up to the radius
 * in int64, which overflows beyond this (√(2^63 − 1)). Weights this far out are 0 anyway
 * (gaussian-kernel.ts caps the kernel where they underflow).
 */
export const maxGaussianRadius = 3037000499;

/**
 * The most cells a filter window may span along one axis: 2^25 (33.5 million; 256 MiB of
 * float64 weights and as many reads per output). Wider windows are refused before anything
 * is allocated for them.
 */
export const maxWindowLength = 2 ** 25;

export function checkRadius(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InvalidOptionError(`radius ${JSON.stringify(value)} must be a non-negative integer`);
  }
  if (value > maxGaussianRadius) {
    throw new InvalidOptionError(
      `radius ${value} is larger than ${maxGaussianRadius}, where scipy's kernel (x² in int64) overflows; ` +
        "Gaussian weights beyond about 38.6·sigma are exactly 0, so a radius of 39·sigma gives the same result",
    );
  }
  return value;
}

/** Refuses a filter window longer than maxWindowLength, saying where its length came from. */
export function checkWindowLength(length: number, what: string): void {
  if (!(length <= maxWindowLength)) {
    throw new InvalidOptionError(`${what} spans ${length} cells along an axis; a filter window may span at most ${maxWindowLength}`);
  }
}

/** Input and output dtypes the filters support: every numeric type stored in a Number array. */
const filterDtypes: readonly DType[] = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float32", "float64"];

function checkFilterDtype(value: unknown, what: string): DType {
  if (!isDType(value)) {
    throw new InvalidOptionError(`${what} ${JSON.stringify(value)} is not a dtype: use one of ${dtypes.join(", ")}`);
  }
  if (!filterDtypes.includes(value)) {
    throw new InvalidOptionError(
      `${what} ${value} is not supported by the ndimage filters: use one of ${filterDtypes.join(", ")}` +
        (value === "bool" ? " (convert a mask to uint8 first)" : "") +
        (value === "bool" || value === "int64" || value === "uint64" ? "; the linear filters, the generic filters and the interpolation take it" : ""),
    );
  }
  return value;
}

/** A value in a message, briefly: a wrong option may be a whole array, which JSON would print cell by cell. */
function brief(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== "object") return String(value);
  if (isNDArray(value)) return `an NDArray of shape [${value.shape.join(", ")}] (${value.dtype})`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return Array.isArray(value) ? `a list of ${value.length}` : "an object";
}

/**
 * The `output` option read as a dtype name (what tessera takes). scipy also takes an output
 * array to write into (`output=np.empty_like(x)`); tessera returns a new array, so an array is
 * refused by name, pointing at its dtype, and never printed (as JSON a 2²² cell array made a
 * 47 MB message and took seconds).
 */
export function outputDtypeOption(output: unknown, what = "output dtype"): DType {
  if (isDType(output)) return output;
  if (isNDArray(output) || ArrayBuffer.isView(output)) {
    const dtype = isNDArray(output) ? output.dtype : "float64";
    throw new InvalidOptionError(
      `${what}: got ${brief(output)}; scipy's output array is not supported (tessera returns a new array): pass a dtype name, e.g. output: "${dtype}"`,
    );
  }
  throw new InvalidOptionError(`${what} ${brief(output)} is not a dtype: use one of ${dtypes.join(", ")}`);
}

/** The output dtype: the option if given, else the input's. Both are checked. */
export function resolveOutputDtype(input: NDArray, output: unknown): DType {
  checkFilterDtype(input.dtype, "input dtype");
  return output === undefined ? input.dtype : checkFilterDtype(outputDtypeOption(output), "output dtype");
}

/**
 * resolveOutputDtype for the linear filters and the interpolation, which also take int64, uint64
 * and bool (read and stored as scipy's loops do: wide-cast.ts).
 */
export function resolveLinearOutputDtype(input: NDArray, output: unknown): DType {
  const wide = (value: unknown): boolean => value === "int64" || value === "uint64" || value === "bool";
  if (!wide(input.dtype)) checkFilterDtype(input.dtype, "input dtype");
  if (output === undefined) return input.dtype;
  const dtype = outputDtypeOption(output);
  return wide(dtype) ? dtype : checkFilterDtype(dtype, "output dtype");
}

export function resolveBackend(value: unknown): Backend {
  if (value === undefined) return "auto";
  if (value === "auto" || value === "wasm" || value === "js") return value;
  throw new InvalidOptionError(`backend ${JSON.stringify(value)} is not known: use "auto", "wasm" or "js"`);
}

/** A checked region with one [start, stop) per axis, or the whole array when none is given. */
export function resolveOutputRegion(region: OutputRegion | undefined, shape: readonly number[]): OutputRegion {
  if (region === undefined) return { start: shape.map(() => 0), stop: [...shape] };
  const { start, stop } = region;
  const ok = Array.isArray(start) && Array.isArray(stop) && start.length === shape.length && stop.length === shape.length &&
    shape.every((n, axis) => Number.isInteger(start[axis]) && Number.isInteger(stop[axis]) &&
      start[axis] >= 0 && start[axis] <= stop[axis] && stop[axis] <= n);
  if (!ok) {
    throw new InvalidOptionError(
      `outputRegion ${JSON.stringify(region)} must give integer start ≤ stop within the shape [${shape.join(", ")}] on every axis`,
    );
  }
  return { start: [...start], stop: [...stop] };
}
