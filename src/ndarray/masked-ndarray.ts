/**
 * The eager result of a masked computation (numpy.ma.MaskedArray's counterpart once computed):
 * the data, a boolean mask of the same shape (true = masked, invalid) and the fill value that
 * filled() puts under the mask. A 0-d result whose mask is true is NumPy's `np.ma.masked`.
 * The data under the mask is kept as computed (NumPy's values where tessera matches them) but
 * carries no meaning; read values through filled(), compressed() or toArray(). Each method refuses
 * arguments beyond its own (method-parameters.ts): `m.count(0)`, np.ma's count(axis=0), is not
 * the count of the whole array.
 */
/* eslint-disable prefer-rest-params -- the count check reads arguments.length (method-parameters.ts says why) */
import { InvalidOptionError } from "../core/errors.js";
import { fromTypedArray } from "./creation.js";
import { type DType, dtypeInfo } from "./dtype.js";
import { type FillValue, fillValueIn } from "./masked-fill-value.js";
import { ascontiguousarray } from "./copy.js";
import type { ComplexValue, NDArray, NestedArray } from "./ndarray.js";
import { refuseMaskedArguments } from "./method-parameters.js";

/** Nested JS arrays with null at masked elements (as `np.ma.MaskedArray.tolist()` gives None). */
export type NestedMasked = NestedMasked[] | number | bigint | boolean | ComplexValue | null;

export class MaskedNDArray {
  constructor(readonly data: NDArray, readonly mask: NDArray, readonly fillValue: FillValue) {
    if (mask.dtype !== "bool") throw new InvalidOptionError(`MaskedNDArray: the mask must be bool, got ${mask.dtype}`);
    if (mask.shape.length !== data.shape.length || mask.shape.some((n, i) => n !== data.shape[i])) {
      throw new InvalidOptionError(`MaskedNDArray: mask shape [${mask.shape.join(", ")}] differs from data shape [${data.shape.join(", ")}]`);
    }
  }

  get shape(): readonly number[] { return this.data.shape; }
  get dtype(): DType { return this.data.dtype; }
  get ndim(): number { return this.data.shape.length; }
  get size(): number { return this.data.size; }
  /** True for a 0-d result that is masked: NumPy returns `np.ma.masked` there. */
  get isMaskedScalar(): boolean { return this.ndim === 0 && maskValues(this)[0] === 1; }

  /** np.ma.filled: the data with `value` (default this.fillValue, stored in the dtype as NumPy does) under the mask. */
  filled(value: FillValue = this.fillValue): NDArray {
    if (arguments.length > 1) refuseMaskedArguments("filled", arguments);
    const fill = fillValueIn(value, this.dtype, "filled");
    const data = ascontiguousarray(this.data).toTypedArray();
    const out = new (dtypeInfo(this.dtype).array as Float64ArrayConstructor)(data.length) as unknown as typeof data;
    const mask = maskValues(this);
    const typedFill = (typeof data[0] === "bigint" ? BigInt(fill) : fill) as never;
    for (let i = 0; i < data.length; i++) out[i] = mask[i] ? typedFill : data[i];
    return fromTypedArray(out, [...this.shape], { dtype: this.dtype });
  }

  /** np.ma.compressed: the unmasked elements in C order, 1-d. */
  compressed(): NDArray {
    if (arguments.length > 0) refuseMaskedArguments("compressed", arguments);
    const data = ascontiguousarray(this.data).toTypedArray();
    const mask = maskValues(this);
    const out = new (dtypeInfo(this.dtype).array as Float64ArrayConstructor)(this.size - countTrue(mask)) as unknown as typeof data;
    let k = 0;
    for (let i = 0; i < data.length; i++) if (!mask[i]) out[k++] = data[i];
    return fromTypedArray(out, [k], { dtype: this.dtype });
  }

  /** np.ma.count with no axis: the number of unmasked elements. */
  count(): number {
    if (arguments.length > 0) refuseMaskedArguments("count", arguments);
    return this.size - countTrue(maskValues(this));
  }

  /** np.ma.MaskedArray.tolist(): nested arrays with null at masked elements. */
  toArray(): NestedMasked {
    if (arguments.length > 0) refuseMaskedArguments("toArray", arguments);
    const values = this.data.toArray();
    const mask = this.mask.toArray();
    const merge = (v: NestedArray, m: NestedArray): NestedMasked => Array.isArray(v) ? v.map((item, i) => merge(item, (m as NestedArray[])[i])) : (m ? null : v);
    return merge(values, mask);
  }
}

/** The mask's values in C order, one byte each. */
function maskValues(masked: MaskedNDArray): Uint8Array {
  const typed = ascontiguousarray(masked.mask).toTypedArray();
  return typed instanceof Uint8Array ? typed : Uint8Array.from(typed as ArrayLike<number>);
}

function countTrue(mask: Uint8Array): number {
  let n = 0;
  for (const m of mask) n += m;
  return n;
}
