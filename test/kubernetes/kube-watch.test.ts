// How a KubeCluster learns pod states: by the watch API of the FAKE Kubernetes API server,
// not by listing pods again and again. The fake refuses every list of pods once the cluster
// runs: what the cluster still learns can only have come through the watch. It also ends
// open watches (as a real server does after its watch timeout) and compacts its history
// (410 Gone), which the cluster must survive.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { KubeCluster, makePodSpec, type KubeWorkerInfo } from "../../src/kubernetes/index.js";
import { startFakeKube, storedObjects, testImage, workerStateSeen, type FakeKube } from "./fake-kube-fixture.js";

describe("KubeCluster watches its pods", () => {
  let kube: FakeKube;
  before(async () => {
    kube = await startFakeKube();
  });
  after(async () => {
    await kube?.close();
  });

  const podLists = () => kube.server.requests.filter((r) => r.resource === "pods" && r.verb === "list").length;
  const podWatches = () => kube.server.requests.filter((r) => r.resource === "pods" && r.verb === "watch");

  async function runningCluster(): Promise<KubeCluster> {
    const cluster = await KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), {
      kubeconfig: kube.kubeconfig, deployMode: "local", host: "127.0.0.1", dashboardAddress: false,
    });
    await cluster.scale(1);
    await cluster.waitForWorkers(1, { timeout: "120s" });
    return cluster;
  }

  /**
   * Kills the worker process of the cluster's one pod, as a node failure would, and waits for
   * what the cluster then reports: that pod failed, and a new one runs with its worker connected.
   */
  async function killWorker(cluster: KubeCluster): Promise<{ failed: KubeWorkerInfo; replacement: KubeWorkerInfo }> {
    const [first] = cluster.workers.filter((w) => w.endedAt === null);
    const failed = workerStateSeen<KubeWorkerInfo>((l) => cluster.subscribe(l), (w) => w.name === first.name && w.state === "failed");
    const replaced = workerStateSeen<KubeWorkerInfo>((l) => cluster.subscribe(l), (w) => w.name !== first.name && w.state === "running");
    // The scheduler may still count the killed worker when the new one connects (its connection's
    // end not yet seen): waitForWorkers(1) alone could return with the old worker in the view.
    const removed = new Promise<void>((resolve) => cluster.scheduler!.addPlugin({
      onRecord: (record) => { if (record.kind === "worker-removed" && record.name === first.name) resolve(); },
    }));
    for (const pid of kube.server.kubelet.runningProcesses()) process.kill(-pid, "SIGKILL");
    const result = { failed: await failed, replacement: await replaced };
    await removed;
    await cluster.waitForWorkers(1, { timeout: "120s" });
    assert.deepEqual(cluster.scheduler!.view.workers().map((w) => w.name), [result.replacement.name], "the new pod's worker connected");
    return result;
  }

  it("a pod that fails is known from the watch alone, and replaced, while every list of pods fails", async () => {
    const cluster = await runningCluster();
    try {
      kube.server.failLists("pods", true);
      const listsBefore = podLists();
      const { failed, replacement } = await killWorker(cluster);
      assert.match(failed.reason ?? "", /^Error \(exit code 137\)/, "the kubelet's report: killed by SIGKILL");
      assert.deepEqual(cluster.workers.filter((w) => w.endedAt === null).map((w) => [w.name, w.state]), [[replacement.name, "running"]]);
      assert.equal(podLists(), listsBefore, "no list of pods was needed");
    } finally {
      kube.server.failLists("pods", false);
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("a watch the server ends is resumed from its last resourceVersion, without listing again", async () => {
    const cluster = await runningCluster();
    try {
      const listsBefore = podLists();
      const watchesBefore = podWatches().length;
      kube.server.closeWatches();
      await killWorker(cluster);
      assert.equal(podLists(), listsBefore, "resumed, not listed again");
      const resumed = podWatches().slice(watchesBefore);
      assert.ok(resumed.length > 0, "a new watch was opened");
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("after the server compacted its history (410 Gone) the pods are listed again and their states stay right", async () => {
    const cluster = await runningCluster();
    try {
      const listsBefore = podLists();
      kube.server.compactHistory();
      kube.server.closeWatches();
      await killWorker(cluster);
      assert.ok(podLists() > listsBefore, "the cluster listed the pods again after 410 Gone");
      assert.deepEqual(cluster.workers.filter((w) => w.endedAt === null).map((w) => w.state), ["running"]);
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });
});
