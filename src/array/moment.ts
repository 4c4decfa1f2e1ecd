/**
 * dask.array's moment(a, order) (Dask 2022.12, reductions.py): the order-th central moment,
 * Σ (x − mean)^order / (N − ddof), over the given axes (all by default). For order ≥ 2 a tree
 * reduction with Dask's partials (moment-order-partials.ts), laid out and combined as var's are
 * (reduction.ts: each level its own tasks, splitEvery partials per task), so the result equals
 * Dask's for the same chunks and splitEvery (orders ≥ 3 up to the last bits of np.power).
 * Order 0 is 1 and order 1 is 0 by definition: float64 arrays of the reduced shape and chunks.
 * Two deliberate differences from Dask there: keepdims and dtype are honoured (Dask gives float64
 * of the shape without kept axes whatever they say).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { orderMomentDType } from "../ndarray/moment-order-partials.js";
import { toDType } from "../ndarray/dtype.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";
import { LazyArray } from "./array.js";
import { type ReductionCallOptions, reductionNode } from "./reductions.js";
import { FillExpr } from "./sources.js";

export type MomentCallOptions = Omit<ReductionCallOptions, "dtype"> & { dtype?: string };

export function moment(a: LazyArray, order: number, options: MomentCallOptions = {}): LazyArray {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError(`moment: expected a chunked array (ta.fromArray makes one), got ${typeof a}`);
  refuseComplex("moment", a.dtype);
  if (typeof order !== "number" || !Number.isInteger(order) || order < 0) throw new InvalidOptionError(`moment: order must be an integer ≥ 0, got ${JSON.stringify(order)}`);
  const given = options !== null && typeof options === "object" && options.dtype !== undefined ? toDType(options.dtype, "moment dtype") : undefined;
  if (given !== undefined) orderMomentDType(a.dtype, given);
  // Checks every option as the moments do (unknown names, axes, ddof), whatever the order.
  const node = reductionNode(a, "moment", options, { order });
  if (order >= 2) return LazyArray.of(node);
  // Dask's float64 unless a dtype is asked for (which Dask ignores there).
  const dtype = given ?? "float64";
  const value = order === 0 ? 1 : 0;
  const name = `moment-${tokenize(node.shape, node.chunks, dtype, value)}`;
  return new LazyArray(name, node.shape, node.chunks, dtype, new FillExpr({ value }));
}
