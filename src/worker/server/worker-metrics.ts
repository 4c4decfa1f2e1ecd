/** Process measurements a worker sends with each heartbeat. */
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

export class MetricsSampler {
  private lastCpu = process.cpuUsage();
  private lastTime = performance.now();
  private readonly loopDelay: IntervalHistogram;

  constructor() {
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
  }

  /** CPU use of this process since the last call, in percent of one core. */
  cpuPercent(): number {
    const cpu = process.cpuUsage(this.lastCpu);
    const now = performance.now();
    const elapsedMs = Math.max(now - this.lastTime, 1);
    this.lastCpu = process.cpuUsage();
    this.lastTime = now;
    return ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100;
  }

  /** Mean event-loop delay in seconds since the last call. */
  eventLoopDelay(): number {
    const mean = this.loopDelay.mean;
    this.loopDelay.reset();
    return Number.isFinite(mean) ? mean / 1e9 : 0;
  }

  stop(): void {
    this.loopDelay.disable();
  }
}
