// The delayed collection (dask.delayed), exported from the `tessera` entry point beside compute and persist.
export { Delayed, isDelayed, computeDelayed, persistDelayed } from "./delayed.js";
export type { DelayedExecuteOptions } from "./delayed.js";
export { delayed } from "./delayed-function.js";
export type { DelayedOptions, DelayedCallOptions, DelayedFunction } from "./delayed-function.js";
