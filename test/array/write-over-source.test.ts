// Writes that would destroy what they read (issue 12, found by another engineer): toZarr with
// overwrite deleted the target's chunks before computing, so an array read from that target
// (or from a group holding it) silently read back the fill value. toZarr, store and toOmeZarr
// now refuse before anything is deleted or written, and the data stays as it was.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";

describe("writes that would destroy their own source are refused", () => {
  let dir: string;
  const data = nd.astype(nd.multiply(nd.random([40, 30], { seed: 9 }), 1000), "int32");
  before(() => { dir = mkdtempSync(join(tmpdir(), "tessera-over-source-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function stored(name: string, component?: string): Promise<string> {
    const target = join(dir, name);
    await ta.fromArray(data, { chunks: [10, 10] }).toZarr(target, component ? { component } : {});
    return target;
  }

  async function assertUnchanged(target: string, component?: string): Promise<void> {
    const back = await (await ta.fromZarr(target, component ? { component } : {})).compute();
    assert.deepEqual(Array.from(back.data as Int32Array), Array.from(data.data as Int32Array), "the source was left as it was");
  }

  const refusal = (pattern: RegExp) => (error: Error) => error instanceof InvalidOptionError && pattern.test(error.message);

  it("toZarr with overwrite refuses a target its array is read from, naming the path and saying to write elsewhere", async () => {
    const target = await stored("self.zarr");
    const x = await ta.fromZarr(target);
    await assert.rejects(x.add(1).toZarr(target, { overwrite: true }),
      refusal(new RegExp(`toZarr would replace .*self\\.zarr, but the array written is computed from the array at its root, whose chunks would be deleted before they are read.*Write the result to another path first`)));
    await assertUnchanged(target);
    // Written elsewhere it works, and the copy can then replace the original.
    const elsewhere = join(dir, "elsewhere.zarr");
    await x.add(1).toZarr(elsewhere);
    await (await ta.fromZarr(elsewhere)).toZarr(target, { overwrite: true });
    const back = await (await ta.fromZarr(target)).compute();
    assert.equal(back.data[0], (data.data[0] as number) + 1);
  });

  it("toZarr with overwrite refuses a group component holding the source, through another spelling of the path", async () => {
    const target = await stored("group.zarr", "raw/0");
    const x = await ta.fromZarr(target, { component: "raw/0" });
    const link = join(dir, "link-to-group.zarr");
    symlinkSync(target, link);
    await assert.rejects(x.mul(2).toZarr(link, { component: "raw", overwrite: true }), refusal(/component "raw"\).*computed from its array "raw\/0"/));
    await assert.rejects(x.mul(2).toZarr(`${target}/./`, { overwrite: true }), refusal(/would replace .*group\.zarr, but/));
    await assertUnchanged(target, "raw/0");
    // A sibling component is not the source: replacing it is fine.
    await x.mul(2).toZarr(target, { component: "doubled", overwrite: true });
    await x.mul(3).toZarr(target, { component: "doubled", overwrite: true });
    const tripled = await (await ta.fromZarr(target, { component: "doubled" })).compute();
    assert.equal(tripled.data[5], (data.data[5] as number) * 3);
  });

  it("toZarr({ region }) and store() refuse writing into the array they read, even where the regions differ", async () => {
    const target = await stored("region.zarr");
    const x = await ta.fromZarr(target);
    // A shifted copy: task i would read chunks that task i - 1 already rewrote.
    await assert.rejects(x.get({ start: 0, stop: 30 }).toZarr(target, { region: [{ start: 10, stop: 40 }] }),
      refusal(/toZarr writes into .*region\.zarr, but the array written is computed from that same array.*Write the result to another path first/));
    await assert.rejects(ta.store([x.add(1)], [target]), refusal(/store writes into .*region\.zarr, but the array written is computed from that same array/));
    await assert.rejects(ta.store([x.add(1)], [{ path: target }], { regions: [[{ start: 0, stop: 40 }]] }), refusal(/^store writes into/));
    await assertUnchanged(target);
    // Reading another array of the same store is fine.
    const other = await stored("region-source.zarr");
    await ta.store([(await ta.fromZarr(other)).add(5)], [target]);
    const back = await (await ta.fromZarr(target)).compute();
    assert.equal(back.data[7], (data.data[7] as number) + 5);
  });

  it("toOmeZarr refuses to replace an image computed from one of its levels", async () => {
    const target = join(dir, "image.ome.zarr");
    await ta.toOmeZarr(ta.fromArray(data, { chunks: [10, 10] }), target, { levels: 2 });
    const level0 = (await ta.fromOmeZarr(target)).array;
    await assert.rejects(ta.toOmeZarr(level0.add(1), target, { overwrite: true, levels: 2 }),
      refusal(/toOmeZarr would replace .*image\.ome\.zarr, but the array written is computed from its array "0", whose chunks would be deleted/));
    await assertUnchanged(target, "0");
  });

  it("with two sources in one store, names the one the write replaces, found below the first level", async () => {
    const target = await stored("two.zarr", "a");
    await ta.fromArray(data, { chunks: [10, 10] }).toZarr(target, { component: "b" });
    const a = await ta.fromZarr(target, { component: "a" });
    const b = await ta.fromZarr(target, { component: "b" });
    const graph = a.add(1).mul(b.get({ start: 0, stop: 40 }).add(2));
    await assert.rejects(graph.toZarr(target, { component: "b", overwrite: true }),
      refusal(/would replace .*two\.zarr \(component "b"\), but the array written is computed from its array "b", whose chunks/));
    await assertUnchanged(target, "b");
    await graph.toZarr(target, { component: "c", overwrite: true });
  });
});
