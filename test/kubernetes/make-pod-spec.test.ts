// makePodSpec: Dask's make_pod_spec for tessera workers (src/kubernetes/make-pod-spec.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { makePodSpec } from "../../src/kubernetes/index.js";

describe("makePodSpec", () => {
  it("builds a pod that runs `tessera worker` with its limits as flags and as the container's limits", () => {
    const pod = makePodSpec({
      image: "registry.example.org/tessera:0.1", threadsPerWorker: 2, memoryLimit: "4GiB", memoryRequest: "2G", cpuLimit: 2, cpuRequest: "500m",
      gpuLimit: 1, env: { OMP_NUM_THREADS: "1" }, labels: { team: "imaging" }, annotations: { note: "x" }, workerExtraArgs: ["--lifetime", "1h"],
    });
    assert.deepEqual(pod, {
      apiVersion: "v1", kind: "Pod",
      metadata: { labels: { team: "imaging" }, annotations: { note: "x" } },
      spec: {
        restartPolicy: "Never",
        containers: [{
          name: "tessera-worker", image: "registry.example.org/tessera:0.1", command: ["tessera", "worker"],
          args: ["$(TESSERA_SCHEDULER_ADDRESS)", "--nthreads", "2", "--death-timeout", "60", "--memory-limit", String(4 * 2 ** 30), "--lifetime", "1h"],
          env: [{ name: "OMP_NUM_THREADS", value: "1" }],
          resources: { limits: { memory: "4Gi", cpu: "2", "nvidia.com/gpu": "1" }, requests: { memory: "1953125Ki", cpu: "500m" } },
        }],
      },
    });
  });

  it("merges extra container and pod config as Dask does: mappings deeply, lists appended, the rest replaced", () => {
    const pod = makePodSpec({
      image: "i", env: { A: "1" },
      extraContainerConfig: { env: [{ name: "B", value: "2" }], imagePullPolicy: "Always", resources: { limits: { cpu: "1" } } },
      extraPodConfig: { restartPolicy: "OnFailure", nodeSelector: { pool: "workers" }, tolerations: [{ key: "k", operator: "Exists" }] },
    });
    const container = pod.spec!.containers[0];
    assert.deepEqual(container.env, [{ name: "A", value: "1" }, { name: "B", value: "2" }]);
    assert.equal(container.imagePullPolicy, "Always");
    assert.deepEqual(container.resources, { limits: { cpu: "1" }, requests: {} });
    assert.equal(pod.spec!.restartPolicy, "OnFailure");
    assert.deepEqual(pod.spec!.nodeSelector, { pool: "workers" });
    assert.deepEqual(pod.spec!.tolerations, [{ key: "k", operator: "Exists" }]);
  });

  it("refuses unknown options, fields the API does not have, and bad values, by name", () => {
    assert.throws(() => makePodSpec({ image: "i", memory_limit: "4G" } as never), /makePodSpec: unknown option "memory_limit"/);
    assert.throws(() => makePodSpec({ image: "i", extraContainerConfig: { imagePullPolicyy: "Always" } }), /extraContainerConfig\.imagePullPolicyy is not a field of Container/);
    assert.throws(() => makePodSpec({ image: "i", extraPodConfig: { nodeSelector: { a: 1 } } }), /spec\.nodeSelector\.a expected a string \(quote it in YAML\), got the number 1/);
    assert.throws(() => makePodSpec({ image: "i", threadsPerWorker: 0 }), /threadsPerWorker must be a positive integer/);
    assert.throws(() => makePodSpec({ image: " " }), /makePodSpec: image is missing/);
    assert.throws(() => makePodSpec({ image: "i", gpuLimit: 0.5 }), /gpuLimit must be a positive integer/);
  });
});
