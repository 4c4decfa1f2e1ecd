// SLURMRunner under a real `srun` on the local SLURM (three nodes on this machine), and
// MPIRunner under a pretend MPI launch (three local processes with Open MPI's variables).
// The user's script is fixtures/runner-script.ts, compiled to dist/ and run with node.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureLocalSlurm, slurmSkipReason } from "../jobqueue/local-slurm-fixture.js";

const script = fileURLToPath(new URL("./fixtures/runner-script.js", import.meta.url));
let shared = "";

interface Outcome {
  code: number | null;
  stderr: string;
  /** Exit code per task, from srun's "task(s) N: Exited with exit code C" lines. */
  taskCodes: Map<number, number | "killed">;
}

/** Runs a job step; one still running after two minutes is killed (its exit code is then null). */
function srun(args: string[], mode: string, env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile("srun", [...args, process.execPath, script, join(shared, "scheduler-{job_id}.json"), mode, join(shared, `result-${mode}.json`)], {
      cwd: shared, env: { ...process.env, TESSERA_LOG_LEVEL: "error", ...env }, timeout: 120_000, encoding: "utf8",
    }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stderr, taskCodes: srunTaskCodes(stderr) });
    });
  });
}

/** "srun: error: n1: tasks 0-1: Exited with exit code 3" → tasks 0 and 1 exited with 3. */
function srunTaskCodes(stderr: string): Map<number, number | "killed"> {
  const codes = new Map<number, number | "killed">();
  for (const match of stderr.matchAll(/tasks? ([\d,-]+): (?:Exited with exit code (\d+)|(Killed))/g)) {
    for (const part of match[1].split(",")) {
      const [from, to = from] = part.split("-").map(Number);
      for (let task = from; task <= to; task++) codes.set(task, match[3] ? "killed" : Number(match[2]));
    }
  }
  return codes;
}

const sorted = (codes: Map<number, number | "killed">) => [...codes].sort(([a], [b]) => a - b);

describe("SLURMRunner under srun", { skip: slurmSkipReason }, () => {
  before(async () => {
    await ensureLocalSlurm();
    shared = mkdtempSync(join(tmpdir(), "tessera-runner-"));
  });
  after(() => rmSync(shared, { recursive: true, force: true }));

  it("srun -N 3 -n 5: rank 0 schedules, 2–4 work, 1 computes; every task exits 0 and cleans up", async () => {
    const outcome = await srun(["-N", "3", "-n", "5"], "ok");
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(sorted(outcome.taskCodes), []);
    const result = JSON.parse(readFileSync(join(shared, "result-ok.json"), "utf8")) as Record<string, unknown>;
    assert.deepEqual(result.workerNames, ["2", "3", "4"]);
    assert.equal(result.nWorkers, 3);
    assert.equal(result.sum, Array.from({ length: 20 }, (_, i) => i * i).reduce((a, b) => a + b, 0));
    assert.equal(result.onRank2, "2", "workers are named by rank");
    assert.equal(result.clientRank, "1");
    assert.equal((result.jobIds as string[]).length, 1);
    assert.deepEqual(readdirSync(shared).filter((name) => name.startsWith("scheduler-")), [], "no scheduler or exit-status file is left");
  });

  it("a failure of the user's code is every task's exit status", async () => {
    const outcome = await srun(["-N", "3", "-n", "5"], "fail");
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /the user's code failed on purpose/);
    assert.deepEqual(sorted(outcome.taskCodes), [[0, 1], [1, 1], [2, 1], [3, 1], [4, 1]]);
  });

  it("so is the user's own exit code", async () => {
    const outcome = await srun(["-N", "3", "-n", "5"], "exit3");
    assert.equal(outcome.code, 3);
    assert.deepEqual(sorted(outcome.taskCodes), [[0, 3], [1, 3], [2, 3], [3, 3], [4, 3]]);
  });

  it("the other tasks stop when the client task disappears", async () => {
    const outcome = await srun(["-N", "3", "-n", "5"], "vanish", { RUNNER_EXIT_WAIT: "2s" });
    assert.equal(typeof outcome.code, "number", "the step ended by itself, not by the test's two-minute guard");
    assert.notEqual(outcome.code, 0);
    assert.deepEqual(sorted(outcome.taskCodes), [[0, 1], [1, "killed"], [2, 1], [3, 1], [4, 1]]);
    assert.match(outcome.stderr, /the client rank \(1\) went away/);
  });

  it("srun -n 2 fails with a clear error on every task", async () => {
    const outcome = await srun(["-n", "2"], "ok");
    assert.notEqual(outcome.code, 0);
    const message = "Not enough Slurm tasks to start cluster, found 2, needs at least 3, one each for the scheduler, client and a worker";
    assert.equal(outcome.stderr.split(message).length - 1, 2, outcome.stderr);
    assert.deepEqual(sorted(outcome.taskCodes), [[0, 1], [1, 1]]);
  });
});

/**
 * Runs the script as one process of a pretend launch; resolves with its exit code and stderr.
 * One still running after two minutes is killed (a hang guard: its exit code is then null).
 */
function runRank(env: Record<string, string>, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? "", TESSERA_LOG_LEVEL: "error", ...env }, stdio: ["ignore", "ignore", "pipe"],
      timeout: 120_000, killSignal: "SIGKILL",
    });
    let stderr = "";
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

describe("runners without srun", () => {
  let directory = "";
  before(() => (directory = mkdtempSync(join(tmpdir(), "tessera-mpi-runner-"))));
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("MPIRunner takes ranks from OMPI_COMM_WORLD_RANK and runs the same roles", async () => {
    const file = join(directory, "scheduler.json");
    const ranks = await Promise.all([0, 1, 2].map((rank) => runRank(
      { RUNNER_KIND: "mpi", OMPI_COMM_WORLD_RANK: String(rank), OMPI_COMM_WORLD_SIZE: "3" },
      [file, "exit3", join(directory, "result.json")],
    )));
    assert.deepEqual(ranks.map((rank) => rank.code), [3, 3, 3], ranks.map((rank) => rank.stderr).join("\n"));
    const result = JSON.parse(readFileSync(join(directory, "result.json"), "utf8")) as Record<string, unknown>;
    assert.deepEqual([result.workerNames, result.onRank2, result.clientRank], [["2"], "2", "1"]);
  });

  it("a scheduler file that never appears is a timeout naming the path, on the client and on a worker", async () => {
    const file = join(directory, "never-{job_id}.json");
    const env = { SLURM_NTASKS: "3", SLURM_JOB_ID: "4711", RUNNER_TIMEOUT: "2s" };
    const [client, worker] = await Promise.all([
      runRank({ ...env, SLURM_PROCID: "1" }, [file, "ok"]),
      runRank({ ...env, SLURM_PROCID: "2" }, [file, "ok"]),
    ]);
    const expected = `the scheduler file ${join(directory, "never-4711.json")} did not appear within 2 s`;
    assert.equal(client.code, 1);
    assert.ok(client.stderr.includes(`TimeoutError: ${expected}`), client.stderr);
    assert.equal(worker.code, 1);
    assert.ok(worker.stderr.includes(`tessera runner, rank 2 (worker): ${expected}`), worker.stderr);
    assert.ok(!existsSync(join(directory, "never-4711.json")));
  });
});
