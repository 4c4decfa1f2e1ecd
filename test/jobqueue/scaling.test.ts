// Scale requests in jobs, adaptive bounds in workers, and which jobs a scale-down stops.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  adaptBoundsInWorkers, chooseJobsToStop, dueForReplacement, jobsForRequest, replacementLeadFor, replacementLeadSeconds, type StopCandidate,
} from "../../src/jobqueue/scaling.js";

describe("jobsForRequest", () => {
  it("matches dask-jobqueue's table for cores 2, processes 2 (scale(cores=2) → 1 job, jobs=2 → 2, scale(5) → 3, scale(1) → 1)", () => {
    const shape = { processes: 2, cores: 2, memoryBytes: 4e9 };
    assert.deepEqual([{ cores: 2 }, { jobs: 2 }, 5, 1].map((request) => jobsForRequest(request, shape)), [1, 2, 3, 1]);
  });

  it("asks for at least the cores and memory requested, the largest count winning", () => {
    const shape = { processes: 6, cores: 24, memoryBytes: 128e9 };
    assert.equal(jobsForRequest({ cores: 48 }, shape), 2);
    assert.equal(jobsForRequest({ memory: "200 GB" }, shape), 2);
    assert.equal(jobsForRequest({ memory: "1TiB" }, shape), 9);
    assert.equal(jobsForRequest({ jobs: 1, cores: 72, workers: 7 }, shape), 3);
    assert.equal(jobsForRequest(0, shape), 0);
  });

  it("refuses what is not a count", () => {
    const shape = { processes: 1, cores: 1, memoryBytes: 1e9 };
    assert.throws(() => jobsForRequest(-1, shape), /scale: workers -1 is not a whole number ≥ 0/);
    assert.throws(() => jobsForRequest(1.5, shape), /workers 1.5/);
    assert.throws(() => jobsForRequest({ job: 2 } as never, shape), /unknown key "job"/);
    assert.throws(() => jobsForRequest({}, shape), /give a number of workers, or \{ jobs \}/);
    assert.throws(() => jobsForRequest({ memory: "lots" }, shape), /scale: memory: cannot parse "lots"/);
  });
});

describe("adaptBoundsInWorkers", () => {
  it("turns job bounds into whole jobs of workers (processes 2: minimumJobs 2 → 4 workers)", () => {
    assert.deepEqual(adaptBoundsInWorkers({ minimum: 2, maximum: 4 }, 2), { minimum: 2, maximum: 4 });
    assert.deepEqual(adaptBoundsInWorkers({ minimumJobs: 2, maximumJobs: 4 }, 2), { minimum: 4, maximum: 8 });
    assert.deepEqual(adaptBoundsInWorkers({}, 3), { minimum: 0, maximum: Infinity });
    assert.deepEqual(adaptBoundsInWorkers({ minimum: 1, maximumJobs: 2, maximum: 5 }, 3), { minimum: 1, maximum: 5 });
  });

  it("refuses bounds that cross or are not counts", () => {
    assert.throws(() => adaptBoundsInWorkers({ minimumJobs: 3, maximum: 2 }, 1), /minimum \(3 workers\) is above the maximum \(2 workers\)/);
    assert.throws(() => adaptBoundsInWorkers({ maximumJobs: -1 }, 1), /maximumJobs -1 is not a whole number/);
  });
});

describe("chooseJobsToStop", () => {
  const job = (name: string, state: StopCandidate["state"], order: number, connectedWorkers = 0, storedBytes = 0): StopCandidate =>
    ({ name, state, order, connectedWorkers, storedBytes });

  it("stops jobs that have not started first, newest first, then started ones without workers", () => {
    const jobs = [job("a", "running", 0, 1, 10), job("b", "pending", 1), job("c", "pending", 2), job("d", "running", 3, 0)];
    assert.deepEqual(chooseJobsToStop(jobs, 3).map((j) => j.name), ["c", "b", "d"]);
  });

  it("among jobs with workers, those holding the least data, then the newest", () => {
    const jobs = [job("a", "running", 0, 2, 500), job("b", "running", 1, 2, 100), job("c", "running", 2, 2, 100)];
    assert.deepEqual(chooseJobsToStop(jobs, 2).map((j) => j.name), ["c", "b"]);
    assert.deepEqual(chooseJobsToStop(jobs, 0), []);
  });
});

describe("replacing jobs ahead of their workers' retirement", () => {
  it("leads by a tenth of the lifetime, at least a minute, at most half of it", () => {
    assert.equal(replacementLeadSeconds(30), 15, "1 min walltime: 30 s lifetime");
    assert.equal(replacementLeadSeconds(225), 60, "5 min walltime");
    assert.equal(replacementLeadSeconds(3240), 324, "1 h walltime: 54 min lifetime");
  });

  it("is due once the first retirement is within the lead", () => {
    assert.equal(dueForReplacement(1000, 984, 15), false);
    assert.equal(dueForReplacement(1000, 985, 15), true);
    assert.equal(dueForReplacement(null, 5000, 15), false, "workers without a lifetime");
  });

  it("takes replacementLead as given, derives it from the lifetime with \"auto\", and false turns it off", () => {
    assert.equal(replacementLeadFor(90, 3240), 90);
    assert.equal(replacementLeadFor("auto", 3240), 324);
    assert.equal(replacementLeadFor("auto", undefined), null, "workers without a lifetime");
    assert.equal(replacementLeadFor(false, 3240), null);
  });
});
