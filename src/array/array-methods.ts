/**
 * The methods of dask.array's Array that are functions of tessera's `ta` namespace, on the
 * array itself as a Dask user writes them: `x.cumsum(0)`, `x.topk(5)`, `x.ravel()`,
 * `x.real`, `x.vindex([0, 1], [2, 3])`, `x.blocks.get(0)`, `x.npartitions`… Each calls the function of the same
 * name, so the two spellings cannot drift apart. They are declared on LazyArray here (module
 * augmentation) rather than in array.ts, which holds what the array is; index.ts loads this
 * module, so every array a user gets has them.
 */
import { dtypeInfo } from "../ndarray/dtype.js";
import type { CumulativeOptions } from "../ndarray/cumulative.js";
import type { TraceOptions } from "../ndarray/diagonal.js";
import { LazyArray, storeArrays, type ExecuteOptions } from "./array.js";
import { BlockView } from "./block-view.js";
import { choose } from "./choose-select.js";
import { conj, imag, real } from "./complex.js";
import { cumprod, cumsum } from "./cumulative.js";
import { trace } from "./diagonal.js";
import { ravel, swapaxes } from "./manipulation.js";
import { moment, type MomentCallOptions } from "./moment.js";
import type { StoreTarget, ToZarrOptions } from "./store.js";
import { repeat } from "./tile-repeat.js";
import { argtopk, topk, type TopkCallOptions } from "./topk.js";
import { vindex, type VindexItem } from "./vindex.js";

declare module "./array.js" {
  interface LazyArray {
    /** Bytes per element (Dask's itemsize). */
    readonly itemsize: number;
    /** The number of blocks (Dask's npartitions). */
    readonly npartitions: number;
    /** The blocks as an array of blocks: `x.blocks.get(0, ":")` is Dask's `x.blocks[0, :]` (block-view.ts). */
    readonly blocks: BlockView;
    /** The same as `blocks` (Dask's alias). */
    readonly partitions: BlockView;
    /** The real part (ta.real). */
    readonly real: LazyArray;
    /** The imaginary part (ta.imag). */
    readonly imag: LazyArray;
    /** The complex conjugate (ta.conj). */
    conj(): LazyArray;
    /** Cumulative sum along an axis (ta.cumsum; Dask's x.cumsum(axis)). */
    cumsum(options?: CumulativeOptions | number | null): LazyArray;
    /** Cumulative product along an axis (ta.cumprod). */
    cumprod(options?: CumulativeOptions | number | null): LazyArray;
    /** The k largest (k > 0) or smallest (k < 0) values along an axis (ta.topk). */
    topk(k: number, options?: TopkCallOptions): LazyArray;
    /** Their indices (ta.argtopk). */
    argtopk(k: number, options?: TopkCallOptions): LazyArray;
    /** The central moment of an order (ta.moment). */
    moment(order: number, options?: MomentCallOptions): LazyArray;
    /** The flattened array (ta.ravel). */
    ravel(): LazyArray;
    /** The flattened array (Dask's flatten is ravel). */
    flatten(): LazyArray;
    /** Two axes swapped (ta.swapaxes). */
    swapaxes(axis1: number, axis2: number): LazyArray;
    /** Each element repeated along an axis (ta.repeat). */
    repeat(repeats: number, axis?: number): LazyArray;
    /** The sum along a diagonal (ta.trace). */
    trace(options?: TraceOptions): LazyArray;
    /** Elements picked from `choices` by this array's values (ta.choose). */
    choose(choices: LazyArray[]): LazyArray;
    /** The same array: arrays are immutable, so Dask's copy is a no-op too. */
    copy(): LazyArray;
    /** Pointwise indexing with broadcasting (Dask's x.vindex[...]; see vindex.ts). */
    vindex(...index: VindexItem[]): LazyArray;
    /** Writes this array into an existing Zarr target (ta.store of one source; Dask's x.store). */
    store(target: StoreTarget, options?: { region?: ToZarrOptions["region"]; safeChunks?: boolean } & ExecuteOptions): Promise<void>;
  }
}

const methods: Partial<Record<keyof LazyArray, (this: LazyArray, ...args: never[]) => unknown>> = {
  conj(this: LazyArray) { return conj(this); },
  cumsum(this: LazyArray, options?: CumulativeOptions | number | null) { return cumsum(this, options); },
  cumprod(this: LazyArray, options?: CumulativeOptions | number | null) { return cumprod(this, options); },
  topk(this: LazyArray, k: number, options?: TopkCallOptions) { return topk(this, k, options); },
  argtopk(this: LazyArray, k: number, options?: TopkCallOptions) { return argtopk(this, k, options); },
  moment(this: LazyArray, order: number, options?: MomentCallOptions) { return moment(this, order, options); },
  ravel(this: LazyArray) { return ravel(this); },
  flatten(this: LazyArray) { return ravel(this); },
  swapaxes(this: LazyArray, axis1: number, axis2: number) { return swapaxes(this, axis1, axis2); },
  repeat(this: LazyArray, repeats: number, axis?: number) { return repeat(this, repeats, axis); },
  trace(this: LazyArray, options?: TraceOptions) { return trace(this, options); },
  choose(this: LazyArray, choices: LazyArray[]) { return choose(this, choices); },
  copy(this: LazyArray) { return this; },
  vindex(this: LazyArray, ...index: VindexItem[]) { return vindex(this, ...index); },
  store(this: LazyArray, target: StoreTarget, options: { region?: ToZarrOptions["region"]; safeChunks?: boolean } & ExecuteOptions = {}) {
    const { region, ...rest } = options;
    return storeArrays([this], [target], { ...rest, ...(region !== undefined ? { regions: [region] } : {}) });
  },
};

const getters: Partial<Record<keyof LazyArray, (this: LazyArray) => unknown>> = {
  itemsize(this: LazyArray) { return dtypeInfo(this.dtype).itemsize; },
  npartitions(this: LazyArray) { return this.numblocks.reduce((a, b) => a * b, 1); },
  blocks(this: LazyArray) { return new BlockView(this); },
  partitions(this: LazyArray) { return new BlockView(this); },
  real(this: LazyArray) { return real(this); },
  imag(this: LazyArray) { return imag(this); },
};

for (const [name, method] of Object.entries(methods)) {
  Object.defineProperty(LazyArray.prototype, name, { value: method, writable: true, configurable: true, enumerable: false });
}
for (const [name, get] of Object.entries(getters)) {
  Object.defineProperty(LazyArray.prototype, name, { get, configurable: true, enumerable: false });
}
