/**
 * FargateCluster's options, read once at the edge into a resolved object: every key is
 * known or refused by name, sizes are checked against the CPU/memory pairs Fargate offers
 * (an unsupported pair would only fail at RunTask, after the cluster was created), and the
 * credential's route to the tasks is decided here (see fargate-cluster.ts).
 */
import { InvalidOptionError } from "../core/errors.js";
import { parseBytes, parseDuration } from "../core/units.js";

export interface FargateClusterOptions {
  /** Container image with tessera installed, its entrypoint `tessera` (docker/Dockerfile). Required. */
  image: string;
  /** Subnets of the workers' network interfaces (awsvpc). Required: the scheduler must be reachable from them. */
  subnets: string[];
  /** Security groups of the workers' interfaces; they must let the workers reach the scheduler's port. */
  securityGroups?: string[];
  /** Workers to start at once. */
  nWorkers?: number;
  /** CPU units per worker task, as ECS counts them: 1024 = one vCPU (default 1024). */
  workerCpu?: number;
  /** Memory per worker task: "8GiB", or MiB as a number (default "4GiB"). */
  workerMemory?: string | number;
  /** Threads per worker (default: one per vCPU, at least 1). */
  workerNthreads?: number;
  /** Extra arguments appended to `tessera worker`. */
  workerExtraArgs?: string[];
  /** Environment variables of the worker containers (never the credential: see credentialSecretArn). */
  environment?: Record<string, string>;
  /** An existing ECS cluster to run in; default: a new one, deleted on close. */
  clusterArn?: string;
  /** Name of the cluster and prefix of every resource (default "tessera-<random>"). */
  name?: string;
  /** Tags added to every resource created (the cluster, task definition, tasks). */
  tags?: Record<string, string>;
  /** Role ECS uses to pull the image and read a credentialSecretArn (required with the latter). */
  executionRoleArn?: string;
  /** Role the workers' code runs as (S3 access and the like). */
  taskRoleArn?: string;
  /** "FARGATE" (default) or "FARGATE_SPOT" for the workers. */
  capacityProvider?: "FARGATE" | "FARGATE_SPOT";
  /** Give the tasks public IPs (default false: the scheduler reaches them and they it by private IPs). */
  assignPublicIp?: boolean;
  platformVersion?: string;
  /** CloudWatch Logs group for the workers' output (awslogs driver); default none. */
  logGroup?: string;
  /**
   * Secrets Manager secret or SSM parameter ARN holding the cluster credential. The task
   * definition then names only this ARN and ECS injects the value at start; give the same
   * value as `credential`. Default: a fresh credential per cluster, handed to each task in
   * its RunTask environment override (never in the task definition).
   */
  credentialSecretArn?: string;
  /** The credential stored in credentialSecretArn. */
  credential?: string;
  /** Where the scheduler (in this process) listens; workers connect to host:port by private IP. */
  schedulerOptions?: { host?: string; interface?: string; port?: number; dashboardAddress?: string | false };
  /** AWS region (default: the SDK's: AWS_REGION, the profile). */
  region?: string;
  /** ECS endpoint URL (a VPC endpoint; tests: the FAKE ECS). */
  endpoint?: string;
  /** AWS credentials for the ECS API (default: the SDK's provider chain). */
  awsCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** How often task states are polled (default "5s"). */
  pollInterval?: string | number;
  /** Bound on waiting for stopped tasks to reach STOPPED on close (default "120s"). */
  closeTimeout?: string | number;
  /** Tasks that may stop in a row before any worker connected, before replacement stops (default 3). */
  maxFailedStarts?: number;
}

export interface ResolvedFargateOptions {
  image: string;
  subnets: string[];
  securityGroups: string[];
  nWorkers: number;
  workerCpu: number;
  workerMemoryMiB: number;
  workerNthreads: number;
  workerExtraArgs: string[];
  environment: Record<string, string>;
  clusterArn: string | null;
  name: string;
  tags: Record<string, string>;
  executionRoleArn: string | null;
  taskRoleArn: string | null;
  capacityProvider: "FARGATE" | "FARGATE_SPOT";
  assignPublicIp: boolean;
  platformVersion: string | null;
  logGroup: string | null;
  credentialSecretArn: string | null;
  credential: string | null;
  schedulerHost: string | null;
  schedulerInterface: string | null;
  schedulerPort: number;
  dashboardAddress: string | false;
  region: string | undefined;
  endpoint: string | undefined;
  awsCredentials: FargateClusterOptions["awsCredentials"];
  pollIntervalSeconds: number;
  closeTimeoutSeconds: number;
  maxFailedStarts: number;
}

