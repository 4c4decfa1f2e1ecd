// Differential test of the eager linear filters (Gaussian and its derivatives, uniform,
// correlate1d/convolve1d, sobel) against scipy 1.10, bit for bit, on seeded random cases: 1–3-d
// shapes with size-1 axes and axes shorter than the kernel, every dtype the filters take, NaN and
// ±inf, every mode and alias, per-axis sigma (with 0), order, radius, truncate, origin, cval and
// output dtypes scipy casts to. A failure lists each case with its seed.
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import type * as nd from "../../src/ndarray/index.js";
import {
  type FilterCase, type Rng, allModes, differences, oneOrPerAxis, drawCval, drawInput, drawOrigin, drawOutput, fuzzSeed, integer, kwargs, maybe, pick, py, report, rngOf,
} from "./filter-differential.js";

function gaussianCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const sigma = () => pick(rng, [0, 0.4, 0.8, 1, 1.5, 2.3, 3.1]);
  const options: Record<string, unknown> = {
    sigma: oneOrPerAxis(rng, x.ndim, sigma),
    order: maybe(rng, 0.5, () => oneOrPerAxis(rng, x.ndim, () => integer(rng, 0, 3))),
    mode: maybe(rng, 0.8, () => oneOrPerAxis(rng, x.ndim, () => pick(rng, allModes))),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    truncate: maybe(rng, 0.3, () => pick(rng, [0.2, 1, 1.5, 2.7, 6])),
    radius: maybe(rng, 0.2, () => oneOrPerAxis(rng, x.ndim, () => integer(rng, 0, 6))),
    output: drawOutput(rng),
  };
  return {
    label: `${label} gaussianFilter ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => ndimage.gaussianFilter(x, options as never),
    python: `ndi.gaussian_filter(${name}, ${kwargs(options)})`,
  };
}

/**
 * gaussianFilter with `axes` (scipy ≥ 1.11; Debian has 1.10): scipy 1.11 runs gaussian_filter1d
 * along each listed axis with σ > 1e-15, in the listed order, each into the output dtype, so the
 * reference is that chain spelt out.
 */
function gaussianAxesCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const all = Array.from({ length: x.ndim }, (_, i) => i);
  const axes = all.filter(() => rng() < 0.7).sort(() => rng() - 0.5).map((a) => (rng() < 0.3 ? a - x.ndim : a));
  const n = axes.length;
  const sigmas = Array.from({ length: n }, () => pick(rng, [0, 0.7, 1.2, 2]));
  const orders = Array.from({ length: n }, () => integer(rng, 0, 3));
  const modes = Array.from({ length: n }, () => pick(rng, allModes));
  const output = drawOutput(rng);
  const cval = drawCval(rng);
  const options = { sigma: sigmas, order: orders, mode: modes, axes, cval, ...(output ? { output } : {}) };
  const dtype = output ?? x.dtype;
  let python = `${name}.astype(np.${dtype})`;
  let first = true;
  axes.forEach((axis, i) => {
    if (!(sigmas[i] > 1e-15)) return;
    python = `ndi.gaussian_filter1d(${first ? name : python}, ${sigmas[i]}, axis=${axis}, order=${orders[i]}, mode='${modes[i]}', cval=${py(cval)}, output=np.${dtype})`;
    first = false;
  });
  return { label: `${label} gaussianFilter axes ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`, run: () => ndimage.gaussianFilter(x, options as never), python };
}

function gaussian1dCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const options: Record<string, unknown> = {
    sigma: pick(rng, [0.3, 1, 1.7, 2.5, 4]),
    axis: maybe(rng, 0.7, () => integer(rng, -x.ndim, x.ndim - 1)),
    order: maybe(rng, 0.6, () => integer(rng, 0, 3)),
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    truncate: maybe(rng, 0.3, () => pick(rng, [0.2, 1, 2.7])),
    radius: maybe(rng, 0.2, () => integer(rng, 0, 7)),
    output: drawOutput(rng),
  };
  return {
    label: `${label} gaussianFilter1d ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => ndimage.gaussianFilter1d(x, options as never),
    python: `ndi.gaussian_filter1d(${name}, ${kwargs(options)})`,
  };
}

function uniformCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const sizes = Array.from({ length: x.ndim }, () => integer(rng, 1, 6));
  const scalar = rng() < 0.4;
  const options: Record<string, unknown> = {
    size: scalar ? sizes[0] : sizes,
    origin: maybe(rng, 0.5, () => (scalar ? drawOrigin(rng, sizes[0]) : sizes.map((s) => drawOrigin(rng, s)))),
    mode: maybe(rng, 0.8, () => oneOrPerAxis(rng, x.ndim, () => pick(rng, allModes))),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  return {
    label: `${label} uniformFilter ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => ndimage.uniformFilter(x, options as never),
    python: `ndi.uniform_filter(${name}, ${kwargs(options)})`,
  };
}

function uniform1dCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const size = integer(rng, 1, 8);
  const options: Record<string, unknown> = {
    size,
    axis: maybe(rng, 0.7, () => integer(rng, -x.ndim, x.ndim - 1)),
    origin: maybe(rng, 0.5, () => drawOrigin(rng, size)),
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  return {
    label: `${label} uniformFilter1d ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => ndimage.uniformFilter1d(x, options as never),
    python: `ndi.uniform_filter1d(${name}, ${kwargs(options)})`,
  };
}

function correlateCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string, convolve: boolean): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const length = integer(rng, 1, 7);
  const integral = rng() < 0.4;
  const weights = Array.from({ length }, () => (integral ? integer(rng, -3, 3) : Math.round((rng() - 0.3) * 1e6) / 1e6));
  const options: Record<string, unknown> = {
    axis: maybe(rng, 0.7, () => integer(rng, -x.ndim, x.ndim - 1)),
    origin: maybe(rng, 0.6, () => drawOrigin(rng, length)),
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  const fn = convolve ? "convolve1d" : "correlate1d";
  return {
    label: `${label} ${fn} ${x.dtype}[${x.shape}] weights ${JSON.stringify(weights)} ${JSON.stringify(options)}`,
    run: () => (convolve ? ndimage.convolve1d : ndimage.correlate1d)(x, weights, options as never),
    python: `ndi.${fn}(${name}, ${py(weights)}, ${kwargs(options)})`,
  };
}

function sobelCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const options: Record<string, unknown> = {
    axis: maybe(rng, 0.7, () => integer(rng, -x.ndim, x.ndim - 1)),
    mode: maybe(rng, 0.8, () => oneOrPerAxis(rng, x.ndim, () => pick(rng, allModes))),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    output: drawOutput(rng),
  };
  return { label: `${label} sobel ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`, run: () => ndimage.sobel(x, options as never), python: `ndi.sobel(${name}, ${kwargs(options)})` };
}

function derivativeCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string, laplace: boolean): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const options: Record<string, unknown> = {
    sigma: oneOrPerAxis(rng, x.ndim, () => pick(rng, [0, 0.6, 1, 1.8, 2.5])),
    mode: maybe(rng, 0.8, () => oneOrPerAxis(rng, x.ndim, () => pick(rng, allModes))),
    cval: maybe(rng, 0.5, () => drawCval(rng)),
    truncate: maybe(rng, 0.3, () => pick(rng, [0.5, 1.5, 3])),
    radius: maybe(rng, 0.15, () => oneOrPerAxis(rng, x.ndim, () => integer(rng, 0, 5))),
    output: drawOutput(rng),
  };
  const [fn, scipyName] = laplace ? [ndimage.gaussianLaplace, "gaussian_laplace"] : [ndimage.gaussianGradientMagnitude, "gaussian_gradient_magnitude"];
  return {
    label: `${label} ${scipyName} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => fn(x, options as never),
    python: `ndi.${scipyName}(${name}, ${kwargs(options)})`,
  };
}

describe("eager linear filters against scipy 1.10 (seeded differential, bit for bit)", () => {
  it("gaussianFilter (per-axis sigma with 0, order 0–3, truncate, radius, axes) and gaussianFilter1d", async () => {
    const rng = rngOf(fuzzSeed);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 120; i++) cases.push(gaussianCase(rng, inputs, `g${i}`));
    for (let i = 0; i < 60; i++) cases.push(gaussianAxesCase(rng, inputs, `a${i}`));
    for (let i = 0; i < 80; i++) cases.push(gaussian1dCase(rng, inputs, `s${i}`));
    report(await differences(cases, inputs), "Gaussian filters", fuzzSeed);
  });

  it("uniformFilter(1d), correlate1d and convolve1d (even and odd sizes and weights, origins in and just outside scipy's range)", async () => {
    const rng = rngOf(fuzzSeed + 1);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 80; i++) cases.push(uniformCase(rng, inputs, `u${i}`));
    for (let i = 0; i < 60; i++) cases.push(uniform1dCase(rng, inputs, `v${i}`));
    for (let i = 0; i < 60; i++) cases.push(correlateCase(rng, inputs, `c${i}`, false));
    for (let i = 0; i < 60; i++) cases.push(correlateCase(rng, inputs, `k${i}`, true));
    report(await differences(cases, inputs), "uniform and correlate filters", fuzzSeed + 1);
  });

  it("sobel, gaussianLaplace and gaussianGradientMagnitude (per-axis modes, output dtypes)", async () => {
    const rng = rngOf(fuzzSeed + 2);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 70; i++) cases.push(sobelCase(rng, inputs, `b${i}`));
    for (let i = 0; i < 60; i++) cases.push(derivativeCase(rng, inputs, `l${i}`, true));
    for (let i = 0; i < 60; i++) cases.push(derivativeCase(rng, inputs, `m${i}`, false));
    report(await differences(cases, inputs), "sobel and Gaussian derivatives", fuzzSeed + 2);
  });
});
