/**
 * What machines read from the dashboard: `/json/counts` (Dask's counts.json fields),
 * `/json/identity` (the scheduler and its workers) and `/metrics` in Prometheus' text
 * format, with scheduler figures and per-worker figures from the workers' heartbeats.
 */
import type { SchedulerView, WorkerInfo } from "../../scheduler/server/view.js";
import type { SystemSample } from "./system-monitor.js";
import { daskMetrics } from "./dask-metrics.js";

export function countsJson(view: SchedulerView): Record<string, number> {
  const workers = view.workers();
  const counts = view.counts();
  const processing = workers.reduce((sum, w) => sum + w.processing, 0);
  return {
    bytes: workers.reduce((sum, w) => sum + w.storedBytes, 0),
    clients: view.clientCount(),
    cores: workers.reduce((sum, w) => sum + w.nthreads, 0),
    erred: counts.erred ?? 0,
    hosts: new Set(workers.map((w) => w.host)).size,
    idle: workers.filter((w) => w.processing === 0).length,
    memory: counts.memory ?? 0,
    processing,
    queued: counts.queued ?? 0,
    released: counts.released ?? 0,
    saturated: workers.filter((w) => w.processing > w.nthreads).length,
    tasks: view.taskCount(),
    unrunnable: counts["no-worker"] ?? 0,
    waiting: counts.waiting ?? 0,
    waiting_data: 0,
    workers: workers.length,
    desired_workers: workers.length,
  };
}

export function identityJson(view: SchedulerView): Record<string, unknown> {
  return {
    type: "Scheduler", id: view.id, address: view.address, services: view.services, started: view.started,
    workers: Object.fromEntries(view.workers().map((w) => [w.address, {
      type: "Worker", id: w.name, host: w.host, nthreads: w.nthreads, memory_limit: w.memoryLimit,
      local_directory: w.localDirectory, status: w.status, last_seen: w.lastSeen, ...(w.jobId ? { job_id: w.jobId } : {}),
    }])),
  };
}

/** A Prometheus label value: backslash, quote and newline escaped. */
function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

class MetricsText {
  private lines: string[] = [];

  metric(name: string, type: "gauge" | "counter", help: string, samples: Array<[Record<string, string>, number]>): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const text = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`).join(",");
      this.lines.push(`${name}${text ? `{${text}}` : ""} ${Number.isFinite(value) ? value : 0}`);
    }
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

export function prometheusMetrics(view: SchedulerView, system: SystemSample): string {
  const out = new MetricsText();
  const workers = view.workers();
  const counts = view.counts();
  const byStatus = new Map<string, number>();
  for (const w of workers) byStatus.set(w.status, (byStatus.get(w.status) ?? 0) + 1);
  out.metric("tessera_scheduler_clients", "gauge", "Clients connected.", [[{}, view.clientCount()]]);
  out.metric("tessera_scheduler_workers", "gauge", "Workers by status.", [...byStatus].map(([state, n]) => [{ state }, n]));
  out.metric("tessera_scheduler_tasks", "gauge", "Tasks by state.", Object.entries(counts).map(([state, n]) => [{ state }, n]));
  out.metric("tessera_scheduler_tasks_compute_seconds_total", "counter", "Seconds spent computing tasks, by task prefix.",
    view.progress().map((p) => [{ task_prefix: p.prefix }, p.computeSeconds]));
  out.metric("tessera_scheduler_cpu_percent", "gauge", "Scheduler process CPU use, percent of one core.", [[{}, system.cpu]]);
  out.metric("tessera_scheduler_memory_bytes", "gauge", "Scheduler process resident memory.", [[{}, system.rss]]);
  out.metric("tessera_scheduler_event_loop_delay_seconds", "gauge", "Mean event-loop delay of the scheduler over the last second.", [[{}, system.loopDelay]]);
  const perWorker = (pick: (w: WorkerInfo) => number) => workers.map((w): [Record<string, string>, number] => [{ worker: w.address, name: w.name }, pick(w)]);
  out.metric("tessera_worker_threads", "gauge", "Compute threads per worker.", perWorker((w) => w.nthreads));
  out.metric("tessera_worker_memory_limit_bytes", "gauge", "Memory limit per worker.", perWorker((w) => w.memoryLimit));
  out.metric("tessera_worker_memory_bytes", "gauge", "Worker memory: process (resident), managed (results held), spilled (on disk).",
    workers.flatMap((w): Array<[Record<string, string>, number]> => [
      [{ worker: w.address, name: w.name, type: "process" }, w.metrics.memory],
      [{ worker: w.address, name: w.name, type: "managed" }, w.metrics.managedBytes || w.storedBytes],
      [{ worker: w.address, name: w.name, type: "spilled" }, w.metrics.spilledBytes],
    ]));
  out.metric("tessera_worker_cpu_percent", "gauge", "Worker process CPU use, percent of one core.", perWorker((w) => w.metrics.cpu));
  out.metric("tessera_worker_tasks", "gauge", "Tasks per worker by state.", workers.flatMap((w): Array<[Record<string, string>, number]> => [
    [{ worker: w.address, name: w.name, state: "processing" }, w.processing],
    [{ worker: w.address, name: w.name, state: "executing" }, w.executing],
    [{ worker: w.address, name: w.name, state: "ready" }, w.metrics.ready],
    [{ worker: w.address, name: w.name, state: "memory" }, w.storedKeys],
  ]));
  out.metric("tessera_worker_tasks_finished_total", "counter", "Tasks finished per worker.", perWorker((w) => w.finished));
  out.metric("tessera_worker_transfer_incoming_count", "gauge", "Dependencies being fetched from peers.", perWorker((w) => w.metrics.inFlight));
  out.metric("tessera_worker_event_loop_delay_seconds", "gauge", "Mean event-loop delay of the worker's main thread.", perWorker((w) => w.metrics.eventLoopDelay));
  out.metric("tessera_worker_last_seen_seconds", "gauge", "Epoch seconds of the worker's last heartbeat.", perWorker((w) => w.lastSeen));
  daskMetrics(view, out); // the same figures under the names Dask's Grafana dashboards query
  return out.toString();
}
