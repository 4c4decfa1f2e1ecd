/**
 * The FAKE kubelet (and scheduler) of the fake Kubernetes API server: it runs each pod's
 * container command as a REAL local process and reports, through the API server's store
 * (so through the watch), what a kubelet reports:
 *
 *  - scheduling: the pod fits the one node (fake-node.ts) → bound (PodScheduled=True,
 *    event Scheduled); or Pending with PodScheduled=False reason Unschedulable (event
 *    FailedScheduling), tried again whenever a pod leaves;
 *  - image: known to the fake registry → Pulled; unknown → ErrImagePull, then
 *    ImagePullBackOff while backing off, then ErrImagePull again … (events Failed, BackOff);
 *    a malformed name → InvalidImageName;
 *  - container: environment and secret volumes resolved (a missing Secret or key →
 *    CreateContainerConfigError); the process started in its own process group; podIP and
 *    phase Running; Ready after its readiness probe (tcpSocket) passes, or at once;
 *  - memory: the resident memory of the container's processes is measured every
 *    `memoryCheckMs`; above `limits.memory` they are SIGKILLed: terminated, reason OOMKilled,
 *    exit code 137 — the kernel's cgroup OOM kill;
 *  - exit: restartPolicy Never → Succeeded (exit 0) or Failed; OnFailure/Always → restarted
 *    after a back-off doubling from `backoffMs`, waiting with reason CrashLoopBackOff and the
 *    last termination in lastState;
 *  - deletion: deletionTimestamp set → SIGTERM to the process group, SIGKILL after the grace
 *    period, then the pod is removed (DELETED).
 * Each pod gets its own loopback address as pod IP (127.x.y.z), so pods listening on the same
 * port do not collide, as pods on different IPs do not.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryBytes } from "../../src/kubernetes/quantity.js";
import type { FakeKubeStore, KubeObject, StoreEvent } from "./fake-kube-store.js";
import { nodeUsage, unschedulableReason, type FakeNodeShape } from "./fake-node.js";
import { conditions, recordEvent } from "./fake-pod-status.js";
import { exitCodeOf, groupResidentBytes, probeOnce, signalGroup, type ReadinessProbe } from "./fake-container-process.js";
import { ContainerConfigError, prepareContainer, type ContainerSpec, type PodSpec, type PreparedContainer } from "./fake-pod-environment.js";

export interface FakeImage {
  /** Directories put first on the container's PATH (where `tessera` is). */
  path: string[];
  /** Environment the image sets. */
  env?: Record<string, string>;
  /** The image's ENTRYPOINT and CMD, used when the container gives no command / args. */
  entrypoint?: string[];
  cmd?: string[];
}

export interface FakeKubeletOptions {
  images: Record<string, FakeImage>;
  node: FakeNodeShape;
  apiServer: { host: string; port: number };
  /** Second octet of the 127.x.y.z addresses of this fake cluster. */
  addressBlock: number;
  /** First back-off (image pulls, crash restarts), doubled each time up to 8×. */
  backoffMs: number;
  memoryCheckMs: number;
  /** Copy the containers' output to this process's stderr. */
  echoLogs: boolean;
}

interface PodRuntime {
  namespace: string;
  name: string;
  uid: string;
  ip: string;
  directory: string;
  process: ChildProcess | null;
  timers: Set<NodeJS.Timeout>;
  log: string;
  restarts: number;
  backoffMs: number;
  deleting: boolean;
  oomKilled: boolean;
  exited: Promise<void> | null;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const validImage = /^[a-z0-9]+(?:[._/:@-][a-z0-9]+)*$/;

export class FakeKubelet {
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly unscheduled = new Set<string>();
  private readonly removedLogs = new Map<string, string>();
  private nextAddress = 2;
  private unsubscribe: () => void = () => {};
  private closed = false;

  constructor(private readonly store: FakeKubeStore, private readonly options: FakeKubeletOptions) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((event) => this.onEvent(event));
  }

  /** The container's output so far (the log endpoint; kept after the pod is gone, for tests); null if it never ran here. */
  logOf(namespace: string, name: string): string | null {
    const id = `${namespace}/${name}`;
    return this.runtimes.get(id)?.log ?? this.removedLogs.get(id) ?? null;
  }

