import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { Client } from "../../src/index.js";

const bin = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** Polls `predicate` (no event says so); the deadline is a hang guard only. */
async function waitFor(predicate: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`still not so after ${ms / 1000} s: ${predicate.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exitOf = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

describe("the tessera command", () => {
  it("demo runs the DoG on a synthetic volume and says the halo overhead, with the chunks that would bring it under 2×", () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-demo-test-"));
    try {
      const output = join(dir, "dog.zarr");
      // The timeout is a hang guard only.
      const result = spawnSync(process.execPath, [bin, "demo", "--shape", "64,128,128", "--no-dashboard", "--output", output], { encoding: "utf8", timeout: 300_000 });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /DoG of 64×128×128 \(8 output chunks\)/);
      // Z: 2 chunks of 32 each read the whole 64; Y and X: 2 chunks of 64 each read 104 of 128.
      assert.match(result.stdout, /Halo overhead with chunks \(32, 64, 64\) and depth 40: 5\.3× cells read per cell written; chunks of \(64, 128, 128\) would bring it under 2×/);
      assert.ok(existsSync(join(output, ".zarray")), "the result was written");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints help with the exit codes", () => {
    const top = run(["--help"]);
    assert.equal(top.code, 0);
    assert.match(top.stdout, /scheduler/);
    assert.match(top.stdout, /worker/);
    assert.match(top.stdout, /demo/);
    const worker = run(["worker", "--help"]);
    assert.equal(worker.code, 0);
    assert.match(worker.stdout, /Exit codes/);
    assert.match(worker.stdout, /--death-timeout/);
  });

  it("exits 2 on invalid options, naming them", () => {
    const bad = run(["worker", "tcp://127.0.0.1:1", "--nthreads", "0"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--nthreads must be a positive integer, got "0"/);
    const memory = run(["worker", "tcp://127.0.0.1:1", "--memory-limit", "lots"]);
    assert.equal(memory.code, 2);
    assert.match(memory.stderr, /cannot parse "lots"/);
    const lifetime = run(["worker", "tcp://127.0.0.1:1", "--lifetime", "soon"]);
    assert.equal(lifetime.code, 2);
    assert.match(lifetime.stderr, /--lifetime: cannot parse "soon" as a duration/);
    const input = run(["demo", "--input", "/nonexistent/volume.zarr"]);
    assert.equal(input.code, 2);
    assert.match(input.stderr, /--input \/nonexistent\/volume\.zarr does not exist/);
    const scheme = run(["worker", "udp://127.0.0.1:1"], { TESSERA_CREDENTIAL: "x" });
    assert.equal(scheme.code, 2);
    assert.match(scheme.stderr, /unknown scheme "udp"/);
  });

  it("prints the job script a cluster would submit", () => {
    const slurm = run(["job-script", "slurm", "--cores", "24", "--memory", "128GB", "--queue", "normal", "--walltime", "02:00:00"]);
    assert.equal(slurm.code, 0);
    assert.match(slurm.stdout, /^#!\/usr\/bin\/env bash/);
    assert.match(slurm.stdout, /#SBATCH --mem=120G/);
    assert.match(slurm.stdout, /worker .* --nthreads 4 .*--nworkers 6/);
    const unknown = run(["job-script", "kubernetes", "--cores", "2"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /kubernetes/);
  });

  it("exits 1 when the scheduler cannot be reached, naming the address", () => {
    // run() gives up after 30 s: a worker that ignored --death-timeout would show as no exit code.
    const result = run(["worker", "tcp://127.0.0.1:9", "--death-timeout", "1s"], { TESSERA_CREDENTIAL: "x".repeat(64) });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /timed out trying to connect to tcp:\/\/127\.0\.0\.1:9 after 1 s/, "it gave up after the death timeout it was given");
  });

  it("runs a scheduler and workers from a scheduler file, and stops cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-cli-"));
    const file = join(dir, "scheduler.json");
    const scheduler = start(["scheduler", "--port", "0", "--interface", "lo", "--scheduler-file", file, "--no-dashboard"]);
    let output = "";
    scheduler.stdout?.on("data", (text: Buffer) => (output += text.toString()));
    try {
      // Two events, in no fixed order as the test sees them: the file written, the line printed.
      const announced = /Scheduler at tcp:\/\/127\.0\.0\.1:\d+/;
      await waitFor(() => existsSync(file) && announced.test(output));
      const workers = start(["worker", "--scheduler-file", file, "--nworkers", "2", "--name", "w", "--nthreads", "1"]);
      const client = await Client.connect({ schedulerFile: file }, { setAsDefault: false });
      await client.waitForWorkers(2, { timeout: 30 });
      const names = Object.values(client.schedulerInfo().workers).map((w) => w.name).sort();
      assert.deepEqual(names, ["w-0", "w-1"]);
      assert.equal(await client.submit((a: number) => a * 2, 21).result(), 42);
      await client.close();
      const workersExit = exitOf(workers);
      workers.kill("SIGTERM");
      assert.equal(await workersExit, 0, "workers retire and exit 0 on SIGTERM");
      const schedulerExit = exitOf(scheduler);
      scheduler.kill("SIGTERM");
      assert.equal(await schedulerExit, 0);
      assert.ok(!existsSync(file), "the scheduler file is removed");
    } finally {
      scheduler.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
