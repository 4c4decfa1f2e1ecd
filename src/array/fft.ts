/**
 * dask.array.fft (Dask 2022.12's fft_wrap): each transform is NumPy's applied block by block
 * (nd.fft), so every transformed axis must be one chunk, else it is refused with Dask's advice
 * (rechunk); other axes keep their chunks. Output chunks as Dask's: `n` / `s` set the
 * transformed axis' single chunk (rfft: n/2 + 1; irfft: 2(m − 1) by default; hfft, ihfft
 * likewise). Dtypes are NumPy's: complex128, or float64 for irfft*, hfft.
 *
 * As Dask: with `s` and no `axes`, fftn/ifftn/rfftn/irfftn transform the first len(s) axes
 * (NumPy transforms the last ones); fftfreq/rfftfreq are chunked ranges; fftshift/ifftshift
 * are slices joined along each axis (any chunks).
 */
import { InvalidOptionError } from "../core/errors.js";
import * as nd from "../ndarray/index.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { shiftAxes } from "../ndarray/fft-shift-axes.js";
import { LazyArray, mapBlocksOf } from "./array.js";
import { concatenateNodes } from "./concatenate.js";
import { arangeNode } from "./ranges.js";
import type { ChunkSpec } from "./chunks.js";
import { elementwiseNode } from "./elementwise.js";

type Kind = "fft" | "ifft" | "rfft" | "irfft" | "hfft" | "ihfft";
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Transform = (a: nd.NDArray, options?: any) => nd.NDArray;

const chunkError = (axis: number, chunks: readonly number[]) =>
  `Dask array only supports taking an FFT along an axis that has a single chunk. An FFT operation was tried on axis ${axis} ` +
  `which has chunks [${chunks.join(", ")}]. To change the array's chunks use rechunk (for example x.rechunk({ ${axis}: -1 }))`;

/** Dask's out-chunk rules (_fft_out_chunks, _rfft_out_chunks, _irfft_out_chunks, _hfft_out_chunks, _ihfft_out_chunks). */
function outChunks(a: LazyArray, s: readonly number[] | undefined, axes: readonly number[], kind: Kind): number[][] {
  const chunks = a.chunks.map((sizes) => [...sizes]);
  let lengths: number[];
  if (kind === "fft" || kind === "ifft") {
    if (!s) return chunks;
    lengths = [...s];
  } else if (kind === "rfft") {
    lengths = s ? [...s] : axes.map((axis) => a.chunks[axis][0]);
    lengths[lengths.length - 1] = Math.floor(lengths[lengths.length - 1] / 2) + 1;
  } else if (kind === "irfft") {
    lengths = s ? [...s] : axes.map((axis) => a.chunks[axis][0]);
    if (!s) lengths[lengths.length - 1] = 2 * (lengths[lengths.length - 1] - 1);
  } else if (kind === "hfft") {
    lengths = s ? [...s] : [2 * (a.chunks[axes[0]][0] - 1)];
  } else {
    const n = s ? s[0] : a.chunks[axes[0]][0];
    lengths = [n % 2 === 0 ? n / 2 + 1 : (n + 1) / 2];
  }
  axes.forEach((axis, i) => { chunks[axis] = [lengths[i]]; });
  return chunks;
}

function checkNorm(norm: unknown, what: string): void {
  if (norm !== undefined && norm !== null && norm !== "backward" && norm !== "ortho" && norm !== "forward") {
    throw new InvalidOptionError(`${what}: Invalid norm value ${JSON.stringify(norm)}; should be "backward", "ortho" or "forward"`);
  }
}

function wrap(a: LazyArray, fn: Transform, kind: Kind, what: string, s: readonly number[] | undefined, axes: readonly number[], fnOptions: Record<string, unknown>): LazyArray {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a tessera array, got ${String(a)}`);
  checkNorm(fnOptions.norm, what);
  const normalized = axes.map((axis) => normalizeAxis(axis, a.ndim, what));
  if (new Set(normalized).size < normalized.length) throw new InvalidOptionError(`${what}: Duplicate axes not allowed`);
  if (s && s.length !== axes.length) throw new InvalidOptionError(`${what}: Shape and axes have different lengths (s has ${s.length}, axes ${axes.length})`);
  if (s) s.forEach((n) => { if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(`${what}: Invalid number of FFT data points (${n}) specified`); });
  for (const axis of normalized) if (a.chunks[axis].length !== 1) throw new InvalidOptionError(`${what}: ${chunkError(axis, a.chunks[axis])}`);
  if ((kind === "rfft" || kind === "ihfft") && nd.isComplexDType(a.dtype)) {
    throw new InvalidOptionError(`${what}: input is ${a.dtype}; ${what} transforms real input (NumPy would drop the imaginary part with a ComplexWarning): pass ta.real(x), or use fft`);
  }
  const dtype = kind === "irfft" || kind === "hfft" ? "float64" : "complex128";
  return mapBlocksOf(fn, [a], { dtype, chunks: outChunks(a, s, normalized, kind) }, fnOptions);
}

export interface LazyFFTOptions { n?: number | null; axis?: number; norm?: nd.fft.FFTNorm | null }
export interface LazyFFTNOptions { s?: readonly number[] | null; axes?: readonly number[] | null; norm?: nd.fft.FFTNorm | null }

function oneAxis(fn: Transform, kind: Kind, what: string) {
  return (a: LazyArray, options: LazyFFTOptions = {}): LazyArray => {
    for (const key of Object.keys(options)) if (!["n", "axis", "norm"].includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes n, axis, norm`);
    const axis = options.axis ?? -1;
    const n = options.n ?? undefined;
    return wrap(a, fn, kind, what, n === undefined ? undefined : [n], [axis], { n, axis, norm: options.norm ?? undefined });
  };
}

