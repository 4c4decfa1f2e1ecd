/**
 * A full spill disk: the worker's localDirectory is a real 2 MiB filesystem, and the workload
 * (results totalling 3× the worker's memory, all wanted) needs far more. The first failed
 * spill is recognised at once and reported (worker log, scheduler log and an observed
 * record naming the directory and the room left); from then on the worker behaves as with
 * spilling off, and the error the user gets names the full directory, not "turn spilling on".
 * Needs root (to mount the tmpfs); skipped with the reason printed otherwise.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../../src/ndarray/index.js";
import { mountTinyFilesystem, tinyFilesystemUnavailable, type TinyFilesystem } from "./tiny-filesystem.js";
import { WatchedCluster, within } from "./watched-cluster.js";

const MiB = 2 ** 20;
const memoryLimit = 256 * MiB;
const blockElements = MiB; // float64: 8 MiB per result
const blocks = Math.ceil((3 * memoryLimit) / (8 * blockElements));

const makeBlock = (seed: number, n: number) => {
  const block = nd.empty([n], "float64");
  (block.data as Float64Array).fill(seed);
  return block;
};
const first = (block: { data: Float64Array }) => block.data[0];

const unavailable = tinyFilesystemUnavailable();
if (unavailable) console.log(`# skipping the full spill disk cluster test: ${unavailable}`);

describe("a worker whose spill directory is full (a 2 MiB filesystem)", { skip: unavailable }, () => {
  let disk: TinyFilesystem;
  let watched: WatchedCluster;
  before(async () => {
    disk = mountTinyFilesystem(2 * MiB);
    watched = await within(WatchedCluster.start({ nWorkers: 1, memoryLimit, localDirectory: disk.path, pauseTimeout: "3s" }), "starting the cluster");
  });
  after(async () => {
    try {
      await watched?.close();
    } finally {
      disk?.unmount();
    }
  });

  it("says at once which directory is full, then fails the work with that as the cause", async () => {
    const { client, cluster, records, watch } = watched;
    const futures = Array.from({ length: blocks }, (_, i) => client.submit({ fn: makeBlock, args: [i, blockElements], key: `block-${i}` }));
    const firsts = futures.map((block, i) => client.submit({ fn: first, args: [block], key: `first-${i}` }));
    const failure = await watched.step(client.gather(firsts).then(() => null, (error: Error) => ({ error, recordsBefore: records.length })), "the work on a full spill disk (it should fail)");
    assert.ok(failure, "3× the memory cannot fit without spilling: the work fails");
    const { error, recordsBefore } = failure;

    const warnings = records.flatMap((r) => (r.kind === "worker-warning" ? [r] : []));
    assert.equal(warnings.length, 1, "one report, not one per failed write");
    assert.ok(records.indexOf(warnings[0]) < recordsBefore, "reported before the work failed");
    const spillDirectory = `${disk.path}/tessera-worker-[A-Za-z0-9]{6}/storage`;
    assert.match(warnings[0].message, new RegExp(`^spill directory ${spillDirectory} is full \\(\\d+(\\.\\d+)? [kM]?i?B free, ENOSPC writing a spill file\\): this worker writes no more spill files`));
    assert.match(warnings[0].message, /Free space there and restart the worker, or give the workers a larger node-local directory \(localDirectory, --local-directory\)/);

    assert.equal(error.name, "WorkerMemoryError", error.message);
    assert.match(error.message, new RegExp(`with nothing left to spill \\(spilling stopped: spill directory ${spillDirectory} is full`));
    assert.match(error.message, /Free space in the spill directory or give the workers a larger node-local localDirectory/);
    assert.doesNotMatch(error.message, /turn spilling on/, "spilling is on: the disk is the problem");
    assert.ok(watch.statuses.has("paused"), "the worker paused, as with spilling off");
    assert.deepEqual(cluster.nannies.map((nanny) => nanny.restarts.length), [0], "no worker was killed");
    for (const future of [...futures, ...firsts]) future.release();
  });
});
