/**
 * noWorkersTimeout (Dask's distributed.scheduler.no-workers-timeout): a task that waits
 * longer than the timeout for a worker that could run it errs with a message saying why,
 * instead of waiting for ever. Real LocalClusters with process workers.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, LocalCluster } from "../../../src/index.js";

describe("noWorkersTimeout", { timeout: 120_000 }, () => {
  it("errs a task no running worker can satisfy (NoValidWorkerError, naming the resource), others run", async () => {
    const cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false, schedulerOptions: { noWorkersTimeout: 1 } });
    const client = await Client.connect(cluster, { setAsDefault: false });
    try {
      const stranded = client.submit({ fn: (x: number) => x, args: [1], resources: { GPU: 1 } });
      const dependent = client.submit((x: number) => x + 1, stranded);
      await assert.rejects(stranded.result(), (error: Error) => {
        assert.equal(error.name, "NoValidWorkerError");
        assert.match(error.message, /waited more than 1 s \(noWorkersTimeout\).*no running worker offers a resource named "GPU"/);
        return true;
      });
      await assert.rejects(dependent.result(), /noWorkersTimeout/);
      assert.equal(await client.submit((x: number) => x * 2, 21).result(), 42);
    } finally {
      await client.close();
      await cluster.close();
    }
  });

  it("errs a graph once no worker is left (NoWorkerError)", async () => {
    const cluster = await LocalCluster.start({ nWorkers: 0, dashboardAddress: false, schedulerOptions: { noWorkersTimeout: 1 } });
    const client = await Client.connect(cluster, { setAsDefault: false });
    try {
      const futures = client.map((x: number) => x + 1, [1, 2, 3]);
      await assert.rejects(client.gather(futures), (error: Error) => {
        assert.equal(error.name, "NoWorkerError");
        assert.match(error.message, /waited more than 1 s \(noWorkersTimeout\) for a worker that could run it: no running workers/);
        return true;
      });
    } finally {
      await client.close();
      await cluster.close();
    }
  });
});
