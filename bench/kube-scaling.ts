/**
 * KubeCluster figures through the FAKE Kubernetes API server (test/kubernetes: its kubelet
 * starts each pod's `tessera worker` as a local process):
 *   scale-up:  cluster.scale(2) until both workers are connected (local and remote scheduler)
 *   close:     cluster.close() until the API server stores none of the cluster's objects
 * Anchor, measured in the same run: LocalCluster.scale(2) from 0, the same two worker
 * processes started directly — what the Kubernetes path adds is the ratio. No real API server
 * runs here, so these are figures of tessera's own path (create, watch, connect), not of a
 * real cluster's scheduling and image pulls.
 * usage: node dist/bench/kube-scaling.js [--rounds 5]
 */
import { LocalCluster } from "../src/deploy/local-cluster.js";
import { KubeCluster, makePodSpec } from "../src/kubernetes/index.js";
import { startFakeKube, storeReaches, testImage } from "../test/kubernetes/fake-kube-fixture.js";
import { fmt, median, printTable } from "./bench-support.js";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1] || 5) || 5;
const kube = await startFakeKube();

async function kubeRound(deployMode: "local" | "remote"): Promise<{ up: number; close: number }> {
  const cluster = await KubeCluster.fromPodSpec(makePodSpec({ image: testImage, memoryLimit: "1Gi" }), {
    kubeconfig: kube.kubeconfig, deployMode, host: "127.0.0.1", dashboardAddress: false,
  });
  const started = performance.now();
  await cluster.scale(2);
  await cluster.waitForWorkers(2, { timeout: "120s" });
  const up = (performance.now() - started) / 1000;
  const closing = performance.now();
  await cluster.close();
  await storeReaches(kube.server, () => (["pods", "services", "secrets"] as const).every((r) => kube.server.store.list(r, "default").length === 0));
  return { up, close: (performance.now() - closing) / 1000 };
}

async function localRound(): Promise<number> {
  const cluster = await LocalCluster.start({ nWorkers: 0, threadsPerWorker: 1, memoryLimit: "1GiB", dashboardAddress: false });
  const started = performance.now();
  await cluster.scale(2);
  await cluster.waitForWorkers(2, { timeout: 120 });
  const up = (performance.now() - started) / 1000;
  await cluster.close();
  return up;
}

const local: Array<{ up: number; close: number }> = [];
const remote: Array<{ up: number; close: number }> = [];
const anchor: number[] = [];
for (let r = 0; r < rounds; r++) {
  local.push(await kubeRound("local"));
  remote.push(await kubeRound("remote"));
  anchor.push(await localRound());
}
await kube.close();

const anchorUp = median(anchor);
const ratio = (value: number) => `${fmt(value / anchorUp, 2)}×`;
printTable(`KubeCluster through the fake Kubernetes API server, median of ${rounds} rounds, seconds`, [
  { measure: "scale(2) → 2 workers connected, local scheduler", tessera: fmt(median(local.map((r) => r.up)), 2), anchor: fmt(anchorUp, 2), ratio: ratio(median(local.map((r) => r.up))) },
  { measure: "scale(2) → 2 workers connected, scheduler pod", tessera: fmt(median(remote.map((r) => r.up)), 2), anchor: fmt(anchorUp, 2), ratio: ratio(median(remote.map((r) => r.up))) },
  { measure: "close() → no object left, local scheduler", tessera: fmt(median(local.map((r) => r.close)), 2), anchor: "", ratio: "" },
  { measure: "close() → no object left, scheduler pod", tessera: fmt(median(remote.map((r) => r.close)), 2), anchor: "", ratio: "" },
]);
process.stdout.write("anchor: LocalCluster.scale(2) → 2 workers connected (same worker processes, no Kubernetes)\n");
