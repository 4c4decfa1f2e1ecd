/**
 * Bad memory settings fail at start, in words, before anything connects or spills: from the
 * command line, from the environment's configuration, and from the constructors.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LocalCluster } from "../../../src/index.js";
import { WorkerServer } from "../../../src/worker/server/worker-server.js";

const bin = fileURLToPath(new URL("../../../../bin/tessera.js", import.meta.url));
/**
 * Nothing listens here: an error about memory proves the check came before connecting. A
 * worker that tried to connect first would wait out its death timeout, which is longer than
 * the test waits for it (it would end with no exit code, killed).
 */
const nowhere = "tcp://127.0.0.1:9";

function worker(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, "worker", nowhere, "--death-timeout", "300s", ...args], {
    encoding: "utf8", timeout: 120_000, env: { ...process.env, TESSERA_CREDENTIAL: "x".repeat(64), ...env },
  });
  return { code: result.status, stderr: result.stderr };
}

describe("bad memory settings", () => {
  let dir: string;
  let notADirectory: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-bad-memory-"));
    notADirectory = join(dir, "a-file");
    writeFileSync(notADirectory, "");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, string[], RegExp]> = [
    ["a memory limit that does not parse", ["--memory-limit", "lots"], /cannot parse "lots" as a byte size/],
    ["fractions out of order", ["--memory-target-fraction", "0.7", "--memory-spill-fraction", "0.5"], /memory fractions are out of order: spill \(0\.5\) is below target \(0\.7\)/],
    ["a fraction above 1", ["--memory-pause-fraction", "1.5"], /--memory-pause-fraction must be a fraction above 0 and at most 1, or false, got "1\.5"/],
    ["a spill cap that does not parse", ["--max-spill", "plenty"], /cannot parse "plenty" as a byte size/],
  ];
  for (const [name, args, message] of cases) {
    it(`tessera worker: ${name} exits 2 at once, saying so`, () => {
      for (const nanny of [[], ["--no-nanny"]]) {
        const result = worker([...args, ...nanny]);
        assert.equal(result.code, 2, `${result.stderr}: it exits at once, without waiting for the scheduler`);
        assert.match(result.stderr, message);
      }
    });
  }

  it("tessera worker: a local directory that cannot be written exits 2 at once, naming it", () => {
    for (const nanny of [[], ["--no-nanny"]]) {
      const result = worker(["--local-directory", join(notADirectory, "scratch"), ...nanny]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /localDirectory .*a-file\/scratch cannot be written \(ENOTDIR\); give a writable node-local directory/);
    }
  });

  it("tessera worker: a read-only local directory is refused too", (t) => {
    if (process.getuid?.() === 0) return t.skip("running as root, which may write to any directory");
    const readOnly = join(dir, "read-only");
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    const result = worker(["--local-directory", readOnly]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /cannot be written \(EACCES\)/);
  });

  it("tessera worker: fractions out of order in the configuration fail the same way", () => {
    const result = worker([], { TESSERA_DISTRIBUTED__WORKER__MEMORY__SPILL: "0.5" });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /spill \(0\.5\) is below target \(0\.6\)/);
  });

  it("LocalCluster.start refuses before starting any worker", { timeout: 120_000 }, async () => {
    // Its own words (option names as LocalCluster takes them), not a worker's failure reported back.
    const quick = async (options: Parameters<typeof LocalCluster.start>[0], message: RegExp) => {
      await assert.rejects(LocalCluster.start({ nWorkers: 1, dashboardAddress: false, ...options }), message);
    };
    await quick({ memoryLimit: "lots" }, /memoryLimit: cannot read "lots"/);
    await quick({ memorySpillFraction: 0.5 }, /spill \(0\.5\) is below target \(0\.6\)/);
    await quick({ localDirectory: join(notADirectory, "x") }, /cannot be written \(ENOTDIR\)/);
  });

  it("WorkerServer.start checks its directory before it tries to reach the scheduler", async () => {
    await assert.rejects(
      WorkerServer.start({ schedulerAddress: nowhere, credential: "x".repeat(64), deathTimeout: 20, localDirectory: join(notADirectory, "x") }),
      /localDirectory .* cannot be written/,
    );
    await assert.rejects(WorkerServer.start({ schedulerAddress: nowhere, credential: "x".repeat(64), memoryLimit: 2 ** 30, memoryPauseFraction: 0.5 }),
      /pause \(0\.5\) is below spill \(0\.7\)/);
  });
});
