/**
 * Issue 9 item 5: `client.submit(nd.sum, nd.ones([100, 100]))` lost the array's frames and
 * the scheduler dropped the client; a key the protocol refuses did the same. Array arguments
 * must arrive whole, and what the scheduler would refuse must fail that one call, before
 * anything is sent, with the client and every other future untouched.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, LocalCluster } from "../../src/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { TaskGraph, makeTask } from "../../src/graph/task-graph.js";
import { functionRefOf } from "../../src/graph/function-travel.js";

const spin = (ms: number, value: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* busy */ }
  return value;
};

describe("what the client sends", () => {
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster, { setAsDefault: false });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("carries array arguments of submit and map to the workers whole", async () => {
    const total = await client.submit(nd.sum, nd.ones([100, 100])).result() as nd.NDArray;
    assert.equal(total.toArray(), 10_000);
    const blocks = [nd.arange(0, 10, 1, "int32"), nd.reshape(nd.arange(0, 12, 1, "float32"), [3, 4]), nd.transpose(nd.reshape(nd.arange(0, 6, 1, "float64"), [2, 3]))];
    const echoed = await client.gather(client.map((block: nd.NDArray) => block, blocks)) as nd.NDArray[];
    for (let i = 0; i < blocks.length; i++) {
      assert.equal(echoed[i].dtype, blocks[i].dtype);
      assert.deepEqual(echoed[i].toArray(), blocks[i].toArray());
    }
    const sums = await client.gather(client.map((a: nd.NDArray, b: Float64Array) => nd.sum(a).toArray() as number + b.reduce((x, y) => x + y, 0), [nd.ones([4, 4]), nd.ones([2])], [new Float64Array([1, 2]), new Float64Array([3])]));
    assert.deepEqual(sums, [19, 5]);
  });

  it("refuses a key the protocol refuses in that call alone; the client and the other futures carry on", async () => {
    const other = client.submit(spin, 300, 7);
    const badKeys: unknown[] = ["", "k".repeat(4097), "lone \ud800 surrogate", 42, { key: 1 }];
    for (const key of badKeys) {
      assert.throws(() => client.submit({ fn: (x: number) => x, args: [1], key: key as string }), (error: Error) => {
        assert.ok(error instanceof InvalidOptionError, `${String(key).slice(0, 20)}: ${error.name}`);
        assert.match(error.message, /key .* cannot be used: a key (must|may)/);
        return true;
      });
    }
    const graph = new TaskGraph([makeTask("", functionRefOf((x: number) => x), [1])]);
    await assert.rejects(client.compute(graph, [""]), /key "" cannot be used: a key must not be empty/);
    assert.equal(await client.submit({ fn: (x: number) => x + 1, args: [1], key: "k".repeat(4096) }).result(), 2, "the longest key works");
    assert.equal(await client.submit({ fn: (x: string) => `${x}!`, args: ["nul \u0000 byte"], key: "nul \u0000 key" }).result(), "nul \u0000 byte!");
    assert.equal(await other.result(), 7, "a future submitted before is not cancelled");
    assert.equal(other.status, "finished");
  });

  it("refuses an argument that cannot travel, naming it and where it is, before sending", async () => {
    assert.throws(() => client.submit((x: unknown) => x, { inner: [1, Symbol("s")] }), /the arguments of lambda: the part at \[0\]\.inner\[1\] is a Symbol \(Symbol\(s\)\)/);
    class Point {
      constructor(readonly x: number) {}
    }
    assert.throws(() => client.submit((x: unknown) => x, new Point(1)), /is an instance of Point/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => client.submit((x: unknown) => x, cyclic), /contains itself/);
    assert.equal(await client.submit((x: bigint) => x * 2n, 2n ** 70n).result(), 2n ** 71n, "a BigInt beyond 64 bits travels");
  });

  it("gives different values different keys: two Maps do not share a result", async () => {
    const get = (m: Map<number, number>) => m.get(1);
    const first = client.submit(get, new Map([[1, 5]]));
    const second = client.submit(get, new Map([[1, 6]]));
    assert.notEqual(first.key, second.key);
    assert.deepEqual(await client.gather([first, second]), [5, 6]);
    const zero = client.submit((x: number) => 1 / x, 0);
    const negativeZero = client.submit((x: number) => 1 / x, -0);
    assert.notEqual(zero.key, negativeZero.key);
    assert.deepEqual(await client.gather([zero, negativeZero]), [Infinity, -Infinity]);
    const [a, b] = await client.scatter([new Map([["a", 1]]), new Map([["a", 2]])]);
    assert.notEqual(a.key, b.key);
    assert.deepEqual(await client.gather([a, b]), [new Map([["a", 1]]), new Map([["a", 2]])]);
  });
});
