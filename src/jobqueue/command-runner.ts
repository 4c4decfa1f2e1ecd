/**
 * Batch-system commands run through an injected runner, so tests and the cluster can swap
 * what executes them. The real one uses child_process.execFile: never a shell, so no value
 * in a job option is ever interpreted by one on the submit host.
 */
import { execFile } from "node:child_process";
import { TesseraError } from "../core/errors.js";

export interface CommandResult {
  /** null when the process was killed by a signal. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the command's stdin (bsub reads the job script there). */
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs one command; resolves with its exit code (non-zero included), rejects only if it could not run. */
export type CommandRunner = (command: string, args: readonly string[], options?: RunOptions) => Promise<CommandResult>;

/** A batch command that failed: the message holds the command, exit code, stdout and stderr. */
export class BatchCommandError extends TesseraError {
  override name = "BatchCommandError";
  constructor(
    readonly what: string,
    readonly command: string,
    readonly args: readonly string[],
    readonly result: CommandResult | null,
    advice: string,
    options?: { cause?: unknown },
  ) {
    const line = [command, ...args].join(" ");
    const outcome = result === null ? "could not be started" : result.exitCode === null ? "was killed by a signal" : `exited with code ${result.exitCode}`;
    const output = result === null ? "" : `\nstderr: ${result.stderr.trim() || "(empty)"}\nstdout: ${result.stdout.trim() || "(empty)"}`;
    super(`${what}: \`${line}\` ${outcome}; ${advice}${output}`, options);
  }
}

export const execFileRunner: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = execFile(
      command,
      [...args],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, signal: options.signal, timeout: options.timeoutMs ?? 0 },
      (error, stdout, stderr) => {
        if (error && options.signal?.aborted) {
          reject(options.signal.reason ?? error);
          return;
        }
        if (error && typeof error.code !== "number" && error.signal == null) {
          const advice = error.code === "ENOENT"
            ? `${command} is not on PATH; run this on a host of your batch system or load its module`
            : "see the cause";
          reject(new BatchCommandError(`running ${command}`, command, args, null, advice, { cause: error }));
          return;
        }
        const exitCode = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ exitCode, stdout, stderr });
      },
    );
    child.stdin?.on("error", () => {}); // a command that exits without reading stdin is not our error
    child.stdin?.end(options.input ?? "");
  });
