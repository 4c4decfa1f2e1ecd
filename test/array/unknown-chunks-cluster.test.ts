/**
 * Unknown chunk sizes across processes: a lazy mask's mean (empty blocks among its partials),
 * unique over 20 blocks (per-block parts merged in one task), bincount and argwhere give the
 * local executor's bits on a LocalCluster of 2 workers × 1 thread.
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";

const values = nd.remainder(nd.reshape(nd.arange(400, { dtype: "float64" }), [20, 20]), 37);

describeOnCluster("unknown chunk sizes", () => {
  const x = ta.fromArray(values, { chunks: [2, 10] });
  const above = x.get(x.gt(30));
  const labels = x.astype("int32");
  const [uniques, counts] = ta.unique(labels, { returnCounts: true }) as ta.Array[];
  return [above.mean(), above.min(), above, uniques, counts, ta.bincount(labels.reshape([-1])), ta.argwhere(x.gt(35))];
}, "gives the local executor's bits (mask mean and min, unique and counts over 20 blocks, bincount, argwhere)");
