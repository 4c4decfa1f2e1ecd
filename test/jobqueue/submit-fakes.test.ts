// Submission, cancellation and polling through the fake PBS, Grid Engine, LSF and HTCondor
// commands of test/fixtures/fake-batch (put first on PATH), with the real execFile runner.
import { after, afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { BatchCommandError, execFileRunner } from "../../src/jobqueue/command-runner.js";
import { cancelJobs, submitJob } from "../../src/jobqueue/submit.js";
import { pollJobs } from "../../src/jobqueue/job-status.js";
import { fakeBatchDirectory, fakeCalls } from "./fake-batch-calls.js";

const script = "#!/usr/bin/env bash\n\n#FAKE -N test\n\necho worker\n\n";

let recordDirectory = "";
const originalPath = process.env.PATH;

/** The calls the fakes recorded, oldest first. */
const calls = () => fakeCalls(recordDirectory);

function useFakes(system: string): void {
  process.env.PATH = `${join(fakeBatchDirectory, system)}:${originalPath}`;
}

beforeEach(() => {
  recordDirectory = mkdtempSync(join(tmpdir(), "tessera-fake-batch-"));
  process.env.FAKE_BATCH_DIR = recordDirectory;
  delete process.env.FAKE_BATCH_FAIL;
});
afterEach(() => {
  rmSync(recordDirectory, { recursive: true, force: true });
  process.env.PATH = originalPath;
  delete process.env.FAKE_BATCH_FAIL;
});

describe("PBS through fake qsub/qdel/qstat", () => {

  it("submits a private temporary script and returns the full job id", async () => {
    useFakes("pbs");
    const id = await submitJob("pbs", script);
    assert.equal(id, "1000.pbs-server");
    const [call] = calls();
    assert.equal(call.command, "qsub");
    assert.equal(call.argv.length, 1);
    assert.match(call.argv[0], /tessera-job-.*\/job\.sh$/);
    assert.equal(call.script, script);
    assert.equal(call.scriptMode, "600");
    assert.ok(!existsSync(call.argv[0]), "the temporary script is removed after submission");
  });

  it("surfaces qsub's stderr, exit code and command when it refuses the job", async () => {
    useFakes("pbs");
    process.env.FAKE_BATCH_FAIL = "1";
    await assert.rejects(submitJob("pbs", script), (error: Error) =>
      error instanceof BatchCommandError && /^submitting a pbs job failed: `qsub \/.*job\.sh` exited with code 1;/.test(error.message) &&
      error.message.includes("stderr: qsub: Unknown queue") && error.result?.exitCode === 1);
  });

  it("cancels with qdel and the ids", async () => {
    useFakes("pbs");
    await cancelJobs("pbs", ["1000.pbs-server", "1001.pbs-server"]);
    assert.deepEqual(calls().map((c) => [c.command, c.argv]), [["qdel", ["1000.pbs-server", "1001.pbs-server"]]]);
  });

  it("polls with qstat -x -f, matching ids with or without the server, unknown ids included", async () => {
    useFakes("pbs");
    writeFileSync(join(recordDirectory, "pbs-states"),
      "1000.pbs-server Q - Not Running: Insufficient amount of resource: ncpus\n1001.pbs-server F 0\n1002.pbs-server F 1\n");
    const statuses = await pollJobs("pbs", ["1000.pbs-server", "1001", "1002.pbs-server", "1003.pbs-server"]);
    assert.deepEqual(statuses.map((s) => [s.id, s.state, s.reason]), [
      ["1000.pbs-server", "pending", "Not Running: Insufficient amount of resource: ncpus"],
      ["1001", "finished", null],
      ["1002.pbs-server", "failed", "Exit_status 1"],
      ["1003.pbs-server", "unknown", "not reported by the batch system"],
    ]);
    assert.deepEqual(calls()[0].argv, ["-x", "-f", "1000.pbs-server", "1001", "1002.pbs-server", "1003.pbs-server"]);
  });
});

describe("Grid Engine through fake qsub/qdel/qstat", () => {
  it("submits, parses 'Your job N', polls the user's jobs and cancels", async () => {
    useFakes("sge");
    assert.equal(await submitJob("sge", script), "1000");
    writeFileSync(join(recordDirectory, "sge-states"), "1000 qw\n999 r\n");
    const statuses = await pollJobs("sge", ["1000", "998"]); // 998 left qstat and has no accounting record yet
    assert.deepEqual(statuses.map((s) => [s.id, s.state]), [["1000", "pending"], ["998", "unknown"]]);
    await cancelJobs("sge", ["1000"]);
    assert.deepEqual(calls().map((c) => [c.command, c.argv.length === 1 && c.command === "qsub" ? "<script>" : c.argv]), [
      ["qsub", "<script>"], ["qstat", ["-u", userInfo().username]], ["qacct", ["-j", "998"]], ["qdel", ["1000"]],
    ]);
  });

  it("surfaces the rejection message", async () => {
    useFakes("sge");
    process.env.FAKE_BATCH_FAIL = "1";
    await assert.rejects(submitJob("sge", script), /stderr: Unable to run job: Job was rejected because job requests unknown queue "nope"\.\nExiting\./);
  });
});

describe("LSF through fake bsub/bkill/bjobs", () => {
  it("feeds the script to bsub on stdin and parses 'Job <N>'", async () => {
    useFakes("lsf");
    assert.equal(await submitJob("lsf", script), "1000");
    const [call] = calls();
    assert.deepEqual(call.argv, []);
    assert.equal(call.stdin, script);
  });

  it("passes the script as a file when useStdin is false", async () => {
    useFakes("lsf");
    assert.equal(await submitJob("lsf", script, execFileRunner, { useStdin: false }), "1000");
    const [call] = calls();
    assert.equal(call.argv.length, 1);
    assert.equal(call.script, script);
    assert.equal(call.stdin, "");
  });

  it("surfaces bsub's stderr", async () => {
    useFakes("lsf");
    process.env.FAKE_BATCH_FAIL = "1";
    await assert.rejects(submitJob("lsf", script), /`bsub` exited with code 1;[^]*stderr: nope: No such queue\. Job not submitted\./);
  });

  it("polls with bjobs -o and reports ids bjobs no longer knows as unknown", async () => {
    useFakes("lsf");
    writeFileSync(join(recordDirectory, "lsf-states"), "1000|PEND|-|New job is waiting for scheduling;\n1001|EXIT|1|-\n");
    const statuses = await pollJobs("lsf", ["1000", "1001", "1002"]);
    assert.deepEqual(statuses.map((s) => [s.id, s.state, s.reason]), [
      ["1000", "pending", "New job is waiting for scheduling"], ["1001", "failed", "exit code 1"], ["1002", "unknown", "not reported by the batch system"],
    ]);
    assert.deepEqual(calls()[0].argv, ["-a", "-noheader", "-o", "jobid stat exit_code pend_reason delimiter='|'", "1000", "1001", "1002"]);
    const gone = await pollJobs("lsf", ["1500"]);
    assert.equal(gone[0].state, "unknown", "bjobs exits 255 when it knows none of the ids: still an answer");
  });

  it("cancels with bkill", async () => {
    useFakes("lsf");
    await cancelJobs("lsf", ["1000"]);
    assert.deepEqual(calls().map((c) => [c.command, c.argv]), [["bkill", ["1000"]]]);
  });
});

describe("HTCondor through fake condor_submit/condor_rm/condor_q", () => {
  it("submits with extra arguments and returns cluster.proc", async () => {
    useFakes("htcondor");
    assert.equal(await submitJob("htcondor", script, execFileRunner, { submitCommandExtra: ["-name", "sched1"] }), "1000.0");
    const [call] = calls();
    assert.deepEqual(call.argv.slice(0, 2), ["-name", "sched1"]);
    assert.match(call.argv[2], /job\.sub$/);
    assert.equal(call.script, script);
  });

  it("surfaces condor_submit's stderr", async () => {
    useFakes("htcondor");
    process.env.FAKE_BATCH_FAIL = "1";
    await assert.rejects(submitJob("htcondor", script), /stderr: ERROR: on Line 4 of submit file/);
  });

  it("polls with condor_q -af:j and cancels with condor_rm", async () => {
    useFakes("htcondor");
    writeFileSync(join(recordDirectory, "htcondor-states"), "1000.0 2 undefined undefined\n1001.0 5 undefined Job has gone over memory limit\n");
    const statuses = await pollJobs("htcondor", ["1000.0", "1001.0", "1002.0"]);
    assert.deepEqual(statuses.map((s) => [s.id, s.state]), [["1000.0", "running"], ["1001.0", "pending"], ["1002.0", "unknown"]]);
    assert.equal(statuses[1].reason, "held: Job has gone over memory limit");
    await cancelJobs("htcondor", ["1000.0"], execFileRunner, { cancelCommandExtra: ["-name", "sched1"] });
    assert.deepEqual(calls().map((c) => [c.command, c.argv]), [
      ["condor_q", ["1000.0", "1001.0", "1002.0", "-af:j", "JobStatus", "ExitCode", "HoldReason"]],
      // 1002.0 left the queue: its end is looked up in the history.
      ["condor_history", ["1002.0", "-limit", "1", "-af:j", "JobStatus", "ExitCode", "HoldReason"]],
      ["condor_rm", ["-name", "sched1", "1000.0"]],
    ]);
  });
});

describe("errors that are not answers", () => {
  after(() => { process.env.PATH = originalPath; });

  it("a status command failing for another reason raises with its stderr", async () => {
    const runner = async () => ({ exitCode: 1, stdout: "", stderr: "slurm_load_jobs error: Unable to contact slurm controller" });
    await assert.rejects(pollJobs("slurm", ["1"], runner), (error: Error) =>
      error instanceof BatchCommandError && error.message.includes("stderr: slurm_load_jobs error: Unable to contact slurm controller"));
  });

  it("a submit whose output holds no job id says so", async () => {
    const runner = async () => ({ exitCode: 0, stdout: "queue is closed today\n", stderr: "" });
    await assert.rejects(submitJob("lsf", script, runner), /could not find a job id in the output[^]*stdout: queue is closed today/);
  });

  it("a command that is not installed is reported as such", async () => {
    process.env.PATH = "/nonexistent";
    await assert.rejects(submitJob("slurm", script), (error: Error) =>
      error instanceof BatchCommandError && /sbatch is not on PATH/.test(error.message));
  });
});

describe("execFileRunner", () => {
  it("passes stdin, returns stdout, stderr and a non-zero exit code without throwing", async () => {
    const result = await execFileRunner(process.execPath, ["-e", "process.stdin.pipe(process.stdout); console.error('warn'); process.exitCode = 3"], { input: "hello" });
    assert.deepEqual(result, { exitCode: 3, stdout: "hello", stderr: "warn\n" });
  });

  it("never goes through a shell", async () => {
    const result = await execFileRunner(process.execPath, ["-e", "console.log(process.argv[1])", "$HOME; echo injected"]);
    assert.equal(result.stdout, "$HOME; echo injected\n");
  });
});
