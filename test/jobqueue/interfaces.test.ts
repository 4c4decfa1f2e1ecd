// `interface: "ib0"` across a real (virtual) network: each worker job runs its worker inside a
// network namespace whose only link is a veth interface named ib0, the other end of which
// is in this namespace; the scheduler binds to this side. Jobs go through the local SLURM;
// the worker command is prefixed with `ip netns exec <namespace>` (the workerCommand option).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "../../src/client/client.js";
import * as nd from "../../src/ndarray/index.js";
import { SLURMCluster } from "../../src/jobqueue/index.js";
import { ensureLocalSlurm, makeSlurmTestDirectory, slurmSkipReason, squeueJobs, uniqueJobName } from "./local-slurm-fixture.js";

const tesseraBin = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));

/** Two links: "ib0" here ↔ "ib0" in tessera-ib-a, and "tsn-sched" here ↔ "ib0" in tessera-ib-b. */
const links = [
  { namespace: "tessera-ib-a", hostSide: "ib0", hostAddress: "10.77.0.1", nodeAddress: "10.77.0.2" },
  { namespace: "tessera-ib-b", hostSide: "tsn-sched", hostAddress: "10.78.0.1", nodeAddress: "10.78.0.2" },
];

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

function removeLinks(): void {
  for (const link of links) {
    try { ip("link", "del", link.hostSide); } catch { /* not there */ }
    try { ip("netns", "del", link.namespace); } catch { /* not there */ }
  }
}

function networkSkipReason(): string | false {
  if (slurmSkipReason) return slurmSkipReason;
  try {
    execFileSync("ip", ["-V"], { stdio: "ignore" });
    return false;
  } catch {
    return "needs iproute2 (ip) to make network namespaces";
  }
}

const skipReason = networkSkipReason();
if (skipReason) console.log(`# interface tests skipped: ${skipReason}`);

describe("interfaces: scheduler and workers across a veth link named ib0", { skip: skipReason }, () => {
  let directory = "";
  before(async () => {
    await ensureLocalSlurm();
    directory = makeSlurmTestDirectory("interfaces");
    removeLinks(); // left over by an interrupted run
    for (const link of links) {
      ip("netns", "add", link.namespace);
      ip("link", "add", link.hostSide, "type", "veth", "peer", "name", "ib0", "netns", link.namespace);
      ip("addr", "add", `${link.hostAddress}/24`, "dev", link.hostSide);
      ip("link", "set", link.hostSide, "up");
      ip("-n", link.namespace, "addr", "add", `${link.nodeAddress}/24`, "dev", "ib0");
      ip("-n", link.namespace, "link", "set", "ib0", "up");
      ip("-n", link.namespace, "link", "set", "lo", "up");
    }
  });
  after(() => {
    removeLinks();
    rmSync(directory, { recursive: true, force: true });
  });

  async function computeAcross(link: (typeof links)[number], schedulerOptions: Record<string, unknown>): Promise<void> {
    const jobName = uniqueJobName("tessera-ib");
    const cluster = await SLURMCluster.start({
      cores: 1, memory: "1GiB", processes: 1, walltime: "00:05:00", jobName, interface: "ib0",
      workerCommand: `ip netns exec ${link.namespace} ${process.execPath} ${tesseraBin} worker`,
      logDirectory: join(directory, "logs"), stateDirectory: join(directory, "state"), pollInterval: "1s",
      schedulerOptions: { dashboardAddress: false, ...schedulerOptions },
    });
    let client: Client | undefined;
    try {
      assert.match(cluster.schedulerAddress, new RegExp(`^tcp://${link.hostAddress.replaceAll(".", "\\.")}:\\d+$`));
      assert.match(cluster.jobScript(), new RegExp(`ip netns exec ${link.namespace} .* worker tcp://${link.hostAddress}:\\d+ .*--interface ib0`));
      await cluster.scale({ jobs: 1 });
      await cluster.waitForWorkers(1, { timeout: "60s" });
      const [worker] = cluster.scheduler.view.workers();
      assert.match(worker.address, new RegExp(`^tcp://${link.nodeAddress.replaceAll(".", "\\.")}:\\d+$`), "the worker bound to its ib0");
      client = await Client.connect(cluster);
      const array = nd.empty([128, 128], "float32");
      (array.data as Float32Array).fill(2);
      const [remote] = await client.scatter([array]);
      const doubled = client.submit((a: { data: Float32Array }) => {
        for (let i = 0; i < a.data.length; i++) a.data[i] *= 2;
        return a;
      }, remote);
      const back = (await doubled.result()) as nd.NDArray;
      assert.deepEqual([back.shape, back.data[0], back.data[128 * 128 - 1]], [[128, 128], 4, 4]);
    } finally {
      await client?.close();
      await cluster.close();
    }
    assert.deepEqual(squeueJobs(jobName), []);
  }

  it('interface: "ib0" binds the scheduler and the workers to their own ib0', async () => {
    await computeAcross(links[0], {});
  });

  it("the scheduler on another interface (schedulerOptions.interface) than the workers", async () => {
    await computeAcross(links[1], { interface: "tsn-sched" });
  });
});
