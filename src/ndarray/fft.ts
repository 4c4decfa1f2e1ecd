/**
 * numpy.fft (NumPy 1.24): fft, ifft, fft2, ifft2, fftn, ifftn, rfft, irfft, rfft2, irfft2,
 * rfftn, irfftn, hfft, ihfft, fftfreq, rfftfreq, fftshift, ifftshift, with NumPy's options
 * (`n` / `s`, `axis` / `axes`, `norm`: "backward" | "ortho" | "forward") given as an object.
 *
 * As NumPy 1.24's pocketfft: every transform computes in float64 and returns complex128 (or
 * float64 for irfft*, hfft), whatever the input dtype (complex64 and float32 included); an
 * axis is truncated or zero-padded to `n`; the scale factor (1/n, 1/√n) multiplies each output.
 * Any length works (fft-core.ts). Differences: rfft/ihfft/rfftn refuse complex input, where
 * NumPy drops the imaginary part with a ComplexWarning. Each function refuses arguments beyond
 * its own, naming them (fft-parameters.ts): `nd.fft.fft(x, { n: 8 }, "ortho")` is not run as
 * if the norm were not there.
 */
import { InvalidOptionError } from "../core/errors.js";
import { normalizeAxis } from "./axes.js";
import { isComplexDType } from "./dtype.js";
import { astype, copy, requireArray } from "./copy.js";
import { NDArray, empty } from "./ndarray.js";
import { transpose } from "./views.js";
import { slice } from "./slice.js";
import { concatenate } from "./join.js";
import { conjugate } from "./complex.js";
import { refuseUnknownKeys } from "./option-keys.js";
import { defineFFTBuiltin } from "./fft-parameters.js";
import { shiftAxes } from "./fft-shift-axes.js";
import { transformInPlace } from "./fft-core.js";
import { complexLayout, transformAxis } from "./fft-axis.js";
import { realForwardEven, realInverseEven } from "./fft-real.js";

export type FFTNorm = "backward" | "ortho" | "forward";

export interface FFTOptions {
  /** Length of the transformed axis (input truncated or zero-padded); default the input's. */
  n?: number | null;
  axis?: number;
  norm?: FFTNorm | null;
}

export interface FFTNOptions {
  /** Lengths of the transformed axes. */
  s?: readonly number[] | null;
  axes?: readonly number[] | null;
  norm?: FFTNorm | null;
}

type Mode = "complex" | "real-forward" | "real-inverse";

function readNorm(norm: unknown, what: string): FFTNorm {
  if (norm === undefined || norm === null) return "backward";
  if (norm === "backward" || norm === "ortho" || norm === "forward") return norm;
  throw new InvalidOptionError(`${what}: Invalid norm value ${JSON.stringify(norm)}; should be "backward", "ortho" or "forward"`);
}

/** NumPy's _swap_direction, for hfft / ihfft. */
function swapDirection(norm: FFTNorm): FFTNorm {
  return norm === "backward" ? "forward" : norm === "forward" ? "backward" : "ortho";
}

/** The factor each output is multiplied by (pocketfft's fct = 1 / inv_norm). */
function factor(n: number, norm: FFTNorm, forward: boolean): number {
  if (norm === "ortho") return 1 / Math.sqrt(n);
  return (norm === "forward") === forward ? 1 / n : 1;
}

function checkLength(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(`${what}: Invalid number of FFT data points (${n}) specified`);
}

/**
 * Complex transforms along `axes` in turn (with lengths `s`, NumPy's order: the last first). The
 * first reads `a` (as complex128, without a copy when it is one) into a new array, or, with
 * `reuse` (`a` is a complex128 array of the caller's own), transforms `a` itself; each
 * transform after that is in place where the axis keeps its length.
 */
function complexAxes(a: NDArray, s: readonly number[], axes: readonly number[], forward: boolean, scale: (n: number) => number, what: string, reuse = false): NDArray {
  let { array: result, owned } = complexLayout(a);
  owned ||= reuse;
  for (let i = axes.length - 1; i >= 0; i--) {
    const n = s[i];
    checkLength(n, what);
    const axis = normalizeAxis(axes[i], result.ndim, what);
    const target = owned && n === result.shape[axis] ? result : empty(result.shape.map((length, k) => (k === axis ? n : length)), "complex128");
    transformAxis(result.storage as Float64Array, result.shape, axis, n, !forward, scale(n), target.storage as Float64Array);
    result = target;
    owned = true;
  }
  return owned ? result : copy(result);
}

