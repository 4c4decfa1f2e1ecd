// A driver for the pure scheduler state: feeds events, records commands, and plays workers.
import { SchedulerState, defaultSchedulerSettings, type SchedulerSettings } from "../../../src/scheduler/state/scheduler-state.js";
import { handleSchedulerEvent } from "../../../src/scheduler/state/scheduler-machine.js";
import type { SchedulerCommand } from "../../../src/scheduler/state/commands.js";
import type { SchedulerEvent, SubmittedTask } from "../../../src/scheduler/state/events.js";

export class Harness {
  readonly state: SchedulerState;
  readonly log: SchedulerCommand[] = [];
  now = 1000;

  constructor(settings: Partial<SchedulerSettings> = {}) {
    this.state = new SchedulerState({ ...defaultSchedulerSettings, ...settings });
    this.send({ type: "client-added", clientId: "c1", now: this.now });
  }

  send(event: SchedulerEvent): SchedulerCommand[] {
    const out = handleSchedulerEvent(this.state, event);
    this.log.push(...out);
    return out;
  }

  addWorker(address: string, nthreads = 1): void {
    this.send({ type: "worker-added", identity: { address, name: address, nthreads, memoryLimit: 1e9, localDirectory: "/tmp", pid: 1, host: "h" }, now: this.now });
  }

  submit(tasks: Array<{ key: string; deps?: string[]; retries?: number; priority?: number }>, wanted: string[]): void {
    const submitted: SubmittedTask[] = tasks.map((t) => ({ key: t.key, fn: { builtin: "graph.noop" }, args: [], frames: [], deps: t.deps ?? [], retries: t.retries, ...(t.priority !== undefined ? { priority: t.priority } : {}) }));
    this.send({ type: "graph-submitted", clientId: "c1", tasks: submitted, wanted, now: this.now });
  }

  status(key: string): string {
    return this.state.tasks.get(key)?.status ?? "forgotten";
  }

  worker(key: string): string | undefined {
    return this.state.tasks.get(key)?.processingOn?.address;
  }

  start(key: string): void {
    const address = this.worker(key) as string;
    this.send({ type: "tasks-started", address, keys: [key], now: this.now });
  }

  finish(key: string, nbytes = 8, seconds = 0.05): SchedulerCommand[] {
    const task = this.state.tasks.get(key);
    if (!task?.processingOn) throw new Error(`${key} is not processing (${task?.status})`);
    this.now += seconds;
    return this.send({ type: "task-finished", address: task.processingOn.address, key, runId: task.runId, nbytes, dataType: "number", startstops: [{ action: "compute", start: this.now - seconds, stop: this.now }], thread: 0, now: this.now });
  }

  fail(key: string, message = "boom"): SchedulerCommand[] {
    const task = this.state.tasks.get(key);
    if (!task?.processingOn) throw new Error(`${key} is not processing`);
    return this.send({ type: "task-erred", address: task.processingOn.address, key, runId: task.runId, error: { name: "ValueError", message, stack: "at remote" }, startstops: [], thread: 0, now: this.now });
  }

  kill(address: string): void {
    this.send({ type: "worker-removed", address, reason: "connection lost", graceful: false, now: this.now });
  }

  /** Messages to the client since `from`, of one op. */
  clientMessages(op: string, from = 0): Array<Record<string, unknown>> {
    return this.log.slice(from)
      .filter((c): c is Extract<SchedulerCommand, { type: "to-client" }> => c.type === "to-client" && c.message.op === op)
      .map((c) => c.message as unknown as Record<string, unknown>);
  }

  workerMessages(address: string, op: string, from = 0): Array<Record<string, unknown>> {
    return this.log.slice(from)
      .filter((c): c is Extract<SchedulerCommand, { type: "to-worker" }> => c.type === "to-worker" && c.address === address && c.message.op === op)
      .map((c) => c.message as unknown as Record<string, unknown>);
  }

  processingKeys(): string[] {
    return [...this.state.tasks.values()].filter((t) => t.status === "processing").map((t) => t.key);
  }
}
