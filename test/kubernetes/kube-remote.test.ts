// KubeCluster with the scheduler in a pod of its own behind a Service ("remote", Dask's
// default), against the FAKE Kubernetes API server: its kubelet runs `tessera scheduler` and
// the workers as real processes, its kube-proxy forwards the Service's address to the
// scheduler pod. This process reaches the scheduler through the Service, as workers do.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "../../src/client/client.js";
import { runDogPipeline } from "../../src/cli/dog-pipeline.js";
import { writeSyntheticVolume } from "../../src/cli/synthetic-volume.js";
import { KubeCluster, SchedulerPodError, makePodSpec, type KubeClusterOptions } from "../../src/kubernetes/index.js";
import { compareZarr, python } from "../array/python.js";
import { startFakeKube, storeReaches, storedObjects, testImage, within, type FakeKube } from "./fake-kube-fixture.js";

describe("KubeCluster (scheduler in a pod) on the fake Kubernetes", () => {
  let kube: FakeKube;
  let directory: string;
  before(async () => {
    kube = await startFakeKube({ backoffMs: 50 });
    directory = mkdtempSync(join(tmpdir(), "tessera-kube-remote-"));
  });
  after(async () => {
    await kube?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const start = (options: KubeClusterOptions = {}) =>
    KubeCluster.fromPodSpec(makePodSpec({ image: testImage, memoryLimit: "2Gi" }), { kubeconfig: kube.kubeconfig, ...options });

  it("runs the scheduler in a pod behind a Service; two worker pods compute the DoG through it; close() leaves nothing", async () => {
    const cluster = await start();
    let client: Client | undefined;
    try {
      assert.equal(cluster.deployMode, "remote", "remote is the default, as in Dask");
      assert.equal(cluster.scheduler, undefined, "no scheduler in this process");
      const [service] = kube.server.store.list("services", "default");
      const clusterIp = (service.spec as { clusterIP: string }).clusterIP;
      assert.equal(service.metadata.name, `${cluster.name}-scheduler`);
      assert.equal(cluster.schedulerAddress, `tcp://${clusterIp}:8786`);
      const [schedulerPod] = kube.server.store.list("pods", "default");
      assert.equal(schedulerPod.metadata.labels?.["app.kubernetes.io/component"], "scheduler");
      assert.ok(!JSON.stringify(schedulerPod).includes(cluster.credential), "the credential is not in the scheduler pod");
      for (const object of [service, schedulerPod]) assert.equal(object.metadata.ownerReferences?.[0].name, `${cluster.name}-credential`);
      assert.match(cluster.dashboardLink ?? "", new RegExp(`^http://${clusterIp.replace(/\./g, "\\.")}:8787/status\\?token=`));

      await cluster.scale(2);
      await cluster.waitForWorkers(2, { timeout: "120s" });
      assert.deepEqual(cluster.workers.map((w) => [w.state, w.workers.length]), [["running", 1], ["running", 1]]);
      client = await Client.connect(cluster, { setAsDefault: false });
      const input = join(directory, "in.zarr");
      await writeSyntheticVolume(input, { shape: [64, 96, 96], seed: 5 });
      await runDogPipeline({ input, component: "0/0", output: join(directory, "remote.zarr"), executor: client });
      python("scipy_dog.py", input, "0/0", join(directory, "scipy.zarr"));
      assert.equal(compareZarr(join(directory, "remote.zarr"), join(directory, "scipy.zarr")).mismatches, 0);
    } finally {
      await client?.close();
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
    assert.deepEqual(kube.server.kubelet.runningProcesses(), [], "the scheduler and worker processes stopped");
    assert.deepEqual(kube.server.schemaProblems, []);
  });

  it("adapt() follows the scheduler pod's target: no pod while idle, one when work waits", async () => {
    const cluster = await start();
    let client: Client | undefined;
    try {
      const adaptive = cluster.adapt({ minimum: 0, maximum: 3, interval: "100ms" });
      client = await Client.connect(cluster, { setAsDefault: false });
      assert.equal(kube.server.store.list("pods", "default", "app.kubernetes.io/component=worker").length, 0, "idle: no worker pod");
      // A task with no worker to run it: the scheduler's target becomes 1, and a pod comes.
      const result = await within(client.submit((a: number) => a + 1, 41).result(), "the task's result (after adapt() added a pod)");
      assert.equal(result, 42);
      assert.ok(cluster.workers.length >= 1, "adapt() created the worker pod that ran it (nothing else asks for pods here)");
      assert.ok(adaptive.minimum === 0 && adaptive.maximum === 3);
    } finally {
      await client?.close();
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("a LoadBalancer Service: this process connects to its external address, workers to the ClusterIP", async () => {
    const cluster = await start({ schedulerServiceType: "LoadBalancer", nWorkers: 1 });
    try {
      const [service] = kube.server.store.list("services", "default");
      const ingress = (service.status as { loadBalancer: { ingress: Array<{ ip: string }> } }).loadBalancer.ingress[0].ip;
      assert.equal(cluster.schedulerAddress, `tcp://${ingress}:8786`);
      assert.equal(cluster.workerSchedulerAddress, `tcp://${(service.spec as { clusterIP: string }).clusterIP}:8786`);
      await cluster.waitForWorkers(1, { timeout: "120s" });
      const client = await Client.connect(cluster, { setAsDefault: false });
      assert.equal(await client.submit((a: number) => a * 2, 21).result(), 42);
      await client.close();
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("a scheduler pod that cannot start fails start() with its reason, and nothing is left", async () => {
    await assert.rejects(
      start({ schedulerPodTemplate: makePodSpec({ image: "registry.example.org/missing-scheduler:1" }) }),
      (error: Error) => error instanceof SchedulerPodError && /scheduler pod .* will not start: ImagePullBackOff: Back-off pulling image "registry\.example\.org\/missing-scheduler:1"/.test(error.message),
    );
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("when the scheduler pod stops on its idle timeout, the cluster deletes everything", async () => {
    // Long enough for the cluster to start on a busy machine (the scheduler's idle clock starts with it).
    const cluster = await start({ idleTimeout: "6s", nWorkers: 1 });
    await storeReaches(kube.server, () => storedObjects(kube.server).length === 0);
    await cluster.close();
    assert.deepEqual(kube.server.kubelet.runningProcesses(), []);
  });
});
