// An input array whose metadata file is touched (content unchanged: HPC users touch files to
// escape scratch purges; `cp -p`, a restore or an identical rewrite do the same) is the same
// array: a graph built before computes, and a resumable toZarr of the same pipeline resumes.
// The graphs' stamps were once the file's inode, mtime and size, and both failed: the graph
// with ZarrArrayChangedError, the resume as "a different computation" (the stamp is part of
// fromZarr's block name, so of the resume token).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { rewriteMetadataIdentically, touchMetadata } from "../zarr/foreign-writer.js";
import { makeTempDirectory } from "../zarr/python-anchor.js";

const values = Array.from({ length: 100 }, (_, i) => i);
const doubled = values.map((v) => 2 * v);

/** Each chunk file's inode and mtime: a chunk written again shows a new one. */
function chunkStats(store: string): Record<string, string> {
  const names = readdirSync(store).filter((name) => /^\d+$/.test(name)).sort();
  return Object.fromEntries(names.map((name) => {
    const stats = statSync(path.join(store, name), { bigint: true });
    return [name, `${stats.ino}:${stats.mtimeNs}`];
  }));
}

describe("fromZarr when the input's metadata file is touched or rewritten identically", () => {
  let temp: { path: string; remove(): Promise<void> };
  const executor = new LocalExecutor();
  before(async () => {
    temp = await makeTempDirectory("zarr-touched");
  });
  after(() => temp.remove());

  async function writeInput(name: string): Promise<string> {
    const input = path.join(temp.path, name);
    await ta.fromArray(new NDArray(Float64Array.from(values), [100]), { chunks: [10] }).toZarr(input, { executor });
    return input;
  }

  it("computes a graph built before a touch, with the same block names as one built after it", async () => {
    const input = await writeInput("touched.zarr");
    const built = (await ta.fromZarr(input)).mul(2);
    await touchMetadata(input, 5);
    assert.deepEqual([...(await built.compute({ executor })).data], doubled);
    assert.equal((await ta.fromZarr(input)).mul(2).name, built.name);
  });

  it("computes a graph built before an identical rewrite by rename (a new inode)", async () => {
    const input = await writeInput("rewritten.zarr");
    const built = (await ta.fromZarr(input)).mul(2);
    await rewriteMetadataIdentically(input);
    assert.deepEqual([...(await built.compute({ executor })).data], doubled);
    assert.equal((await ta.fromZarr(input)).mul(2).name, built.name);
  });

  it("resumes the same pipeline after its input was touched, writing nothing again", async () => {
    const input = await writeInput("resume-in.zarr");
    const output = path.join(temp.path, "resume-out.zarr");
    const pipeline = async () => (await ta.fromZarr(input)).mul(2);
    await (await pipeline()).toZarr(output, { resume: true, executor });
    const written = chunkStats(output);
    assert.equal(Object.keys(written).length, 10);
    await touchMetadata(input, 5);
    await (await pipeline()).toZarr(output, { resume: true, executor });
    assert.deepEqual(chunkStats(output), written, "every chunk was complete: none written again");
    assert.deepEqual([...(await (await ta.fromZarr(output)).compute({ executor })).data], doubled);
  });
});
