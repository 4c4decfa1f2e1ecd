// FargateCluster against the FAKE ECS endpoint of fake-ecs/ (AWS cannot be reached from here):
// the real @aws-sdk/client-ecs speaks its JSON 1.1 protocol to it, and each task's container is
// a real local process running tessera's worker CLI, so the workers really connect to the
// scheduler "by private IP" (127.0.0.1 here) and compute the course's DoG, checked voxel for
// voxel against Dask + scipy. What the fake cannot show: IAM, VPC routing and security groups,
// image pulls from a registry, Fargate capacity; those are the user's setup (docs/fargate.md).
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ECSClient, ListTagsForResourceCommand } from "@aws-sdk/client-ecs";
import { Client } from "../../src/client/client.js";
import { runDogPipeline } from "../../src/cli/dog-pipeline.js";
import { writeSyntheticVolume } from "../../src/cli/synthetic-volume.js";
import { EcsError, FargateCluster, type FargateClusterOptions } from "../../src/cloud/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { compareZarr, python } from "../array/python.js";
import { FakeEcsServer } from "./fake-ecs/fake-ecs-server.js";

const tesseraBin = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));
const image = "registry.example.org/tessera-worker:test";
const secretArn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:tessera-credential-AbCdEf";
const secretValue = "fake-secret-credential-0123456789abcdef";
const awsCredentials = { accessKeyId: "AKIAFAKEFAKEFAKE0000", secretAccessKey: "fake-secret-access-key" };

let fake: FakeEcsServer;
let directory = "";
const open: FargateCluster[] = [];

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), "tessera-fargate-"));
  fake = await FakeEcsServer.start({
    accessKeyId: awsCredentials.accessKeyId, images: { [image]: [process.execPath, tesseraBin] }, secrets: { [secretArn]: secretValue },
    logDirectory: directory, maxStopTimeoutSeconds: 10,
  });
});
afterEach(async () => {
  for (const cluster of open.splice(0)) await cluster.close();
  await fake.close();
  rmSync(directory, { recursive: true, force: true });
});

async function startCluster(options: Partial<FargateClusterOptions> = {}): Promise<FargateCluster> {
  const cluster = await FargateCluster.start({
    image, subnets: ["subnet-0fake"], securityGroups: ["sg-0fake"], region: "us-east-1", endpoint: fake.endpoint, awsCredentials,
    workerCpu: 1024, workerMemory: "2GiB", pollInterval: "500ms", tags: { project: "tessera-tests" },
    schedulerOptions: { host: "127.0.0.1", dashboardAddress: false }, ...options,
  });
  open.push(cluster);
  return cluster;
}

const operations = () => fake.calls.map((call) => call.operation);
const tagsOf = (tags: Array<{ key?: string; value?: string }> | undefined) => Object.fromEntries((tags ?? []).map((tag) => [tag.key, tag.value]));

