/**
 * The geometry of scipy.ndimage.rotate (scipy 1.10 `_interpolation.py`), shared by the eager
 * rotate and the chunked one: the plane's two axes (negatives wrapped, then sorted, as scipy
 * sorts them), the inverse matrix [[c, s], [−s, c]] from Cephes' cosdg/sindg, the output plane
 * (with `reshape`, the extent of the rotated corners plus 0.5, truncated as NumPy's astype(int)
 * truncates) and the offset that maps the output's centre onto the input's.
 *
 * Both products are NumPy matmuls, which Debian's NumPy 1.24 hands to OpenBLAS; its x86-64
 * kernels use fused multiply-adds, in a different place for the matrix product (the corners:
 * a·p then fma(b, q, ·)) and for the matrix-vector product (the centre: b·q then fma(a, p, ·)).
 * Computed with plain products the offset differs from scipy's by an ulp for about a third of
 * angles, which moves order-0 results at cell boundaries; so the fused forms are reproduced
 * exactly (exact-fma.ts). On a NumPy without FMA kernels scipy's own offset would be the plain one.
 */
import { InvalidOptionError } from "../core/errors.js";
import { cosDegrees, sinDegrees } from "./degree-trig.js";
import { fusedMultiplyAdd } from "./exact-fma.js";

export interface RotationGeometry {
  /** The plane's axes, ascending. */
  readonly axes: readonly [number, number];
  /** Output → input within the plane: rows are the plane's input axes. */
  readonly matrix: readonly [readonly [number, number], readonly [number, number]];
  readonly offset: readonly [number, number];
  /** The whole output's shape: the input's with the plane's two axes replaced. */
  readonly outputShape: readonly number[];
}

/** Checks `axes` as scipy does (two integers within ±ndim) and sorts them. */
export function rotationAxes(value: unknown, ndim: number): [number, number] {
  if (ndim < 2) throw new InvalidOptionError(`rotate needs an input with at least 2 axes (the plane of rotation), got ${ndim}`);
  if (!Array.isArray(value) || value.length !== 2) {
    throw new InvalidOptionError(`axes ${JSON.stringify(value)} must list exactly two axes (the plane of rotation)`);
  }
  const axes = value.map((axis: unknown) => {
    if (typeof axis !== "number" || !Number.isInteger(axis)) throw new InvalidOptionError(`axes ${JSON.stringify(value)} must hold integers`);
    if (axis < -ndim || axis >= ndim) throw new InvalidOptionError(`axes ${JSON.stringify(value)} name an axis outside the input's ${ndim} axes (an invalid rotation plane)`);
    return axis < 0 ? axis + ndim : axis;
  });
  // scipy accepts a repeated axis and then runs a 2-D transform over a 1-D plane (or fails deep
  // inside affine_transform); there is no plane to rotate in, so it is refused here.
  if (axes[0] === axes[1]) throw new InvalidOptionError(`axes ${JSON.stringify(value)} name the same axis twice: give two different axes`);
  return axes[0] < axes[1] ? [axes[0], axes[1]] : [axes[1], axes[0]];
}

export function rotationGeometry(shape: readonly number[], angle: unknown, axesOption: unknown, reshapeOption: unknown): RotationGeometry {
  if (typeof angle !== "number" || !Number.isFinite(angle)) {
    throw new InvalidOptionError(`angle ${JSON.stringify(angle) ?? String(angle)} must be a finite number of degrees`);
  }
  if (typeof reshapeOption !== "boolean") throw new InvalidOptionError(`reshape ${JSON.stringify(reshapeOption)} must be true or false`);
  const axes = rotationAxes(axesOption, shape.length);
  const c = cosDegrees(angle);
  const s = sinDegrees(angle);
  const [iy, ix] = [shape[axes[0]], shape[axes[1]]];
  let plane: [number, number] = [iy, ix];
  if (reshapeOption) {
    // rot_matrix @ [[0, 0, iy, iy], [0, ix, 0, ix]] as OpenBLAS's dgemm computes each entry.
    const corners: Array<[number, number]> = [[0, 0], [0, ix], [iy, 0], [iy, ix]];
    const extent = (a: number, b: number): number => {
      const values = corners.map(([p, q]) => fusedMultiplyAdd(b, q, a * p));
      return Math.max(...values) - Math.min(...values);
    };
    plane = [Math.trunc(extent(c, s) + 0.5), Math.trunc(extent(-s, c) + 0.5)];
  }
  const outHalf = [(plane[0] - 1) / 2, (plane[1] - 1) / 2];
  const inHalf = [(iy - 1) / 2, (ix - 1) / 2];
  // rot_matrix @ out_half as OpenBLAS's dgemv computes it.
  const centre = (a: number, b: number): number => fusedMultiplyAdd(a, outHalf[0], b * outHalf[1]);
  const offset: [number, number] = [inHalf[0] - centre(c, s), inHalf[1] - centre(-s, c)];
  const outputShape = [...shape];
  outputShape[axes[0]] = plane[0];
  outputShape[axes[1]] = plane[1];
  return { axes, matrix: [[c, s], [-s, c]], offset, outputShape };
}
