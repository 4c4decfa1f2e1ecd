/**
 * Derivatives for genericLaplace / genericGradientMagnitude and their scipy twins: tessera's
 * correlate1d and sobel against scipy's, so the two sides compute the same arrays. Each
 * TypeScript function reads only its arguments and `ndimage`, so it also travels to workers by
 * its source (ta.ndimage.genericLaplace). `depth` covers its reach for the chunked form.
 */
import * as ndimage from "../../src/ndimage/index.js";
import type * as nd from "../../src/ndarray/index.js";

type Derivative = ndimage.DerivativeFunction;
export interface Twin { name: string; ts: Derivative; python: string; extraArguments?: unknown[]; extraKeywords?: Record<string, unknown>; pyExtra: string }

export const twins: Twin[] = [
  {
    name: "correlate1d [1, -2, 1]",
    ts: (x, axis, dtype, mode, cval) => ndimage.correlate1d(x, [1, -2, 1], { axis, output: dtype, mode, cval }),
    python: "lambda i, a, o, m, c: ndi.correlate1d(i, [1, -2, 1], a, o, m, c)", pyExtra: "",
  },
  {
    name: "correlate1d weights as extra argument",
    ts: ((x: nd.NDArray, axis: number, dtype: nd.DType, mode: ndimage.Mode, cval: number, weights: number[]) => ndimage.correlate1d(x, weights, { axis, output: dtype, mode, cval })) as Derivative,
    python: "lambda i, a, o, m, c, w: ndi.correlate1d(i, w, a, o, m, c)", extraArguments: [[0.5, -1.25, 0.75]], pyExtra: "extra_arguments=([0.5, -1.25, 0.75],)",
  },
  {
    name: "correlate1d origin as extra keyword (reach 3)",
    ts: ((x: nd.NDArray, axis: number, dtype: nd.DType, mode: ndimage.Mode, cval: number, keywords: { origin: number }) => ndimage.correlate1d(x, [1, 3, -2, 1], { axis, output: dtype, mode, cval, origin: keywords.origin })) as Derivative,
    python: "lambda i, a, o, m, c, origin=0: ndi.correlate1d(i, [1, 3, -2, 1], a, o, m, c, origin)", extraKeywords: { origin: 1 }, pyExtra: "extra_keywords={'origin': 1}",
  },
  {
    name: "sobel",
    ts: (x, axis, dtype, mode, cval) => ndimage.sobel(x, { axis, output: dtype, mode, cval }),
    python: "lambda i, a, o, m, c: ndi.sobel(i, a, o, m, c)", pyExtra: "",
  },
];