/** One transform along `axis` (NumPy's _raw_fft): the result is a new C-ordered array. */
function rawFFT(a: NDArray, n: number, axis: number, mode: Mode, forward: boolean, fct: number, what: string): NDArray {
  checkLength(n, what);
  const ax = normalizeAxis(axis, a.ndim, what);
  if (mode === "complex") return complexAxes(a, [n], [ax], forward, () => fct, what);
  const order = [...a.shape.keys()].filter((k) => k !== ax).concat(ax);
  const last = ax === a.ndim - 1;
  // The transformed axis last, as contiguous float64 (real forward) or complex128 (real inverse):
  // already so, without a copy, when it is the last axis of such an array (only read here).
  const moved = last ? lastAxisLayout(a, mode) : astype(transpose(a, order), mode === "real-forward" ? "float64" : "complex128");
  const inLength = a.shape[ax];
  const outLength = mode === "real-forward" ? Math.floor(n / 2) + 1 : n;
  const outShape = [...order.slice(0, -1).map((k) => a.shape[k]), outLength];
  const out = empty(outShape, mode === "real-inverse" ? "float64" : "complex128");
  const lanes = inLength === 0 ? 0 : moved.size / inLength;
  const source = moved.storage as Float64Array;
  const target = out.storage as Float64Array;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const used = Math.min(inLength, mode === "real-inverse" ? Math.floor(n / 2) + 1 : n);
  if (n % 2 === 0 && ((mode === "real-forward" && forward) || (mode === "real-inverse" && !forward))) {
    (mode === "real-forward" ? realForwardEven : realInverseEven)(source, inLength, used, lanes, n, target, fct);
    return last ? out : copy(transpose(out, order.map((_, k) => order.indexOf(k))));
  }
  for (let lane = 0; lane < lanes; lane++) {
    re.fill(0);
    im.fill(0);
    if (mode === "real-forward") {
      for (let j = 0; j < used; j++) re[j] = source[lane * inLength + j];
    } else {
      // Hermitian extension of x[0 … n/2]: im of x[0] (and of x[n/2] for even n) is not used, as pocketfft's.
      for (let k = 0; k < used; k++) {
        const xr = source[2 * (lane * inLength + k)];
        const xi = k === 0 || 2 * k === n ? 0 : source[2 * (lane * inLength + k) + 1];
        re[k] = xr;
        im[k] = xi;
        if (k > 0 && 2 * k !== n) {
          re[n - k] = xr;
          im[n - k] = -xi;
        }
      }
    }
    transformInPlace(re, im, n, !forward);
    if (mode === "real-inverse") {
      for (let k = 0; k < n; k++) target[lane * n + k] = fct === 1 ? re[k] : re[k] * fct;
    } else {
      for (let k = 0; k < outLength; k++) {
        target[2 * (lane * outLength + k)] = fct === 1 ? re[k] : re[k] * fct;
        target[2 * (lane * outLength + k) + 1] = fct === 1 ? im[k] : im[k] * fct;
      }
    }
  }
  const back = order.map((_, k) => order.indexOf(k));
  return last ? out : copy(transpose(out, back));
}

function lastAxisLayout(a: NDArray, mode: Mode): NDArray {
  if (mode !== "real-forward") return complexLayout(a).array;
  return a.dtype === "float64" && a.isContiguous() && a.offset === 0 ? a : astype(a, "float64");
}

function readOptions(options: FFTOptions | undefined, what: string): { n: number | undefined; axis: number; norm: FFTNorm } {
  const o = options ?? {};
  if (typeof o !== "object") throw new InvalidOptionError(`${what}: options must be an object such as { n, axis, norm }, got ${JSON.stringify(o)}`);
  refuseUnknownKeys(o, ["n", "axis", "norm"], what);
  return { n: o.n ?? undefined, axis: o.axis ?? -1, norm: readNorm(o.norm, what) };
}

function lengthOf(a: NDArray, axis: number, what: string): number {
  return a.shape[normalizeAxis(axis, a.ndim, what)];
}

function refuseComplexReal(a: NDArray, what: string): void {
  if (isComplexDType(a.dtype)) {
    throw new InvalidOptionError(`${what}: input is ${a.dtype}; ${what} transforms real input (NumPy would drop the imaginary part with a ComplexWarning): pass nd.real(x), or use fft`);
  }
}

function oneAxis(what: string, mode: Mode, forward: boolean) {
  return function transform(a: NDArray, options?: FFTOptions): NDArray {
    requireArray(a, what);
    const { n: requested, axis, norm } = readOptions(options, what);
    if (mode === "real-forward") refuseComplexReal(a, what);
    const n = requested ?? (mode === "real-inverse" ? (lengthOf(a, axis, what) - 1) * 2 : lengthOf(a, axis, what));
    return rawFFT(a, n, axis, mode, forward, factor(n, norm, forward), what);
  };
}

