/**
 * Cluster information and control from the client, used by Client's methods of the same
 * names: running a function on the workers or the scheduler outside the task system (Dask's
 * run, run_on_scheduler), retiring workers, restarting them, and reading what the scheduler
 * records (task stream, transfer log, profiles, tasks no worker may run).
 */
import type { Connection } from "../comm/connection.js";
import { InvalidOptionError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";
import { functionRefOf } from "../graph/function-travel.js";
import { packPayload, unpackPayload } from "../protocol/payload.js";
import type { ProfileResult } from "../protocol/profile-tree.js";
import type { TaskFunction } from "./submission.js";
import type { ProfileHtmlWriter, ProfileOptions, SchedulerInfo, UnrunnableGroup } from "./client-types.js";
import { checkOptionNames, timeoutOptionNames, type OptionNames, type TimeoutOptions } from "./option-names.js";

/** Client.runWith's call: the function, its arguments, the workers (default: all). */
export interface RunOptions {
  fn: TaskFunction;
  args?: unknown[];
  workers?: string[];
}

export interface RetireOptions {
  /** The workers to retire, by address or name. */
  workers?: string[];
  /** Or how many (the scheduler picks them). */
  n?: number;
}

/** Task-stream and transfer-log records since `since` (epoch seconds), at most `count`. */
export interface RecordsOptions {
  since?: number;
  count?: number;
}

const runOptionNames: OptionNames<RunOptions> = { fn: true, args: true, workers: true };
const retireOptionNames: OptionNames<RetireOptions> = { workers: true, n: true };
const recordsOptionNames: OptionNames<RecordsOptions> = { since: true, count: true };
const profileOptionNames: OptionNames<ProfileOptions> = { filename: true, prefix: true, since: true };

/** Runs `fn(...args)` on the workers (those listed, else all: results by address) or on the scheduler. */
export async function runFunction(scheduler: Connection, op: "run-on-workers" | "run-on-scheduler", fn: TaskFunction, args: unknown[], workers?: string[]): Promise<unknown> {
  const frames: Uint8Array[] = [];
  const message = { op, fn: functionRefOf(fn), args: packPayload(args, frames), ...(workers ? { workers } : {}) } as const;
  const reply = await scheduler.request(message, frames);
  return unpackPayload(reply.result, reply.frames);
}

/** Client.runWith: `fn(...args)` on the workers listed (else all); results by address. */
export async function runOnWorkers(scheduler: Connection, options: RunOptions): Promise<unknown> {
  checkOptionNames(options, runOptionNames, "Client.runWith");
  return runFunction(scheduler, "run-on-workers", options.fn, options.args ?? [], options.workers);
}

/** Retires the workers named (or `n` of them), moving their data away first; resolves with their addresses. */
export async function retireWorkers(scheduler: Connection, options: RetireOptions): Promise<string[]> {
  checkOptionNames(options, retireOptionNames, "Client.retireWorkers");
  const reply = await scheduler.request({ op: "retire-workers", ...options });
  return (reply.result as { retired: string[] }).retired;
}

/** The scheduler's task stream or transfer log since `since` (epoch seconds), at most `count` records. */
export async function schedulerRecords(scheduler: Connection, op: "get-task-stream" | "get-transfer-log", options: RecordsOptions): Promise<unknown[]> {
  checkOptionNames(options, recordsOptionNames, op === "get-task-stream" ? "Client.getTaskStream" : "Client.getTransferLog");
  const reply = await scheduler.request({ op, ...options });
  return reply.result as unknown[];
}

/** Why tasks wait for a worker that may run them, grouped by reason. */
export async function unrunnable(scheduler: Connection): Promise<UnrunnableGroup[]> {
  const reply = await scheduler.request({ op: "get-unrunnable" });
  return reply.result as UnrunnableGroup[];
}

/**
 * The workers' sampled stacks, merged; with `filename`, also written as a flame graph by
 * `writer` (the dashboard's, wired by the package entry; refused when there is none).
 */
export async function profile(scheduler: Connection, options: ProfileOptions, writer: ProfileHtmlWriter | null, info: SchedulerInfo): Promise<ProfileResult> {
  checkOptionNames(options, profileOptionNames, "Client.profile");
  const reply = await scheduler.request({
    op: "get-profile", ...(options.since !== undefined ? { since: options.since } : {}), ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
  });
  const result = reply.result as ProfileResult;
  if (options.filename) {
    if (!writer) throw new InvalidOptionError("writing profile HTML needs the dashboard: import Client from the package entry (\"tessera\")");
    const workerNames = Object.fromEntries(Object.values(info.workers).map((w) => [w.address, w.name]));
    await writer(options.filename, result, { ...(options.prefix ? { prefix: options.prefix } : {}), workerNames });
  }
  return result;
}

/** Restarts every worker through its nanny; resolves once all are back (within `timeout`, default 120 s). */
export async function restart(scheduler: Connection, options: TimeoutOptions): Promise<void> {
  checkOptionNames(options, timeoutOptionNames, "Client.restart");
  const timeout = parseDuration(options.timeout ?? 120, "timeout");
  await scheduler.request({ op: "restart", timeout }, [], { timeoutMs: (timeout + 30) * 1000 });
}
