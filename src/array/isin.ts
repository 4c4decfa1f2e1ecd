/**
 * da.isin(element, testElements, invert=…) on a lazy array: a bool array with the element's
 * chunks. The test elements are concrete (a list or an NDArray) and travel with every block's
 * task; a lazy array of test elements is refused rather than computed behind the user's back.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { isin as isinBlock, testElementsValue, type IsinOptions, type TestElements } from "../ndarray/isin.js";
import { LazyArray } from "./array.js";
import { BlockwiseExpr } from "./blockwise.js";
import { refuseUnknownOptions } from "./option-checks.js";

export function isin(element: LazyArray, testElements: TestElements | LazyArray, options: IsinOptions = {}): LazyArray {
  if (!(element instanceof LazyArray)) throw new InvalidOptionError("isin: element must be a lazy array (ta.fromArray wraps an NDArray)");
  if (testElements instanceof LazyArray) {
    throw new InvalidOptionError("isin: lazy test elements are not supported; compute them first (await test.compute()) and pass the NDArray");
  }
  refuseUnknownOptions("isin", options, ["invert"]);
  if (options.invert !== undefined && typeof options.invert !== "boolean") throw new InvalidOptionError(`isin: invert must be true or false, got ${JSON.stringify(options.invert)}`);
  const test = testElementsValue(testElements);
  const fnOptions = { invert: options.invert ?? false };
  const axes = element.shape.map((_, a) => a);
  const name = `isin-${tokenize(element.name, test, fnOptions)}`;
  const expr = new BlockwiseExpr(functionRefOf(isinBlock), [{ array: element, axes }, { value: test }], fnOptions, { blockInfo: false }, true);
  return new LazyArray(name, element.shape, element.chunks, "bool", expr);
}
