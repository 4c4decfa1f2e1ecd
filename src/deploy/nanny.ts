/**
 * The nanny: a supervisor for one worker process (Dask's Nanny), run by `tessera worker`
 * and by LocalCluster for its process workers.
 *
 * - Memory: every `monitorIntervalMs` it reads the worker's resident memory from
 *   /proc/<pid>/status (VmRSS). Above `terminate` × limit it logs why and terminates the
 *   worker (an order over IPC, then SIGTERM); if the worker is still there `terminateGraceMs`
 *   later, SIGKILL. The order makes the worker tell the scheduler why it dies (the reason
 *   KilledWorker names); the grace lets it do so on a loaded node, where a process may wait
 *   for a core longer than one check (a healthy worker exits at once after its goodbye).
 *   The scheduler sees the connection drop and counts the task that was running toward its
 *   allowedFailures, so a task that blows memory every time ends as KilledWorker instead of
 *   a restart loop.
 * - Restarts: a worker that dies (memory, crash, the kernel's OOM killer) is started again
 *   under the same name, told why (TESSERA_RESTART_REASON, which it logs), and so is one the
 *   scheduler told to restart (client.restart(): it says so over IPC before it exits). One
 *   that closed by itself (retired, closed by the scheduler, lost it) or never got going is not.
 * - Every exit is logged with its cause: memory, a signal, an exit code.
 * - A worker killed before it could clean up leaves its scratch directory (spill files):
 *   the nanny removes it once the process is gone, before it starts the next worker or
 *   reports the end (so that nothing is left when the cluster has closed). A worker killed
 *   before it could say where its directory is (during start-up) is found by its marker
 *   (scratch-directory.ts: only directories of dead tessera workers on this host go).
 */
import { rm } from "node:fs/promises";
import type { Logger } from "../core/log.js";
import { formatBytes } from "../core/units.js";
import { defaultLocalDirectory } from "../worker/memory/local-directory.js";
import { readProcessMemory } from "../worker/memory/process-memory.js";
import { removeDeadScratchDirectories } from "../worker/memory/scratch-directory.js";
import type { WorkerProcess } from "./worker-process.js";

export type WorkerExitCause = "memory" | "crash" | "closed" | "stopped" | "restart";

export interface WorkerExit {
  cause: WorkerExitCause;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Whether the worker had registered with the scheduler before it exited. */
  registered: boolean;
  /** In words, for logs and the next worker. */
  description: string;
}

export interface NannyOptions {
  name: string;
  /** Starts the worker process; `restartReason` is set when it replaces one that died. */
  spawn: (restartReason: string | undefined) => WorkerProcess;
  /** Bytes; 0: no limit, no memory watch. */
  memoryLimit: number;
  terminateFraction: number | false;
  monitorIntervalMs: number;
  logger: Logger;
  /** Whether to start a new worker after this exit (default: `restartsAfter`). */
  restartAfter?: (exit: WorkerExit) => boolean;
}

/** The default restart rule: after memory kills, crashes of a worker that was running, and restarts asked for. */
export function restartsAfter(exit: WorkerExit): boolean {
  return exit.cause === "memory" || exit.cause === "restart" || (exit.cause === "crash" && exit.registered);
}

/** What ended a worker, from how it exited and what it said first. */
export function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null }, facts: { memoryKill: string | null; stopping: boolean; closeReason: string | null; registered: boolean; restartRequested?: boolean }): WorkerExit {
  const base = { code: exit.code, signal: exit.signal, registered: facts.registered };
  if (facts.memoryKill) return { ...base, cause: "memory", description: facts.memoryKill };
  if (facts.stopping) return { ...base, cause: "stopped", description: "stopped by its supervisor" };
  if (facts.restartRequested) return { ...base, cause: "restart", description: `restarted as asked (${facts.closeReason ?? "client.restart()"})` };
  if (facts.closeReason !== null && exit.signal === null) return { ...base, cause: "closed", description: `closed: ${facts.closeReason}` };
  const how = exit.signal ? `killed by ${exit.signal}${exit.signal === "SIGKILL" ? " (the kernel's out-of-memory killer, or a batch system, sends this)" : ""}` : `exited with code ${exit.code}`;
  return { ...base, cause: "crash", description: `crashed: ${how}` };
}

