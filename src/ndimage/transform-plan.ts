/**
 * The geometry of a zoom, shift or affine transform without running it: the output shape and,
 * for any box of the output, the input cells it reads. The lazy array layer uses these to give
 * each output block the window of input it needs (interpolation-footprint.ts); the options are
 * read exactly as the kernels read them.
 */
import { InvalidOptionError } from "../core/errors.js";
import { resolveAffine, checkOutputShape, type AffineTransformOptions } from "./affine-transform.js";
import { type CellBox, affineFootprint, separableFootprint, type FootprintSettings } from "./interpolation-footprint.js";
import { checkBoolean, checkSplineOrder, finitePerAxis, toExtendMode } from "./interpolation-options.js";
import type { OutputRegion } from "./options.js";
import {
  type ShiftOptions, type ZoomOptions, type ZoomShiftAxis, checkZoomFactors, zoomCoordinateFactors, zoomOutputShape,
} from "./zoom-shift.js";

export interface TransformPlan {
  readonly outputShape: readonly number[];
  readonly order: number;
  readonly prefilter: boolean;
  /** Input cells the output box reads (the prefilter's reach not included). */
  footprint(region: OutputRegion): CellBox;
}

function settingsOf(options: { order?: number; mode?: unknown; prefilter?: boolean }): FootprintSettings {
  return {
    order: checkSplineOrder(options.order ?? 3),
    mode: toExtendMode(options.mode ?? "constant"),
    prefilter: checkBoolean(options.prefilter ?? true, "prefilter"),
  };
}

function checkObject(options: unknown, what: string): void {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} needs an options object, got ${JSON.stringify(options)}`);
}

function separablePlan(axes: readonly ZoomShiftAxis[], inputShape: readonly number[], outputShape: readonly number[], settings: FootprintSettings): TransformPlan {
  return {
    outputShape, order: settings.order, prefilter: settings.prefilter,
    footprint: (region) => separableFootprint(axes, inputShape, region, settings),
  };
}

export function zoomPlan(options: ZoomOptions, inputShape: readonly number[]): TransformPlan {
  checkObject(options, "zoom");
  const settings = settingsOf(options);
  const factors = checkZoomFactors(options.zoom, inputShape.length);
  const gridMode = checkBoolean(options.gridMode ?? false, "gridMode");
  const outputShape = zoomOutputShape(inputShape, factors);
  const zooms = zoomCoordinateFactors(inputShape, outputShape, gridMode);
  return separablePlan(zooms.map((zoom) => ({ zoom, gridMode })), inputShape, outputShape, settings);
}

export function shiftPlan(options: ShiftOptions, inputShape: readonly number[]): TransformPlan {
  checkObject(options, "shift");
  const settings = settingsOf(options);
  const shifts = finitePerAxis(options.shift, inputShape.length, "shift");
  return separablePlan(shifts.map((s) => ({ shift: -s, gridMode: false })), inputShape, inputShape, settings);
}

export function affinePlan(options: AffineTransformOptions, inputShape: readonly number[]): TransformPlan {
  checkObject(options, "affineTransform");
  const settings = settingsOf(options);
  const outputShape = checkOutputShape(options.outputShape, inputShape);
  const affine = resolveAffine(options.matrix, options.offset, inputShape.length, outputShape.length);
  if (affine.kind === "diagonal") {
    const axes = affine.diagonal.map((zoom, axis) => ({ zoom, shift: affine.offset[axis] / zoom, gridMode: false }));
    return separablePlan(axes, inputShape, outputShape, settings);
  }
  return {
    outputShape, order: settings.order, prefilter: settings.prefilter,
    footprint: (region) => affineFootprint(affine.rows, affine.offset, inputShape, region, settings),
  };
}
