// KubeCluster with the scheduler in this process ("local" mode), against the FAKE Kubernetes
// API server (fake-kube-apiserver.ts): its kubelet runs each worker pod as a real
// `tessera worker` process, so the workers really connect and compute. The DoG check uses
// the array tests' Python anchor (scipy).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { Client } from "../../src/client/client.js";
import { runDogPipeline } from "../../src/cli/dog-pipeline.js";
import { writeSyntheticVolume } from "../../src/cli/synthetic-volume.js";
import { KubeCluster, makePodSpec } from "../../src/kubernetes/index.js";
import { compareZarr, python } from "../array/python.js";
import { startFakeKube, storedObjects, testImage, type FakeKube } from "./fake-kube-fixture.js";

describe("KubeCluster (local scheduler) on the fake Kubernetes", () => {
  let kube: FakeKube;
  let directory: string;
  before(async () => {
    kube = await startFakeKube();
    directory = mkdtempSync(join(tmpdir(), "tessera-kube-dog-"));
  });
  after(async () => {
    await kube?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const start = (options: Parameters<typeof KubeCluster.start>[1] = {}) =>
    KubeCluster.fromPodSpec(makePodSpec({ image: testImage, memoryLimit: "2Gi", cpuLimit: 1 }), {
      kubeconfig: kube.kubeconfig, deployMode: "local", host: "127.0.0.1", dashboardAddress: false, ...options,
    });

  it("scale(2) brings two connected workers in two pods, which compute the course's DoG as scipy does; close() leaves nothing", async () => {
    const cluster = await start();
    let client: Client | undefined;
    try {
      assert.equal(cluster.workers.length, 0, "no pod before scale()");
      await cluster.scale(2);
      await cluster.waitForWorkers(2, { timeout: "120s" });
      const pods = kube.server.store.list("pods", "default");
      assert.equal(pods.length, 2);
      const workers = cluster.scheduler!.view.workers();
      assert.deepEqual(workers.map((w) => w.name).sort(), pods.map((p) => p.metadata.name).sort(), "each worker is named after its pod");
      for (const worker of workers) {
        const pod = pods.find((p) => p.metadata.name === worker.name)!;
        assert.ok(worker.address.includes((pod.status as { podIP: string }).podIP), `worker ${worker.name} listens on its pod IP`);
        assert.equal(worker.memoryLimit, 2 * 2 ** 30, "the pod's memory limit is the worker's");
      }
      assert.deepEqual(cluster.workers.map((w) => [w.state, w.rawState, w.workers.length]), [["running", "Running", 1], ["running", "Running", 1]]);

      client = await Client.connect(cluster, { setAsDefault: false });
      const input = join(directory, "in.zarr");
      await writeSyntheticVolume(input, { shape: [64, 128, 128], seed: 11 });
      await runDogPipeline({ input, component: "0/0", output: join(directory, "kube.zarr"), executor: client });
      python("scipy_dog.py", input, "0/0", join(directory, "scipy.zarr"));
      const result = compareZarr(join(directory, "kube.zarr"), join(directory, "scipy.zarr"));
      assert.deepEqual(result.shape, [64, 128, 128]);
      assert.equal(result.mismatches, 0);
      const finished = cluster.scheduler!.view.workers().map((w) => w.finished);
      assert.ok(finished.length === 2 && finished.every((n) => n > 0), `both workers computed (tasks finished: ${finished.join(", ")})`);
    } finally {
      await client?.close();
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), [], "no pod, service or secret left");
    assert.deepEqual(kube.server.kubelet.runningProcesses(), [], "no worker process left");
    assert.deepEqual(kube.server.schemaProblems, []);
  });

  it("labels every object, makes the Secret own them, and never writes the credential into a pod spec", async () => {
    const cluster = await start({ env: { EXTRA: "yes" } });
    try {
      await cluster.scale(1);
      await cluster.waitForWorkers(1, { timeout: "120s" });
      const [secret] = kube.server.store.list("secrets", "default");
      const [pod] = kube.server.store.list("pods", "default");
      assert.equal(secret.metadata.name, `${cluster.name}-credential`);
      assert.equal(Buffer.from((secret.data as { credential: string }).credential, "base64").toString(), cluster.credential);
      assert.deepEqual(pod.metadata.ownerReferences?.map((ref) => [ref.kind, ref.name, ref.uid]), [["Secret", secret.metadata.name, secret.metadata.uid]]);
      for (const object of [secret, pod]) {
        assert.equal(object.metadata.labels?.["app.kubernetes.io/managed-by"], "tessera");
        assert.equal(object.metadata.labels?.["app.kubernetes.io/instance"], cluster.name);
      }
      assert.ok(!JSON.stringify(pod).includes(cluster.credential), "the credential is not in the pod");
      const env = (pod.spec as { containers: Array<{ env: Array<{ name: string; value?: string; valueFrom?: unknown }> }> }).containers[0].env;
      assert.deepEqual(env.find((e) => e.name === "TESSERA_CREDENTIAL")?.valueFrom, { secretKeyRef: { name: secret.metadata.name, key: "credential" } });
      assert.equal(env.find((e) => e.name === "EXTRA")?.value, "yes");
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("with TLS (security: true) the workers read the certificates from the Secret, mounted, and connect over tls://", async () => {
    const cluster = await start({ security: true });
    let client: Client | undefined;
    try {
      assert.match(cluster.schedulerAddress, /^tls:\/\//);
      await cluster.scale(1);
      await cluster.waitForWorkers(1, { timeout: "120s" });
      const [pod] = kube.server.store.list("pods", "default");
      assert.ok(!JSON.stringify(pod).includes("PRIVATE KEY"), "the TLS key is not in the pod spec");
      assert.deepEqual((pod.spec as { volumes: unknown[] }).volumes, [{ name: "tessera-secret", secret: { secretName: `${cluster.name}-credential`, defaultMode: 0o400 } }]);
      client = await Client.connect(cluster, { setAsDefault: false });
      assert.deepEqual(Object.values(await client.run(() => 6 * 7)), [42]);
    } finally {
      await client?.close();
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("scaling down retires a worker (its results move to the one that stays) and deletes its pod", async () => {
    const cluster = await start();
    const client = await (async () => {
      await cluster.scale(2);
      await cluster.waitForWorkers(2, { timeout: "120s" });
      return Client.connect(cluster, { setAsDefault: false });
    })();
    try {
      const futures = client.map((i: number) => i * i, Array.from({ length: 20 }, (_, i) => i));
      await client.gather(futures);
      await cluster.scale(1);
      assert.equal(cluster.workers.filter((w) => w.endedAt === null).length, 1);
      assert.equal(kube.server.store.list("pods", "default").length, 1, "the stopped pod is gone when scale() returns");
      assert.equal(cluster.scheduler!.view.workers().length, 1);
      assert.deepEqual(await client.gather(futures), Array.from({ length: 20 }, (_, i) => i * i), "no result was lost");
    } finally {
      await client.close();
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("adapt({ minimum: 1, maximum: 2 }) keeps one pod while idle", async () => {
    const cluster = await start();
    try {
      const adaptive = cluster.adapt({ minimum: 1, maximum: 2, interval: "100ms" });
      await cluster.waitForWorkers(1, { timeout: "120s" });
      assert.equal(adaptive.lastTarget, 1);
      assert.equal(cluster.requestedWorkers, 1);
      assert.equal(kube.server.store.list("pods", "default").length, 1);
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("the dashboard's Jobs page lists the worker pods with their state", async () => {
    const cluster = await start({ dashboardAddress: "127.0.0.1:0" });
    try {
      await cluster.scale(1);
      await cluster.waitForWorkers(1, { timeout: "120s" });
      const link = new URL(cluster.dashboardLink!);
      const socket = new WebSocket(`ws://${link.host}/ws?token=${link.searchParams.get("token")}`);
      const jobs = await new Promise<Array<{ id: string; state: string; workers: string[] }>>((resolve, reject) => {
        socket.once("error", reject);
        socket.once("open", () => socket.send(JSON.stringify({ subscribe: ["jobs"] })));
        socket.on("message", (raw) => {
          const message = JSON.parse(String(raw)) as { type: string; data: { jobs: Array<{ id: string; state: string; workers: string[] }> } };
          if (message.type === "jobs" && message.data.jobs.length > 0) resolve(message.data.jobs);
        });
      });
      socket.close();
      const [pod] = cluster.workers;
      assert.deepEqual(jobs, [{ id: pod.name, state: "running", workers: [pod.name] }]);
    } finally {
      await cluster.close();
    }
  });
});
