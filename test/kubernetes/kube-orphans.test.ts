// Leftovers of a client that crashed (killed with SIGKILL: no close()) on the FAKE
// Kubernetes: its Secret, pod and worker process stay. A later session finds them by their
// labels and the Secret's note of its client (pid gone on this host, or no heartbeat), and
// cleans them up on request; a live cluster is never taken for a leftover. Deleting the
// Secret by hand (kubectl delete secret …) lets the garbage collector remove what it owns.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { setLogLevel, type LogLevel } from "../../src/core/log.js";
import { KubeCluster, makePodSpec } from "../../src/kubernetes/index.js";
import { startFakeKube, storeReaches, storedObjects, testImage, type FakeKube } from "./fake-kube-fixture.js";

/** Runs `action` with warnings on and stderr captured; returns its result and the lines written. */
async function withStderr<T>(action: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  setLogLevel("warn");
  try {
    return { result: await action(), lines };
  } finally {
    process.stderr.write = write;
    setLogLevel((process.env.TESSERA_LOG_LEVEL as LogLevel | undefined) ?? "warn");
  }
}

const crashingClient = fileURLToPath(new URL("./crashing-client.js", import.meta.url));

describe("KubeCluster: leftovers of a crashed client", () => {
  let kube: FakeKube;
  before(async () => {
    kube = await startFakeKube();
  });
  after(async () => {
    await kube?.close();
  });

  /** Starts a client process with a one-worker cluster, kills it once its worker connected; returns the cluster's name. */
  async function crashedCluster(): Promise<string> {
    const child: ChildProcess = spawn(process.execPath, [crashingClient, kube.kubeconfig], { stdio: ["ignore", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout! });
    const [line] = (await once(lines, "line")) as [string];
    const name = /^ready (\S+)$/.exec(line)?.[1];
    assert.ok(name, `the client said: ${line}`);
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
    return name;
  }

  const options = () => ({ kubeconfig: kube.kubeconfig });

  it("finds the crashed client's cluster, leaves a live one alone, and cleans up on request", async () => {
    const crashed = await crashedCluster();
    assert.deepEqual(storedObjects(kube.server).sort(), [`pods/${crashed}-worker-0`, `secrets/${crashed}-credential`]);
    assert.equal(kube.server.kubelet.runningProcesses().length, 1, "its worker still runs");
    const live = await withStderr(() => KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), { ...options(), deployMode: "local", host: "127.0.0.1", dashboardAddress: false }))
      .then(({ result, lines }) => {
        const warning = lines.find((line) => line.includes("found leftovers"));
        assert.ok(warning, "starting a cluster warns about the leftovers");
        assert.match(warning, new RegExp(`${crashed} \\(1 pods, 0 services; its client \\(pid \\d+ on this host\\) is gone\\).*KubeCluster.cleanupOrphans\\(\\{ namespace: "default" \\}\\)`));
        return result;
      });
    try {
      const orphans = await KubeCluster.findOrphans(options());
      assert.deepEqual(orphans.map((o) => [o.name, o.pods, o.secrets]), [[crashed, [`${crashed}-worker-0`], [`${crashed}-credential`]]]);
      assert.match(orphans[0].why, /^its client \(pid \d+ on this host\) is gone$/);
      const cleaned = await KubeCluster.cleanupOrphans(options());
      assert.deepEqual(cleaned.map((o) => o.name), [crashed]);
      assert.deepEqual(storedObjects(kube.server), [`secrets/${live.name}-credential`], "only the live cluster's Secret is left");
      assert.deepEqual(kube.server.kubelet.runningProcesses(), [], "the leftover worker was stopped");
    } finally {
      await live.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("a cluster started with cleanupOrphans: true removes them before it starts", async () => {
    const crashed = await crashedCluster();
    const cluster = await KubeCluster.fromPodSpec(makePodSpec({ image: testImage }), {
      ...options(), deployMode: "local", host: "127.0.0.1", dashboardAddress: false, cleanupOrphans: true,
    });
    try {
      assert.ok(!storedObjects(kube.server).some((object) => object.includes(crashed)));
    } finally {
      await cluster.close();
    }
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("a client on another host is a leftover only once its heartbeat is three intervals old", async () => {
    const crashed = await crashedCluster();
    const secretName = `${crashed}-credential`;
    const note = (ageSeconds: number) => kube.server.store.modify("secrets", "default", secretName, (secret) => {
      secret.metadata.annotations = {
        ...secret.metadata.annotations, "tessera.dev/client-host": "another-host",
        "tessera.dev/heartbeat": new Date(Date.now() - ageSeconds * 1000).toISOString(),
      };
    });
    note(2); // interval 1 s: two seconds is still alive
    assert.deepEqual(await KubeCluster.findOrphans(options()), []);
    note(10);
    const [orphan] = await KubeCluster.findOrphans(options());
    assert.equal(orphan.name, crashed);
    assert.match(orphan.why, /sent no heartbeat for 1\d s/);
    await KubeCluster.cleanupOrphans(options());
    assert.deepEqual(storedObjects(kube.server), []);
  });

  it("deleting the Secret by hand lets the garbage collector delete the pods it owns", async () => {
    const crashed = await crashedCluster();
    const config = new KubeConfig();
    config.loadFromFile(kube.kubeconfig);
    const core = config.makeApiClient(CoreV1Api);
    await core.deleteNamespacedSecret({ name: `${crashed}-credential`, namespace: "default" });
    // The pod's deletion is graceful: its worker gets SIGTERM; wait for the API server to drop it.
    await storeReaches(kube.server, () => kube.server.store.list("pods", "default").length === 0);
    assert.deepEqual(storedObjects(kube.server), []);
  });
});
