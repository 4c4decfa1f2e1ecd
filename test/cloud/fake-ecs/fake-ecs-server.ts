// A FAKE Amazon ECS endpoint for tessera's FargateCluster tests (no AWS here). It speaks the
// protocol @aws-sdk/client-ecs speaks to the real service: AWS JSON 1.1, every call a POST to
// "/" with `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`, a JSON body, SigV4
// `Authorization`; answers are JSON with epoch-second timestamps; errors are HTTP 400 with
// `{"__type": "<ExceptionName>", "message": …}`. The operations a Fargate cluster uses are
// implemented with ECS's own checks that matter to it (awsvpc needs subnets, Fargate sizes,
// inactive task definitions cannot run, a cluster with tasks cannot be deleted, at most 10
// tasks per RunTask, 100 per DescribeTasks); every task's container is a real local process
// (fake-task-runtime.ts). Every request is recorded for the tests' checks.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeTaskRuntime, type FakeContainerDefinition, type FakeTaskRecord, type RuntimeOptions } from "./fake-task-runtime.js";

const targetPrefix = "AmazonEC2ContainerServiceV20141113.";
const region = "us-east-1";
const account = "000000000000";
const arn = (kind: string, rest: string) => `arn:aws:ecs:${region}:${account}:${kind}/${rest}`;
const now = () => Date.now() / 1000;

type Tags = Array<{ key: string; value: string }>;
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

class EcsException extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

interface ClusterRecord { clusterArn: string; clusterName: string; status: "ACTIVE" | "INACTIVE"; capacityProviders: string[] }
interface TaskDefinitionRecord {
  taskDefinitionArn: string; family: string; revision: number; status: "ACTIVE" | "INACTIVE"; networkMode: string;
  requiresCompatibilities: string[]; cpu: string; memory: string; containerDefinitions: FakeContainerDefinition[];
  executionRoleArn?: string; taskRoleArn?: string; registeredAt: number; deregisteredAt?: number;
}

export interface RecordedCall {
  operation: string;
  body: Body;
  /** The raw request text, as it crossed the wire. */
  raw: string;
}

/** Fargate's CPU units and the memory range (MiB) each allows. */
const fargateMemory: Record<string, [number, number]> = {
  256: [512, 2048], 512: [1024, 4096], 1024: [2048, 8192], 2048: [4096, 16384], 4096: [8192, 30720], 8192: [16384, 61440], 16384: [32768, 122880],
};

export class FakeEcsServer {
  readonly calls: RecordedCall[] = [];
  readonly clusters = new Map<string, ClusterRecord>();
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord>();
  readonly tasks = new Map<string, FakeTaskRecord>();
  readonly tags = new Map<string, Tags>();
  /** Operations that fail once with the given exception (tests inject failures). */
  readonly failNext = new Map<string, { type: string; message: string }>();
  private readonly revisions = new Map<string, number>();
  private readonly runtime: FakeTaskRuntime;

  private constructor(private readonly server: Server, readonly accessKeyId: string, runtime: RuntimeOptions) {
    this.runtime = new FakeTaskRuntime(runtime);
  }

