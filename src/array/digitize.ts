/**
 * da.digitize(x, bins, right=…): np.digitize block by block (the bins travel with every
 * task), an int64 array with x's chunks. Bins are concrete: a lazy array of them is refused.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { digitize as digitizeBlock, type DigitizeOptions } from "../ndarray/digitize.js";
import { testElementsArray, type TestElements } from "../ndarray/isin.js";
import { LazyArray } from "./array.js";
import { BlockwiseExpr } from "./blockwise.js";
import { refuseUnknownOptions } from "./option-checks.js";

export function digitize(x: LazyArray, bins: TestElements | LazyArray, options: DigitizeOptions = {}): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError("digitize: x must be a lazy array (ta.fromArray wraps an NDArray)");
  if (bins instanceof LazyArray) throw new InvalidOptionError("digitize: lazy bins are not supported; compute them first (await bins.compute()) and pass the NDArray");
  refuseUnknownOptions("digitize", options, ["right"]);
  const edges = testElementsArray(bins, "digitize");
  const fnOptions = { right: options.right ?? false };
  // A one-element probe checks the bins (1-d, monotonic) and the options now, not in the first task.
  digitizeBlock(testElementsArray([0], "digitize"), edges, fnOptions);
  const expr = new BlockwiseExpr(functionRefOf(digitizeBlock), [{ array: x, axes: x.shape.map((_, a) => a) }, { value: edges }], fnOptions, { blockInfo: false }, true);
  return new LazyArray(`digitize-${tokenize(x.name, edges, fnOptions)}`, x.shape, x.chunks, "int64", expr);
}
