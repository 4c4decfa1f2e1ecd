import type { MemoryMonitorHost } from "../../../src/worker/memory/memory-monitor.js";

/** A worker of numbers: the monitor acts on it as on a real one. */
export class FakeWorker implements MemoryMonitorHost {
  rss = 0;
  managed = 0;
  evictable: number[] = [];
  garbage = 0;
  paused: boolean[] = [];
  stuck: string[] = [];
  target = Infinity;
  running = false;
  stoppedBecause: string | null = null;
  readRss() { return this.rss; }
  managedBytes() { return this.managed; }
  setManagedTarget(bytes: number) { this.target = bytes; }
  evictableBytes() { return this.evictable.reduce((a, b) => a + b, 0); }
  /** When set, a spilled result's memory leaves only with the next collection, as a real buffer's does. */
  spilledIsGarbage = false;
  collections = 0;
  /** Called on each collection (a test's clock advances by what one costs). */
  onCollect: () => void = () => {};
  async evictOne() {
    const bytes = this.evictable.shift() ?? 0;
    if (this.spilledIsGarbage) this.garbage += bytes;
    else this.rss -= bytes;
    this.managed -= bytes;
    return bytes;
  }
  collectGarbage() {
    this.collections++;
    this.onCollect();
    this.rss -= this.garbage;
    this.garbage = 0;
  }
  setPaused(paused: boolean) { this.paused.push(paused); }
  busy() { return this.running; }
  pauseStuck(message: string) { this.stuck.push(message); }
  spillStopped(): string | null { return this.stoppedBecause; }
}
