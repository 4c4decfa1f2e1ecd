/**
 * The cluster check of the differential tests: the same lazy arrays computed on the local
 * executor and on a LocalCluster of 2 workers × 1 thread give the same bits (blocks, task
 * arguments and partials travel between processes and must arrive unchanged).
 */
import { before, describe, it } from "node:test";
import type * as ta from "../../src/array/index.js";
import type * as nd from "../../src/ndarray/index.js";
import type { Client } from "../../src/index.js";
import { useLocalCluster2x1 } from "../deploy/cluster-2x1.js";
import { assertSameArray } from "./python-eval.js";

/**
 * A LocalCluster of 2 workers × 1 thread for the enclosing describe block, started before its
 * tests and closed after them; its client is the default executor meanwhile (the returned
 * function gives it, for task streams and the like).
 */
export function useCluster2x1(): () => Client {
  return useLocalCluster2x1().client;
}

export function describeOnCluster(title: string, arrays: () => ta.Array[], why = "gives the local executor's bits"): void {
  describe(`${title} on a LocalCluster of 2 workers × 1 thread`, () => {
    let local: nd.NDArray[];
    // The local results first: before() hooks run in order, and the cluster's client becomes the default executor.
    before(async () => {
      local = await Promise.all(arrays().map((a) => a.compute()));
    });
    useCluster2x1();

    it(why, async () => {
      const remote = await Promise.all(arrays().map((a) => a.compute()));
      remote.forEach((r, i) => assertSameArray(r, local[i], `array ${i} on the cluster vs local`));
    });
  });
}
