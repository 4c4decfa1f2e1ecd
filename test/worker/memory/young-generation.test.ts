/**
 * V8's young generation sized to the worker's memory limit (young-generation.ts): the rule,
 * the user's own flag winning, and a LocalCluster worker started with it. What it is for (a
 * 256 MiB worker staying under its limit through the DoG) is test/worker/memory/dog-limits.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { LocalCluster } from "../../../src/index.js";
import { semiSpaceMiBFor, threadYoungGenerationLimit, userSetsSemiSpace, youngGenerationFlags } from "../../../src/worker/memory/young-generation.js";

const MiB = 2 ** 20;

describe("the young generation of a worker", () => {
  it("is a 128th of the memory limit, from 1 MiB up to 4 MiB, which a worker without a limit gets too", () => {
    assert.equal(semiSpaceMiBFor(256 * MiB), 2);
    assert.equal(semiSpaceMiBFor(100 * MiB), 1);
    assert.equal(semiSpaceMiBFor(511 * MiB), 3);
    assert.equal(semiSpaceMiBFor(1024 * MiB), 4);
    assert.equal(semiSpaceMiBFor(64 * 1024 * MiB), 4, "a large worker: 4 MiB, not V8's 16");
    assert.equal(semiSpaceMiBFor(0), 4, "no limit");
    assert.equal(semiSpaceMiBFor(Infinity), 4);
    assert.deepEqual(youngGenerationFlags(256 * MiB, [], ""), ["--max-semi-space-size=2"]);
    assert.deepEqual(threadYoungGenerationLimit(256 * MiB, [], ""), { maxYoungGenerationSizeMb: 6 });
    assert.deepEqual(threadYoungGenerationLimit(0, [], ""), { maxYoungGenerationSizeMb: 12 });
  });

  it("is left to the user's own flag, in Node's arguments or NODE_OPTIONS, in either spelling", () => {
    for (const [execArgv, nodeOptions] of [
      [["--max-semi-space-size=4"], ""], [["--max_semi_space_size=4"], ""], [[], "--max-semi-space-size 8"], [[], "--inspect --max_semi_space_size=8"],
    ] as Array<[string[], string]>) {
      assert.ok(userSetsSemiSpace(execArgv, nodeOptions), `${execArgv.join(" ")} ${nodeOptions}`);
      assert.deepEqual(youngGenerationFlags(256 * MiB, execArgv, nodeOptions), []);
      assert.equal(threadYoungGenerationLimit(256 * MiB, execArgv, nodeOptions), undefined);
    }
    assert.ok(!userSetsSemiSpace(["--max-old-space-size=4096"], "--max-semi-space-sizes"));
  });

  describe("on a LocalCluster", () => {
    let cluster: LocalCluster | undefined;
    after(async () => cluster?.close());

    it("starts a 256 MiB worker process with 2 MiB semi-spaces, a worker without a limit with 4 MiB", async () => {
      cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, memoryLimit: 256 * MiB, dashboardAddress: false });
      const [worker] = cluster.workerProcesses;
      const argv = readFileSync(`/proc/${worker.pid}/cmdline`, "utf8").split("\0");
      assert.ok(argv.includes("--max-semi-space-size=2"), argv.join(" "));
      await cluster.close();
      cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, memoryLimit: 0, dashboardAddress: false });
      const unlimited = readFileSync(`/proc/${cluster.workerProcesses[0].pid}/cmdline`, "utf8").split("\0");
      assert.ok(unlimited.includes("--max-semi-space-size=4"), unlimited.join(" "));
    });
  });
});
