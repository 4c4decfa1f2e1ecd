/**
 * The scheduler process's own health, sampled once a second for the System page and the
 * performance report: CPU (percent of one core), resident memory, JavaScript heap and the
 * event loop's delay (a busy scheduler answers everyone late). Keeps the last ten minutes.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { unixSeconds } from "../../core/clock.js";

export interface SystemSample {
  time: number;
  cpu: number;
  rss: number;
  heapUsed: number;
  /** Mean and worst event-loop delay over the last interval, seconds. */
  loopDelay: number;
  loopDelayMax: number;
}

export class SystemMonitor {
  private samples: SystemSample[] = [];
  private lastCpu = process.cpuUsage();
  private lastTime = performance.now();
  private readonly loopDelay: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly capacity = 600, intervalMs = 1000) {
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    const cpu = process.cpuUsage(this.lastCpu);
    const now = performance.now();
    const elapsedMs = Math.max(now - this.lastTime, 1);
    this.lastCpu = process.cpuUsage();
    this.lastTime = now;
    const memory = process.memoryUsage();
    const mean = this.loopDelay.mean;
    const max = this.loopDelay.max;
    this.loopDelay.reset();
    this.samples.push({
      time: unixSeconds(),
      cpu: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      loopDelay: Number.isFinite(mean) ? mean / 1e9 : 0,
      loopDelayMax: Number.isFinite(max) ? max / 1e9 : 0,
    });
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
  }

  history(): readonly SystemSample[] {
    return this.samples;
  }

  latest(): SystemSample {
    return this.samples[this.samples.length - 1];
  }

  stop(): void {
    clearInterval(this.timer);
    this.loopDelay.disable();
  }
}