/** How long a worker ordered to terminate for memory may take to say why and exit (Dask: 2 s). */
export const terminateGraceMs = 2000;

export class Nanny {
  private current!: WorkerProcess;
  private timer: NodeJS.Timeout | null = null;
  private memoryKill: string | null = null;
  private memoryKillAt = 0;
  private stopping = false;
  private resolveFinished!: (exit: WorkerExit) => void;
  /** Every restart, for logs and tests. */
  readonly restarts: Array<{ time: number; reason: string; cause: WorkerExitCause }> = [];
  /** Resolves with the last worker's exit once the nanny stops restarting. */
  readonly finished = new Promise<WorkerExit>((resolve) => (this.resolveFinished = resolve));

  constructor(private readonly options: NannyOptions) {
    this.launch(undefined);
    const terminate = options.terminateFraction;
    if (options.memoryLimit > 0 && terminate !== false) {
      this.timer = setInterval(() => this.checkMemory(terminate * options.memoryLimit), options.monitorIntervalMs);
      this.timer.unref();
    }
  }

  /** The worker process now (a new one after each restart). */
  get process(): WorkerProcess {
    return this.current;
  }

  /** Asks the worker to retire gracefully (SIGTERM: the worker hands its results over first). */
  retire(): void {
    this.stopping = true;
    this.current.kill("SIGTERM");
  }

  /** Stops the worker (SIGTERM, SIGKILL after `graceMs`) and does not start another. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    this.stopTimer();
    await this.current.stop(graceMs);
    await this.finished;
  }

  private launch(restartReason: string | undefined): void {
    const worker = this.options.spawn(restartReason);
    this.current = worker;
    this.memoryKill = null;
    void worker.exited.then(async (exitInfo) => {
      await this.removeScratch(worker);
      this.exited(worker, exitInfo);
    });
  }

  /** The dead worker's scratch directory: the one it reported, else found by its marker. */
  private async removeScratch(worker: WorkerProcess): Promise<void> {
    const warn = (message: string) => this.options.logger.warn(message);
    if (worker.localDirectory) {
      await rm(worker.localDirectory, { recursive: true, force: true }).catch((error: Error) => warn(`could not remove ${worker.localDirectory}: ${error.message}`));
      return;
    }
    await removeDeadScratchDirectories(worker.options.localDirectory ?? defaultLocalDirectory(), warn);
  }

  private exited(worker: WorkerProcess, exitInfo: { code: number | null; signal: NodeJS.Signals | null }): void {
    const exit = describeExit(exitInfo, {
      memoryKill: this.memoryKill, stopping: this.stopping, closeReason: worker.closeReason, registered: worker.registeredAddress !== null,
      restartRequested: worker.restartRequested,
    });
    const { logger, name } = this.options;
    const restart = !this.stopping && (this.options.restartAfter ?? restartsAfter)(exit);
    if (exit.cause === "crash") {
      const lastLines = worker.recentLog().split("\n").slice(-3).join(" | ");
      logger.warn(`worker ${name} (pid ${worker.pid}) ${exit.description}${lastLines ? `; its last log lines: ${lastLines}` : ""}${restart ? "; restarting it" : ""}`);
    } else if (exit.cause === "restart") {
      logger.info(`worker ${name} (pid ${worker.pid}) ${exit.description}; starting a fresh one`);
    } else if (exit.cause === "memory") {
      logger.warn(`worker ${name} (pid ${worker.pid}) ended: ${exit.description}; ${restart ? "restarting it" : "not restarting it"}`);
    } else {
      logger.info(`worker ${name} (pid ${worker.pid}) ${exit.description}`);
    }
    if (restart) {
      this.restarts.push({ time: Date.now(), reason: exit.description, cause: exit.cause });
      this.launch(exit.description);
      return;
    }
    this.stopTimer();
    this.resolveFinished(exit);
  }

