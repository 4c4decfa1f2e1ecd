// MPIRunner under a real Open MPI launch (Debian's openmpi-bin 4.1): `mpirun -n 4 node
// script.js` on this machine. Rank 0 runs the scheduler, rank 1 the user's code (the course's
// DoG pipeline, checked voxel for voxel against Dask + scipy), ranks 2–3 the workers; the
// client rank's exit status is every rank's, so mpirun exits with it. As root, mpirun needs
// --allow-run-as-root, and four ranks on two cores need --oversubscribe.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSyntheticVolume } from "../../src/cli/synthetic-volume.js";
import { compareZarr, python } from "../array/python.js";

const script = fileURLToPath(new URL("./fixtures/runner-script.js", import.meta.url));

function mpirunVersion(): string | null {
  try {
    return execFileSync("mpirun", ["--version"], { encoding: "utf8" });
  } catch {
    return null;
  }
}
const version = mpirunVersion();
const skipReason = version === null
  ? "mpirun is not installed: scripts/install-system-deps.sh installs Debian's openmpi-bin"
  : /Open MPI/.test(version) ? false : `mpirun is not Open MPI's (${version.split("\n")[0]})`;
if (skipReason) console.log(`# MPIRunner tests skipped: ${skipReason}`);

let shared = "";

/** Processes of this machine still running this worktree's runner script (a rank left behind). */
function leftoverRanks(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").includes(script)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

interface Outcome {
  code: number | null;
  stderr: string;
}

function mpirun(ranks: number, mode: string, env: Record<string, string> = {}): Promise<Outcome> {
  const launcher = process.getuid?.() === 0 ? ["--allow-run-as-root"] : [];
  return new Promise((resolve) => {
    execFile("mpirun", [...launcher, "--oversubscribe", "-n", String(ranks), process.execPath, script,
      join(shared, "scheduler-{job_id}.json"), mode, join(shared, `result-${mode}.json`)], {
      cwd: shared, timeout: 300_000, encoding: "utf8",
      // Each rank's stdout is a terminal under mpirun: no colour codes in what the test reads.
      env: { ...process.env, RUNNER_KIND: "mpi", TESSERA_LOG_LEVEL: "error", NODE_DISABLE_COLORS: "1", ...env },
    }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stderr });
    });
  });
}

describe("MPIRunner under mpirun (Open MPI)", { skip: skipReason }, () => {
  before(() => (shared = mkdtempSync(join(tmpdir(), "tessera-mpirun-"))));
  after(() => rmSync(shared, { recursive: true, force: true }));

  it("mpirun -n 4: rank 0 schedules, 1 runs the DoG on workers 2–3 (equal to Dask + scipy), every rank exits 0", async () => {
    const input = join(shared, "volume.zarr");
    await writeSyntheticVolume(input, { shape: [40, 80, 80], seed: 5 });
    const output = join(shared, "dog.zarr");
    const outcome = await mpirun(4, "dog", { RUNNER_DOG_INPUT: input, RUNNER_DOG_OUTPUT: output });
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(leftoverRanks(), [], "every rank ended");
    const result = JSON.parse(readFileSync(join(shared, "result-dog.json"), "utf8")) as Record<string, unknown>;
    assert.deepEqual([result.schedulerRank, result.clientRank, result.workerNames, result.nWorkers], ["0", "1", ["2", "3"], 2]);
    assert.equal(result.onRank2, "2", "workers are named by rank");
    assert.match(String(result.jobId), /^\d+$/, "Open MPI's job id fills {job_id}");
    assert.equal(result.sum, Array.from({ length: 20 }, (_, i) => i * i).reduce((a, b) => a + b, 0));
    python("dask_dog.py", input, "0/0", join(shared, "dask-dog.zarr"), "synchronous");
    const comparison = compareZarr(output, join(shared, "dask-dog.zarr"));
    assert.deepEqual([comparison.shape, comparison.mismatches, comparison.equal], [[40, 80, 80], 0, true]);
    assert.deepEqual(readdirSync(shared).filter((name) => name.startsWith("scheduler-")), [], "no scheduler or exit-status file is left");
  });

  it("a failure of the user's code makes mpirun exit non-zero", async () => {
    const outcome = await mpirun(4, "fail");
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(outcome.stderr, /the user's code failed on purpose/);
    assert.deepEqual(leftoverRanks(), [], "no rank is left running");
  });

  it("the user's own exit code is mpirun's; no rank ends with another", async () => {
    const exitLog = mkdtempSync(join(shared, "exit-codes-"));
    const outcome = await mpirun(4, "exit3", { RUNNER_EXIT_LOG: exitLog });
    assert.equal(outcome.code, 3, outcome.stderr);
    // Once rank 1 exits non-zero, mpirun ends the ranks still running (SIGTERM after about a
    // second), so not every rank gets to record its code; those that do recorded the client's.
    const records = readdirSync(exitLog).filter((name) => name.startsWith("rank-"));
    const codes = new Map(records.map((name) => [name, readFileSync(join(exitLog, name), "utf8")]));
    assert.equal(codes.get("rank-1"), "3");
    assert.deepEqual([...new Set(codes.values())], ["3"], JSON.stringify([...codes]));
    assert.deepEqual(leftoverRanks(), []);
  });

  it("a client rank killed by a signal fails the launch; the other ranks stop", async () => {
    const outcome = await mpirun(4, "vanish", { RUNNER_EXIT_WAIT: "2s" });
    assert.notEqual(outcome.code, 0);
    assert.match(outcome.stderr, /process rank 1 with PID \d+ on node \S+ exited on signal 9/, outcome.stderr);
    assert.deepEqual(leftoverRanks(), [], "the scheduler and worker ranks stopped too");
  });

  it("mpirun -n 2 fails on every rank with a clear error", async () => {
    const outcome = await mpirun(2, "ok");
    assert.notEqual(outcome.code, 0);
    const message = "Not enough MPI ranks to start cluster, found 2, needs at least 3, one each for the scheduler, client and a worker";
    assert.ok(outcome.stderr.includes(message), outcome.stderr);
  });
});
