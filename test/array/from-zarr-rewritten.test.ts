// An array rewritten in place with the same layout (shape, dtype, chunks, codec: the same
// metadata) while a cluster still holds blocks read from it before. fromZarr's block names
// are deterministic and the scheduler reuses keys it holds, so with only the metadata in the
// name a new fromZarr got the old blocks: a silently wrong sum. The name now carries the token
// of the computation that wrote the array (a different one gives new names; the same one, the
// same data and names) and the data generation every region write records.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { makeTempDirectory } from "../zarr/python-anchor.js";

const first = Array.from({ length: 100 }, (_, i) => i);
const second = Array.from({ length: 100 }, (_, i) => 1000 + 3 * i);
const total = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0);

const array = (values: readonly number[]) => ta.fromArray(new NDArray(Float64Array.from(values), [100]), { chunks: [10] });

describe("fromZarr of an array rewritten with the same layout while a cluster holds its old blocks", { timeout: 180_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  let cluster: LocalCluster;
  let client: Client;
  const local = new LocalExecutor();
  before(async () => {
    temp = await makeTempDirectory("zarr-rewritten-cluster");
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
    await client.waitForWorkers(2, { timeout: "120s" });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    await temp?.remove();
  });

  /** Writes `first` at `store` and persists it on the cluster: the cluster holds its blocks. */
  async function persistFirst(store: string): Promise<ta.Array> {
    await array(first).toZarr(store, { executor: local });
    const held = await (await ta.fromZarr(store)).persist({ executor: client });
    await expectRead(store, first);
    return held;
  }

  /**
   * The values and the sum of a fresh fromZarr, computed on the cluster. Both: a compute of
   * the array takes the blocks the cluster holds under its names, and so may a reduction.
   */
  async function readOnCluster(store: string, component?: string): Promise<{ values: number[]; sum: number }> {
    const reread = await ta.fromZarr(store, component ? { component } : {});
    const [values, sum] = await ta.compute([reread, reread.sum()], { executor: client });
    return { values: [...values.data].map(Number), sum: Number(sum.data[0]) };
  }
  const expectRead = async (store: string, expected: readonly number[], component?: string) =>
    assert.deepEqual(await readOnCluster(store, component), { values: expected, sum: total(expected) });

  it("reads the new data after another computation overwrote the array", async () => {
    const store = path.join(temp.path, "overwritten.zarr");
    const held = await persistFirst(store);
    await array(second).toZarr(store, { overwrite: true, executor: local });
    await expectRead(store, second);
    assert.notEqual((await ta.fromZarr(store)).name, held.name);
  });

  it("reads the new data after a region write into the array", async () => {
    const store = path.join(temp.path, "region.zarr");
    const held = await persistFirst(store);
    await ta.fromArray(new NDArray(Float64Array.from(second.slice(0, 50)), [50]), { chunks: [10] }).toZarr(store, { region: [{ start: 0, stop: 50 }], executor: local });
    const expected = [...second.slice(0, 50), ...first.slice(50)];
    await expectRead(store, expected);
    assert.notEqual((await ta.fromZarr(store)).name, held.name);
  });

  it("reads the new data after store() wrote the whole array again", async () => {
    const store = path.join(temp.path, "stored.zarr");
    const held = await persistFirst(store);
    await ta.store([array(second)], [store], { executor: local });
    await expectRead(store, second);
    assert.notEqual((await ta.fromZarr(store)).name, held.name);
  });

  it("reads the new level after toOmeZarr wrote another image of the same layout over it", async () => {
    const store = path.join(temp.path, "image.ome.zarr");
    const image = (values: readonly number[]) => ta.fromArray(new NDArray(Float64Array.from(values), [10, 10]), { chunks: [5, 5] });
    const options = { axes: "yx", levels: 2, overwrite: true, executor: local } as const;
    await ta.toOmeZarr(image(first), store, options);
    const held = await (await ta.fromZarr(store, { component: "0" })).persist({ executor: client });
    await expectRead(store, first, "0");
    await ta.toOmeZarr(image(second), store, options);
    await expectRead(store, second, "0");
    assert.notEqual((await ta.fromZarr(store, { component: "0" })).name, held.name);
  });

  it("keeps the names when the same computation writes the array again (same data: the held blocks are right)", async () => {
    const store = path.join(temp.path, "same.zarr");
    const held = await persistFirst(store);
    await array(first).toZarr(store, { overwrite: true, executor: local });
    assert.equal((await ta.fromZarr(store)).name, held.name);
    await expectRead(store, first);
  });
});
