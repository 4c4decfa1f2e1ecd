/**
 * Running totals the state does not keep, for the metrics endpoint: how many times tasks of
 * each prefix were marked suspicious (they were on a worker that died: Dask's
 * dask_scheduler_tasks_suspicious_total). A Prometheus counter never goes down, so the total
 * is accumulated here from each task's own count rather than summed over the tasks that
 * happen to exist. Suspicion only grows when a worker is removed (by its connection, its
 * heartbeat timeout or a replacement), so the tasks are looked at only then.
 */
import type { TaskState } from "../../state/entities.js";
import type { SchedulerEvent } from "../../state/events.js";
import type { ExtensionHost, SchedulerExtension } from "./extension-host.js";

export class TaskTallies implements Omit<SchedulerExtension, "handlers"> {
  readonly suspiciousByPrefix = new Map<string, number>();
  private readonly counted = new WeakMap<TaskState, number>();
  private workerCount = 0;

  constructor(private readonly host: ExtensionHost) {}

  afterEvent(event: SchedulerEvent): void {
    const workers = this.host.state.workers.size;
    const removed = event.type === "worker-removed" || event.type === "worker-added" || workers < this.workerCount;
    this.workerCount = workers;
    if (!removed) return;
    for (const task of this.host.state.tasks.values()) {
      if (task.suspicious === 0) continue;
      const before = this.counted.get(task) ?? 0;
      if (task.suspicious <= before) continue;
      this.counted.set(task, task.suspicious);
      const prefix = task.prefix.name;
      this.suspiciousByPrefix.set(prefix, (this.suspiciousByPrefix.get(prefix) ?? 0) + task.suspicious - before);
    }
  }
}
