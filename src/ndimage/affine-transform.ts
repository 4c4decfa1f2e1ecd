/**
 * `affineTransform`: scipy.ndimage.affine_transform, bit for bit. Output point o reads the
 * input at M·o + offset ("pull" resampling). The matrix may be
 *
 *   [ndim]               a diagonal: run as zoom/shift (NI_ZoomShift) with zoom = M and
 *                        shift = offset / M, i.e. coordinate (o + offset/M)·M, as scipy does;
 *   [ndim, k]            a full matrix for a k-D output (NI_GeometricTransform);
 *   [ndim, ndim + 1] or [ndim + 1, ndim + 1]   homogeneous: the last column is the offset
 *                        (the bottom row, when given, must be [0, …, 0, 1]).
 *
 * Each coordinate is accumulated as scipy 1.10 does: from 0.0, the products of the output
 * coordinates with the matrix row added left to right, then the offset. (Later scipy releases
 * start from the offset instead, which moves some coordinates by an ulp and, near a cell
 * boundary, changes which cell order 0 reads.)
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { type InputWindow, type InterpolationOptions, finitePerAxis, resolveInterpolation } from "./interpolation-options.js";
import { resolveOutputRegion } from "./options.js";
import { samplePoints } from "./point-sampler.js";
import { splineSource } from "./spline-source.js";
import { tapAxes } from "./spline-taps.js";
import { emptyResult, isEmpty, runZoomShift } from "./zoom-shift.js";

export interface AffineTransformOptions extends InterpolationOptions {
  /** The inverse (output → input) transform; see the module comment for the accepted shapes. */
  matrix: readonly number[] | readonly (readonly number[])[];
  /** Added to M·o; one value for all axes or one per input axis. Not allowed with a homogeneous matrix. */
  offset?: number | readonly number[];
  /** Default: the input's shape. */
  outputShape?: readonly number[];
  inputWindow?: InputWindow;
}

/** A checked transform: a diagonal (zoom/shift) or a full matrix, rows = input axes. */
export type AffineMatrix =
  | { readonly kind: "diagonal"; readonly diagonal: readonly number[]; readonly offset: readonly number[] }
  | { readonly kind: "full"; readonly rows: readonly (readonly number[])[]; readonly offset: readonly number[] };

function describeShape(matrix: unknown): string {
  if (!Array.isArray(matrix)) return JSON.stringify(matrix);
  if (matrix.every((row) => Array.isArray(row))) return `[${matrix.length}, ${(matrix[0] as unknown[] | undefined)?.length ?? 0}]`;
  return `[${matrix.length}]`;
}

