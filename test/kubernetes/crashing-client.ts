// A client process for the orphan tests: starts a KubeCluster with one worker pod on the
// FAKE Kubernetes whose kubeconfig is argv[2], prints "ready <cluster name>" and waits to be
// killed (SIGKILL: no close(), as a crash).
import { KubeCluster, makePodSpec } from "../../src/kubernetes/index.js";
import { testImage } from "./fake-kube-fixture.js";

const cluster = await KubeCluster.fromPodSpec(makePodSpec({ image: testImage, deathTimeout: "600s" }), {
  kubeconfig: process.argv[2], deployMode: "local", host: "127.0.0.1", dashboardAddress: false, heartbeatInterval: "1s",
});
await cluster.scale(1);
await cluster.waitForWorkers(1, { timeout: "120s" });
process.stdout.write(`ready ${cluster.name}\n`);
setInterval(() => {}, 1000);
