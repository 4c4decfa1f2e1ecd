/**
 * Grey morphology (scipy.ndimage `grey_erosion`, `grey_dilation`, `grey_opening`, `grey_closing`,
 * `white_tophat`, `black_tophat`). Erosion is the minimum filter with a flat footprint or a grey
 * structure subtracted; dilation is the maximum filter with the footprint and structure reversed
 * on every axis and each origin mirrored (−o, one less on even axes), so that dilation is the
 * adjoint of erosion. Opening is dilation of the erosion, closing erosion of the dilation, and the
 * tophats subtract in the input's dtype (integers wrap, as NumPy's `subtract(..., out=tmp)` does).
 *
 * With `outputRegion`, opening and closing compute their first step on the whole input and only
 * the second on the region: the second step near the region's edges reads the first step beyond it.
 *
 * int64, uint64 and bool inputs: grey-morphology-wide.ts.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import { promoteTypes } from "../ndarray/promotion.js";
import { NDArray, shapeSize } from "../ndarray/ndarray.js";
import { type MinMaxPlan, footprintFilterKeys, planMinMax, planReach, runMinMaxPlan } from "./min-max-filter.js";
import { type Backend, type NumericArray, type OutputRegion, checkCval, resolveBackend, resolveOutputDtype, resolveOutputRegion } from "./options.js";
import { type GreyMorphologyOptions, isWideMorphologyDtype, wideMorphology, wideTophat } from "./grey-morphology-wide.js";
import { defineRegionKernel } from "./region-kernel.js";
import { copyRegion } from "./separable.js";

export type { GreyMorphologyOptions };

const wholeRegion = (shape: readonly number[]): OutputRegion => ({ start: shape.map(() => 0), stop: [...shape] });

function erosionPlan(options: GreyMorphologyOptions, ndim: number, what: string): MinMaxPlan {
  return planMinMax(options, ndim, true, false, what);
}

function dilationPlan(options: GreyMorphologyOptions, ndim: number, what: string): MinMaxPlan {
  return planMinMax(options, ndim, false, true, what);
}

interface Step {
  readonly plan: MinMaxPlan;
  readonly minimum: boolean;
}

function steps(kind: "erosion" | "dilation" | "opening" | "closing", options: GreyMorphologyOptions, ndim: number, what: string): Step[] {
  const erosion = { plan: erosionPlan(options, ndim, what), minimum: true };
  const dilation = { plan: dilationPlan(options, ndim, what), minimum: false };
  switch (kind) {
    case "erosion":
      return [erosion];
    case "dilation":
      return [dilation];
    case "opening":
      return [erosion, dilation];
    case "closing":
      return [dilation, erosion];
  }
}

/** Runs the steps; every step but the last keeps the input dtype and covers the whole array. */
function runSteps(input: NDArray, chain: Step[], cval: number, outputDtype: DType, region: OutputRegion, backend: Backend): NDArray {
  let current = input;
  chain.forEach((step, k) => {
    const lastStep = k === chain.length - 1;
    current = runMinMaxPlan(current, step.plan, step.minimum, cval, lastStep ? outputDtype : input.dtype, lastStep ? region : wholeRegion(input.shape), backend);
  });
  return current;
}

const wideChains = { erosion: ["erosion"], dilation: ["dilation"], opening: ["erosion", "dilation"], closing: ["dilation", "erosion"] } as const;

function morphology(input: NDArray, options: GreyMorphologyOptions, kind: "erosion" | "dilation" | "opening" | "closing", what: string): NDArray {
  if (isWideMorphologyDtype(input.dtype)) return wideMorphology(input, options, wideChains[kind], (x, o, step) => morphology(x, o, step, what), what);
  const chain = steps(kind, options, input.ndim, what);
  const outputDtype = resolveOutputDtype(input, options.output);
  const region = resolveOutputRegion(options.outputRegion, input.shape);
  return runSteps(input, chain, checkCval(options.cval ?? 0), outputDtype, region, resolveBackend(options.backend));
}

function reach(options: GreyMorphologyOptions, ndim: number, kind: "erosion" | "dilation" | "opening" | "closing", what: string): number[] {
  const total = new Array<number>(ndim).fill(0);
  for (const step of steps(kind, options, ndim, what)) planReach(step.plan, ndim).forEach((r, a) => (total[a] += r));
  return total;
}

/**
 * NumPy's `same_kind` rule, which `np.subtract(..., out=tmp)` applies when scipy stores a
 * tophat's difference into the output: every cast except float → integer and signed → unsigned.
 */
function castsSameKind(from: DType, to: DType): boolean {
  return !(from.startsWith("float") && !to.startsWith("float")) && !(from.startsWith("int") && to.startsWith("uint"));
}

