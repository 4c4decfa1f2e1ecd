// Worker pods that do not start, on the FAKE Kubernetes (fake-kube-apiserver.ts), whose
// kubelet produces each failure as a kubelet does: an image that is not in its registry
// (ErrImagePull, then ImagePullBackOff), a memory limit the process exceeds (OOMKilled),
// a command that exits at once under restartPolicy OnFailure (CrashLoopBackOff), a Secret
// that does not exist (CreateContainerConfigError), more memory than the node has
// (Unschedulable). Each reason must reach cluster.workers, and repeated failures must stop
// the cluster from creating pods, with the reason, instead of hanging.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { KubeCluster, WorkerStartError, makePodSpec, type KubeWorkerInfo, type MakePodSpecOptions } from "../../src/kubernetes/index.js";
import { TimeoutError } from "../../src/core/errors.js";
import { startFakeKube, storedObjects, testImage, workerStateSeen, type FakeKube } from "./fake-kube-fixture.js";

describe("KubeCluster: worker pods that do not start", () => {
  let kube: FakeKube;
  before(async () => {
    kube = await startFakeKube({ backoffMs: 50, memoryCheckMs: 50 });
  });
  after(async () => {
    await kube?.close();
  });

  const podCreations = () => kube.server.requests.filter((r) => r.verb === "create" && r.resource === "pods" && r.status === 201).length;

  async function start(spec: Partial<MakePodSpecOptions>): Promise<{ cluster: KubeCluster; seen: KubeWorkerInfo[] }> {
    const cluster = await KubeCluster.fromPodSpec(makePodSpec({ image: testImage, ...spec }), {
      kubeconfig: kube.kubeconfig, deployMode: "local", host: "127.0.0.1", dashboardAddress: false, maxFailedStarts: 3,
    });
    const seen: KubeWorkerInfo[] = [];
    cluster.subscribe((worker) => seen.push(worker));
    return { cluster, seen };
  }

  /**
   * scale(2) with a spec whose pods fail: waitForWorkers fails with the reason (not a timeout),
   * the pods' reasons are in cluster.workers, and no pod is created after the cluster gave up.
   */
  async function expectStopped(spec: Partial<MakePodSpecOptions>, reason: RegExp, log?: RegExp): Promise<KubeWorkerInfo[]> {
    const creationsBefore = podCreations();
    const { cluster, seen } = await start(spec);
    try {
      await cluster.scale(2);
      await assert.rejects(cluster.waitForWorkers(2, { timeout: "120s" }), (error: Error) => {
        assert.ok(error instanceof WorkerStartError, `a WorkerStartError, not ${error.name}: ${error.message}`);
        assert.match(error.message, /[34] worker pods in a row ended before their worker connected/);
        assert.match(error.message, reason);
        if (log) assert.match(error.message, log, "the message quotes the end of the pod's log");
        return true;
      });
      assert.match(cluster.replacementStopped ?? "", reason);
      const created = podCreations() - creationsBefore;
      assert.ok(created >= 3 && created <= 4, `target 2, at most 3 failed starts: 3 or 4 pods created, not ${created}`);
      const ended = cluster.workers.filter((w) => w.endedAt !== null);
      assert.ok(ended.length >= 3);
      for (const worker of ended) {
        assert.equal(worker.state, "failed");
        assert.match(worker.reason ?? "", reason, `cluster.workers says why ${worker.name} failed`);
      }
      // The failed pods are deleted: once the API server has none of them, still no new pod.
      await cluster.pods.waitUntilGone(cluster.pods.tracked, 60);
      assert.equal(podCreations() - creationsBefore, created, "no pod was created after the cluster stopped replacing them");
      assert.equal(kube.server.store.list("pods", "default").length, 0);
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
    assert.deepEqual(kube.server.kubelet.runningProcesses(), []);
    return seen;
  }

  it("an image the registry does not have: ErrImagePull, then ImagePullBackOff, and the cluster stops", async () => {
    const seen = await expectStopped({ image: "registry.example.org/no-such-image:1" }, /ImagePullBackOff: Back-off pulling image "registry.example.org\/no-such-image:1"/);
    assert.ok(seen.some((w) => w.state === "pending" && /^ErrImagePull: failed to pull/.test(w.reason ?? "")), "ErrImagePull was reported while pending");
  });

  it("a worker that exceeds its pod's memory limit: OOMKilled (exit code 137)", async () => {
    await expectStopped({ memoryLimit: "24Mi" }, /OOMKilled \(exit code 137\)/);
  });

  it("a worker that exits at once under restartPolicy OnFailure: CrashLoopBackOff, with its last exit", async () => {
    await expectStopped({ workerExtraArgs: ["--no-such-flag"], extraPodConfig: { restartPolicy: "OnFailure" } }, /CrashLoopBackOff: back-off \d+ms restarting failed container=tessera-worker .*\(last exit: Error, exit code 2; \d+ restarts\)/,
      /its log ends: error: unknown option '--no-such-flag'/);
  });

  it("an environment variable from a Secret that does not exist: CreateContainerConfigError", async () => {
    await expectStopped(
      { extraContainerConfig: { env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "not-there", key: "token" } } }] } },
      /CreateContainerConfigError: secret "not-there" not found/,
    );
  });

  it("more memory than any node has: Pending (Unschedulable, with the scheduler's message), and no pod is added", async () => {
    const { cluster } = await start({ memoryLimit: "100Gi" });
    try {
      const creationsBefore = podCreations();
      const unschedulable = workerStateSeen<KubeWorkerInfo>((listener) => cluster.subscribe(listener), (w) => /^Unschedulable/.test(w.reason ?? ""));
      await cluster.scale(1);
      const worker = await unschedulable;
      assert.equal(worker.state, "pending");
      assert.match(worker.reason ?? "", /^Unschedulable: 0\/1 nodes are available: 1 Insufficient memory/);
      assert.deepEqual(cluster.workers.map((w) => [w.state, w.rawState]), [["pending", "Pending"]]);
      // A cluster autoscaler may yet add a node: the pod waits, and waiting says why.
      await assert.rejects(cluster.waitForWorkers(1, { timeout: "200ms" }), (error: Error) => error instanceof TimeoutError && /Unschedulable: 0\/1 nodes are available/.test(error.message));
      assert.equal(podCreations() - creationsBefore, 1);
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("an explicit scale() tries again after the cluster stopped replacing pods", async () => {
    const { cluster } = await start({ image: "registry.example.org/missing:2" });
    try {
      await cluster.scale(1);
      await assert.rejects(cluster.waitForWorkers(1, { timeout: "120s" }), WorkerStartError);
      const creations = podCreations();
      await cluster.scale(1);
      assert.equal(cluster.replacementStopped, null);
      assert.equal(podCreations(), creations + 1, "scale() created a pod again");
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });
});
