/**
 * client.restart() as the state sees it (Dask's Scheduler.restart): every task is forgotten
 * at once, whatever its status, every client is told (its futures end as cancelled, reason
 * "restarted"), and every worker is told to restart: each closes, and its nanny starts a
 * fresh one, which registers like any new worker. Batch jobs are not touched: the nanny in
 * the job restarts its worker. The server checks beforehand that every worker has a nanny.
 */
import type { SchedulerState } from "./scheduler-state.js";
import { setStatus, stopProcessing } from "./transitions.js";

export function restartCluster(state: SchedulerState, reason: string): void {
  const tasks = [...state.tasks.values()];
  for (const task of tasks) {
    if (task.status === "processing") stopProcessing(state, task);
    task.noWorkerReason = null;
  }
  // All at once: nothing recommended on the way (a release, a rerun) may run any more.
  for (const task of tasks) setStatus(state, task, "forgotten");
  state.takeRecommendations();
  for (const task of tasks) {
    task.whoHas = [];
    task.dependencies = [];
    task.dependents = [];
    task.wantedBy = null;
    task.args = null;
  }
  state.tasks.clear();
  while (state.queued.size > 0) state.queued.pop();
  state.rootRuns.clear();
  state.noWorker.clear();
  for (const client of state.clients.values()) {
    client.wants.clear();
    state.toClient(client, { op: "cluster-restarted", reason });
  }
  for (const worker of state.workers.values()) {
    worker.hasWhat.clear();
    worker.storedBytes = 0;
    worker.occupancy = 0;
    state.toWorker(worker, { op: "restart-worker", reason });
  }
}
