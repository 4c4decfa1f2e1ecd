// The public entry point `tessera/kubernetes` (src/kubernetes/index.ts): its runtime exports are a contract.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as kubernetes from "../../src/kubernetes/index.js";

describe("tessera/kubernetes exports", () => {
  it("names exactly these values", () => {
    assert.deepEqual(Object.keys(kubernetes).sort(), ["KubeCluster", "KubernetesApiError", "SchedulerPodError", "WorkerStartError", "makePodSpec"]);
  });

  it("offers Dask's classic constructors and the leftover cleanup as static methods", () => {
    for (const name of ["start", "fromYaml", "fromPodSpec", "findOrphans", "cleanupOrphans"] as const) assert.equal(typeof kubernetes.KubeCluster[name], "function", name);
    for (const name of ["scale", "adapt", "close", "waitForWorkers", "subscribe"] as const) assert.equal(typeof kubernetes.KubeCluster.prototype[name], "function", name);
  });
});