/** Reads `matrix` and `offset` as scipy does, refusing what it refuses and what it would ignore. */
export function resolveAffine(matrix: unknown, offset: unknown, ndim: number, outputRank: number): AffineMatrix {
  const shapes = `[${ndim}], [${ndim}, ${ndim}], [${ndim}, ${ndim + 1}] or [${ndim + 1}, ${ndim + 1}]`;
  const refuse = (why: string): never => {
    throw new InvalidOptionError(`matrix ${describeShape(matrix)} ${why}: for a ${ndim}-D input give a matrix of shape ${shapes}`);
  };
  if (!Array.isArray(matrix) || matrix.length === 0) return refuse("is not a list of numbers or of rows");
  if (matrix.every((item) => typeof item === "number")) {
    if (matrix.length !== ndim) return refuse("has the wrong length");
    const diagonal = finitePerAxis(matrix, ndim, "matrix");
    if (diagonal.some((d) => d === 0)) {
      throw new InvalidOptionError(`matrix ${JSON.stringify(matrix)} has a zero on its diagonal: scipy divides the offset by it; give a non-zero scale per axis`);
    }
    if (outputRank !== ndim) throw new InvalidOptionError(`outputShape has ${outputRank} axes; a diagonal matrix needs ${ndim}`);
    return { kind: "diagonal", diagonal, offset: finitePerAxis(offset ?? 0, ndim, "offset") };
  }
  if (!matrix.every((row) => Array.isArray(row))) return refuse("mixes numbers and rows");
  const rows = (matrix as unknown[][]).map((row) => finitePerAxis(row, (matrix[0] as unknown[]).length, "matrix row"));
  const columns = rows[0].length;
  if (columns === ndim + 1 && (rows.length === ndim || rows.length === ndim + 1)) {
    if (rows.length === ndim + 1 && !rows[ndim].every((value, i) => value === (i === ndim ? 1 : 0))) {
      throw new InvalidOptionError(
        `matrix ${describeShape(matrix)} is homogeneous but its bottom row is [${rows[ndim].join(", ")}]: it must be [${[...new Array<number>(ndim).fill(0), 1].join(", ")}]`,
      );
    }
    if (offset !== undefined) {
      throw new InvalidOptionError("offset cannot be given with a homogeneous matrix: its last column is the offset (scipy would ignore offset)");
    }
    // Its ndim × ndim part maps output points of ndim axes; scipy refuses any other output rank.
    if (outputRank !== ndim) {
      throw new InvalidOptionError(`matrix ${describeShape(matrix)} is homogeneous (its last column is the offset), so the output needs ${ndim} axes; outputShape has ${outputRank}`);
    }
    return { kind: "full", rows: rows.slice(0, ndim).map((row) => row.slice(0, ndim)), offset: rows.slice(0, ndim).map((row) => row[ndim]) };
  }
  if (rows.length !== ndim) return refuse("has the wrong number of rows");
  if (columns !== outputRank) {
    throw new InvalidOptionError(`matrix ${describeShape(matrix)} has ${columns} columns but the output has ${outputRank} axes (outputShape)`);
  }
  return { kind: "full", rows, offset: finitePerAxis(offset ?? 0, ndim, "offset") };
}

export function checkOutputShape(value: unknown, fallback: readonly number[]): number[] {
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value) || value.length === 0 || !value.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new InvalidOptionError(`outputShape ${JSON.stringify(value)} must be a non-empty list of non-negative integers`);
  }
  return [...(value as number[])];
}

function affineTransformImpl(input: NDArray, options: AffineTransformOptions): NDArray {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(`affineTransform needs an options object with matrix, got ${JSON.stringify(options)}`);
  }
  const settings = resolveInterpolation(input, options, "affineTransform", ["matrix", "offset", "outputShape"]);
  const outputShape = checkOutputShape(options.outputShape, settings.window.arrayShape);
  const affine = resolveAffine(options.matrix, options.offset, input.ndim, outputShape.length);
  if (affine.kind === "diagonal") {
    const axes = affine.diagonal.map((zoom, axis) => ({ zoom, shift: affine.offset[axis] / zoom, gridMode: false }));
    return runZoomShift(input, axes, outputShape, settings, options.outputRegion);
  }
  const region = resolveOutputRegion(options.outputRegion, outputShape);
  const { order, mode, cval, prefilter, outputDtype, window } = settings;
  if (isEmpty(region)) return emptyResult(region, outputDtype);
  const source = splineSource(input, window, order, mode, cval, prefilter);
  const { rows, offset } = affine;
  const shape = region.stop.map((stop, axis) => stop - region.start[axis]);
  const last = shape.length - 1;
  // Per row, the sum over the outer output axes is the same for every point (scipy adds the
  // products left to right from 0.0, so that partial sum is a prefix of each point's sum).
  const partial = new Float64Array(rows.length);
  return samplePoints(source, tapAxes(source, mode, order), region.start, shape, (index, _flat, length, coordinates) => {
    for (let h = 0; h < rows.length; h++) {
      const row = rows[h];
      let value = 0.0;
      for (let l = 0; l < last; l++) value += index[l] * row[l];
      partial[h] = value;
    }
    for (let h = 0; h < rows.length; h++) {
      const step = rows[h][last];
      const prefix = partial[h];
      const shiftBy = offset[h];
      const first = index[last];
      const into = h * length;
      for (let k = 0; k < length; k++) coordinates[into + k] = (prefix + (first + k) * step) + shiftBy;
    }
  }, outputDtype, cval);
}

/** Applies an affine transformation by spline interpolation (scipy.ndimage.affine_transform). */
export const affineTransform = definePublicBuiltin("affineTransform", affineTransformImpl);
