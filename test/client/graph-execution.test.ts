// The Client as the executor of lazy collections, on a LocalCluster (two worker processes): a
// persist whose task fails raises that task's error and releases its keys (the caller gets no
// handle to release them with; Dask forgets a failed persist's keys once its futures are
// dropped), so the scheduler holds nothing for it; a persist that succeeds holds its keys.
// A graph's submission leaves at once, not at the end of the caller's turn.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { submitGraph, type GraphClient } from "../../src/client/graph-execution.js";
import type { FutureRegistry } from "../../src/client/future-registry.js";
import { TaskGraph, makeTask } from "../../src/graph/task-graph.js";
import { useLocalCluster2x1 } from "../deploy/cluster-2x1.js";

describe("persist through the Client", () => {
  const { cluster, client } = useLocalCluster2x1();

  /** Keys the scheduler holds whose name contains `name` (after the client's earlier messages are handled). */
  async function schedulerKeys(name: string): Promise<string[]> {
    // Messages on one connection are handled in order: once this reply is back, every release sent before it was applied.
    await client().scheduler.request({ op: "who-has", keys: [] });
    return [...cluster().scheduler.state.tasks.keys()].filter((key) => key.includes(name));
  }

  it("releases every key of a persist whose task failed", async () => {
    const source = ta.random([40, 40], { chunks: [8, 8], seed: 3 });
    const failing = ta.mapBlocks(function failsOnOneBlock(block: NDArray, options: { blockInfo: { output: { "chunk-location": number[] } } }) {
      const [i, j] = options.blockInfo.output["chunk-location"];
      if (i === 4 && j === 2) throw new Error("block (4, 2) failed");
      return block;
    }, source, { blockInfo: true, dtype: "float64" });
    await assert.rejects(failing.persist({ executor: client() }), /block \(4, 2\) failed/);
    assert.deepEqual(await schedulerKeys(failing.name), [], "no key of the failed persist is held");
    assert.deepEqual(await schedulerKeys(source.name), [], "nor of its inputs");
  });

  it("holds the keys of a persist that succeeded", async () => {
    const kept = await ta.random([40, 40], { chunks: [8, 8], seed: 4 }).mul(2).persist({ executor: client() });
    assert.equal((await schedulerKeys(kept.name)).length, 25, "every block is held");
    assert.ok(kept.blockKeys().every((key) => (cluster().scheduler.state.tasks.get(key)?.whoHas.length ?? 0) > 0), "every block is in a worker's memory");
  });
});

describe("submitting a graph", () => {
  it("flushes the scheduler connection right after the graph's tasks are queued", () => {
    // What the caller does after submitting (a toZarr's target creation) would otherwise run before the graph leaves.
    const calls: string[] = [];
    const client: GraphClient = {
      holds: () => false,
      submitSpecs: (specs) => calls.push(`submit ${specs.map((spec) => spec.key).join(",")}`),
      scheduler: { flush: () => calls.push("flush") },
      getTaskStream: async () => [],
    };
    const registry = { states: new Map(), futureFor: (key: string) => ({ key }) } as unknown as FutureRegistry;
    const graph = new TaskGraph();
    graph.add(makeTask("a-1", { builtin: "graph.identity" }, [1]));
    submitGraph(client, registry, graph, ["a-1"], {}, "compute");
    assert.deepEqual(calls, ["submit a-1", "flush"]);
  });
});
