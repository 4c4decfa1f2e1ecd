// The ECS requests a FargateCluster sends, built from resolved options (pure).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runWorkerTask, workerTaskDefinition } from "../../src/cloud/ecs-requests.js";
import { resolveFargateOptions } from "../../src/cloud/fargate-options.js";

const options = resolveFargateOptions({
  image: "tessera:1", subnets: ["subnet-1", "subnet-2"], securityGroups: ["sg-1"], workerCpu: 2048, workerMemory: "8GiB",
  environment: { OMP_NUM_THREADS: "1" }, tags: { team: "imaging" }, name: "tessera-demo", workerExtraArgs: ["--resources", "GPU=0"],
}, () => "unused");

describe("ECS requests", () => {
  it("a Fargate worker task definition: awsvpc, sizes as strings, the worker command, tags, no credential", () => {
    const definition = workerTaskDefinition(options, "tcp://10.0.1.5:8786");
    assert.equal(definition.family, "tessera-demo-worker");
    assert.deepEqual([definition.networkMode, definition.requiresCompatibilities, definition.cpu, definition.memory], ["awsvpc", ["FARGATE"], "2048", "8192"]);
    const [container] = definition.containerDefinitions ?? [];
    assert.deepEqual(container.command, ["worker", "tcp://10.0.1.5:8786", "--name", "unnamed", "--nthreads", "2", "--memory-limit", String(8 * 2 ** 30),
      "--death-timeout", "60", "--resources", "GPU=0"]);
    assert.deepEqual(container.environment, [{ name: "OMP_NUM_THREADS", value: "1" }]);
    assert.equal(container.secrets, undefined);
    assert.deepEqual(definition.tags, [{ key: "team", value: "imaging" }, { key: "tessera:cluster", value: "tessera-demo" }, { key: "createdBy", value: "tessera" }]);
  });

  it("RunTask: one task, private IPs, the worker's name and the credential in the override", () => {
    const request = runWorkerTask(options, {
      clusterArn: "arn:c", taskDefinitionArn: "arn:td", schedulerAddress: "tcp://10.0.1.5:8786", credential: "secret-value", workerName: "tessera-demo-3",
    });
    assert.deepEqual([request.count, request.launchType, request.startedBy], [1, "FARGATE", "tessera-demo"]);
    assert.deepEqual(request.networkConfiguration?.awsvpcConfiguration, { subnets: ["subnet-1", "subnet-2"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" });
    const [override] = request.overrides?.containerOverrides ?? [];
    assert.deepEqual(override.command?.slice(0, 4), ["worker", "tcp://10.0.1.5:8786", "--name", "tessera-demo-3"]);
    assert.deepEqual(override.environment, [{ name: "TESSERA_CREDENTIAL", value: "secret-value" }]);
    assert.deepEqual(request.tags?.at(-1), { key: "tessera:worker", value: "tessera-demo-3" });
  });

  it("FARGATE_SPOT through a capacity provider strategy; a secret ARN instead of the environment", () => {
    const spot = resolveFargateOptions({
      image: "tessera:1", subnets: ["subnet-1"], capacityProvider: "FARGATE_SPOT", credentialSecretArn: "arn:aws:ssm:eu-west-1:1:parameter/tessera",
      credential: "c", executionRoleArn: "arn:aws:iam::1:role/exec",
    }, () => "tessera-spot");
    const request = runWorkerTask(spot, { clusterArn: "c", taskDefinitionArn: "t", schedulerAddress: "tcp://h:1", credential: "c", workerName: "w" });
    assert.deepEqual([request.launchType, request.capacityProviderStrategy], [undefined, [{ capacityProvider: "FARGATE_SPOT", weight: 1 }]]);
    assert.equal(request.overrides?.containerOverrides?.[0].environment, undefined);
    const definition = workerTaskDefinition(spot, "tcp://h:1");
    assert.deepEqual(definition.containerDefinitions?.[0].secrets, [{ name: "TESSERA_CREDENTIAL", valueFrom: "arn:aws:ssm:eu-west-1:1:parameter/tessera" }]);
    assert.equal(definition.executionRoleArn, "arn:aws:iam::1:role/exec");
  });
});
