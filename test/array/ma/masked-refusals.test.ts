/**
 * Bad input to ta.ma is refused with an error naming it (the errors Dask and NumPy raise, as
 * InvalidOptionError): masks and conditions of the wrong shape, array values where Dask takes
 * scalars, fill values the dtype cannot hold, unknown options, masked indices.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../../src/ndarray/index.js";
import * as ta from "../../../src/array/index.js";
import { InvalidOptionError } from "../../../src/core/errors.js";

const x = ta.fromArray(nd.ones([4, 3]), { chunks: 2 });
const m = ta.ma.maskedGreater(x, 0);

describe("ma refuses bad input by name", () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ["mask of the wrong shape (Dask's MaskError)", () => ta.ma.maskedArray(x, { mask: nd.ones([3, 4], "bool") }), /MaskError: Mask and data not compatible: mask shape \[3, 4\] differs from data shape \[4, 3\]/],
    ["condition of the wrong shape (Dask's IndexError)", () => ta.ma.maskedWhere(nd.ones([3, 4], "bool"), x), /IndexError: Inconsistent shape between the condition and the input/],
    ["an unknown maskedArray option", () => ta.ma.maskedArray(x, { fill: 3 } as never), /ma.maskedArray: unknown option "fill"; ma.maskedArray takes mask, fillValue, dtype/],
    ["a non-scalar fill value", () => ta.ma.maskedArray(x, { fillValue: [1, 2] as never }), /non-scalar fillValue not supported/],
    ["an array value for masked_equal", () => ta.ma.maskedEqual(x, nd.ones([2]) as never), /ma.maskedEqual: the value must be a number/],
    ["a fill value an int dtype cannot hold", () => ta.ma.maskedArray(x.astype("int32"), { fillValue: NaN }), /cannot convert fill value NaN to dtype int32/],
    ["an unknown reduction option", () => m.sum({ axes: 0 } as never), /ma sum: unknown option "axes"/],
    ["ddof on a sum", () => m.sum({ ddof: 1 }), /ma sum: unknown option "ddof"/],
    ["an unknown average option", () => ta.ma.average(m, { weight: nd.ones([4, 3]) } as never), /ma.average: unknown option "weight"/],
    ["average weights of another shape without an axis", () => ta.ma.average(m, { weights: nd.ones([3]) }), /axis must be specified when shapes of a and weights differ/],
    ["average 1-d weights of the wrong length", () => ta.ma.average(m, { axis: 0, weights: nd.ones([3]) }), /length of weights not compatible with specified axis/],
    ["an unknown maskedValues option", () => ta.ma.maskedValues(m, 1, { tol: 1 } as never), /ma.maskedValues: unknown option "tol"/],
    ["a masked index", () => m.get(m as never), /a masked index is not supported/],
    ["a non-array input", () => ta.ma.filled([1, 2] as never), /ma.filled: expected a masked array, a tessera array or an NDArray/],
    ["a scalar to a masked ufunc", () => ta.ma.sqrt(4 as never), /ma.sqrt: expected a masked array/],
    ["an empty concatenate", () => ta.ma.concatenate([]), /ma.concatenate: give a non-empty list of arrays/],
    ["a like dtype option it does not take", () => ta.ma.onesLike(m, { order: "C" } as never), /ma.onesLike: unknown option "order"/],
    ["two numbers to ma.add", () => ta.ma.add(1, 2), /ma.add: give at least one array/],
    ["two numbers to ma.divide", () => ta.ma.divide(1, 2), /ma.divide: give at least one array/],
    ["the one-argument ma.where", () => (ta.ma.where as (c: unknown) => unknown)(m), /ma.where: give condition, x and y/],
    ["a scalar condition to ma.where", () => ta.ma.where(1, m, m), /ma.where: the condition must be an array/],
    ["a string operand", () => m.add("1" as never), /add: expected a masked array, a tessera array or a number/],
  ];
  for (const [what, run, message] of cases) {
    it(what, () => {
      assert.throws(run, (error: unknown) => error instanceof InvalidOptionError && message.test((error as Error).message));
    });
  }
});
