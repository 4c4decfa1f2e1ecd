/**
 * Live updates for the dashboard's pages over one WebSocket per browser page. A page says
 * what it shows (`{"subscribe": ["status", "stream", …], "history": 1000}`); then, every
 * `intervalMs` (4 Hz by default), the feed sends each page what changed: the status
 * snapshot, the task-stream rectangles observed since the last update, and (once a second)
 * the graph, the jobs and the system sample. Each message is built and serialised once
 * and shared by every page that asked for it, and nothing is built while no page is open,
 * so an unwatched dashboard costs the scheduler nothing but a listening socket.
 *
 * A page that cannot keep up (its socket buffers more than `maxBufferedBytes`) skips
 * snapshots; one that falls even further behind is disconnected and reconnects with a
 * fresh history.
 */
import type { WebSocket } from "ws";
import { unixSeconds } from "../../core/clock.js";
import type { Logger } from "../../core/log.js";
import type { SchedulerView } from "../../scheduler/server/view.js";
import type { SchedulerState } from "../../scheduler/state/scheduler-state.js";
import type { ObservedRecord } from "../../scheduler/state/commands.js";
import { graphSnapshot } from "./graph-snapshot.js";
import type { JobsProvider } from "./jobs.js";
import { statusSnapshot, type MemoryThresholds } from "./status-snapshot.js";
import { StreamEncoder } from "./stream-encoder.js";
import type { SystemMonitor } from "./system-monitor.js";

const topics = ["status", "stream", "graph", "jobs", "system"] as const;
type Topic = (typeof topics)[number];

interface Subscriber {
  socket: WebSocket;
  topics: Set<Topic>;
}

export interface LiveFeedOptions {
  view: SchedulerView;
  state: SchedulerState;
  system: SystemMonitor;
  thresholds: MemoryThresholds;
  jobs?: JobsProvider;
  logger: Logger;
  intervalMs?: number;
  maxBufferedBytes?: number;
}

const slowEvery = 4;

export class LiveFeed {
  private subscribers = new Set<Subscriber>();
  private pending: ObservedRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private tick = 0;
  private readonly encoder: StreamEncoder;
  private readonly unsubscribe: () => void;
  private readonly intervalMs: number;
  private readonly maxBufferedBytes: number;

  constructor(private readonly options: LiveFeedOptions) {
    this.intervalMs = options.intervalMs ?? 250;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 8e6;
    const names = new Map<string, string>();
    this.encoder = new StreamEncoder(options.view.started, (address) => {
      let name = names.get(address);
      if (name === undefined) {
        name = options.view.workers().find((w) => w.address === address)?.name ?? address;
        names.set(address, name);
      }
      return name;
    });
    this.unsubscribe = options.view.subscribe((record) => {
      if (this.wantsStream()) this.pending.push(record);
    });
  }

  get connectedCount(): number {
    return this.subscribers.size;
  }

  private wantsStream(): boolean {
    for (const subscriber of this.subscribers) if (subscriber.topics.has("stream")) return true;
    return false;
  }

  /** Takes over an authenticated WebSocket until it closes. */
  add(socket: WebSocket): void {
    const subscriber: Subscriber = { socket, topics: new Set() };
    this.subscribers.add(subscriber);
    socket.on("message", (data) => {
      try {
        this.subscribe(subscriber, JSON.parse(String(data)) as { subscribe?: unknown; history?: unknown });
      } catch (error) {
        this.options.logger.debug(`dashboard page sent an unreadable message: ${(error as Error).message}`);
      }
    });
    socket.on("close", () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stopTimer();
    });
    socket.on("error", () => socket.terminate());
    this.timer ??= setInterval(() => this.update(), this.intervalMs);
  }

  private subscribe(subscriber: Subscriber, request: { subscribe?: unknown; history?: unknown }): void {
    const wanted = Array.isArray(request.subscribe) ? request.subscribe.filter((t): t is Topic => (topics as readonly unknown[]).includes(t)) : [];
    for (const topic of wanted) subscriber.topics.add(topic);
    if (subscriber.topics.has("stream")) {
      const limit = Math.min(Math.max(Number(request.history) || 1000, 0), 100_000);
      // Records still pending reach this page with the next update: leave them out here.
      const records = this.options.view.taskStream.all();
      const end = records.length - this.pending.length;
      const recent = records.slice(Math.max(0, end - limit), end);
      this.send(subscriber, JSON.stringify({ type: "stream", reset: true, data: this.encoder.encodeHistory(recent) }));
    }
    if (subscriber.topics.has("system")) {
      this.send(subscriber, JSON.stringify({ type: "system", reset: true, data: this.options.system.history() }));
    }
    this.sendSnapshots([subscriber], true);
  }

  private send(subscriber: Subscriber, text: string, droppable = false): void {
    const socket = subscriber.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.maxBufferedBytes) {
      if (droppable) return;
      if (socket.bufferedAmount > this.maxBufferedBytes * 4) {
        socket.terminate();
        return;
      }
    }
    socket.send(text);
  }

  private update(): void {
    this.tick++;
    if (this.pending.length > 0) {
      const text = JSON.stringify({ type: "stream", data: this.encoder.encode(this.pending) });
      this.pending = [];
      for (const subscriber of this.subscribers) if (subscriber.topics.has("stream")) this.send(subscriber, text);
    }
    this.sendSnapshots([...this.subscribers], this.tick % slowEvery === 0);
  }

  private sendSnapshots(subscribers: Subscriber[], includeSlow: boolean): void {
    const cached = new Map<Topic, string>();
    const build = (topic: Topic): string | undefined => {
      if (cached.has(topic)) return cached.get(topic);
      let text: string | undefined;
      const { view } = this.options;
      if (topic === "status") {
        text = JSON.stringify({ type: "status", data: statusSnapshot(view, this.options.thresholds, this.options.system.latest(), unixSeconds()) });
      } else if (topic === "graph" && includeSlow) {
        text = JSON.stringify({ type: "graph", data: graphSnapshot(view, this.options.state) });
      } else if (topic === "system" && includeSlow) {
        text = JSON.stringify({ type: "system", data: [this.options.system.latest()] });
      }
      cached.set(topic, text as string);
      return text;
    };
    for (const subscriber of subscribers) {
      for (const topic of subscriber.topics) {
        if (topic === "jobs") continue;
        const text = build(topic);
        if (text) this.send(subscriber, text, true);
      }
    }
    if (includeSlow) void this.sendJobs(subscribers.filter((s) => s.topics.has("jobs")));
  }

  private async sendJobs(subscribers: Subscriber[]): Promise<void> {
    if (subscribers.length === 0) return;
    let data: unknown;
    try {
      data = this.options.jobs ? { available: true, jobs: await this.options.jobs() } : { available: false, jobs: [] };
    } catch (error) {
      data = { available: true, jobs: [], error: (error as Error).message };
    }
    const text = JSON.stringify({ type: "jobs", data });
    for (const subscriber of subscribers) this.send(subscriber, text, true);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pending = [];
  }

  close(): void {
    this.stopTimer();
    this.unsubscribe();
    for (const subscriber of this.subscribers) subscriber.socket.terminate();
    this.subscribers.clear();
  }
}