const knownKeys = new Set<string>([
  "image", "subnets", "securityGroups", "nWorkers", "workerCpu", "workerMemory", "workerNthreads", "workerExtraArgs",
  "environment", "clusterArn", "name", "tags", "executionRoleArn", "taskRoleArn", "capacityProvider", "assignPublicIp",
  "platformVersion", "logGroup", "credentialSecretArn", "credential", "schedulerOptions", "region", "endpoint", "awsCredentials",
  "pollInterval", "closeTimeout", "maxFailedStarts",
]);
const schedulerKeys = new Set(["host", "interface", "port", "dashboardAddress"]);

/**
 * Fargate's task sizes: per CPU value, the memory range in MiB and its step
 * (AWS documentation, "Task CPU and memory").
 */
const fargateSizes: ReadonlyArray<[cpu: number, minimumMiB: number, maximumMiB: number, stepMiB: number]> = [
  [256, 512, 2048, 512], [512, 1024, 4096, 1024], [1024, 2048, 8192, 1024], [2048, 4096, 16384, 1024],
  [4096, 8192, 30720, 1024], [8192, 16384, 61440, 4096], [16384, 32768, 122880, 8192],
];

/** Refuses a CPU/memory pair Fargate does not offer, naming the pairs it does. */
export function checkFargateSize(cpu: number, memoryMiB: number): void {
  const size = fargateSizes.find(([units]) => units === cpu);
  if (!size) {
    throw new InvalidOptionError(`workerCpu: ${cpu} CPU units is not a Fargate size; use one of ${fargateSizes.map(([units]) => units).join(", ")} (1024 = one vCPU)`);
  }
  const [, minimum, maximum, step] = size;
  if (memoryMiB < minimum || memoryMiB > maximum || memoryMiB % step !== 0) {
    throw new InvalidOptionError(
      `workerMemory: ${memoryMiB} MiB is not offered with ${cpu} CPU units; Fargate allows ${minimum}–${maximum} MiB in steps of ${step} MiB`,
    );
  }
}

const nonEmptyString = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every(nonEmptyString)) throw new InvalidOptionError(`${what}: expected a list of non-empty strings, got ${JSON.stringify(value)}`);
  return [...value];
}

function stringMap(value: unknown, what: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw new InvalidOptionError(`${what}: expected an object of string values, got ${JSON.stringify(value)}`);
  }
  return { ...(value as Record<string, string>) };
}

function wholeNumber(value: unknown, what: string, minimum: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum) {
    throw new InvalidOptionError(`${what}: ${JSON.stringify(value)} is not a whole number ≥ ${minimum}`);
  }
  return value;
}

function memoryMiB(value: string | number): number {
  if (typeof value === "number") return wholeNumber(value, "workerMemory (MiB)", 1);
  const bytes = parseBytes(value, "workerMemory");
  if (bytes % 2 ** 20 !== 0) throw new InvalidOptionError(`workerMemory: ${JSON.stringify(value)} is not a whole number of MiB; Fargate counts memory in MiB`);
  return bytes / 2 ** 20;
}