  static async start(options: RuntimeOptions & { accessKeyId: string }): Promise<FakeEcsServer> {
    const server = createServer();
    const fake = new FakeEcsServer(server, options.accessKeyId, options);
    server.on("request", (request: IncomingMessage, response: ServerResponse) => void fake.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Tasks not yet STOPPED. */
  liveTasks(): FakeTaskRecord[] {
    return [...this.tasks.values()].filter((task) => task.lastStatus !== "STOPPED");
  }

  async close(): Promise<void> {
    this.runtime.killAll(this.tasks.values());
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = "";
    for await (const chunk of request) raw += chunk;
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": randomUUID() });
      response.end(JSON.stringify(body));
    };
    const target = String(request.headers["x-amz-target"] ?? "");
    try {
      if (request.method !== "POST" || request.url !== "/") throw new EcsException("UnknownOperationException", `${request.method} ${request.url}`);
      if (request.headers["content-type"] !== "application/x-amz-json-1.1") throw new EcsException("SerializationException", "expected application/x-amz-json-1.1");
      // SigV4: the credential scope must name this fake's key, the region and the ecs service.
      const authorization = String(request.headers.authorization ?? "");
      const scope = new RegExp(`^AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/\\d{8}/[a-z0-9-]+/ecs/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$`);
      if (!scope.test(authorization)) throw new EcsException("UnrecognizedClientException", "The security token included in the request is invalid.");
      if (!target.startsWith(targetPrefix)) throw new EcsException("UnknownOperationException", `unknown target ${target}`);
      const operation = target.slice(targetPrefix.length);
      const body = JSON.parse(raw || "{}") as Body;
      this.calls.push({ operation, body, raw });
      const injected = this.failNext.get(operation);
      if (injected) {
        this.failNext.delete(operation);
        throw new EcsException(injected.type, injected.message);
      }
      reply(200, this.dispatch(operation, body));
    } catch (error) {
      if (error instanceof EcsException) reply(400, { __type: error.type, message: error.message });
      else reply(500, { __type: "ServerException", message: (error as Error).message });
    }
  }

  private dispatch(operation: string, body: Body): unknown {
    switch (operation) {
      case "CreateCluster": return this.createCluster(body);
      case "DeleteCluster": return this.deleteCluster(body);
      case "DescribeClusters": return { clusters: (body.clusters as string[] ?? []).map((c) => this.clusterJson(this.findCluster(c, true))), failures: [] };
      case "ListClusters": return { clusterArns: [...this.clusters.values()].filter((c) => c.status === "ACTIVE").map((c) => c.clusterArn) };
      case "RegisterTaskDefinition": return this.registerTaskDefinition(body);
      case "DeregisterTaskDefinition": return this.deregisterTaskDefinition(body);
      case "DescribeTaskDefinition": {
        const definition = this.findTaskDefinition(body.taskDefinition);
        return { taskDefinition: definition, tags: this.tags.get(definition.taskDefinitionArn) ?? [] };
      }
      case "ListTaskDefinitions": return {
        taskDefinitionArns: [...this.taskDefinitions.values()]
          .filter((d) => d.status === (body.status ?? "ACTIVE") && (!body.familyPrefix || d.family.startsWith(body.familyPrefix))).map((d) => d.taskDefinitionArn),
      };
      case "RunTask": return this.runTask(body);
      case "DescribeTasks": return this.describeTasks(body);
      case "ListTasks": return this.listTasks(body);
      case "StopTask": return this.stopTask(body);
      case "TagResource": {
        this.resourceExists(body.resourceArn);
        const merged = new Map((this.tags.get(body.resourceArn) ?? []).map((tag) => [tag.key, tag.value]));
        for (const tag of body.tags as Tags) merged.set(tag.key, tag.value);
        this.tags.set(body.resourceArn, [...merged].map(([key, value]) => ({ key, value })));
        return {};
      }
      case "UntagResource":
        this.resourceExists(body.resourceArn);
        this.tags.set(body.resourceArn, (this.tags.get(body.resourceArn) ?? []).filter((tag) => !(body.tagKeys as string[]).includes(tag.key)));
        return {};
      case "ListTagsForResource":
        this.resourceExists(body.resourceArn);
        return { tags: this.tags.get(body.resourceArn) ?? [] };
      default:
        throw new EcsException("UnknownOperationException", `the FAKE ECS does not implement ${operation}`);
    }
  }

  // ---- clusters ----

  private createCluster(body: Body): unknown {
    const clusterName = body.clusterName ?? "default";
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(clusterName)) throw new EcsException("InvalidParameterException", "Cluster name may only contain letters, numbers, hyphens and underscores");
    const clusterArn = arn("cluster", clusterName);
    const cluster: ClusterRecord = { clusterArn, clusterName, status: "ACTIVE", capacityProviders: body.capacityProviders ?? [] };
    this.clusters.set(clusterArn, cluster);
    this.tags.set(clusterArn, this.checkTags(body.tags));
    return { cluster: this.clusterJson(cluster) };
  }

