import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Client, LocalCluster } from "../../src/index.js";

/** Listening TCP ports of a process (from ss). */
function listeningPorts(pid: number): string[] {
  const out = execFileSync("ss", ["-Htlnp"], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.includes(`pid=${pid},`));
}

function children(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" }).split("\n").map((s) => Number(s.trim())).filter((n) => n > 0);
  } catch {
    return [];
  }
}

describe("close() leaves nothing behind", () => {
  it("no child process, listening port or worker directory after closing client and cluster", async () => {
    const portsBefore = listeningPorts(process.pid).length;
    const cluster = await LocalCluster.start({ nWorkers: 2, dashboardAddress: false });
    const client = await Client.connect(cluster, { setAsDefault: false });
    assert.equal(await client.submit((a: number) => a + 1, 1).result(), 2);
    const workerPids = cluster.workerProcesses.map((p) => p.pid as number);
    // This cluster's own directories: other test runs may be creating and removing theirs in the same tmpdir.
    const directories = cluster.workerProcesses.map((p) => p.localDirectory as string);
    assert.ok(directories.every((directory) => directory && existsSync(directory)));
    assert.equal(children(process.pid).filter((pid) => workerPids.includes(pid)).length, 2);
    assert.ok(listeningPorts(process.pid).length > portsBefore);
    await client.close();
    await cluster.close();
    assert.deepEqual(children(process.pid).filter((pid) => workerPids.includes(pid)), []);
    for (const pid of workerPids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} is gone`);
    assert.equal(listeningPorts(process.pid).length, portsBefore);
    const leftover = directories.filter((directory) => existsSync(directory));
    assert.deepEqual(leftover, []);
  });
});