function manyAxes(fn: Transform, kind: Kind, what: string, two: boolean) {
  return (a: LazyArray, options: LazyFFTNOptions = {}): LazyArray => {
    for (const key of Object.keys(options)) if (!["s", "axes", "norm"].includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes s, axes, norm`);
    const s = options.s ?? undefined;
    const axes = options.axes ?? (two ? [-2, -1] : s ? s.map((_, i) => i) : [...a.shape.keys()]);
    return wrap(a, fn, kind, what, s, axes, { s, axes, norm: options.norm ?? undefined });
  };
}

export const fft = oneAxis(nd.fft.fft, "fft", "fft");
export const ifft = oneAxis(nd.fft.ifft, "ifft", "ifft");
export const rfft = oneAxis(nd.fft.rfft, "rfft", "rfft");
export const irfft = oneAxis(nd.fft.irfft, "irfft", "irfft");
export const hfft = oneAxis(nd.fft.hfft, "hfft", "hfft");
export const ihfft = oneAxis(nd.fft.ihfft, "ihfft", "ihfft");
export const fft2 = manyAxes(nd.fft.fft2, "fft", "fft2", true);
export const ifft2 = manyAxes(nd.fft.ifft2, "ifft", "ifft2", true);
export const fftn = manyAxes(nd.fft.fftn, "fft", "fftn", false);
export const ifftn = manyAxes(nd.fft.ifftn, "ifft", "ifftn", false);
export const rfft2 = manyAxes(nd.fft.rfft2, "rfft", "rfft2", true);
export const irfft2 = manyAxes(nd.fft.irfft2, "irfft", "irfft2", true);
export const rfftn = manyAxes(nd.fft.rfftn, "rfft", "rfftn", false);
export const irfftn = manyAxes(nd.fft.irfftn, "irfft", "irfftn", false);

function checkCount(n: number, d: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(`${what}: n must be a positive integer, got ${n}`);
  if (typeof d !== "number" || d === 0) throw new InvalidOptionError(`${what}: d must be a non-zero number, got ${String(d)}`);
}

/** da.fft.fftfreq(n, d, chunks): a chunked float64 range turned into frequencies block by block. */
export function fftfreq(n: number, d = 1, options: { chunks?: ChunkSpec } = {}): LazyArray {
  checkCount(n, d, "fftfreq");
  const indices = LazyArray.of(arangeNode([n, { dtype: "float64", chunks: options.chunks }]));
  return mapBlocksOf(nd.fft.fftfreqBlock, [indices], { dtype: "float64" }, { n, d });
}

/** da.fft.rfftfreq(n, d, chunks): arange(n/2 + 1) / (n·d). */
export function rfftfreq(n: number, d = 1, options: { chunks?: ChunkSpec } = {}): LazyArray {
  checkCount(n, d, "rfftfreq");
  const indices = LazyArray.of(arangeNode([Math.floor(n / 2) + 1, { dtype: "float64", chunks: options.chunks }]));
  return LazyArray.of(elementwiseNode(nd.divide, [indices, n * d]));
}

function shift(x: LazyArray, axes: number | readonly number[] | null | undefined, inverse: boolean, what: string): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a tessera array, got ${String(x)}`);
  let y = x;
  for (const axis of shiftAxes(x.ndim, axes, what)) {
    const n = y.shape[axis];
    const half = inverse ? Math.floor(n / 2) : Math.floor((n + 1) / 2);
    const left = y.shape.map((_, k) => (k === axis ? { stop: half } : ":")) as nd.IndexItem[];
    const right = y.shape.map((_, k) => (k === axis ? { start: half } : ":")) as nd.IndexItem[];
    y = LazyArray.of(concatenateNodes([y.get(...right), y.get(...left)], axis, what));
    // Dask keeps a single-chunk axis single.
    if (x.chunks[axis].length === 1) y = y.rechunk(y.chunks.map((sizes, k) => (k === axis ? [...x.chunks[axis]] : sizes)));
  }
  return y;
}

/** da.fft.fftshift: the zero frequency moved to the centre along the given axes (default all), any chunks. */
export function fftshift(x: LazyArray, axes?: number | readonly number[] | null): LazyArray {
  return shift(x, axes, false, "fftshift");
}

/** da.fft.ifftshift: the inverse of fftshift. */
export function ifftshift(x: LazyArray, axes?: number | readonly number[] | null): LazyArray {
  return shift(x, axes, true, "ifftshift");
}
