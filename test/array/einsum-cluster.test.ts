// Chunked einsum on a LocalCluster of 2 workers × 1 thread: the block einsums (their labels
// travelling as task options) and the tree sums give the local executor's bits, for a chain of
// three operands, a diagonal, an ellipsis batch and an int8 product that wraps.
import * as ta from "../../src/array/index.js";
import { describeOnCluster } from "./cluster-sample.js";

describeOnCluster("einsum", () => {
  const a = ta.random([12, 40], { chunks: [5, 4], seed: 21 });
  const b = ta.random([40, 9], { chunks: [3, 4], seed: 22 });
  const c = ta.random([9, 6], { chunks: [2, 6], seed: 23 });
  const square = ta.random([3, 30, 30], { chunks: [2, 4, 4], seed: 24 });
  const small = ta.random([4, 40], { chunks: [2, 5], seed: 25 }).mul(100).astype("int8");
  return [
    ta.einsum("ij,jk,kl->il", a, b, c, { splitEvery: 3 }),
    ta.einsum("...ii->...i", square),
    ta.einsum("bii->b", square),
    ta.einsum("ij,kj->ik", small, small),
  ];
});