export const fft = defineFFTBuiltin("fft", oneAxis("fft", "complex", true));
export const ifft = defineFFTBuiltin("ifft", oneAxis("ifft", "complex", false));
export const rfft = defineFFTBuiltin("rfft", oneAxis("rfft", "real-forward", true));
export const irfft = defineFFTBuiltin("irfft", oneAxis("irfft", "real-inverse", false));

/** np.fft.hfft: irfft of the conjugate with the norm's direction swapped (a real spectrum of a Hermitian signal). */
export const hfft = defineFFTBuiltin("hfft", function hfft(a: NDArray, options?: FFTOptions): NDArray {
  requireArray(a, "hfft");
  const { n, axis, norm } = readOptions(options, "hfft");
  return irfft(conjugate(a), { n: n ?? (lengthOf(a, axis, "hfft") - 1) * 2, axis, norm: swapDirection(norm) });
});

/** np.fft.ihfft: the conjugate of rfft with the norm's direction swapped. */
export const ihfft = defineFFTBuiltin("ihfft", function ihfft(a: NDArray, options?: FFTOptions): NDArray {
  requireArray(a, "ihfft");
  const { n, axis, norm } = readOptions(options, "ihfft");
  refuseComplexReal(a, "ihfft");
  return conjugate(rfft(a, { n: n ?? lengthOf(a, axis, "ihfft"), axis, norm: swapDirection(norm) }));
});

/** NumPy's _cook_nd_args: the lengths and axes of an n-d transform. */
function cookNdArgs(a: NDArray, options: FFTNOptions | undefined, what: string, invreal: boolean, defaultAxes?: readonly number[]): { s: number[]; axes: number[]; norm: FFTNorm } {
  const o = options ?? {};
  if (typeof o !== "object") throw new InvalidOptionError(`${what}: options must be an object such as { s, axes, norm }, got ${JSON.stringify(o)}`);
  refuseUnknownKeys(o, ["s", "axes", "norm"], what);
  const norm = readNorm(o.norm, what);
  const requestedAxes = o.axes ?? defaultAxes;
  let s: number[];
  const shapeless = o.s === undefined || o.s === null;
  if (shapeless) s = requestedAxes ? requestedAxes.map((axis) => a.shape[normalizeAxis(axis, a.ndim, what)]) : [...a.shape];
  else s = [...(o.s as readonly number[])];
  const axes = requestedAxes ? [...requestedAxes] : s.map((_, i) => i - s.length);
  if (s.length !== axes.length) throw new InvalidOptionError(`${what}: Shape and axes have different lengths (s has ${s.length}, axes ${axes.length})`);
  axes.forEach((axis) => normalizeAxis(axis, a.ndim, what));
  if (invreal && shapeless && axes.length > 0) s[s.length - 1] = (a.shape[normalizeAxis(axes[axes.length - 1], a.ndim, what)] - 1) * 2;
  return { s, axes, norm };
}

function manyAxes(what: string, forward: boolean, defaultAxes?: readonly number[]) {
  return function transform(a: NDArray, options?: FFTNOptions): NDArray {
    requireArray(a, what);
    const { s, axes, norm } = cookNdArgs(a, options, what, false, defaultAxes);
    return complexAxes(a, s, axes, forward, (n) => factor(n, norm, forward), what);
  };
}

export const fftn = defineFFTBuiltin("fftn", manyAxes("fftn", true));
export const ifftn = defineFFTBuiltin("ifftn", manyAxes("ifftn", false));
export const fft2 = defineFFTBuiltin("fft2", manyAxes("fft2", true, [-2, -1]));
export const ifft2 = defineFFTBuiltin("ifft2", manyAxes("ifft2", false, [-2, -1]));

function realForwardN(what: string, defaultAxes?: readonly number[]) {
  return function transform(a: NDArray, options?: FFTNOptions): NDArray {
    requireArray(a, what);
    refuseComplexReal(a, what);
    const { s, axes, norm } = cookNdArgs(a, options, what, false, defaultAxes);
    if (axes.length === 0) throw new InvalidOptionError(`${what}: needs at least one axis`);
    const half = rfft(a, { n: s[s.length - 1], axis: axes[axes.length - 1], norm });
    // rfft's result is new: the other axes transform it in place. NumPy's order there is the first axis first.
    let result = half;
    for (let i = 0; i < axes.length - 1; i++) result = complexAxes(result, [s[i]], [axes[i]], true, (n) => factor(n, norm, true), what, true);
    return result;
  };
}