describe("FargateCluster through the FAKE ECS endpoint", () => {
  it("scale(2) runs two tagged worker tasks that compute the DoG; close() leaves no task, task definition or cluster", async () => {
    const cluster = await startCluster();
    assert.deepEqual(operations(), ["CreateCluster", "RegisterTaskDefinition"]);
    const scaled = Date.now();
    await cluster.scale(2);
    await cluster.waitForWorkers(2, { timeout: "60s" });
    const connectSeconds = (Date.now() - scaled) / 1000;
    const tasks = await cluster.refreshTasks();
    assert.deepEqual(tasks.map((task) => [task.name, task.state, task.rawState, task.workers]),
      [[`${cluster.name}-0`, "running", "RUNNING", [`${cluster.name}-0`]], [`${cluster.name}-1`, "running", "RUNNING", [`${cluster.name}-1`]]]);
    assert.ok(cluster.scheduler.view.workers().every((w) => w.nthreads === 1 && w.memoryLimit === 2 * 2 ** 30));

    const client = await Client.connect(cluster);
    try {
      const input = join(directory, "volume.zarr");
      await writeSyntheticVolume(input, { shape: [64, 128, 128], seed: 3 }); // 2 × 2 × 2 blocks of (32, 64, 64)
      await runDogPipeline({ input, component: "0/0", output: join(directory, "dog.zarr"), executor: client });
      const stream = (await client.getTaskStream()) as Array<{ worker: string }>;
      assert.equal(new Set(stream.map((record) => record.worker)).size, 2, "both Fargate workers computed");
    } finally {
      await client.close();
    }
    python("dask_dog.py", join(directory, "volume.zarr"), "0/0", join(directory, "dask-dog.zarr"), "synchronous");
    const comparison = compareZarr(join(directory, "dog.zarr"), join(directory, "dask-dog.zarr"));
    assert.deepEqual([comparison.shape, comparison.mismatches, comparison.equal], [[64, 128, 128], 0, true]);

    // Tags on every resource, read back through the SDK.
    const ecs = new ECSClient({ region: "us-east-1", endpoint: fake.endpoint, credentials: awsCredentials });
    const arns = [cluster.clusterArn, cluster.taskDefinitionArn, ...tasks.map((task) => task.id)] as string[];
    for (const resourceArn of arns) {
      const { tags } = await ecs.send(new ListTagsForResourceCommand({ resourceArn }));
      assert.deepEqual({ ...tagsOf(tags), "tessera:worker": undefined }, { project: "tessera-tests", "tessera:cluster": cluster.name, createdBy: "tessera", "tessera:worker": undefined }, resourceArn);
    }
    ecs.destroy();

    // The credential: never in a task definition or a command line; in each task's environment.
    for (const call of fake.calls.filter((c) => c.operation === "RegisterTaskDefinition")) assert.ok(!call.raw.includes(cluster.credential));
    for (const task of fake.tasks.values()) {
      assert.ok(!(task.argv ?? []).some((word) => word.includes(cluster.credential)), "not on the command line");
      assert.equal(task.env?.TESSERA_CREDENTIAL, cluster.credential);
    }

    const closing = Date.now();
    await cluster.close();
    const closeSeconds = (Date.now() - closing) / 1000;
    console.log(`# FAKE Fargate figures: scale(2) → 2 workers connected ${connectSeconds.toFixed(1)} s; close() → nothing left ${closeSeconds.toFixed(1)} s`);
    assert.deepEqual(fake.liveTasks(), [], "every task STOPPED");
    assert.ok([...fake.tasks.values()].every((task) => task.process === undefined && task.stopCode === "UserInitiated"));
    assert.deepEqual([...fake.taskDefinitions.values()].map((d) => d.status), ["INACTIVE"]);
    assert.deepEqual([...fake.clusters.values()].map((c) => c.status), ["INACTIVE"]);
    assert.deepEqual(operations().slice(-2), ["DeregisterTaskDefinition", "DeleteCluster"]);
  });

  it("scales down by stopping one task after its worker retired, and up again", async () => {
    const cluster = await startCluster();
    await cluster.scale(2);
    await cluster.waitForWorkers(2, { timeout: "60s" });
    const client = await Client.connect(cluster);
    try {
      const futures = client.map((x: number) => x * 10, [1, 2, 3, 4, 5, 6]);
      await client.gather(futures);
      await cluster.scale(1);
      const stopped = cluster.tasks.filter((task) => task.endedAt !== null);
      assert.deepEqual(stopped.map((task) => [task.state, task.rawState]), [["cancelled", "STOPPED"]]);
      assert.equal(fake.liveTasks().length, 1);
      assert.deepEqual(await client.gather(futures), [10, 20, 30, 40, 50, 60], "results of the retired worker were handed over");
      await cluster.scale(2);
      await cluster.waitForWorkers(2, { timeout: "60s" });
      assert.equal(fake.liveTasks().length, 2);
    } finally {
      await client.close();
    }
  });

  it("adapts between bounds in workers: the minimum is started without any work", async () => {
    const cluster = await startCluster();
    cluster.adapt({ minimum: 1, maximum: 2, interval: "100ms" });
    await cluster.waitForWorkers(1, { timeout: "60s" });
    assert.equal(cluster.requestedWorkers, 1);
    assert.equal(fake.liveTasks().length, 1);
  });

  it("reports a task that cannot pull its image with ECS's reason, and stops replacing it after maxFailedStarts", async () => {
    const cluster = await startCluster({ image: "registry.example.org/no-such-image:1", maxFailedStarts: 2 });
    const ended: string[] = [];
    // Seen by the poll timer (every 0.5 s). The deadline is a loaded machine's slack, far
    // below the 500 s a 1000-fold interval would take.
    const twoEnded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the poll timer reported ${ended.length} of 2 failed tasks within 60 s`)), 60_000);
      cluster.onTaskEnded((task) => {
        ended.push(`${task.state}: ${task.reason}`);
        if (ended.length === 2) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await cluster.scale(1);
    await twoEnded;
    assert.equal(ended.length, 2);
    for (const line of ended) assert.match(line, /^failed: TaskFailedToStart; CannotPullContainerError: .*no-such-image:1: not found/);
    assert.equal(operations().filter((operation) => operation === "RunTask").length, 2, "the second failure stopped the replacements");
    await assert.rejects(cluster.waitForWorkers(1, { timeout: "60s" }),
      /only 0 of 1 workers can connect: 2 tasks in a row stopped before their worker connected[^]*TaskFailedToStart; CannotPullContainerError/);
  });

  it("with credentialSecretArn, the task definition names only the secret; ECS injects it and the workers connect", async () => {
    const cluster = await startCluster({ credentialSecretArn: secretArn, credential: secretValue, executionRoleArn: "arn:aws:iam::000000000000:role/ecsTaskExecution" });
    assert.equal(cluster.credential, secretValue);
    await cluster.scale(1);
    await cluster.waitForWorkers(1, { timeout: "60s" });
    const [definition] = fake.taskDefinitions.values();
    assert.deepEqual(definition.containerDefinitions[0].secrets, [{ name: "TESSERA_CREDENTIAL", valueFrom: secretArn }]);
    for (const call of fake.calls) assert.ok(!call.raw.includes(secretValue), `${call.operation} carried the credential`);
  });

  it("undoes a start that ECS refuses, naming the operation and ECS's error", async () => {
    fake.failNext.set("RegisterTaskDefinition", { type: "AccessDeniedException", message: "User is not authorized to perform: ecs:RegisterTaskDefinition" });
    await assert.rejects(startCluster(), (error: Error) =>
      error instanceof EcsError && error.message === "ECS RegisterTaskDefinition failed: AccessDeniedException: User is not authorized to perform: ecs:RegisterTaskDefinition");
    assert.deepEqual([...fake.clusters.values()].map((c) => c.status), ["INACTIVE"], "the cluster it created was deleted");
    assert.deepEqual(operations(), ["CreateCluster", "RegisterTaskDefinition", "DeleteCluster"]);
  });

  it("refuses bad options by name before any ECS call", async () => {
    const cases: Array<[Partial<FargateClusterOptions> & Record<string, unknown>, RegExp]> = [
      [{ image: "" }, /^image is required/],
      [{ subnets: [] }, /subnets: give at least one subnet/],
      [{ workerCpu: 1000 }, /workerCpu: 1000 CPU units is not a Fargate size; use one of 256, 512, 1024/],
      [{ workerCpu: 1024, workerMemory: "1GiB" }, /workerMemory: 1024 MiB is not offered with 1024 CPU units; Fargate allows 2048–8192 MiB in steps of 1024 MiB/],
      [{ environment: { TESSERA_CREDENTIAL: "x" } }, /TESSERA_CREDENTIAL would put the credential in the task definition in clear/],
      [{ credentialSecretArn: secretArn }, /credentialSecretArn needs credential/],
      [{ credentialSecretArn: "my-secret", credential: "x" }, /is not a Secrets Manager secret or SSM parameter ARN/],
      [{ workerMemroy: "4GiB" }, /unknown option "workerMemroy"/],
      [{ tags: { "aws:owner": "me" } }, /the aws: prefix is reserved/],
      [{ schedulerOptions: { hots: "x" } as never }, /schedulerOptions: unknown option "hots"/],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(startCluster(options), (error: Error) => error instanceof InvalidOptionError && message.test(error.message), JSON.stringify(options));
    }
    assert.deepEqual(fake.calls, []);
  });
});

describe("the FAKE ECS endpoint itself", () => {
  let server: FakeEcsServer;
  before(async () => (server = await FakeEcsServer.start({ accessKeyId: "AKIAOTHER", images: {}, secrets: {}, maxStopTimeoutSeconds: 1 })));
  after(() => server.close());

  it("refuses a request signed with another key, as ECS does", async () => {
    const ecs = new ECSClient({ region: "us-east-1", endpoint: server.endpoint, credentials: awsCredentials, maxAttempts: 1 });
    await assert.rejects(ecs.send(new ListTagsForResourceCommand({ resourceArn: "arn:aws:ecs:us-east-1:000000000000:cluster/x" })),
      (error: Error) => error.name === "UnrecognizedClientException");
    ecs.destroy();
  });
});
