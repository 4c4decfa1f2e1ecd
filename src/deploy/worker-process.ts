/**
 * A worker running as a child process (`tessera worker …`), with its last log lines kept so
 * a worker that fails to start reports why. The credential travels in the environment, not
 * on the command line where `ps` would show it. The owner (a cluster) kills and awaits it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { credentialEnvironmentVariable } from "../comm/credential.js";

export const tesseraBin = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));

export interface WorkerProcessOptions {
  schedulerAddress: string;
  credential: string;
  name: string;
  nthreads: number;
  memoryLimit?: number;
  localDirectory?: string;
  extraArgs?: string[];
  env?: Record<string, string>;
}

export class WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private logTail: string[] = [];
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(readonly options: WorkerProcessOptions) {
    const args = [
      tesseraBin, "worker", options.schedulerAddress, "--name", options.name, "--nthreads", String(options.nthreads),
      ...(options.memoryLimit ? ["--memory-limit", String(options.memoryLimit)] : []),
      ...(options.localDirectory ? ["--local-directory", options.localDirectory] : []),
      ...(options.extraArgs ?? []),
    ];
    this.child = spawn(process.execPath, [...process.execArgv.filter((a) => !a.startsWith("--inspect")), ...args], {
      env: { ...process.env, ...options.env, [credentialEnvironmentVariable]: options.credential },
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (text: string) => {
      if (process.env.TESSERA_WORKER_LOGS === "1") process.stderr.write(text);
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

  /** Asks politely, then insists after `graceMs`. Resolves when the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.alive) return;
    this.kill("SIGTERM");
    const timer = setTimeout(() => this.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
