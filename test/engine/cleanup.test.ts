import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
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

const workerDirectories = () => readdirSync(tmpdir()).filter((name) => name.startsWith("tessera-worker-"));

describe("close() leaves nothing behind", () => {
  it("no child process, listening port or worker directory after closing client and cluster", async () => {
    const before = new Set(workerDirectories());
    const portsBefore = listeningPorts(process.pid).length;
    const cluster = await LocalCluster.start({ nWorkers: 2, dashboardAddress: false });
    const client = await Client.connect(cluster, { setAsDefault: false });
    assert.equal(await client.submit((a: number) => a + 1, 1).result(), 2);
    const workerPids = cluster.workerProcesses.map((p) => p.pid as number);
    assert.equal(children(process.pid).filter((pid) => workerPids.includes(pid)).length, 2);
    assert.ok(listeningPorts(process.pid).length > portsBefore);
    await client.close();
    await cluster.close();
    assert.deepEqual(children(process.pid).filter((pid) => workerPids.includes(pid)), []);
    for (const pid of workerPids) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} is gone`);
    assert.equal(listeningPorts(process.pid).length, portsBefore);
    const leftover = workerDirectories().filter((name) => !before.has(name));
    assert.deepEqual(leftover, []);
  });
});