/**
 * input − opening (white) or closing − input (black), as scipy: the opening's (closing's) last
 * step writes the output dtype, then NumPy subtracts in the promoted dtype of the input and the
 * output and stores into the output, refusing a cast that is not `same_kind` (as NumPy does).
 */
function tophat(input: NDArray, options: GreyMorphologyOptions, white: boolean, what: string): NDArray {
  if (isWideMorphologyDtype(input.dtype)) return wideTophat(input, options, white, (x, o, step) => morphology(x, o, step, what), what);
  const outputDtype = resolveOutputDtype(input, options.output);
  const differenceDtype = promoteTypes(input.dtype, outputDtype);
  if (!castsSameKind(differenceDtype, outputDtype)) {
    throw new InvalidOptionError(
      `${what}: output ${outputDtype} cannot hold the difference of ${input.dtype} and ${outputDtype} values (${differenceDtype}; NumPy's same_kind rule, as scipy raises): use an output of kind ${differenceDtype.replace(/\d+$/, "")}`,
    );
  }
  const region = resolveOutputRegion(options.outputRegion, input.shape);
  const chain = steps(white ? "opening" : "closing", options, input.ndim, what);
  const filtered = runSteps(input, chain, checkCval(options.cval ?? 0), outputDtype, region, resolveBackend(options.backend));
  const whole = input.isContiguous() && input.offset === 0 && region.start.every((s, a) => s === 0 && region.stop[a] === input.shape[a]);
  const original = (whole ? input : copyRegion(input, region, input.dtype)).data as NumericArray;
  // The filtered array is this call's own: the difference is written over it. The double
  // difference of two values of these dtypes, stored into the output, is NumPy's subtraction in
  // the promoted dtype cast to the output: integer differences (below 2^33) are exact and wrap
  // to the output's width either way; a float32 result is the double difference of two float32
  // values rounded once (the same as float32 subtraction: double holds more than 2·24 + 2 bits);
  // a float64 difference rounds to float32 on the store, as NumPy's cast does.
  const out = filtered.data as NumericArray;
  const n = shapeSize(filtered.shape);
  if (white) for (let i = 0; i < n; i++) out[i] = original[i] - out[i];
  else for (let i = 0; i < n; i++) out[i] = out[i] - original[i];
  return filtered;
}

/** Grey erosion (scipy.ndimage.grey_erosion): size, footprint or structure. */
const greyKeys = ["structure", ...footprintFilterKeys];

export const greyErosion = defineRegionKernel("ndimage.greyErosion",
  (input: NDArray, options: GreyMorphologyOptions): NDArray => morphology(input, options, "erosion", "greyErosion"),
  (options: GreyMorphologyOptions, ndim: number) => reach(options, ndim, "erosion", "greyErosion"), { optionKeys: greyKeys });

/** Grey dilation (scipy.ndimage.grey_dilation): the reversed footprint/structure, mirrored origins. */
export const greyDilation = defineRegionKernel("ndimage.greyDilation",
  (input: NDArray, options: GreyMorphologyOptions): NDArray => morphology(input, options, "dilation", "greyDilation"),
  (options: GreyMorphologyOptions, ndim: number) => reach(options, ndim, "dilation", "greyDilation"), { optionKeys: greyKeys });

/** Grey opening (scipy.ndimage.grey_opening): dilation of the erosion. */
export const greyOpening = defineRegionKernel("ndimage.greyOpening",
  (input: NDArray, options: GreyMorphologyOptions): NDArray => morphology(input, options, "opening", "greyOpening"),
  (options: GreyMorphologyOptions, ndim: number) => reach(options, ndim, "opening", "greyOpening"), { optionKeys: greyKeys });

/** Grey closing (scipy.ndimage.grey_closing): erosion of the dilation. */
export const greyClosing = defineRegionKernel("ndimage.greyClosing",
  (input: NDArray, options: GreyMorphologyOptions): NDArray => morphology(input, options, "closing", "greyClosing"),
  (options: GreyMorphologyOptions, ndim: number) => reach(options, ndim, "closing", "greyClosing"), { optionKeys: greyKeys });

/** White tophat (scipy.ndimage.white_tophat): input minus its grey opening. */
export const whiteTophat = defineRegionKernel("ndimage.whiteTophat",
  (input: NDArray, options: GreyMorphologyOptions): NDArray => tophat(input, options, true, "whiteTophat"),
  (options: GreyMorphologyOptions, ndim: number) => reach(options, ndim, "opening", "whiteTophat"), { optionKeys: greyKeys });

/** Black tophat (scipy.ndimage.black_tophat): grey closing minus the input. */
export const blackTophat = defineRegionKernel("ndimage.blackTophat",
  (input: NDArray, options: GreyMorphologyOptions): NDArray => tophat(input, options, false, "blackTophat"),
  (options: GreyMorphologyOptions, ndim: number) => reach(options, ndim, "closing", "blackTophat"), { optionKeys: greyKeys });
