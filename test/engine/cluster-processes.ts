/**
 * A scheduler and workers as real `tessera` processes (the CLI, as users start them), for
 * tests that kill, stop, crash or flood them. The scheduler writes a scheduler file into a
 * fresh directory; its owner stops everything with stop(), whatever state it was left in.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const tesseraBin = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));

export interface TesseraProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startTessera(args: string[], options: { env?: Record<string, string>; nodeOptions?: string[] } = {}): TesseraProcess {
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), tesseraBin, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  let output = "";
  child.stdout?.on("data", (text: Buffer) => (output += text.toString()));
  child.stderr?.on("data", (text: Buffer) => (output += text.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => output, exited };
}

/** Polls `predicate` every 50 ms until it holds; fails naming `what` after `ms`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface SchedulerProcess extends TesseraProcess {
  readonly directory: string;
  readonly schedulerFile: string;
  /** Starts a worker process (`tessera worker`, one thread) joined through the scheduler file. */
  startWorker(extraArgs?: string[], env?: Record<string, string>): TesseraProcess;
  /** Kills (SIGCONT first, for a stopped one) the scheduler and every worker, removes the directory. */
  stop(): Promise<void>;
}

export async function startSchedulerProcess(extraArgs: string[] = [], options: { env?: Record<string, string>; nodeOptions?: string[] } = {}): Promise<SchedulerProcess> {
  const directory = mkdtempSync(join(tmpdir(), "tessera-processes-"));
  const schedulerFile = join(directory, "scheduler.json");
  const scheduler = startTessera(["scheduler", "--port", "0", "--scheduler-file", schedulerFile, "--no-dashboard", ...extraArgs], options);
  const workers: TesseraProcess[] = [];
  await waitFor(() => existsSync(schedulerFile) || scheduler.child.exitCode !== null, "the scheduler file");
  if (!existsSync(schedulerFile)) throw new Error(`the scheduler did not start:\n${scheduler.output()}`);
  return {
    ...scheduler,
    directory,
    schedulerFile,
    startWorker(workerArgs: string[] = [], env: Record<string, string> = {}) {
      const worker = startTessera(["worker", "--scheduler-file", schedulerFile, "--nthreads", "1", ...workerArgs], { ...options, env: { ...options.env, ...env } });
      workers.push(worker);
      return worker;
    },
    async stop() {
      for (const child of [scheduler.child, ...workers.map((w) => w.child)]) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        child.kill("SIGCONT");
        child.kill("SIGKILL");
      }
      await Promise.all([scheduler.exited, ...workers.map((w) => w.exited)]);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Whether a process is still there (signal 0 probes without touching it). */
export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
