/**
 * da.linalg.svd_compressed (Dask 2022.12): the randomized rank-k SVD of Halko, Martinsson &
 * Tropp (2011), built as Dask builds it. compression_matrix: Ω (N × l, l = min(max(20,
 * k + nOversamples), min(M, N)), chunked (A's column chunks, (l,))) of standard normal values;
 * H = A·Ω, then nPowerIter passes, "power": H ← A·(Aᵀ·H) and one tsqr at the end, "QR": Q ←
 * tsqr(A·tsqr(Aᵀ·Q).Q).Q after a first tsqr; the compression matrix is C = Qᵀ (l × M). Then
 * B = C·A (l × N), [V, s, Uᴮ] = the tsqr SVD of Bᵀ, U = Cᵀ·Uᴮᵀ, and the leading k of U, s and
 * Vᵀ, signs by svd_flip when coerceSigns (each row of Vᵀ summing to ≥ 0). Every step is a
 * blocked product or a tsqr, so no task holds more than one block of A, or an M × l / l × N
 * block-row of the thin factors. Float32 input stays float32 (Ω drawn in float32, as Dask).
 *
 * Differences from Dask, by necessity: Ω's values come from tessera's generator (xoshiro256+,
 * Box–Muller over two seeded uniform arrays), not NumPy's RandomState, so the same seed does not
 * give Dask's U, s, V bit for bit: both are the same randomized method, with the same error
 * behaviour. `compute: true` (Dask persists each pass) is refused: here the passes are one lazy
 * graph; persist A first to keep it from being recomputed.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import * as nd from "../ndarray/index.js";
import { svdFlipSigns } from "../ndarray/tsqr-partials.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";
import { FillExpr } from "./sources.js";
import { tsqr, tsqrSvdParts } from "./tsqr.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";

export interface SvdCompressedOptions {
  /** "power" (default) or "QR": how the power iterations keep the subspace well-conditioned. */
  iterator?: "power" | "QR";
  /** Power iterations (default 0); each costs two more passes over A. */
  nPowerIter?: number;
  /** Extra columns of Ω beyond k (default 10). */
  nOversamples?: number;
  /** Seed of Ω, an integer in [0, 2⁴⁰); without one Ω differs on every call. */
  seed?: number;
  /** Only false (Dask's default); see the file's comment. */
  compute?: boolean;
  /** svd_flip's signs (default true). */
  coerceSigns?: boolean;
}

const seedLimit = 2 ** 40;

/** Dask's compression_level: the sampled subspace's size. */
export function compressionLevel(n: number, q: number, nOversamples = 10, minSubspaceSize = 20): number {
  for (const [name, value] of Object.entries({ n, q, nOversamples, minSubspaceSize })) nonNegativeInteger(value, name, "compressionLevel");
  return Math.min(Math.max(minSubspaceSize, q + nOversamples), n);
}