  private deleteCluster(body: Body): unknown {
    const cluster = this.findCluster(body.cluster);
    if ([...this.tasks.values()].some((task) => task.clusterArn === cluster.clusterArn && task.lastStatus !== "STOPPED")) {
      throw new EcsException("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.");
    }
    cluster.status = "INACTIVE";
    return { cluster: this.clusterJson(cluster) };
  }

  private clusterJson(cluster: ClusterRecord): unknown {
    const tasks = [...this.tasks.values()].filter((task) => task.clusterArn === cluster.clusterArn);
    return {
      clusterArn: cluster.clusterArn, clusterName: cluster.clusterName, status: cluster.status, capacityProviders: cluster.capacityProviders,
      runningTasksCount: tasks.filter((t) => t.lastStatus === "RUNNING").length,
      pendingTasksCount: tasks.filter((t) => ["PROVISIONING", "PENDING"].includes(t.lastStatus)).length,
      tags: this.tags.get(cluster.clusterArn) ?? [],
    };
  }

  private findCluster(name: string | undefined, allowInactive = false): ClusterRecord {
    const key = name?.startsWith("arn:") ? name : arn("cluster", name ?? "default");
    const cluster = this.clusters.get(key);
    if (!cluster || (!allowInactive && cluster.status !== "ACTIVE")) throw new EcsException("ClusterNotFoundException", "Cluster not found.");
    return cluster;
  }

  // ---- task definitions ----

  private registerTaskDefinition(body: Body): unknown {
    const family = body.family as string;
    if (!family || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) throw new EcsException("ClientException", "Family contains invalid characters.");
    const containers = body.containerDefinitions as FakeContainerDefinition[] | undefined;
    if (!containers?.length) throw new EcsException("ClientException", "Container list cannot be empty.");
    for (const container of containers) {
      if (!container.name || !container.image) throw new EcsException("ClientException", "Container.image and Container.name should not be null or empty.");
      for (const secret of container.secrets ?? []) {
        if (!/^arn:aws:(secretsmanager|ssm):/.test(secret.valueFrom)) throw new EcsException("ClientException", `Invalid secret valueFrom ${secret.valueFrom}`);
      }
      if (container.secrets?.length && !body.executionRoleArn) {
        throw new EcsException("ClientException", "Fargate requires task definition to have execution role ARN to support secrets.");
      }
    }
    const fargate = (body.requiresCompatibilities as string[] | undefined)?.includes("FARGATE");
    if (fargate) {
      if (body.networkMode !== "awsvpc") throw new EcsException("ClientException", "Fargate only supports network mode ‘awsvpc’.");
      const range = fargateMemory[body.cpu];
      const memory = Number(body.memory);
      if (!range || memory < range[0] || memory > range[1]) {
        throw new EcsException("ClientException", `No Fargate configuration exists for given values: ${body.cpu} CPU, ${body.memory} memory.`);
      }
    }
    const revision = (this.revisions.get(family) ?? 0) + 1;
    this.revisions.set(family, revision);
    const definition: TaskDefinitionRecord = {
      taskDefinitionArn: arn("task-definition", `${family}:${revision}`), family, revision, status: "ACTIVE",
      networkMode: body.networkMode ?? "bridge", requiresCompatibilities: body.requiresCompatibilities ?? [], cpu: body.cpu, memory: body.memory,
      containerDefinitions: containers, executionRoleArn: body.executionRoleArn, taskRoleArn: body.taskRoleArn, registeredAt: now(),
    };
    this.taskDefinitions.set(definition.taskDefinitionArn, definition);
    this.tags.set(definition.taskDefinitionArn, this.checkTags(body.tags));
    return { taskDefinition: definition, tags: this.tags.get(definition.taskDefinitionArn) };
  }

