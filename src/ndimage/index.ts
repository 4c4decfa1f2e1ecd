// Public entry point `tessera/ndimage`: scipy.ndimage-exact filters on NDArray blocks.
export { gaussianFilter, gaussianFilter1d } from "./gaussian.js";
export type { GaussianFilterOptions, GaussianFilter1dOptions } from "./gaussian.js";
export { correlate1d, convolve1d } from "./correlate.js";
export type { Correlate1dOptions, Weights } from "./correlate.js";
export { uniformFilter, uniformFilter1d } from "./uniform.js";
export type { UniformFilterOptions, UniformFilter1dOptions } from "./uniform.js";
export { gaussianLaplace, gaussianGradientMagnitude } from "./gaussian-derivatives.js";
export type { GaussianDerivativeOptions } from "./gaussian-derivatives.js";
export { sobel } from "./sobel.js";
export type { SobelOptions } from "./sobel.js";
export { isRegionKernel } from "./region-kernel.js";
export type { RegionKernel } from "./region-kernel.js";
export { isWasmSimdAvailable } from "./backend.js";
export type { Mode, OutputRegion, Backend, CommonFilterOptions } from "./options.js";
