/**
 * A lazy masked array (dask.array's masked arrays, numpy.ma semantics): data and a boolean
 * mask as two LazyArrays of one shape and chunks, and a fill value. Each operation builds new
 * data and mask graphs from ordinary lazy operations (elementwise.ts, reductions.ts state the
 * numpy.ma rules); compute() runs both in one graph and returns a MaskedNDArray.
 *
 * Graph size: a masked array is computed, persisted and reduced as ONE task result per block,
 * the masked block [data, mask] (masked-blocks.ts, masked-reduction.ts), so the blockwise steps
 * that build data and mask fuse into one task per block, as Dask's optimized graph fuses its
 * np.ma.MaskedArray chunks. Measured on 10 × 2 × 2 blocks of masked_greater(random, 0.9)
 * (test/array/ma/masked-blocks.test.ts) against Dask 2022.12's optimized graph: m / (m − 0.5)
 * and sqrt(m) 40 tasks to 81, m.mean(axis=0) 44 to 97, log(m).sum() and m.mean() 49 to 90,
 * m.max(axis=1) 60 to 101. Asking for m.data and m.mask as two arrays still gives the
 * two-chain graph (what both read stays a task of its own): compute the masked array instead.
 */
import { refuseComplex } from "../../ndarray/complex-refusal.js";
import { InvalidOptionError } from "../../core/errors.js";
import * as nd from "../../ndarray/index.js";
import { type FillValue, defaultFillValue, fillValueIn } from "../../ndarray/masked-fill-value.js";
import { MaskedNDArray } from "../../ndarray/masked-ndarray.js";
import type { DType } from "../../ndarray/dtype.js";
import { LazyArray, type ExecuteOptions, type IndexItem } from "../array.js";
import type { ChunkSpec } from "../chunks.js";
import type { ReductionCallOptions } from "../reductions.js";
import { maskedBinary, maskedComparison, maskedDivision, maskedExtremum, maskedPower, maskedUnary, maskedWrappedDivision, maskedWrappedUnary, putUnder } from "./elementwise.js";
import { type MaskedOperand, type MaskedParts } from "./parts.js";
import { computeMixed, persistMixed } from "./masked-blocks.js";
import { maskedAnyAll, maskedArgExtreme, maskedCount, maskedExtreme, maskedMean, maskedStd, maskedSumProd, maskedVar } from "./reductions.js";

export class MaskedArray implements MaskedParts {
  #fill: FillValue | null;

  constructor(readonly data: LazyArray, readonly mask: LazyArray, fill: FillValue | null = null) {
    if (!(data instanceof LazyArray) || !(mask instanceof LazyArray)) throw new InvalidOptionError("MaskedArray: data and mask must be tessera arrays (use ma.maskedArray to build one)");
    if (mask.dtype !== "bool") throw new InvalidOptionError(`MaskedArray: the mask must be bool, got ${mask.dtype}`);
    // The masked kernels and fill values are written for real dtypes (NumPy's complex fill is 1e20+0j).
    refuseComplex("ta.ma (masked arrays)", data.dtype);
    // Object.is: unknown sizes (NaN, after a lazy boolean index) match when both are unknown.
    if (mask.ndim !== data.ndim || mask.shape.some((n, i) => !Object.is(n, data.shape[i]))) {
      throw new InvalidOptionError(`MaskError: mask shape [${mask.shape.join(", ")}] differs from data shape [${data.shape.join(", ")}]`);
    }
    if (fill !== null) fillValueIn(fill, data.dtype, "MaskedArray fill value");
    this.#fill = fill;
  }

  static of(parts: MaskedParts): MaskedArray {
    return new MaskedArray(parts.data, parts.mask, parts.fill);
  }

