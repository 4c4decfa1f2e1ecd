// The poll timer itself, for the batch systems that cannot run here (PBS, LSF, HTCondor, and
// Grid Engine's FAKE too; the real SLURM and SGE have their own polling tests): a job that
// fails before any worker connects is reported failed, with the batch system's reason, by
// the cluster's timed poll within a deadline derived from the interval (polling-wait.ts).
// No refreshJobs() here: it would poll on demand and hide a dead timer.
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HTCondorCluster, LSFCluster, PBSCluster, SGECluster, type JobQueueCluster } from "../../src/jobqueue/index.js";
import { fakeCalls, fakeRunner } from "./fake-batch-calls.js";
import { waitForPolledEnd } from "./polling-wait.js";

const pollIntervalSeconds = 0.2;

interface Case {
  system: string;
  start: (options: Record<string, unknown>) => Promise<JobQueueCluster>;
  extra: Record<string, unknown>;
  /** Makes job `id` fail in the fake queue, as the batch system would show it. */
  fail: (id: string) => void;
  rawState: string;
  reason: RegExp;
}

let records = "";
let directory = "";
const open: JobQueueCluster[] = [];

/** Replaces (or drops, with null) the line of `id` in a fake's queue file. */
function setLine(file: string, id: string, line: string | null): void {
  const path = join(records, file);
  const kept = readFileSync(path, "utf8").split("\n").filter((l) => l !== "" && l.split(/[| ]/)[0] !== id);
  writeFileSync(path, [...kept, ...(line === null ? [] : [line])].map((l) => `${l}\n`).join(""));
}

const cases: Case[] = [
  {
    system: "pbs", start: (o) => PBSCluster.start(o), extra: { queue: "workq" },
    fail: (id) => setLine("pbs-states", id, `${id} F 1 could not start the worker`), rawState: "F", reason: /^Exit_status 1: could not start the worker$/,
  },
  {
    system: "lsf", start: (o) => LSFCluster.start(o), extra: { queue: "normal", lsfUnits: "mb" },
    fail: (id) => setLine("lsf-states", id, `${id}|EXIT|1|-`), rawState: "EXIT", reason: /^exit code 1$/,
  },
  {
    // A finished job leaves condor_q; its record is in the history.
    system: "htcondor", start: (o) => HTCondorCluster.start(o), extra: { disk: "1GB" },
    fail: (id) => {
      setLine("htcondor-states", id, null);
      appendFileSync(join(records, "htcondor-history"), `${id} 4 1 undefined\n`);
    },
    rawState: "4", reason: /^exit code 1$/,
  },
  {
    // A finished job leaves qstat; qacct has its end.
    system: "sge", start: (o) => SGECluster.start(o), extra: { queue: "all.q" },
    fail: (id) => {
      appendFileSync(join(records, "sge-accounting"), `${id} 0 7\n`);
      setLine("sge-states", id, null);
    },
    rawState: "qacct", reason: /^exit status 7$/,
  },
];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "tessera-polling-fakes-"));
  records = join(directory, "records");
  mkdirSync(records);
  process.env.FAKE_BATCH_DIR = records;
});
afterEach(async () => {
  for (const cluster of open.splice(0)) await cluster.close();
  rmSync(directory, { recursive: true, force: true });
});

for (const c of cases) {
  describe(`${c.system}: the poll timer, through the FAKE commands`, () => {
    it("reports a job that failed before its worker connected as failed, with the system's reason, within the interval's bound", async () => {
      const cluster = await c.start({
        cores: 1, memory: "1GB", processes: 1, ...(c.system === "htcondor" ? {} : { walltime: "00:10:00" }), ...c.extra,
        logDirectory: join(directory, "logs"), stateDirectory: join(directory, "state"), pollInterval: `${pollIntervalSeconds * 1000}ms`,
        maxFailedStarts: 1, schedulerOptions: { dashboardAddress: false, host: "127.0.0.1" }, commandRunner: fakeRunner(c.system),
      });
      open.push(cluster);
      await cluster.scale({ jobs: 1 });
      const [job] = cluster.jobs;
      assert.equal(job.state, "pending");
      c.fail(job.id);
      const ended = await waitForPolledEnd(cluster, { pollIntervalSeconds, known: Promise.resolve(), what: c.system });
      assert.deepEqual([ended.id, ended.state, ended.rawState, ended.workers], [job.id, "failed", c.rawState, []]);
      assert.match(ended.reason ?? "", c.reason);
    });
  });
}

/** An SGECluster on the FAKE Grid Engine commands with one job submitted. */
async function startOneFakeSgeJob(): Promise<JobQueueCluster> {
  const cluster = await SGECluster.start({
    cores: 1, memory: "1GB", processes: 1, walltime: "00:10:00", queue: "all.q",
    logDirectory: join(directory, "logs"), stateDirectory: join(directory, "state"), pollInterval: `${pollIntervalSeconds * 1000}ms`,
    maxFailedStarts: 1, schedulerOptions: { dashboardAddress: false, host: "127.0.0.1" }, commandRunner: fakeRunner("sge"),
  });
  open.push(cluster);
  await cluster.scale({ jobs: 1 });
  return cluster;
}

describe("sge: a job that left qstat before its accounting record was written, through the FAKE commands", () => {
  it("is asked about again until qacct has its end, then reported with that reason", async () => {
    const cluster = await startOneFakeSgeJob();
    const [job] = cluster.jobs;
    setLine("sge-states", job.id, `${job.id} r`);
    const qacctCalls = () => fakeCalls(records).filter((call) => call.command === "qacct" && call.argv.includes(job.id)).length;
    assert.equal((await cluster.refreshJobs())[0].state, "running");
    setLine("sge-states", job.id, null); // gone from qstat; Grid Engine has not flushed its accounting yet
    // Last resort, bounded: wait until the poll timer asked qacct twice without an answer
    // (60 s: a loaded machine's slack, far below what a 1000-fold interval would take).
    const deadline = Date.now() + 60_000;
    while (qacctCalls() < 2) {
      assert.ok(Date.now() < deadline, `the poll timer (every ${pollIntervalSeconds} s) did not ask qacct twice within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(cluster.jobs[0].endedAt, null, "not taken as ended while its record may come");
    appendFileSync(join(records, "sge-accounting"), `${job.id} 0 3\n`);
    const ended = await waitForPolledEnd(cluster, { pollIntervalSeconds, known: Promise.resolve(), what: "sge late accounting" });
    assert.deepEqual([ended.state, ended.reason], ["failed", "exit status 3"]);
  });
});

describe("sge: a job in error state (Eqw), through the FAKE commands", () => {
  it("is reported failed and deleted from the queue, where it would otherwise stay", async () => {
    const cluster = await startOneFakeSgeJob();
    const [job] = cluster.jobs;
    setLine("sge-states", job.id, `${job.id} Eqw`);
    const ended = await waitForPolledEnd(cluster, { pollIntervalSeconds, known: Promise.resolve(), what: "sge Eqw" });
    assert.deepEqual([ended.state, ended.rawState], ["failed", "Eqw"]);
    const deletes = fakeCalls(records).filter((call) => call.command === "qdel");
    assert.deepEqual(deletes.map((call) => call.argv), [[job.id]], "the cluster deleted the job stuck in error state");
  });
});
