// How polled statuses move a cluster's jobs from submitted to running to ended.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { applyJobStatuses, endRecordWaitSeconds, newTrackedJob, retirementOf, workerBelongsTo } from "../../src/jobqueue/job-tracking.js";
import type { JobStatus } from "../../src/jobqueue/job-state.js";

const status = (id: string, state: JobStatus["state"], reason: string | null = null, rawState: string | null = null): JobStatus =>
  ({ id, state, reason, rawState });

describe("applyJobStatuses", () => {
  it("follows a job from submitted through running to failed, with the system's reason", () => {
    const job = newTrackedJob("C-0", "12", 0, 1000);
    assert.deepEqual([job.status.state, job.seen], ["pending", false]);
    assert.deepEqual(applyJobStatuses([job], [status("12", "pending", "Resources", "PENDING")], 1001, 60), []);
    assert.deepEqual([job.status.reason, job.seen], ["Resources", true]);
    applyJobStatuses([job], [status("12", "running", null, "RUNNING")], 1002, 60);
    const ended = applyJobStatuses([job], [status("12", "failed", "NodeFail", "NODE_FAIL")], 1003, 60);
    assert.deepEqual(ended, [job]);
    assert.deepEqual([job.status.state, job.status.reason, job.endedAt], ["failed", "NodeFail", 1003]);
    assert.deepEqual(applyJobStatuses([job], [status("12", "running")], 1004, 60), [], "an ended job stays ended");
  });

  it("a job the system stops reporting has ended; one it never reported gets a grace period", () => {
    const seen = newTrackedJob("C-0", "1", 0, 1000);
    const fresh = newTrackedJob("C-1", "2", 1, 1000);
    const cancelled = newTrackedJob("C-2", "3", 2, 1000);
    applyJobStatuses([seen], [status("1", "running")], 1001, 60);
    cancelled.cancelled = true;
    const ended = applyJobStatuses([seen, fresh, cancelled], [status("1", "unknown"), status("2", "unknown"), status("3", "unknown")], 1030, 60);
    assert.deepEqual(ended.map((job) => job.name), ["C-0", "C-2"]);
    assert.match(seen.status.reason ?? "", /no longer reported/);
    assert.equal(fresh.endedAt, null, "still within its grace period");
    assert.deepEqual(applyJobStatuses([fresh], [status("2", "unknown")], 1061, 60), [fresh]);
    assert.match(fresh.status.reason ?? "", /never reported by the batch system within 60 s/);
  });

  it("waits for the end record of a job that left the queue before its accounting was written (Grid Engine)", () => {
    const job = newTrackedJob("C-0", "5", 0, 1000);
    applyJobStatuses([job], [status("5", "running", null, "r")], 1001, 60);
    const settling: JobStatus = { ...status("5", "unknown"), settling: true };
    assert.deepEqual(applyJobStatuses([job], [settling], 1010, 60), [], "not ended yet: its record may come");
    assert.deepEqual([job.status.state, job.missingSince], ["running", 1010]);
    assert.deepEqual(applyJobStatuses([job], [settling], 1010 + endRecordWaitSeconds - 1, 60), []);
    const ended = applyJobStatuses([job], [status("5", "failed", "exit status 7", "qacct")], 1010 + endRecordWaitSeconds - 0.5, 60);
    assert.deepEqual([ended, job.status.reason], [[job], "exit status 7"]);

    const lost = newTrackedJob("C-1", "6", 1, 1000);
    applyJobStatuses([lost], [status("6", "running")], 1001, 60);
    applyJobStatuses([lost], [{ ...status("6", "unknown"), settling: true }], 1010, 60);
    assert.deepEqual(applyJobStatuses([lost], [{ ...status("6", "unknown"), settling: true }], 1010 + endRecordWaitSeconds, 60), [lost], "no record within the wait: ended");
    assert.match(lost.status.reason ?? "", /no longer reported/);

    const cancelled = newTrackedJob("C-2", "7", 2, 1000);
    applyJobStatuses([cancelled], [status("7", "pending")], 1001, 60);
    cancelled.cancelled = true;
    assert.deepEqual(applyJobStatuses([cancelled], [{ ...status("7", "unknown"), settling: true }], 1002, 60), [cancelled], "a cancelled job is not waited for");
  });
});

describe("workerBelongsTo", () => {
  it("matches by the job id a worker reports, PBS server suffixes aside", () => {
    assert.ok(workerBelongsTo({ id: "12", name: "C-0" }, "anything", "12"));
    assert.ok(!workerBelongsTo({ id: "12", name: "C-0" }, "C-0", "13"), "the job id decides when there is one");
    assert.ok(workerBelongsTo({ id: "1234.pbs-server", name: "C-0" }, "x", "1234"));
    assert.ok(workerBelongsTo({ id: "1234", name: "C-0" }, "x", "1234.pbs-server"));
    assert.ok(!workerBelongsTo({ id: "1234.a", name: "C-0" }, "x", "1234.b"));
  });

  it("falls back to the name the job gave its workers", () => {
    assert.ok(workerBelongsTo({ id: "7.0", name: "C-1" }, "C-1", undefined));
    assert.ok(workerBelongsTo({ id: "7.0", name: "C-1" }, "C-1-3", undefined));
    assert.ok(!workerBelongsTo({ id: "7.0", name: "C-1" }, "C-10", undefined));
    assert.ok(!workerBelongsTo({ id: "7.0", name: "C-1" }, "C-10-0", undefined));
  });
});

describe("retirementOf", () => {
  it("is the earliest lifetime end among the job's own workers", () => {
    const worker = (name: string, jobId: string | undefined, lifetimeEnd?: number) => ({ identity: { name, jobId, lifetimeEnd } });
    const workers = [worker("C-0-0", "12", 2000), worker("C-0-1", "12", 1500), worker("C-1-0", "13", 900), worker("C-0-2", "12")];
    assert.equal(retirementOf({ id: "12", name: "C-0" }, workers), 1500);
    assert.equal(retirementOf({ id: "14", name: "C-2" }, workers), null, "no worker of the job");
    assert.equal(retirementOf({ id: "15", name: "C-3" }, [worker("C-3-0", "15")]), null, "workers without a lifetime");
  });
});
