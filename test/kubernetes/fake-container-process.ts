/**
 * The process side of the FAKE kubelet's containers: signals to a container's process group,
 * its resident memory (what the memory cgroup counts), exit codes as a container runtime
 * reports them, and one readiness probe (tcpSocket or httpGet) against the pod's IP.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { get as httpGet } from "node:http";
import { connect } from "node:net";
import type { ContainerSpec } from "./fake-pod-environment.js";

export type ReadinessProbe = NonNullable<ContainerSpec["readinessProbe"]>;

export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** A container killed by a signal exits with 128 + its number, as runtimes report it. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal === "SIGKILL" ? 9 : signal === "SIGTERM" ? 15 : signal === "SIGINT" ? 2 : 1);
}

/** Resident bytes of every process in the process group `pgid` (from /proc). */
export function groupResidentBytes(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue; // field 5 of stat: the process group
      total += Number(fields[21]) * 4096; // field 24: resident pages
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** One probe: tcpSocket passes when a connection is accepted, httpGet on a 2xx/3xx answer. */
export function probeOnce(ip: string, probe: ReadinessProbe): Promise<boolean> {
  return new Promise((resolve) => {
    if (probe.httpGet) {
      const request = httpGet({ host: ip, port: Number(probe.httpGet.port), path: probe.httpGet.path ?? "/", timeout: 1000 }, (response) => {
        response.resume();
        resolve((response.statusCode ?? 500) < 400);
      });
      request.once("error", () => resolve(false));
      request.once("timeout", () => request.destroy());
      return;
    }
    const socket = connect({ host: ip, port: Number(probe.tcpSocket?.port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
