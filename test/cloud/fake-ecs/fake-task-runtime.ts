// The container runtime of the FAKE ECS endpoint: each task's container runs as a real local
// process. An image is looked up in a table (image name → the local command standing for the
// image's entrypoint); an image not in it fails the task as Fargate does when it cannot pull
// (STOPPED, TaskFailedToStart, CannotPullContainerError). Secrets named in the task definition
// are resolved from the fake's secret table; one it does not hold fails the task with
// ResourceInitializationError. Task status moves PROVISIONING → PENDING → RUNNING (the process
// spawned) → DEPROVISIONING → STOPPED (the process gone), with stopCode, stoppedReason and the
// container's exit code as ECS reports them. StopTask sends SIGTERM, then SIGKILL after the
// container's stopTimeout.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";

export interface FakeContainerDefinition {
  name: string;
  image: string;
  command?: string[];
  environment?: Array<{ name: string; value: string }>;
  secrets?: Array<{ name: string; valueFrom: string }>;
  stopTimeout?: number;
}

export interface FakeTaskRecord {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  lastStatus: string;
  desiredStatus: "RUNNING" | "STOPPED";
  launchType?: string;
  capacityProviderName?: string;
  cpu: string;
  memory: string;
  group: string;
  startedBy?: string;
  createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  container: { name: string; image: string; lastStatus: string; exitCode?: number; reason?: string };
  subnetId: string;
  /** The process standing for the container, while it runs. */
  process?: ChildProcess;
  /** Every argv and environment given to a process, for the tests' checks (no credential in argv). */
  argv?: string[];
  env?: Record<string, string>;
}

export interface RuntimeOptions {
  /** image → the local argv standing for its entrypoint, e.g. [node, bin/tessera.js]. */
  images: Record<string, string[]>;
  /** Secrets Manager / SSM ARN → value. */
  secrets: Record<string, string>;
  /** Where the processes' output goes (one file per task), or undefined to drop it. */
  logDirectory?: string;
  /** A cap on stopTimeout, so tests do not wait 30 s for a process ignoring SIGTERM. */
  maxStopTimeoutSeconds: number;
}

const now = () => Date.now() / 1000;

export class FakeTaskRuntime {
  constructor(private readonly options: RuntimeOptions) {}

  /** Starts the task's container; status changes happen on `task` as the process lives and dies. */
  launch(task: FakeTaskRecord, container: FakeContainerDefinition, overrides: { command?: string[]; environment?: Array<{ name: string; value: string }> }): void {
    setImmediate(() => {
      if (task.desiredStatus === "STOPPED") return this.finish(task, "UserInitiated", task.stoppedReason ?? "Task stopped by user");
      task.lastStatus = "PENDING";
      const entrypoint = this.options.images[container.image];
      if (!entrypoint) {
        const message = `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${container.image}: not found`;
        task.container.reason = message;
        return this.finish(task, "TaskFailedToStart", message);
      }
      const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/root", ECS_CONTAINER_METADATA_URI_V4: `http://169.254.170.2/v4/${randomUUID()}` };
      for (const variable of container.environment ?? []) env[variable.name] = variable.value;
      for (const secret of container.secrets ?? []) {
        const value = this.options.secrets[secret.valueFrom];
        if (value === undefined) {
          const message = `ResourceInitializationError: unable to pull secrets or registry auth: retrieve secret from ${secret.valueFrom}: ResourceNotFoundException`;
          return this.finish(task, "TaskFailedToStart", message);
        }
        env[secret.name] = value;
      }
      for (const variable of overrides.environment ?? []) env[variable.name] = variable.value;
      for (const key of ["TESSERA_LOG_LEVEL", "NODE_DISABLE_COLORS"]) if (process.env[key] !== undefined) env[key] ??= process.env[key] as string;
      const argv = [...entrypoint, ...(overrides.command ?? container.command ?? [])];
      task.argv = argv;
      task.env = env;
      const child = spawn(argv[0], argv.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
      task.process = child;
      let output = "";
      child.stdout?.on("data", (data: Buffer) => (output += data.toString()));
      child.stderr?.on("data", (data: Buffer) => (output += data.toString()));
      child.once("spawn", () => {
        if (task.lastStatus === "PENDING") {
          task.lastStatus = "RUNNING";
          task.container.lastStatus = "RUNNING";
          task.startedAt = now();
        }
      });
      child.once("error", (error) => {
        task.container.reason = `CannotStartContainerError: ${error.message}`;
        this.finish(task, "TaskFailedToStart", task.container.reason);
      });
      child.once("exit", (code, signal) => {
        task.process = undefined;
        task.container.exitCode = code ?? 128 + (signal === "SIGKILL" ? 9 : 15);
        if (output && this.options.logDirectory) writeFileSync(`${this.options.logDirectory}/${task.taskArn.split("/").pop()}.log`, output);
        if (task.desiredStatus === "STOPPED") this.finish(task, task.stopCode ?? "UserInitiated", task.stoppedReason ?? "Task stopped by user");
        else this.finish(task, "EssentialContainerExited", "Essential container in task exited");
      });
    });
  }

  /** StopTask: SIGTERM now, SIGKILL after the container's stopTimeout (capped). */
  stop(task: FakeTaskRecord, reason: string, stopTimeoutSeconds: number): void {
    if (task.lastStatus === "STOPPED" || task.desiredStatus === "STOPPED") return;
    task.desiredStatus = "STOPPED";
    task.stopCode = "UserInitiated";
    task.stoppedReason = reason;
    task.stoppingAt = now();
    const child = task.process;
    if (!child) return; // not started yet: launch() finishes it
    task.lastStatus = "DEACTIVATING";
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), Math.min(stopTimeoutSeconds, this.options.maxStopTimeoutSeconds) * 1000);
    child.once("exit", () => clearTimeout(timer));
  }

  /** Kills every process left (the fake is closing). */
  killAll(tasks: Iterable<FakeTaskRecord>): void {
    for (const task of tasks) task.process?.kill("SIGKILL");
  }

  private finish(task: FakeTaskRecord, stopCode: string, stoppedReason: string): void {
    if (task.lastStatus === "STOPPED") return;
    task.desiredStatus = "STOPPED";
    task.stopCode = stopCode;
    task.stoppedReason = stoppedReason;
    task.stoppingAt ??= now();
    task.lastStatus = "DEPROVISIONING";
    task.container.lastStatus = "STOPPED";
    // ENI detach: a moment later the task is STOPPED.
    setTimeout(() => {
      task.lastStatus = "STOPPED";
      task.stoppedAt = now();
    }, 50);
  }
}