export function resolveFargateOptions(options: FargateClusterOptions, randomName: () => string): ResolvedFargateOptions {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("FargateCluster.start: expected an options object with at least image and subnets");
  for (const key of Object.keys(options)) {
    if (!knownKeys.has(key)) throw new InvalidOptionError(`FargateCluster: unknown option ${JSON.stringify(key)}; known options: ${[...knownKeys].join(", ")}`);
  }
  if (!nonEmptyString(options.image)) throw new InvalidOptionError("image is required: a container image with tessera installed (see docker/Dockerfile and docs/fargate.md)");
  const subnets = stringList(options.subnets, "subnets");
  if (subnets.length === 0) throw new InvalidOptionError("subnets: give at least one subnet of the VPC the scheduler is reachable from");
  const scheduler = options.schedulerOptions ?? {};
  for (const key of Object.keys(scheduler)) {
    if (!schedulerKeys.has(key)) throw new InvalidOptionError(`schedulerOptions: unknown option ${JSON.stringify(key)}; known: ${[...schedulerKeys].join(", ")}`);
  }
  const workerCpu = options.workerCpu === undefined ? 1024 : wholeNumber(options.workerCpu, "workerCpu", 1);
  const workerMemoryMiB = memoryMiB(options.workerMemory ?? "4GiB");
  checkFargateSize(workerCpu, workerMemoryMiB);
  const capacityProvider = options.capacityProvider ?? "FARGATE";
  if (capacityProvider !== "FARGATE" && capacityProvider !== "FARGATE_SPOT") {
    throw new InvalidOptionError(`capacityProvider: ${JSON.stringify(capacityProvider)}; use "FARGATE" or "FARGATE_SPOT"`);
  }
  const secretArn = options.credentialSecretArn ?? null;
  if (secretArn !== null) {
    if (!/^arn:aws[\w-]*:(secretsmanager|ssm):/.test(secretArn)) {
      throw new InvalidOptionError(`credentialSecretArn: ${JSON.stringify(secretArn)} is not a Secrets Manager secret or SSM parameter ARN`);
    }
    if (!nonEmptyString(options.credential)) throw new InvalidOptionError("credentialSecretArn needs credential: the value stored in that secret, for the scheduler");
    if (!nonEmptyString(options.executionRoleArn)) throw new InvalidOptionError("credentialSecretArn needs executionRoleArn: the role ECS reads the secret with");
  } else if (options.credential !== undefined) {
    throw new InvalidOptionError("credential is only taken with credentialSecretArn (without it the cluster makes its own credential)");
  }
  const environment = stringMap(options.environment ?? {}, "environment");
  if ("TESSERA_CREDENTIAL" in environment) {
    throw new InvalidOptionError("environment: TESSERA_CREDENTIAL would put the credential in the task definition in clear; use credentialSecretArn");
  }
  const name = options.name ?? randomName();
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(name)) throw new InvalidOptionError(`name: ${JSON.stringify(name)} may hold only letters, digits, - and _ (up to 200), as ECS names do`);
  const tags = stringMap(options.tags ?? {}, "tags");
  for (const key of Object.keys(tags)) {
    if (key.toLowerCase().startsWith("aws:")) throw new InvalidOptionError(`tags: ${JSON.stringify(key)}: the aws: prefix is reserved by AWS`);
  }
  return {
    image: options.image, subnets, securityGroups: stringList(options.securityGroups ?? [], "securityGroups"),
    nWorkers: wholeNumber(options.nWorkers ?? 0, "nWorkers", 0),
    workerCpu, workerMemoryMiB,
    workerNthreads: options.workerNthreads === undefined ? Math.max(1, Math.floor(workerCpu / 1024)) : wholeNumber(options.workerNthreads, "workerNthreads", 1),
    workerExtraArgs: stringList(options.workerExtraArgs ?? [], "workerExtraArgs"),
    environment, clusterArn: options.clusterArn ?? null, name, tags,
    executionRoleArn: options.executionRoleArn ?? null, taskRoleArn: options.taskRoleArn ?? null,
    capacityProvider, assignPublicIp: options.assignPublicIp ?? false, platformVersion: options.platformVersion ?? null,
    logGroup: options.logGroup ?? null, credentialSecretArn: secretArn, credential: options.credential ?? null,
    schedulerHost: scheduler.host ?? null, schedulerInterface: scheduler.interface ?? null,
    schedulerPort: scheduler.port === undefined ? 0 : wholeNumber(scheduler.port, "schedulerOptions.port", 0),
    dashboardAddress: scheduler.dashboardAddress ?? ":8787",
    region: options.region, endpoint: options.endpoint, awsCredentials: options.awsCredentials,
    pollIntervalSeconds: parseDuration(options.pollInterval ?? "5s", "pollInterval"),
    closeTimeoutSeconds: parseDuration(options.closeTimeout ?? "120s", "closeTimeout"),
    maxFailedStarts: wholeNumber(options.maxFailedStarts ?? 3, "maxFailedStarts", 1),
  };
}
