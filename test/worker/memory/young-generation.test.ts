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
  it("is a 128th of the memory limit, from 1 MiB up to V8's own 16 MiB", () => {
    assert.equal(semiSpaceMiBFor(256 * MiB), 2);
    assert.equal(semiSpaceMiBFor(100 * MiB), 1);
    assert.equal(semiSpaceMiBFor(1024 * MiB), 8);
    assert.equal(semiSpaceMiBFor(2047 * MiB), 15);
    assert.equal(semiSpaceMiBFor(2048 * MiB), undefined, "a 2 GiB worker keeps V8's default");
    assert.equal(semiSpaceMiBFor(0), undefined, "no limit: V8's default");
    assert.equal(semiSpaceMiBFor(Infinity), undefined);
    assert.deepEqual(youngGenerationFlags(256 * MiB, [], ""), ["--max-semi-space-size=2"]);
    assert.deepEqual(threadYoungGenerationLimit(256 * MiB, [], ""), { maxYoungGenerationSizeMb: 6 });
    assert.equal(threadYoungGenerationLimit(0, [], ""), undefined);
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

    it("starts a 256 MiB worker process with 2 MiB semi-spaces, a worker without a limit with V8's default", async () => {
      cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, memoryLimit: 256 * MiB, dashboardAddress: false });
      const [worker] = cluster.workerProcesses;
      const argv = readFileSync(`/proc/${worker.pid}/cmdline`, "utf8").split("\0");
      assert.ok(argv.includes("--max-semi-space-size=2"), argv.join(" "));
      await cluster.close();
      cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, memoryLimit: 0, dashboardAddress: false });
      const unlimited = readFileSync(`/proc/${cluster.workerProcesses[0].pid}/cmdline`, "utf8").split("\0");
      assert.ok(!unlimited.some((arg) => arg.startsWith("--max-semi-space-size")), unlimited.join(" "));
    });
  });
});