  private deregisterTaskDefinition(body: Body): unknown {
    const definition = this.findTaskDefinition(body.taskDefinition);
    definition.status = "INACTIVE";
    definition.deregisteredAt = now();
    return { taskDefinition: definition };
  }

  private findTaskDefinition(reference: string | undefined): TaskDefinitionRecord {
    const definition = [...this.taskDefinitions.values()].find((d) =>
      d.taskDefinitionArn === reference || `${d.family}:${d.revision}` === reference);
    if (!definition) throw new EcsException("ClientException", "Unable to describe task definition.");
    return definition;
  }

  // ---- tasks ----

  private runTask(body: Body): unknown {
    const cluster = this.findCluster(body.cluster);
    const definition = this.findTaskDefinition(body.taskDefinition);
    if (definition.status !== "ACTIVE") throw new EcsException("ClientException", `TaskDefinition is inactive (${definition.taskDefinitionArn})`);
    const count = body.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10) throw new EcsException("InvalidParameterException", "count must be between 1 and 10");
    const provider = body.capacityProviderStrategy?.[0]?.capacityProvider as string | undefined;
    if (body.launchType && provider) throw new EcsException("InvalidParameterException", "Specifying both a launch type and capacity provider strategy is not supported.");
    const onFargate = body.launchType === "FARGATE" || provider === "FARGATE" || provider === "FARGATE_SPOT";
    if (onFargate && !definition.requiresCompatibilities.includes("FARGATE")) {
      throw new EcsException("InvalidParameterException", "Task definition does not support launch_type FARGATE.");
    }
    const subnets = body.networkConfiguration?.awsvpcConfiguration?.subnets as string[] | undefined;
    if (definition.networkMode === "awsvpc" && !subnets?.length) {
      throw new EcsException("InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    const overrides = (body.overrides?.containerOverrides ?? []) as Array<{ name: string; command?: string[]; environment?: Array<{ name: string; value: string }> }>;
    for (const override of overrides) {
      if (!definition.containerDefinitions.some((c) => c.name === override.name)) {
        throw new EcsException("InvalidParameterException", `Override for container named ${override.name} is not a container in the TaskDefinition.`);
      }
    }
    const tags = this.checkTags(body.tags);
    const started = [];
    for (let i = 0; i < count; i++) {
      const [container] = definition.containerDefinitions;
      const override = overrides.find((o) => o.name === container.name) ?? {};
      const task: FakeTaskRecord = {
        taskArn: arn("task", `${cluster.clusterName}/${randomUUID().replace(/-/g, "")}`), clusterArn: cluster.clusterArn,
        taskDefinitionArn: definition.taskDefinitionArn, lastStatus: "PROVISIONING", desiredStatus: "RUNNING",
        ...(body.launchType ? { launchType: body.launchType } : {}), ...(provider ? { capacityProviderName: provider } : {}),
        cpu: definition.cpu, memory: definition.memory, group: `family:${definition.family}`, startedBy: body.startedBy, createdAt: now(),
        container: { name: container.name, image: container.image, lastStatus: "PENDING" }, subnetId: subnets?.[0] ?? "",
      };
      this.tasks.set(task.taskArn, task);
      this.tags.set(task.taskArn, tags);
      this.runtime.launch(task, container, override);
      started.push(this.taskJson(task));
    }
    return { tasks: started, failures: [] };
  }

  private describeTasks(body: Body): unknown {
    const cluster = this.findCluster(body.cluster, true);
    const arns = body.tasks as string[] | undefined;
    if (!arns?.length || arns.length > 100) throw new EcsException("InvalidParameterException", "Tasks cannot be empty and may list at most 100.");
    const tasks = [];
    const failures = [];
    for (const taskArn of arns) {
      const task = this.tasks.get(taskArn) ?? [...this.tasks.values()].find((t) => t.taskArn.endsWith(`/${taskArn}`));
      if (task && task.clusterArn === cluster.clusterArn) tasks.push(this.taskJson(task));
      else failures.push({ arn: taskArn, reason: "MISSING" });
    }
    return { tasks, failures };
  }

  private listTasks(body: Body): unknown {
    const cluster = this.findCluster(body.cluster);
    const desired = body.desiredStatus ?? "RUNNING";
    return {
      taskArns: [...this.tasks.values()].filter((task) => task.clusterArn === cluster.clusterArn && task.desiredStatus === desired &&
        (!body.startedBy || task.startedBy === body.startedBy) && (!body.family || task.group === `family:${body.family}`)).map((task) => task.taskArn),
    };
  }

  private stopTask(body: Body): unknown {
    const cluster = this.findCluster(body.cluster);
    const task = this.tasks.get(body.task);
    if (!task || task.clusterArn !== cluster.clusterArn) throw new EcsException("InvalidParameterException", "The referenced task was not found.");
    const definition = this.findTaskDefinition(task.taskDefinitionArn);
    this.runtime.stop(task, body.reason ?? "Task stopped by user", definition.containerDefinitions[0].stopTimeout ?? 30);
    return { task: this.taskJson(task) };
  }

  private taskJson(task: FakeTaskRecord): unknown {
    return {
      taskArn: task.taskArn, clusterArn: task.clusterArn, taskDefinitionArn: task.taskDefinitionArn, lastStatus: task.lastStatus,
      desiredStatus: task.desiredStatus, launchType: task.launchType, capacityProviderName: task.capacityProviderName, cpu: task.cpu,
      memory: task.memory, group: task.group, startedBy: task.startedBy, createdAt: task.createdAt, startedAt: task.startedAt,
      stoppingAt: task.stoppingAt, stoppedAt: task.stoppedAt, stopCode: task.stopCode, stoppedReason: task.stoppedReason,
      platformVersion: "1.4.0", platformFamily: "Linux",
      containers: [{
        containerArn: arn("container", `${task.taskArn.split("/").slice(-2).join("/")}/${task.container.name}`), taskArn: task.taskArn,
        name: task.container.name, image: task.container.image, lastStatus: task.container.lastStatus, exitCode: task.container.exitCode,
        reason: task.container.reason, networkInterfaces: [{ attachmentId: "eni-attachment", privateIpv4Address: "127.0.0.1" }],
      }],
      attachments: [{
        id: "eni-attachment", type: "ElasticNetworkInterface", status: task.lastStatus === "STOPPED" ? "DELETED" : "ATTACHED",
        details: [
          { name: "subnetId", value: task.subnetId }, { name: "networkInterfaceId", value: "eni-0fake" },
          { name: "privateIPv4Address", value: "127.0.0.1" },
        ],
      }],
      tags: this.tags.get(task.taskArn) ?? [],
    };
  }

  private resourceExists(resourceArn: string): void {
    if (!this.tags.has(resourceArn)) throw new EcsException("InvalidParameterException", "The specified resource could not be found.");
  }

  /** ECS's tag rules: at most 50, keys 1–128 and values 0–256 characters, no aws: prefix. */
  private checkTags(tags: Tags | undefined): Tags {
    const list = tags ?? [];
    if (list.length > 50) throw new EcsException("InvalidParameterException", "Too many tags");
    for (const tag of list) {
      if (!tag.key || tag.key.length > 128 || (tag.value ?? "").length > 256 || tag.key.toLowerCase().startsWith("aws:")) {
        throw new EcsException("InvalidParameterException", `Invalid tag ${JSON.stringify(tag)}`);
      }
    }
    return list.map((tag) => ({ key: tag.key, value: tag.value ?? "" }));
  }
}