  private checkMemory(terminateAt: number): void {
    const worker = this.current;
    if (!worker.alive || worker.pid === undefined) return;
    if (this.memoryKill) {
      // Still there after the grace: no more waiting.
      if (Date.now() - this.memoryKillAt >= terminateGraceMs) worker.kill("SIGKILL");
      return;
    }
    const memory = readProcessMemory(worker.pid);
    if (!memory || memory.rss <= terminateAt) return;
    const percent = Math.round((this.options.terminateFraction as number) * 100);
    this.memoryKill = `exceeded ${percent}% of its memory budget (process memory ${formatBytes(memory.rss)}, limit ${formatBytes(this.options.memoryLimit)}): terminated by its nanny`;
    this.memoryKillAt = Date.now();
    this.options.logger.warn(`Worker ${this.options.name} (pid ${worker.pid}) exceeded ${percent}% memory budget (${formatBytes(memory.rss)} of ${formatBytes(this.options.memoryLimit)}). Restarting...`);
    worker.terminate(this.memoryKill);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** What the worker side needs to talk to its nanny. */
export interface SupervisedWorker {
  readonly address: string;
  readonly localDirectory: string;
  retire(reason: string): void;
  /** Tells the scheduler why this worker is about to die (it names the reason in KilledWorker). */
  sayGoodbye(reason: string): void;
}

/**
 * The worker's side of the link, in the child process (`tessera worker --no-nanny` started
 * by a nanny): reports registration and closing over IPC, obeys "terminate" at once, and
 * tells a SIGTERM from the nanny's memory kill (an order arrives with it) from one sent to
 * retire (none does). Returns `report(reason)` to call when the worker has closed, and
 * `detach()`; both are no-ops when the process has no nanny.
 */
export function linkToNanny(worker: SupervisedWorker, logger: Logger): { report(reason: string, restart?: boolean): Promise<void>; detach(): void } {
  const send = process.send?.bind(process);
  if (!send || process.env.TESSERA_NANNY !== "1") {
    const retire = () => worker.retire("received a termination signal");
    process.on("SIGTERM", retire);
    process.on("SIGINT", retire);
    return { report: async () => {}, detach: () => { process.off("SIGTERM", retire); process.off("SIGINT", retire); } };
  }
  process.channel?.unref(); // the link must not keep a closed worker alive
  const restartReason = process.env.TESSERA_RESTART_REASON;
  if (restartReason) logger.warn(`worker ${worker.address} started by its nanny after the previous one ${restartReason}`);
  let terminating = false;
  const onOrder = (order: { op?: string; reason?: string }) => {
    if (order?.op !== "terminate") return;
    terminating = true;
    const reason = order.reason ?? "terminated by its nanny";
    logger.warn(`worker ${worker.address} ${reason}`);
    worker.sayGoodbye(reason);
    // Give the goodbye a moment to leave the socket, then go.
    setTimeout(() => process.exit(1), 20);
  };
  // An order sent with the signal may be read just after it: wait a moment before retiring.
  const onTerminate = () => setTimeout(() => terminating || worker.retire("received a termination signal"), 50);
  const ignore = () => {}; // Ctrl-C reaches the nanny too, which retires us
  process.on("message", onOrder);
  process.on("SIGTERM", onTerminate);
  process.on("SIGINT", ignore);
  send({ op: "registered", address: worker.address, localDirectory: worker.localDirectory });
  return {
    report: (reason, restart = false) => new Promise<void>((resolve) => {
      if (!process.connected) return resolve();
      send({ op: "closing", reason, ...(restart ? { restart } : {}) }, undefined, {}, () => resolve());
    }),
    detach: () => {
      process.off("message", onOrder);
      process.off("SIGTERM", onTerminate);
      process.off("SIGINT", ignore);
    },
  };
}
