/**
 * A worker running as a child process (`tessera worker …`), with its last log lines kept so
 * a worker that fails to start reports why. The credential travels in the environment, not
 * on the command line where `ps` would show it. The owner (a cluster) kills and awaits it.
 *
 * The child runs under a nanny (nanny.ts): an IPC channel carries its reports (registered,
 * closing and why) and the nanny's orders (terminate for memory), and glibc is told to hand
 * freed memory back to the system promptly (MALLOC_TRIM_THRESHOLD_, as Dask's nanny does),
 * so that the memory it measures falls when results are freed or spilled. V8's young
 * generation is sized to the worker's memory limit (worker/memory/young-generation.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { credentialEnvironmentVariable } from "../comm/credential.js";
import type { WorkerMemoryOptions } from "../worker/memory/memory-policy.js";
import { youngGenerationFlags } from "../worker/memory/young-generation.js";

export const tesseraBin = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));

export interface WorkerProcessOptions {
  schedulerAddress: string;
  credential: string;
  /** Unique in the cluster; without one the worker is named by its address. */
  name?: string;
  nthreads: number;
  memoryLimit?: number;
  /** Thresholds and spilling, passed on as `tessera worker` flags. */
  memory?: WorkerMemoryOptions;
  localDirectory?: string;
  extraArgs?: string[];
  /** Set when it replaces a worker that died: the new one logs why (TESSERA_RESTART_REASON). */
  restartReason?: string;
  /** Copy the worker's log lines to this process's stderr (also with TESSERA_WORKER_LOGS=1). */
  forwardLogs?: boolean;
}

/** What a worker child tells its nanny over IPC. */
export type WorkerReport = { op: "registered"; address: string; localDirectory?: string } | { op: "closing"; reason: string; restart?: boolean };

/** `tessera worker` flags for memory options that are set. */
function memoryFlags(memory: WorkerMemoryOptions): string[] {
  const flags: Array<[string, unknown]> = [
    ["--memory-target-fraction", memory.memoryTargetFraction], ["--memory-spill-fraction", memory.memorySpillFraction],
    ["--memory-pause-fraction", memory.memoryPauseFraction], ["--memory-terminate-fraction", memory.memoryTerminateFraction],
    ["--max-spill", memory.maxSpill], ["--memory-monitor-interval", memory.memoryMonitorInterval],
    ["--spill-compression", memory.spillCompression], ["--pause-timeout", memory.pauseTimeout === null ? "none" : memory.pauseTimeout],
  ];
  return flags.flatMap(([flag, value]) => (value === undefined ? [] : [flag, String(value)]));
}

/** Environment a supervised worker starts with (values already set by the user win). */
function supervisedWorkerEnvironment(restartReason: string | undefined): Record<string, string> {
  return {
    MALLOC_TRIM_THRESHOLD_: process.env.MALLOC_TRIM_THRESHOLD_ ?? "65536",
    TESSERA_NANNY: "1",
    ...(restartReason ? { TESSERA_RESTART_REASON: restartReason } : {}),
  };
}

export class WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private logTail: string[] = [];
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  /** The worker's address once it has registered with the scheduler. */
  registeredAddress: string | null = null;
  /** Its scratch directory (spill files), which its supervisor removes if it dies without doing so. */
  localDirectory: string | null = null;
  /** Why the worker said it was closing, when it said so before exiting. */
  closeReason: string | null = null;
  /** It said it closes to be restarted (client.restart()). */
  restartRequested = false;

  constructor(readonly options: WorkerProcessOptions) {
    const args = [
      tesseraBin, "worker", options.schedulerAddress, ...(options.name ? ["--name", options.name] : []), "--nthreads", String(options.nthreads),
      ...(options.memoryLimit ? ["--memory-limit", String(options.memoryLimit)] : []),
      ...(options.localDirectory ? ["--local-directory", options.localDirectory] : []),
      ...memoryFlags(options.memory ?? {}),
      "--no-nanny", // this process's owner supervises it
      ...(options.extraArgs ?? []),
    ];
    const nodeArgs = [...process.execArgv.filter((a) => !a.startsWith("--inspect")), ...youngGenerationFlags(options.memoryLimit ?? 0)];
    this.child = spawn(process.execPath, [...nodeArgs, ...args], {
      env: { ...process.env, ...supervisedWorkerEnvironment(options.restartReason), [credentialEnvironmentVariable]: options.credential },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.child.on("message", (report: WorkerReport) => {
      if (report?.op === "registered") {
        this.registeredAddress = report.address;
        this.localDirectory = report.localDirectory ?? null;
      }
      if (report?.op === "closing") {
        this.closeReason = report.reason;
        this.restartRequested = report.restart === true;
      }
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (text: string) => {
      if (options.forwardLogs || process.env.TESSERA_WORKER_LOGS === "1") process.stderr.write(text);
      this.logTail.push(...text.split("\n").filter(Boolean));
      if (this.logTail.length > 50) this.logTail.splice(0, this.logTail.length - 50);
    });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve({ code, signal });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  recentLog(): string {
    return this.logTail.join("\n");
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Ends the worker at once, not gracefully: the order first (so it logs why), then SIGTERM. */
  terminate(reason: string): void {
    if (!this.alive) return;
    if (this.child.connected) this.child.send({ op: "terminate", reason }, () => {});
    this.kill("SIGTERM");
  }

  /** Asks politely, then insists after `graceMs`. Resolves when the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.alive) return;
    this.kill("SIGTERM");
    const timer = setTimeout(() => this.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