function nonNegativeInteger(value: unknown, name: string, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new InvalidOptionError(`${what}: ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return value;
}

function call(fn: (...args: never[]) => nd.NDArray, inputs: Array<LazyArray | number>): LazyArray {
  return LazyArray.of(elementwiseNode(fn as never, inputs));
}

/** Standard normal N × l (chunks given) by Box–Muller: √(−2·ln(1 − u₁))·cos(2π·u₂), u₁ and u₂ independent. */
export function standardNormal(shape: number[], chunks: number[][], seed: number, dtype: "float32" | "float64"): LazyArray {
  const uniform = (s: number) => new LazyArray(`random-${tokenize(shape, chunks, "float64", { random: s })}`, shape, chunks, "float64", new FillExpr({ random: s }));
  const radius = call(nd.sqrt, [call(nd.multiply, [call(nd.log1p, [call(nd.negative, [uniform(seed)])]), -2])]);
  const omega = call(nd.multiply, [radius, call(nd.cos, [call(nd.multiply, [uniform(seed + seedLimit), 2 * Math.PI])])]);
  return dtype === "float64" ? omega : omega.astype(dtype);
}

function compressionOf(a: LazyArray, q: number, iterator: "power" | "QR", nPowerIter: number, nOversamples: number, seed: number): LazyArray {
  const [m, n] = a.shape;
  const level = compressionLevel(Math.min(m, n), q, nOversamples);
  const dtype = a.dtype === "float32" ? "float32" : "float64";
  const omega = standardNormal([n, level], [[...a.chunks[1]], [level]], seed, dtype);
  let h = a.dot(omega);
  let basis: LazyArray;
  if (iterator === "power") {
    for (let i = 0; i < nPowerIter; i++) h = a.dot(a.T.dot(h));
    basis = tsqr(h)[0];
  } else {
    basis = tsqr(h)[0];
    for (let i = 0; i < nPowerIter; i++) {
      basis = tsqr(a.T.dot(basis))[0];
      basis = tsqr(a.dot(basis))[0];
    }
  }
  return basis.T;
}

interface CheckedOptions { iterator: "power" | "QR"; nPowerIter: number; nOversamples: number; seed: number }

function checkOptions(a: LazyArray, k: number, options: SvdCompressedOptions, what: string, allowed: readonly string[]): CheckedOptions {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError(`ta.linalg.${what} needs a tessera array; for an NDArray use nd.linalg.svd`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} takes an options object, got ${JSON.stringify(options)}`);
  refuseUnknownKeys(options, allowed, what);
  refuseComplex(what, a.dtype);
  if (typeof k !== "number" || !Number.isSafeInteger(k) || k < 1) throw new InvalidOptionError(`${what}: k (the rank) must be a positive integer, got ${JSON.stringify(k)}`);
  const iterator = options.iterator ?? "power";
  if (iterator !== "power" && iterator !== "QR") throw new InvalidOptionError(`${what}: iterator must be "power" or "QR", got ${JSON.stringify(iterator)}`);
  const nPowerIter = nonNegativeInteger(options.nPowerIter ?? 0, "nPowerIter", what);
  const nOversamples = nonNegativeInteger(options.nOversamples ?? 10, "nOversamples", what);
  const seed = options.seed ?? Math.floor(Math.random() * seedLimit);
  if (nonNegativeInteger(seed, "seed", what) >= seedLimit) throw new InvalidOptionError(`${what}: seed must be below 2^40, got ${seed}`);
  if (options.compute !== undefined && options.compute !== false) {
    throw new InvalidOptionError(`${what}: compute must be false, got ${JSON.stringify(options.compute)}; tessera builds the passes as one lazy graph (persist a first to keep it from being recomputed)`);
  }
  if (a.ndim !== 2) throw new InvalidOptionError(`${what}: the array must be 2-d, got shape ${JSON.stringify(a.shape)}`);
  if (a.shape.some((size) => Number.isNaN(size))) throw new InvalidOptionError(`${what}: the array has unknown chunk sizes; call computeChunkSizes() first`);
  if (Math.min(...a.shape) === 0) throw new InvalidOptionError(`${what}: the array is empty (shape ${JSON.stringify(a.shape)})`);
  return { iterator, nPowerIter, nOversamples, seed };
}

/** C (l × M, chunks ((l,), A's row chunks)): Dask's compression_matrix, whose rows span A's sampled range. */
export function compressionMatrix(a: LazyArray, q: number, options: Omit<SvdCompressedOptions, "coerceSigns"> = {}): LazyArray {
  const o = checkOptions(a, q, options, "compressionMatrix", ["iterator", "nPowerIter", "nOversamples", "seed", "compute"]);
  return compressionOf(a, q, o.iterator, o.nPowerIter, o.nOversamples, o.seed);
}

/** [U, s, Vᵀ]: the approximate rank-k thin SVD of a 2-d array (da.linalg.svd_compressed). */
export function svdCompressed(a: LazyArray, k: number, options: SvdCompressedOptions = {}): [LazyArray, LazyArray, LazyArray] {
  const o = checkOptions(a, k, options, "svdCompressed", ["iterator", "nPowerIter", "nOversamples", "seed", "compute", "coerceSigns"]);
  const coerceSigns = options.coerceSigns ?? true;
  if (typeof coerceSigns !== "boolean") throw new InvalidOptionError(`svdCompressed: coerceSigns must be true or false, got ${JSON.stringify(coerceSigns)}`);
  const comp = compressionOf(a, k, o.iterator, o.nPowerIter, o.nOversamples, o.seed);
  const compressed = comp.dot(a);
  const [vFactor, sAll, uFactor] = tsqrSvdParts(compressed.T);
  const uAll = comp.T.dot(uFactor.T);
  const keep = { start: 0, stop: k };
  let u = uAll.get(":", keep);
  const s = sAll.get(keep);
  let vh = vFactor.T.get(keep, ":");
  if (coerceSigns) {
    const signs = LazyArray.of(elementwiseNode(svdFlipSigns, [vh.sum({ axis: 1, keepdims: true })]));
    u = LazyArray.of(elementwiseNode(nd.multiply, [u, signs.T]));
    vh = LazyArray.of(elementwiseNode(nd.multiply, [vh, signs]));
  }
  return [u, s, vh];
}