function realInverseN(what: string, defaultAxes?: readonly number[]) {
  return function transform(a: NDArray, options?: FFTNOptions): NDArray {
    requireArray(a, what);
    const { s, axes, norm } = cookNdArgs(a, options, what, true, defaultAxes);
    if (axes.length === 0) throw new InvalidOptionError(`${what}: needs at least one axis`);
    let result = a;
    for (let i = 0; i < axes.length - 1; i++) result = complexAxes(result, [s[i]], [axes[i]], false, (n) => factor(n, norm, false), what, i > 0);
    return irfft(result, { n: s[s.length - 1], axis: axes[axes.length - 1], norm });
  };
}

export const rfftn = defineFFTBuiltin("rfftn", realForwardN("rfftn"));
export const irfftn = defineFFTBuiltin("irfftn", realInverseN("irfftn"));
export const rfft2 = defineFFTBuiltin("rfft2", realForwardN("rfft2", [-2, -1]));
export const irfft2 = defineFFTBuiltin("irfft2", realInverseN("irfft2", [-2, -1]));

function checkCount(n: number, d: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(`${what}: n must be a positive integer, got ${n}`);
  if (typeof d !== "number" || d === 0) throw new InvalidOptionError(`${what}: d must be a non-zero number, got ${String(d)}`);
}

/** np.fft.fftfreq: [0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1] / (d·n), float64. */
export const fftfreq = defineFFTBuiltin("fftfreq", function fftfreq(n: number, d = 1): NDArray {
  checkCount(n, d, "fftfreq");
  const val = 1 / (n * d);
  const out = empty([n], "float64");
  const data = out.data as Float64Array;
  const positive = Math.floor((n - 1) / 2) + 1;
  for (let i = 0; i < n; i++) data[i] = (i < positive ? i : i - n) * val;
  return out;
});

/** np.fft.rfftfreq: [0, 1, …, ⌊n/2⌋] / (d·n), float64. */
export const rfftfreq = defineFFTBuiltin("rfftfreq", function rfftfreq(n: number, d = 1): NDArray {
  checkCount(n, d, "rfftfreq");
  const val = 1 / (n * d);
  const out = empty([Math.floor(n / 2) + 1], "float64");
  const data = out.data as Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = i * val;
  return out;
});

/** np.roll along the given axes by the given shifts, by slicing and joining (any dtype, complex too). */
function rollAxes(a: NDArray, shifts: readonly number[], axes: readonly number[]): NDArray {
  let result = a;
  axes.forEach((axis, i) => {
    const length = result.shape[axis];
    if (length === 0) return;
    const shift = ((shifts[i] % length) + length) % length;
    if (shift === 0) return;
    const head = result.shape.map((_, k) => (k === axis ? { start: length - shift } : ":"));
    const tail = result.shape.map((_, k) => (k === axis ? { stop: length - shift } : ":"));
    result = concatenate([slice(result, ...head), slice(result, ...tail)], axis);
  });
  return result === a ? copy(a) : result;
}

/** np.fft.fftshift: the zero frequency moved to the centre (roll by ⌊n/2⌋ along each axis, default all). */
export const fftshift = defineFFTBuiltin("fftshift", function fftshift(a: NDArray, axes?: number | readonly number[] | null): NDArray {
  requireArray(a, "fftshift");
  const list = shiftAxes(a.ndim, axes, "fftshift");
  return rollAxes(a, list.map((axis) => Math.floor(a.shape[axis] / 2)), list);
});

/** np.fft.ifftshift: the inverse of fftshift (roll by −⌊n/2⌋). */
export const ifftshift = defineFFTBuiltin("ifftshift", function ifftshift(a: NDArray, axes?: number | readonly number[] | null): NDArray {
  requireArray(a, "ifftshift");
  const list = shiftAxes(a.ndim, axes, "ifftshift");
  return rollAxes(a, list.map((axis) => -Math.floor(a.shape[axis] / 2)), list);
});

/**
 * One block of Dask's chunked fftfreq (_fftfreq_block): indices i (float64) become
 * (i − n if i ≥ ⌈n/2⌉) / (n·d). Dask divides where NumPy multiplies by 1/(n·d), so values
 * may differ from np.fft.fftfreq in the last bit, as Dask's do.
 */
export const fftfreqBlock = defineFFTBuiltin("fftfreqBlock", function fftfreqBlock(indices: NDArray, options: { n: number; d: number }): NDArray {
  requireArray(indices, "fftfreqBlock");
  refuseUnknownKeys(options, ["n", "d"], "fftfreqBlock");
  const { n, d } = options;
  const source = copy(astype(indices, "float64")).data as Float64Array;
  const out = empty(indices.shape, "float64");
  const values = out.data as Float64Array;
  const half = Math.floor((n + 1) / 2);
  for (let i = 0; i < values.length; i++) values[i] = (source[i] >= half ? source[i] - n : source[i]) / (n * d);
  return out;
});
