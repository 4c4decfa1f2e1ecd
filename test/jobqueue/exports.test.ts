// The public entry point `tessera/jobqueue` (src/jobqueue/index.ts): its runtime exports are a contract.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as jobqueue from "../../src/jobqueue/index.js";

describe("tessera/jobqueue exports", () => {
  it("names exactly these values", () => {
    assert.deepEqual(Object.keys(jobqueue).sort(), [
      "BatchCommandError", "HTCondorCluster", "JobQueueCluster", "LSFCluster", "MPIRunner", "PBSCluster", "Runner", "SGECluster",
      "SLURMCluster", "SLURMRunner", "cancelJobs", "cancelOrphanedJobs", "execFileRunner", "parseJobId", "pollJobs",
      "renderJobScript", "submitJob",
    ]);
  });

  it("gives every cluster class a start() and a common base", () => {
    for (const cls of [jobqueue.SLURMCluster, jobqueue.PBSCluster, jobqueue.SGECluster, jobqueue.LSFCluster, jobqueue.HTCondorCluster]) {
      assert.equal(typeof cls.start, "function");
      assert.ok(cls.prototype instanceof jobqueue.JobQueueCluster);
    }
    assert.equal(typeof jobqueue.SLURMRunner.start, "function");
  });
});
