/**
 * The lazy layer's wording of src/core/argument-count.ts: an extra array argument is named by
 * its array name, and the keywords a user may have meant are NumPy's and Dask's.
 */
import { describeArgument, withArgumentCount as checkedCount } from "../core/argument-count.js";
import { LazyArray } from "./array.js";

function shown(value: unknown): string {
  return value instanceof LazyArray ? `an array (${value.name})` : describeArgument(value);
}

/** How the lazy layer's refusals read: arrays by name, NumPy's and Dask's keywords. */
export const lazyArgumentWording = { describe: shown, keywordsOf: "NumPy's and Dask's" };

/**
 * `fn`, refusing a call with more arguments than `params` names; `label` is how the user
 * calls it ("ta.ravel", "x.add"). An async `fn` rejects, as its other refusals do.
 * `keywordsOf` names whose keyword options the user may have meant.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withArgumentCount<F extends (...args: any[]) => any>(label: string, params: readonly string[], fn: F, keywordsOf = "NumPy's and Dask's"): F {
  return checkedCount(label, params, fn, { describe: shown, keywordsOf });
}
