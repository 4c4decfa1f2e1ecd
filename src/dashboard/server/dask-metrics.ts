/**
 * The `/metrics` families under the names Dask's Grafana dashboards query (distributed's
 * http/scheduler/prometheus and http/worker/prometheus), next to tessera's own. Only the
 * families whose meaning we can give exactly are here, with Dask's label names:
 *
 *   dask_scheduler_clients, dask_scheduler_desired_workers, dask_scheduler_workers{state}
 *   (connected, saturated, idle), dask_scheduler_tasks{state} (Dask's task states but
 *   forgotten), dask_scheduler_tasks_suspicious_total{task_prefix_name},
 *   dask_semaphore_{max_leases,active_leases,pending_leases,acquire_total,release_total,
 *   average_pending_lease_time_s}{name}, dask_worker_{tasks{state},threads,memory_bytes{type},
 *   transfer_incoming_bytes,transfer_incoming_count,transfer_outgoing_bytes,
 *   concurrent_fetch_requests}.
 *
 * Dask serves worker families from each worker's own endpoint (Prometheus tells them apart by
 * its `instance` label); tessera's workers have no HTTP endpoint, so the scheduler serves them
 * all, each sample with a `worker` label (its address) and the worker's `name`: a sum or a
 * per-instance panel of Dask's dashboards still reads them correctly.
 *
 * Left out, because we would have to make them up: the tick and GIL figures, stealing
 * counters, digests (task/tick/bandwidth medians), spill activity counters and
 * tasks_forgotten (tessera forgets a task outright and keeps no count).
 */
import type { SchedulerView, WorkerInfo } from "../../scheduler/server/view.js";

export type Samples = Array<[Record<string, string>, number]>;

export interface MetricSink {
  metric(name: string, type: "gauge" | "counter", help: string, samples: Samples): void;
}

/** Dask's task states on the scheduler (distributed.scheduler.ALL_TASK_STATES), forgotten left out as Dask does. */
const schedulerTaskStates = ["released", "waiting", "no-worker", "queued", "processing", "memory", "erred"] as const;

export function daskMetrics(view: SchedulerView, out: MetricSink): void {
  const workers = view.workers();
  const counts = view.counts();
  out.metric("dask_scheduler_clients", "gauge", "Number of clients connected.", [[{}, view.clientCount()]]);
  out.metric("dask_scheduler_desired_workers", "gauge", "Number of workers scheduler needs for task graph.", [[{}, view.desiredWorkers()]]);
  out.metric("dask_scheduler_workers", "gauge", "Number of workers known by scheduler.", [
    [{ state: "connected" }, workers.length],
    [{ state: "saturated" }, workers.filter((w) => w.processing > w.nthreads).length],
    [{ state: "idle" }, workers.filter((w) => w.processing === 0).length],
  ]);
  out.metric("dask_scheduler_tasks", "gauge", "Number of tasks known by scheduler.", schedulerTaskStates.map((state) => [{ state }, counts[state] ?? 0]));
  const stats = view.extensionStats();
  out.metric("dask_scheduler_tasks_suspicious_total", "counter", "Total number of times a task has been marked suspicious",
    [...stats.suspiciousByPrefix].map(([prefix, n]) => [{ task_prefix_name: prefix }, n]));

  const semaphores = stats.semaphores.filter((s) => s.kind === "semaphore");
  const perSemaphore = (pick: (s: (typeof semaphores)[number]) => number): Samples => semaphores.map((s) => [{ name: s.name }, pick(s)]);
  out.metric("dask_semaphore_max_leases", "gauge", "Maximum leases allowed per semaphore, this will be constant for each semaphore during its lifetime.", perSemaphore((s) => s.maxLeases));
  out.metric("dask_semaphore_active_leases", "gauge", "Amount of currently active leases per semaphore.", perSemaphore((s) => s.activeLeases));
  out.metric("dask_semaphore_pending_leases", "gauge", "Amount of currently pending leases per semaphore.", perSemaphore((s) => s.pendingLeases));
  out.metric("dask_semaphore_acquire_total", "counter", "Total number of leases acquired per semaphore.", perSemaphore((s) => s.acquireTotal));
  out.metric("dask_semaphore_release_total", "counter", "Total number of leases released per semaphore.", perSemaphore((s) => s.releaseTotal));
  out.metric("dask_semaphore_average_pending_lease_time_s", "gauge", "Exponential moving average of the time it took to acquire a lease per semaphore.", perSemaphore((s) => s.averagePendingSeconds));

  const perWorker = (pick: (w: WorkerInfo) => number): Samples => workers.map((w) => [{ worker: w.address, name: w.name }, pick(w)]);
  out.metric("dask_worker_tasks", "gauge", "Number of tasks at worker.", workers.flatMap((w): Samples => [
    [{ worker: w.address, name: w.name, state: "executing" }, w.metrics.executing ?? w.executing],
    [{ worker: w.address, name: w.name, state: "ready" }, w.metrics.ready ?? 0],
    [{ worker: w.address, name: w.name, state: "flight" }, w.metrics.inFlight ?? 0],
    [{ worker: w.address, name: w.name, state: "memory" }, w.storedKeys],
  ]));
  out.metric("dask_worker_threads", "gauge", "Number of worker threads", perWorker((w) => w.nthreads));
  out.metric("dask_worker_memory_bytes", "gauge", "Memory breakdown", workers.flatMap((w): Samples => {
    const process = w.metrics.memory ?? 0;
    const managed = Math.min(process, w.metrics.managedBytes ?? w.storedBytes);
    return [
      [{ worker: w.address, name: w.name, type: "managed" }, managed],
      [{ worker: w.address, name: w.name, type: "unmanaged" }, process - managed],
      [{ worker: w.address, name: w.name, type: "spilled" }, w.metrics.spilledBytes ?? 0],
    ];
  }));
  out.metric("dask_worker_transfer_incoming_bytes", "gauge", "Total size of open data transfers from other workers", perWorker((w) => w.metrics.transferIncomingBytes ?? 0));
  out.metric("dask_worker_transfer_incoming_count", "gauge", "Number of open data transfers from other workers", perWorker((w) => w.metrics.inFlight ?? 0));
  out.metric("dask_worker_concurrent_fetch_requests", "gauge", "Deprecated: This metric has been renamed to transfer_incoming_count.", perWorker((w) => w.metrics.inFlight ?? 0));
  out.metric("dask_worker_transfer_outgoing_bytes", "gauge", "Size of open data transfers to other workers", perWorker((w) => w.metrics.transferOutgoingBytes ?? 0));
}
