/**
 * dask_image.ndfourier on chunked spectra: fourierGaussian, fourierUniform, fourierShift (and
 * scipy's fourierEllipsoid, which dask-image lacks) block
 * by block, each block multiplied by the factors of its global frequency indices (the eager
 * filters take the block's place in the whole array from Dask's block_info), so any chunking
 * gives what scipy.ndimage gives the whole spectrum. Output dtypes as scipy's (dask-image
 * keeps the input's dtype for real input instead; tessera follows scipy, the reference).
 */
import { InvalidOptionError } from "../core/errors.js";
import * as ndimage from "../ndimage/index.js";
import { type DType, isComplexDType } from "../ndarray/dtype.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { ellipsoidOutputDType } from "../ndimage/fourier.js";
import { LazyArray, mapBlocksOf } from "./array.js";

function check(x: LazyArray, options: object, key: string, what: string, extraKeys: readonly string[] = []): void {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a tessera array, got ${String(x)}`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} needs an options object with ${key}, got ${String(options)}`);
  const known = [key, "n", "axis", ...extraKeys];
  for (const name of Object.keys(options)) if (!known.includes(name)) throw new InvalidOptionError(`${what}: unknown option "${name}"; ${what} takes ${known.join(", ")}`);
  const o = options as Record<string, unknown>;
  const given = o[key];
  if (Array.isArray(given) && given.length !== x.ndim) throw new InvalidOptionError(`${what}: ${key} has ${given.length} entries, the input has ${x.ndim} axes (sequence argument must have length equal to input rank)`);
  if (typeof given !== "number" && !Array.isArray(given)) throw new InvalidOptionError(`${what}: ${key} must be a number or one number per axis, got ${JSON.stringify(given)}`);
  if (o.n !== undefined && !Number.isInteger(o.n)) throw new InvalidOptionError(`${what}: n must be an integer, got ${String(o.n)}`);
  if (x.ndim > 0) normalizeAxis((o.axis as number | undefined) ?? -1, x.ndim, what);
}

const filterDType = (x: LazyArray): DType => (isComplexDType(x.dtype) || x.dtype === "float32" ? x.dtype : "float64");

export function fourierGaussian(x: LazyArray, options: ndimage.FourierGaussianOptions): LazyArray {
  check(x, options, "sigma", "fourierGaussian");
  return mapBlocksOf(ndimage.fourierGaussian, [x], { dtype: filterDType(x), blockInfo: true }, { ...options });
}

export function fourierUniform(x: LazyArray, options: ndimage.FourierUniformOptions): LazyArray {
  check(x, options, "size", "fourierUniform");
  return mapBlocksOf(ndimage.fourierUniform, [x], { dtype: filterDType(x), blockInfo: true }, { ...options });
}

export function fourierShift(x: LazyArray, options: ndimage.FourierShiftOptions): LazyArray {
  check(x, options, "shift", "fourierShift");
  return mapBlocksOf(ndimage.fourierShift, [x], { dtype: isComplexDType(x.dtype) ? x.dtype : "complex128", blockInfo: true }, { ...options });
}

/** scipy's fourier_ellipsoid (dask-image has none): 1 to 3 axes, `output` a dtype. */
export function fourierEllipsoid(x: LazyArray, options: ndimage.FourierEllipsoidOptions): LazyArray {
  check(x, options, "size", "fourierEllipsoid", ["output"]);
  const dtype = ellipsoidOutputDType(x.dtype, options.output, x.ndim);
  return mapBlocksOf(ndimage.fourierEllipsoid, [x], { dtype, blockInfo: true }, { ...options });
}