  /** The fill value set on this array or carried from an operand (null: the dtype's default). */
  get fill(): FillValue | null { return this.#fill; }
  /** NumPy's fill_value: the one set (or carried), else np.ma.default_fill_value of the dtype (filled() stores it in the dtype: 999999 is 63 in int8). */
  get fillValue(): FillValue { return this.#fill ?? defaultFillValue(this.dtype); }
  /**
   * Sets the fill value in place, as np.ma.set_fill_value and Dask's da.ma.set_fill_value do
   * (checked against the dtype now, as NumPy's _check_fill_value).
   */
  set fillValue(value: FillValue) {
    fillValueIn(value, this.dtype, "set_fill_value");
    this.#fill = value;
  }

  get shape(): readonly number[] { return this.data.shape; }
  get dtype(): DType { return this.data.dtype; }
  get ndim(): number { return this.data.ndim; }
  get size(): number { return this.data.size; }
  get chunks(): readonly (readonly number[])[] { return this.data.chunks; }
  get numblocks(): number[] { return this.data.numblocks; }

  /** The data with the fill value (default this array's) under the mask: a plain lazy array. */
  filled(value: FillValue = this.fillValue): LazyArray {
    return putUnder(this.mask, fillValueIn(value, this.dtype, "filled"), this.data);
  }

  /** Computes data and mask in one graph, one task per block (masked-blocks.ts). */
  async compute(options: ExecuteOptions = {}): Promise<MaskedNDArray> {
    const [result] = await computeMixed([this], options);
    return result as MaskedNDArray;
  }

  /** Persists data and mask together as masked blocks (masked-blocks.ts); ta.compute / ta.persist take masked arrays too. */
  async persist(options: ExecuteOptions = {}): Promise<MaskedArray> {
    const [result] = await persistMixed([this], options);
    return MaskedArray.of(result as MaskedParts);
  }

  // ---- elementwise ----
  add(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedBinary(nd.add, this, other, "add")); }
  sub(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedBinary(nd.subtract, this, other, "subtract")); }
  mul(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedBinary(nd.multiply, this, other, "multiply")); }
  /** True division: masked where the divisor is 0 (numpy.ma's domain) or the quotient is not finite. */
  div(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedDivision("divide", this, other, "divide")); }
  floordiv(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedDivision("floorDivide", this, other, "floor_divide")); }
  /** Python's x % y on a MaskedArray (the ufunc path: masked where y is ~0, data 1 there); ma.remainder is np.ma.remainder. */
  mod(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedWrappedDivision(nd.remainder, this, other, "remainder")); }
  pow(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedPower(this, other)); }
  maximum(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedExtremum("maximum", this, other)); }
  minimum(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedExtremum("minimum", this, other)); }
  eq(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedComparison(nd.equal, this, other, "equal", true)); }
  ne(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedComparison(nd.notEqual, this, other, "not_equal", true)); }
  lt(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedComparison(nd.less, this, other, "less", false)); }
  le(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedComparison(nd.lessEqual, this, other, "less_equal", false)); }
  gt(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedComparison(nd.greater, this, other, "greater", false)); }
  ge(other: MaskedOperand): MaskedArray { return MaskedArray.of(maskedComparison(nd.greaterEqual, this, other, "greater_equal", false)); }
  /** Python's -x (the ufunc path: the data negated under the mask too); ma.negative is np.ma.negative. */
  neg(): MaskedArray { return MaskedArray.of(maskedWrappedUnary(nd.negative, this)); }
  /** Python's abs(x) (the ufunc path); ma.abs is np.ma.abs. */
  abs(): MaskedArray { return MaskedArray.of(maskedWrappedUnary(nd.abs, this)); }
  sqrt(): MaskedArray { return MaskedArray.of(maskedUnary(nd.sqrt, this, "sqrt", "sqrt")); }
  log(): MaskedArray { return MaskedArray.of(maskedUnary(nd.log, this, "log", "log")); }

  /** Data and mask cast / viewed alike; an explicit fill value is kept (NumPy stores it in the new dtype). */
  astype(dtype: DType | string): MaskedArray {
    const data = this.data.astype(dtype);
    return new MaskedArray(data, this.mask, this.#fill === null ? null : fillValueIn(this.#fill, data.dtype, "astype"));
  }

  // ---- views (data and mask alike) ----
  get(...index: Array<IndexItem | LazyArray>): MaskedArray {
    if (index.some((item) => item instanceof MaskedArray)) throw new InvalidOptionError("MaskedArray.get: a masked index is not supported; index with filled(...) of it");
    return new MaskedArray(this.data.get(...index), this.mask.get(...index), this.#fill);
  }
  transpose(axes?: number[] | number, ...more: number[]): MaskedArray {
    return new MaskedArray(this.data.transpose(axes, ...more), this.mask.transpose(axes, ...more), this.#fill);
  }
  get T(): MaskedArray { return this.transpose(); }
  reshape(shape: readonly number[] | number, ...more: number[]): MaskedArray {
    return new MaskedArray(this.data.reshape(shape, ...more), this.mask.reshape(shape, ...more), this.#fill);
  }
  rechunk(chunks: ChunkSpec): MaskedArray {
    const data = this.data.rechunk(chunks);
    // The mask takes the data's resolved chunks ("auto" sizes by the data's itemsize, not the mask's).
    return new MaskedArray(data, this.mask.rechunk(data.chunks.map((c) => [...c])), this.#fill);
  }

  // ---- reductions (numpy.ma's rules: reductions.ts) ----
  sum(options: ReductionCallOptions = {}): MaskedArray { return MaskedArray.of(maskedSumProd("sum", this, options)); }
  prod(options: ReductionCallOptions = {}): MaskedArray { return MaskedArray.of(maskedSumProd("prod", this, options)); }
  min(options: ReductionCallOptions = {}): MaskedArray { return MaskedArray.of(maskedExtreme("min", this, options)); }
  max(options: ReductionCallOptions = {}): MaskedArray { return MaskedArray.of(maskedExtreme("max", this, options)); }
  mean(options: ReductionCallOptions = {}): MaskedArray { return MaskedArray.of(maskedMean(this, options)); }
  var(options: ReductionCallOptions = {}): MaskedArray { return MaskedArray.of(maskedVar(this, options)); }
  std(options: ReductionCallOptions = {}): MaskedArray { return MaskedArray.of(maskedStd(this, options)); }
  any(options: ReductionCallOptions = {}): MaskedArray { return MaskedArray.of(maskedAnyAll("any", this, options)); }
  all(options: ReductionCallOptions = {}): MaskedArray { return MaskedArray.of(maskedAnyAll("all", this, options)); }
  /** Index of the smallest unmasked element (a plain array; 0 where all are masked, as NumPy). */
  argmin(options: ReductionCallOptions = {}): LazyArray { return maskedArgExtreme("argmin", this, options); }
  argmax(options: ReductionCallOptions = {}): LazyArray { return maskedArgExtreme("argmax", this, options); }
  /** The number of unmasked elements (int64), as np.ma.count. */
  count(options: ReductionCallOptions = {}): LazyArray { return maskedCount(this, options); }

  toString(): string {
    return `tessera.ma.MaskedArray<shape=[${this.shape.join(", ")}], dtype=${this.dtype}, chunksize=[${this.data.chunksize.join(", ")}], fill_value=${String(this.fillValue)}>`;
  }
}
