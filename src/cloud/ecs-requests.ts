/**
 * The ECS requests a FargateCluster makes, built by pure functions from the resolved options
 * (after dask-cloudprovider's ECS clusters: one worker task definition per cluster, one
 * RunTask per worker whose container override names the worker, StopTask on scale-down and
 * close, tags on every resource).
 *
 * The credential never enters the task definition in clear, and never a command line:
 *  - default: each RunTask carries it as the container override's environment variable
 *    TESSERA_CREDENTIAL (the worker CLI reads it there), visible only to principals allowed
 *    to describe the cluster's tasks, who could run tasks of their own anyway;
 *  - with credentialSecretArn: the task definition's `secrets` names the ARN and ECS
 *    injects the value at start, with the execution role.
 */
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, RunTaskCommandInput, Tag } from "@aws-sdk/client-ecs";
import type { ResolvedFargateOptions } from "./fargate-options.js";

export const workerContainerName = "tessera-worker";
export const credentialVariable = "TESSERA_CREDENTIAL";

/** Every resource's tags: the user's, then tessera's (which win: they find the cluster's resources). */
export function resourceTags(options: ResolvedFargateOptions): Tag[] {
  const tags = { ...options.tags, "tessera:cluster": options.name, createdBy: "tessera" };
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** `tessera worker <scheduler> --name <name> …`: the container's command (the image's entrypoint is `tessera`). */
export function workerCommand(options: ResolvedFargateOptions, schedulerAddress: string, workerName: string): string[] {
  return [
    "worker", schedulerAddress, "--name", workerName,
    "--nthreads", String(options.workerNthreads),
    "--memory-limit", String(options.workerMemoryMiB * 2 ** 20),
    // Without a scheduler for this long, a worker exits and its task stops (a crashed client's tasks end).
    "--death-timeout", "60",
    ...options.workerExtraArgs,
  ];
}

export function workerTaskDefinition(options: ResolvedFargateOptions, schedulerAddress: string): RegisterTaskDefinitionCommandInput {
  const container: ContainerDefinition = {
    name: workerContainerName,
    image: options.image,
    essential: true,
    command: workerCommand(options, schedulerAddress, "unnamed"),
    environment: Object.entries(options.environment).map(([name, value]) => ({ name, value })),
    ulimits: [{ name: "nofile", softLimit: 65535, hardLimit: 65535 }],
    // A worker asked to stop retires (hands its results over) before ECS's SIGKILL.
    stopTimeout: 60,
  };
  if (options.credentialSecretArn) container.secrets = [{ name: credentialVariable, valueFrom: options.credentialSecretArn }];
  if (options.logGroup) {
    container.logConfiguration = {
      logDriver: "awslogs",
      options: { "awslogs-group": options.logGroup, "awslogs-stream-prefix": options.name, ...(options.region ? { "awslogs-region": options.region } : {}) },
    };
  }
  return {
    family: `${options.name}-worker`,
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    cpu: String(options.workerCpu),
    memory: String(options.workerMemoryMiB),
    containerDefinitions: [container],
    ...(options.executionRoleArn ? { executionRoleArn: options.executionRoleArn } : {}),
    ...(options.taskRoleArn ? { taskRoleArn: options.taskRoleArn } : {}),
    tags: resourceTags(options),
  };
}

/** One worker task: its name in the command override, the credential in its environment override (default route). */
export function runWorkerTask(
  options: ResolvedFargateOptions,
  context: { clusterArn: string; taskDefinitionArn: string; schedulerAddress: string; credential: string; workerName: string },
): RunTaskCommandInput {
  const environment = options.credentialSecretArn ? [] : [{ name: credentialVariable, value: context.credential }];
  return {
    cluster: context.clusterArn,
    taskDefinition: context.taskDefinitionArn,
    count: 1,
    // startedBy (≤ 36 characters) lets ListTasks find this cluster's tasks after a crash.
    startedBy: options.name.slice(0, 36),
    ...(options.capacityProvider === "FARGATE"
      ? { launchType: "FARGATE" as const }
      : { capacityProviderStrategy: [{ capacityProvider: options.capacityProvider, weight: 1 }] }),
    ...(options.platformVersion ? { platformVersion: options.platformVersion } : {}),
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: options.subnets,
        ...(options.securityGroups.length > 0 ? { securityGroups: options.securityGroups } : {}),
        assignPublicIp: options.assignPublicIp ? "ENABLED" : "DISABLED",
      },
    },
    overrides: {
      containerOverrides: [{
        name: workerContainerName,
        command: workerCommand(options, context.schedulerAddress, context.workerName),
        ...(environment.length > 0 ? { environment } : {}),
      }],
    },
    tags: [...resourceTags(options), { key: "tessera:worker", value: context.workerName }],
  };
}
