/**
 * Who writes a file, and whether that writer still runs: what write leases and temporary
 * chunk files record so that a later write can tell an abandoned file from a live one.
 *
 * A writer is its host name, process id and, on Linux, the process's start time (field 22 of
 * /proc/<pid>/stat, in clock ticks since boot), so a pid reused by an unrelated process after
 * a crash is not mistaken for the writer. Liveness can only be known on the writer's own
 * host: a writer on another host is reported as "unknown", and callers decide what that means.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { processAlive } from "../core/process-alive.js";

export interface WriterIdentity {
  host: string;
  pid: number;
  /** /proc start time of the process; absent where /proc is not available. */
  processStart?: string;
}

export type WriterLiveness = "alive" | "dead" | "unknown";

/**
 * A writer on another host cannot be checked: so every file that stands for a running writer
 * (a write lease, a write fence's claim) is touched this often while it runs, and another
 * host's such file untouched for `writerExpiresAfterMs` counts as left by a dead writer.
 */
export const writerRefreshMs = 30_000;
export const writerExpiresAfterMs = 5 * 60_000;

/** The host name as it appears in file names: letters, digits, "." and "-" only. */
export function safeHostName(): string {
  return hostname().replace(/[^A-Za-z0-9.-]/g, "_") || "host";
}

function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

let self: WriterIdentity | undefined;

/** This process as a writer. */
export function currentWriter(): WriterIdentity {
  if (!self) {
    const processStart = processStartOf(process.pid);
    self = { host: safeHostName(), pid: process.pid, ...(processStart !== undefined ? { processStart } : {}) };
  }
  return self;
}

/** Whether the writer runs: known on its own host only. */
export function writerLiveness(writer: WriterIdentity): WriterLiveness {
  if (writer.host !== safeHostName()) return "unknown";
  if (!Number.isInteger(writer.pid) || writer.pid <= 0 || !processAlive(writer.pid)) return "dead";
  // A record without a start time (an older tessera's, or from a host without /proc) is judged
  // by its pid alone, as it was; a start time that is no string was not written by tessera.
  if (typeof writer.processStart === "string") {
    const start = processStartOf(writer.pid);
    if (start !== undefined && start !== writer.processStart) return "dead"; // the pid was reused
  }
  return "alive";
}

/** "pid 123 on host node7", for messages. */
export function describeWriter(writer: WriterIdentity): string {
  return `pid ${writer.pid} on host ${writer.host}`;
}
