/**
 * The ECS resources of one FargateCluster, through @aws-sdk/client-ecs: the ECS cluster
 * (created unless the user gave one), the worker task definition, and the worker tasks. It
 * decides nothing; fargate-cluster.ts does. Every resource carries the cluster's tags; what
 * it created, it deletes (`release`), and an ECS error reaches the caller with ECS's code
 * and message and the operation that failed.
 */
import {
  CreateClusterCommand, DeleteClusterCommand, DeregisterTaskDefinitionCommand, DescribeTasksCommand, ECSClient,
  RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, type Task,
} from "@aws-sdk/client-ecs";
import { TesseraError, errorMessage } from "../core/errors.js";
import { resourceTags, runWorkerTask, workerTaskDefinition } from "./ecs-requests.js";
import type { ResolvedFargateOptions } from "./fargate-options.js";

/** An ECS call that failed: the operation, ECS's error code and message. */
export class EcsError extends TesseraError {
  override name = "EcsError";
  constructor(readonly operation: string, readonly code: string, message: string, options?: { cause?: unknown }) {
    super(`ECS ${operation} failed: ${code}: ${message}`, options);
  }
}

async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof EcsError) throw error;
    const code = (error as { name?: string }).name ?? "Error";
    throw new EcsError(operation, code, errorMessage(error), { cause: error });
  }
}

/** DescribeTasks takes at most 100 tasks per call. */
const describeBatch = 100;

export class EcsResources {
  readonly client: ECSClient;
  clusterArn: string | null;
  taskDefinitionArn: string | null = null;
  /** The ECS cluster was created here (and is deleted on release). */
  private ownsCluster = false;

  constructor(private readonly options: ResolvedFargateOptions) {
    this.client = new ECSClient({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.awsCredentials ? { credentials: options.awsCredentials } : {}),
    });
    this.clusterArn = options.clusterArn;
  }

  /** Creates the ECS cluster (unless given) and registers the worker task definition. */
  async create(schedulerAddress: string): Promise<void> {
    if (this.clusterArn === null) {
      const created = await call("CreateCluster", () => this.client.send(new CreateClusterCommand({
        clusterName: this.options.name, tags: resourceTags(this.options), capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      })));
      this.clusterArn = created.cluster?.clusterArn ?? null;
      if (!this.clusterArn) throw new EcsError("CreateCluster", "NoClusterArn", "the answer named no cluster");
      this.ownsCluster = true;
    }
    const registered = await call("RegisterTaskDefinition", () =>
      this.client.send(new RegisterTaskDefinitionCommand(workerTaskDefinition(this.options, schedulerAddress))));
    this.taskDefinitionArn = registered.taskDefinition?.taskDefinitionArn ?? null;
    if (!this.taskDefinitionArn) throw new EcsError("RegisterTaskDefinition", "NoTaskDefinitionArn", "the answer named no task definition");
  }

  /** Starts one worker task; resolves with it as RunTask returned it (PROVISIONING). */
  async runWorker(workerName: string, schedulerAddress: string, credential: string): Promise<Task> {
    const { clusterArn, taskDefinitionArn } = this.ready();
    const answer = await call("RunTask", () => this.client.send(new RunTaskCommand(
      runWorkerTask(this.options, { clusterArn, taskDefinitionArn, schedulerAddress, credential, workerName }))));
    const [task] = answer.tasks ?? [];
    if (!task?.taskArn) {
      const failure = answer.failures?.[0];
      throw new EcsError("RunTask", failure?.reason ?? "NoTask", failure?.detail ?? "no task was started");
    }
    return task;
  }

  /** The tasks' current descriptions; a task ECS no longer knows is absent from the answer. */
  async describe(taskArns: readonly string[]): Promise<Task[]> {
    const { clusterArn } = this.ready();
    const tasks: Task[] = [];
    for (let i = 0; i < taskArns.length; i += describeBatch) {
      const answer = await call("DescribeTasks", () =>
        this.client.send(new DescribeTasksCommand({ cluster: clusterArn, tasks: taskArns.slice(i, i + describeBatch) })));
      tasks.push(...(answer.tasks ?? []));
    }
    return tasks;
  }

  async stop(taskArn: string, reason: string): Promise<void> {
    const { clusterArn } = this.ready();
    await call("StopTask", () => this.client.send(new StopTaskCommand({ cluster: clusterArn, task: taskArn, reason })));
  }

  /** Deregisters the task definition and deletes the cluster if it was created here; the first error is thrown after both were tried. */
  async release(): Promise<void> {
    const errors: unknown[] = [];
    if (this.taskDefinitionArn) {
      const taskDefinition = this.taskDefinitionArn;
      await call("DeregisterTaskDefinition", () => this.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition })))
        .then(() => (this.taskDefinitionArn = null), (error: unknown) => errors.push(error));
    }
    if (this.ownsCluster && this.clusterArn) {
      const cluster = this.clusterArn;
      await call("DeleteCluster", () => this.client.send(new DeleteClusterCommand({ cluster })))
        .then(() => (this.ownsCluster = false), (error: unknown) => errors.push(error));
    }
    this.client.destroy();
    if (errors.length > 0) throw errors[0];
  }

  private ready(): { clusterArn: string; taskDefinitionArn: string } {
    if (!this.clusterArn || !this.taskDefinitionArn) throw new EcsError("RunTask", "NotCreated", "the cluster's ECS resources were not created");
    return { clusterArn: this.clusterArn, taskDefinitionArn: this.taskDefinitionArn };
  }
}