  /** Kills every process and removes every pod directory (the test is over). */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    await Promise.all([...this.runtimes.values()].map((runtime) => this.kill(runtime, "SIGKILL")));
    for (const runtime of this.runtimes.values()) rmSync(runtime.directory, { recursive: true, force: true });
  }

  /** Processes of running containers (for tests that check nothing is left running). */
  runningProcesses(): number[] {
    return [...this.runtimes.values()].flatMap((runtime) => (runtime.process?.pid !== undefined && runtime.process.exitCode === null && runtime.process.signalCode === null ? [runtime.process.pid] : []));
  }

  private onEvent(event: StoreEvent): void {
    if (event.resource !== "pods" || this.closed) return;
    const pod = event.object;
    const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (event.type === "ADDED") this.schedule(pod);
    else if (event.type === "DELETED") {
      this.unscheduled.delete(id);
      const runtime = this.runtimes.get(id);
      if (runtime && runtime.uid === pod.metadata.uid) void this.kill(runtime, "SIGKILL").then(() => this.forget(runtime));
      this.retryUnscheduled();
    } else if (pod.metadata.deletionTimestamp) {
      const runtime = this.runtimes.get(id);
      if (runtime && !runtime.deleting) void this.terminate(runtime, pod.metadata.deletionGracePeriodSeconds ?? 30);
    }
  }

  // ---- scheduling ----

  private schedule(pod: KubeObject): void {
    const spec = pod.spec as PodSpec;
    const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const reason = unschedulableReason(spec as never, this.options.node, this.usedResources());
    if (reason) {
      const first = !this.unscheduled.has(id);
      this.unscheduled.add(id);
      this.store.modify("pods", pod.metadata.namespace, pod.metadata.name, (p) => {
        p.status = { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: reason, lastTransitionTime: now() }] };
      });
      if (first) this.event(pod, "Warning", "FailedScheduling", reason, "default-scheduler");
      return;
    }
    this.unscheduled.delete(id);
    const ip = this.allocateAddress();
    const runtime: PodRuntime = {
      namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, ip,
      directory: mkdtempSync(join(tmpdir(), "fake-kubelet-")), process: null, timers: new Set(), log: "",
      restarts: 0, backoffMs: this.options.backoffMs, deleting: false, oomKilled: false, exited: null,
    };
    this.runtimes.set(id, runtime);
    const bound = this.update(runtime, (p) => {
      (p.spec as PodSpec).nodeName = this.options.node.name;
      p.status = {
        phase: "Pending", hostIP: "127.0.0.1", hostIPs: [{ ip: "127.0.0.1" }], podIP: ip, podIPs: [{ ip }], startTime: now(),
        conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: now() }],
        containerStatuses: [this.containerStatus(p, { waiting: { reason: "ContainerCreating" } }, false)],
      };
    });
    if (!bound) return;
    this.event(bound, "Normal", "Scheduled", `Successfully assigned ${id} to ${this.options.node.name}`, "default-scheduler");
    this.pullAndStart(runtime);
  }

  private retryUnscheduled(): void {
    for (const id of [...this.unscheduled]) {
      const [namespace, name] = id.split("/");
      const pod = this.store.get("pods", namespace, name);
      if (pod && !pod.metadata.deletionTimestamp) this.schedule(pod);
    }
  }

  private usedResources(): { cpu: number; memory: number; pods: number } {
    return nodeUsage([...this.runtimes.values()].map((runtime) => this.store.get("pods", runtime.namespace, runtime.name)));
  }

  private allocateAddress(): string {
    const n = this.nextAddress++;
    return `127.${this.options.addressBlock}.${1 + Math.floor(n / 250)}.${2 + (n % 250)}`;
  }

  // ---- the container ----

  private pullAndStart(runtime: PodRuntime, attempt = 0): void {
    const pod = this.current(runtime);
    if (!pod || runtime.deleting) return;
    const container = (pod.spec as PodSpec).containers[0];
    if (!validImage.test(container.image)) {
      const message = `Failed to apply default image tag "${container.image}": couldn't parse image name "${container.image}": invalid reference format`;
      this.setWaiting(runtime, "InvalidImageName", message);
      this.event(pod, "Warning", "InspectFailed", message);
      return;
    }
    const image = this.options.images[container.image];
    if (!image) {
      const message = `failed to pull and unpack image "${container.image}": failed to resolve reference "${container.image}": ${container.image}: not found`;
      // As a kubelet: ErrImagePull on a failed pull, ImagePullBackOff while waiting to try again.
      this.setWaiting(runtime, "ErrImagePull", message);
      this.event(pod, "Warning", "Failed", `Failed to pull image "${container.image}": ${message}`);
      this.after(runtime, this.options.backoffMs, () => {
        this.setWaiting(runtime, "ImagePullBackOff", `Back-off pulling image "${container.image}"`);
        this.event(pod, "Normal", "BackOff", `Back-off pulling image "${container.image}"`);
        this.after(runtime, this.options.backoffMs * Math.min(8, 2 ** attempt), () => this.pullAndStart(runtime, attempt + 1));
      });
      return;
    }
    if (attempt === 0 && runtime.restarts === 0) this.event(pod, "Normal", "Pulled", `Container image "${container.image}" already present on machine`);
    this.startContainer(runtime, pod, container, image);
  }

  private startContainer(runtime: PodRuntime, pod: KubeObject, container: ContainerSpec, image: FakeImage): void {
    let prepared: PreparedContainer;
    try {
      prepared = prepareContainer(container, {
        pod, podIP: runtime.ip, hostIP: "127.0.0.1", apiServer: this.options.apiServer, imageEnv: image.env ?? {}, imagePath: image.path,
        secret: (name: string) => this.store.get("secrets", runtime.namespace, name),
        services: this.store.list("services", runtime.namespace),
      }, image, runtime.directory);
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      this.setWaiting(runtime, "CreateContainerConfigError", error.message);
      this.event(pod, "Warning", "Failed", `Error: ${error.message}`);
      // The kubelet tries again: a Secret created later lets the container start.
      this.after(runtime, this.options.backoffMs * 4, () => this.pullAndStart(runtime, 1));
      return;
    }
    const { words, env, cwd } = prepared;
    if (words.length === 0) return this.finish(runtime, { exitCode: 128, reason: "StartError", message: "no command specified" });
    const child = spawn(words[0], words.slice(1), { env, cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    runtime.process = child;
    runtime.oomKilled = false;
    const startedAt = now();
    const capture = (chunk: Buffer) => {
      const text = chunk.toString();
      runtime.log = (runtime.log + text).slice(-256 * 1024);
      if (this.options.echoLogs) process.stderr.write(text.replace(/^/gm, `[${runtime.name}] `));
    };
    child.stdout?.on("data", capture);
    child.stderr?.on("data", capture);
    runtime.exited = new Promise((resolve) => {
      child.once("error", (error) => {
        resolve();
        this.finish(runtime, { exitCode: 128, reason: "StartError", message: `exec: "${words[0]}": ${error.message}`, startedAt });
      });
      child.once("exit", (code, signal) => {
        resolve();
        const exitCode = exitCodeOf(code, signal);
        const reason = runtime.oomKilled ? "OOMKilled" : exitCode === 0 ? "Completed" : "Error";
        this.finish(runtime, { exitCode, reason, startedAt });
      });
    });
    child.once("spawn", () => {
      this.event(pod, "Normal", "Started", `Started container ${container.name}`);
      const probe = container.readinessProbe;
      this.update(runtime, (p) => {
        const status = p.status as Record<string, unknown>;
        status.phase = "Running";
        status.containerStatuses = [this.containerStatus(p, { running: { startedAt } }, !probe)];
        status.conditions = conditions(!probe);
      });
      if (probe) this.probeUntilReady(runtime, child, probe, (probe.periodSeconds ?? 10) * 1000);
      const limit = container.resources?.limits?.memory;
      if (limit !== undefined) this.watchMemory(runtime, child, memoryBytes(String(limit), "limits.memory"));
    });
  }

  /** Readiness: probed quickly at first (the kubelet probes at start), then every period, until it first passes. */
  private probeUntilReady(runtime: PodRuntime, child: ChildProcess, probe: ReadinessProbe, periodMs: number, attempt = 0): void {
    if (runtime.process !== child || child.exitCode !== null) return;
    void probeOnce(runtime.ip, probe).then((passed) => {
      if (runtime.process !== child) return;
      if (!passed) return this.after(runtime, attempt < 20 ? Math.min(periodMs, 100) : periodMs, () => this.probeUntilReady(runtime, child, probe, periodMs, attempt + 1));
      this.update(runtime, (p) => {
        const status = p.status as { containerStatuses: Array<{ ready: boolean }>; conditions: unknown };
        status.containerStatuses[0].ready = true;
        status.conditions = conditions(true);
      });
    });
  }

  /** The cgroup's OOM killer, measured: the resident memory of the container's process group. */
  private watchMemory(runtime: PodRuntime, child: ChildProcess, limitBytes: number): void {
    const check = () => {
      if (runtime.process !== child || child.exitCode !== null || child.pid === undefined) return;
      if (groupResidentBytes(child.pid) > limitBytes) {
        runtime.oomKilled = true;
        signalGroup(child, "SIGKILL");
        return;
      }
      this.after(runtime, this.options.memoryCheckMs, check);
    };
    check();
  }

  private finish(runtime: PodRuntime, terminated: { exitCode: number; reason: string; message?: string; startedAt?: string }): void {
    runtime.process = null;
    const pod = this.current(runtime);
    if (!pod || runtime.deleting || this.closed) return;
    const state = { terminated: { ...terminated, startedAt: terminated.startedAt ?? now(), finishedAt: now() } };
    const policy = (pod.spec as PodSpec).restartPolicy ?? "Always";
    const restart = policy === "Always" || (policy === "OnFailure" && terminated.exitCode !== 0);
    if (terminated.reason === "OOMKilled") this.event(pod, "Warning", "OOMKilling", `Memory cgroup out of memory: Killed process of container ${(pod.spec as PodSpec).containers[0].name}`, "kernel-monitor");
    if (!restart) {
      this.update(runtime, (p) => {
        const status = p.status as Record<string, unknown>;
        status.phase = terminated.exitCode === 0 ? "Succeeded" : "Failed";
        status.containerStatuses = [this.containerStatus(p, state, false)];
        status.conditions = conditions(false);
      });
      this.retryUnscheduled();
      return;
    }
    runtime.restarts++;
    const delay = runtime.backoffMs;
    runtime.backoffMs = Math.min(this.options.backoffMs * 8, runtime.backoffMs * 2);
    const container = (pod.spec as PodSpec).containers[0];
    const message = `back-off ${delay}ms restarting failed container=${container.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    this.update(runtime, (p) => {
      const status = p.status as Record<string, unknown>;
      status.containerStatuses = [{ ...this.containerStatus(p, { waiting: { reason: "CrashLoopBackOff", message } }, false), lastState: state }];
      status.conditions = conditions(false);
    });
    this.event(pod, "Warning", "BackOff", `Back-off restarting failed container ${container.name} in pod ${pod.metadata.name}`);
    this.after(runtime, delay, () => this.pullAndStart(runtime, 1));
  }

  // ---- deletion ----

  private async terminate(runtime: PodRuntime, graceSeconds: number): Promise<void> {
    runtime.deleting = true;
    for (const timer of runtime.timers) clearTimeout(timer);
    const pod = this.current(runtime);
    if (pod && runtime.process) this.event(pod, "Normal", "Killing", `Stopping container ${(pod.spec as PodSpec).containers[0].name}`);
    if (runtime.process) {
      signalGroup(runtime.process, "SIGTERM");
      const exited = runtime.exited ?? Promise.resolve();
      const timer = setTimeout(() => runtime.process && signalGroup(runtime.process, "SIGKILL"), graceSeconds * 1000);
      await exited;
      clearTimeout(timer);
    }
    this.store.remove("pods", runtime.namespace, runtime.name);
  }

  private async kill(runtime: PodRuntime, signal: NodeJS.Signals): Promise<void> {
    runtime.deleting = true;
    for (const timer of runtime.timers) clearTimeout(timer);
    if (!runtime.process) return;
    signalGroup(runtime.process, signal);
    await runtime.exited;
  }

  private forget(runtime: PodRuntime): void {
    const id = `${runtime.namespace}/${runtime.name}`;
    if (this.runtimes.get(id) === runtime) this.runtimes.delete(id);
    this.removedLogs.set(id, runtime.log);
    rmSync(runtime.directory, { recursive: true, force: true });
  }

  // ---- status ----

  private current(runtime: PodRuntime): KubeObject | undefined {
    const pod = this.store.get("pods", runtime.namespace, runtime.name);
    return pod && pod.metadata.uid === runtime.uid ? pod : undefined;
  }

  private update(runtime: PodRuntime, change: (pod: KubeObject) => void): KubeObject | undefined {
    if (!this.current(runtime)) return undefined;
    return this.store.modify("pods", runtime.namespace, runtime.name, change);
  }

  private setWaiting(runtime: PodRuntime, reason: string, message: string): void {
    this.update(runtime, (p) => {
      const status = p.status as Record<string, unknown>;
      const previous = (status.containerStatuses as Array<{ lastState?: unknown }> | undefined)?.[0]?.lastState;
      status.containerStatuses = [{ ...this.containerStatus(p, { waiting: { reason, message } }, false), ...(previous ? { lastState: previous } : {}) }];
    });
  }

  private containerStatus(pod: KubeObject, state: Record<string, unknown>, ready: boolean): Record<string, unknown> {
    const container = (pod.spec as PodSpec).containers[0];
    const runtime = this.runtimes.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    return {
      name: container.name, image: container.image, imageID: "", ready, restartCount: runtime?.restarts ?? 0,
      started: "running" in state, state, lastState: {},
    };
  }

  private event(pod: KubeObject, type: "Normal" | "Warning", reason: string, message: string, component = "kubelet"): void {
    recordEvent(this.store, pod, { type, reason, message, component, node: this.options.node.name });
  }

  private after(runtime: PodRuntime, ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      runtime.timers.delete(timer);
      if (!runtime.deleting && !this.closed) action();
    }, ms);
    runtime.timers.add(timer);
  }
}

