// The real-SLURM smoke test: scripts/local-slurm/start.sh brings up (or reuses) a controller
// and three nodes on this machine; jobs go through tessera's submitJob, pollJobs and cancelJobs
// against the real sbatch, squeue and scancel.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { resolveJobQueueOptions } from "../../src/config/jobqueue-options.js";
import { ConfigStore } from "../../src/config/store.js";
import { BatchCommandError, execFileRunner } from "../../src/jobqueue/command-runner.js";
import { renderJobScript } from "../../src/jobqueue/job-script.js";
import { pollJobs, type JobStatus } from "../../src/jobqueue/job-status.js";
import { cancelJobs, parseJobId, submitJob } from "../../src/jobqueue/submit.js";

const startScript = fileURLToPath(new URL("../../../scripts/local-slurm/start.sh", import.meta.url));
const isRoot = process.getuid?.() === 0;
const skipReason = isRoot ? false : "needs root: scripts/local-slurm/start.sh installs slurm-wlm and starts slurmctld/slurmd as root";
if (skipReason) console.log(`# local SLURM test skipped: ${skipReason}`);

/** Poll until `done` holds for the job's status, or fail after `seconds`. */
async function waitForStatus(id: string, done: (status: JobStatus) => boolean, seconds = 60): Promise<JobStatus> {
  const deadline = Date.now() + seconds * 1000;
  let status: JobStatus | undefined;
  while (Date.now() < deadline) {
    [status] = await pollJobs("slurm", [id]);
    if (done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`job ${id} did not reach the expected state within ${seconds} s; last status ${JSON.stringify(status)}`);
}

async function sbatchWrap(...args: string[]): Promise<string> {
  const result = await execFileRunner("sbatch", ["--output=/dev/null", "--chdir=/tmp", ...args]);
  assert.equal(result.exitCode, 0, result.stderr);
  const id = parseJobId("slurm", result.stdout);
  assert.ok(id, `no job id in ${JSON.stringify(result.stdout)}`);
  return id;
}

describe("a real SLURM on this machine", { skip: skipReason }, () => {
  before(() => {
    execFileSync("bash", [startScript], { stdio: ["ignore", "inherit", "inherit"], timeout: 600_000 });
  });

  it("shows a finished sbatch --wrap job as finished in squeue --states=all", async () => {
    const id = await sbatchWrap("--job-name=tessera-smoke", "--wrap", "sleep 1");
    const status = await waitForStatus(id, (s) => s.state !== "pending" && s.state !== "running");
    assert.deepEqual(status, { id, state: "finished", reason: null, rawState: "COMPLETED" });
  });

  it("shows a failing job as failed with SLURM's reason", async () => {
    const id = await sbatchWrap("--job-name=tessera-smoke-fail", "--wrap", "exit 3");
    const status = await waitForStatus(id, (s) => s.state !== "pending" && s.state !== "running");
    assert.deepEqual(status, { id, state: "failed", reason: "NonZeroExitCode", rawState: "FAILED" });
  });

  it("accepts tessera's rendered script, reports a pending job's reason and cancels it", async () => {
    const options = resolveJobQueueOptions("slurm", {
      cores: 2, memory: "1GiB", queue: "normal", walltime: "00:05:00", jobName: "tessera-held",
      jobExtraDirectives: ["--hold", "--output=/dev/null", "--chdir=/tmp"],
    }, undefined, { store: new ConfigStore({ env: {}, homeDirectory: "/nonexistent", systemDirectory: "/nonexistent" }) });
    const script = renderJobScript("slurm", options, { schedulerAddress: "tcp://127.0.0.1:8786", workerName: "smoke-0" });
    const id = await submitJob("slurm", script);
    const pending = await waitForStatus(id, (s) => s.state === "pending" && s.reason !== null, 20);
    assert.deepEqual(pending, { id, state: "pending", reason: "JobHeldUser", rawState: "PENDING" });
    const details = execFileSync("scontrol", ["show", "job", id], { encoding: "utf8" });
    assert.match(details, /NumCPUs=2 /, "sbatch took --cpus-per-task from the script");
    assert.match(details, /MinMemoryNode=1G /, "and --mem");
    assert.match(details, /TimeLimit=00:05:00 /, "and -t");
    await cancelJobs("slurm", [id]);
    const cancelled = await waitForStatus(id, (s) => s.state === "cancelled", 20);
    assert.equal(cancelled.rawState, "CANCELLED");
  });

  it("reports why a job waits for its start time", async () => {
    const id = await sbatchWrap("--begin=now+1hour", "--wrap", "true");
    try {
      const status = await waitForStatus(id, (s) => s.reason !== null, 20);
      assert.deepEqual([status.state, status.reason], ["pending", "BeginTime"]);
    } finally {
      await cancelJobs("slurm", [id]);
    }
  });

  it("surfaces sbatch's own error when it refuses a script", async () => {
    const script = "#!/usr/bin/env bash\n#SBATCH -p no-such-partition\n#SBATCH --output=/dev/null\ntrue\n";
    await assert.rejects(submitJob("slurm", script), (error: Error) =>
      error instanceof BatchCommandError && error.message.includes("stderr: sbatch: error: invalid partition specified: no-such-partition"));
  });

  it("answers for ids SLURM no longer knows", async () => {
    const [status] = await pollJobs("slurm", ["999999"]);
    assert.equal(status.state, "unknown");
  });
});
