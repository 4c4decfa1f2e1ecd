/**
 * Watching worker processes from the outside, as the operating system sees them: resident
 * memory sampled from /proc/<pid>/status every few milliseconds, plus the kernel's own peak
 * (VmHWM) for the processes still alive at the end; and the scheduler's view of each worker's
 * status (to see pauses).
 */
import { readProcessMemory } from "../../../src/worker/memory/process-memory.js";
import type { LocalCluster } from "../../../src/deploy/local-cluster.js";

export class ProcessWatch {
  private readonly peaks = new Map<number, number>();
  readonly statuses = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly cluster: LocalCluster, intervalMs = 20) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    for (const worker of this.cluster.workerProcesses) {
      if (worker.pid === undefined) continue;
      const memory = readProcessMemory(worker.pid);
      if (memory) this.peaks.set(worker.pid, Math.max(this.peaks.get(worker.pid) ?? 0, memory.peakRss, memory.rss));
    }
    for (const worker of this.cluster.scheduler.state.workers.values()) this.statuses.add(worker.status);
  }

  /** The highest resident memory any worker process reached, in bytes. */
  peakRss(): number {
    this.sample();
    return Math.max(0, ...this.peaks.values());
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
