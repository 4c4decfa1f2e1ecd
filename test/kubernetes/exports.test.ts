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

  it("refuses arguments beyond a cluster method's own, as every cluster does, before the method runs", async () => {
    // Dask's keywords written as an extra object ran with the defaults: `scale(4, { memory })`.
    const call = (name: string, ...args: unknown[]) => async () => Reflect.apply((kubernetes.KubeCluster.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[name], {}, args);
    await assert.rejects(call("scale", 4, { memory: "8GB" }), /cluster\.scale\(n\) takes at most 1 argument; got also an object with \["memory"\]/);
    await assert.rejects(call("close", { timeout: 10 }), /cluster\.close\(\) takes no arguments/);
    await assert.rejects(call("waitForWorkers", 1, {}, 5), /cluster\.waitForWorkers\(n, options\) takes at most 2 arguments/);
    await assert.rejects(call("adapt", {}, {}), /cluster\.adapt\(options\) takes at most 1 argument/);
  });
});
