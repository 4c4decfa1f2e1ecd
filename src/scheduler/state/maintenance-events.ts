/**
 * Events the scheduler's extensions raise on behalf of users and of the Active Memory
 * Manager (src/scheduler/server/extensions/): dropping replicas nobody needs, and running
 * erred keys again (Dask's Client.retry). They change the state here, through the same
 * transitions as everything else.
 *
 * What must stay true:
 * - a drop never takes a key's last replica, and never the copy on a worker that runs (or
 *   is assigned) a task needing it: such a drop is skipped, not forced;
 * - a retry starts from the erred keys' erred roots (the dependencies whose own run failed)
 *   and resets every erred task between them and the keys asked for, so that no task is
 *   left holding the old error of an input that is being recomputed.
 */
import type { SchedulerEvent } from "./events.js";
import type { TaskState } from "./entities.js";
import type { SchedulerState } from "./scheduler-state.js";

type MaintenanceEvent = Extract<SchedulerEvent, { type: "replicas-dropped" | "keys-retried" }>;

export function handleMaintenanceEvent(state: SchedulerState, event: MaintenanceEvent): void {
  switch (event.type) {
    case "replicas-dropped":
      for (const { key, worker } of event.drops) dropReplica(state, key, worker);
      return;
    case "keys-retried":
      retryKeys(state, event.keys);
      return;
  }
}

function dropReplica(state: SchedulerState, key: string, address: string): void {
  const task = state.tasks.get(key);
  const worker = state.workers.get(address);
  if (!task || !worker || task.status !== "memory" || task.whoHas.length < 2 || !task.whoHas.includes(worker)) return;
  for (const dependent of task.dependents) {
    if (dependent.processingOn === worker) return;
  }
  task.whoHas = task.whoHas.filter((holder) => holder !== worker);
  worker.hasWhat.delete(task);
  worker.storedBytes -= Math.max(task.nbytes, 0);
  state.toWorker(worker, { op: "free-keys", keys: [key] });
}

/**
 * Releases every erred task from the keys' erred roots up to the keys (and the erred
 * dependents of those roots, which failed with the same error); the transitions then run
 * again whatever is still needed.
 */
function retryKeys(state: SchedulerState, keys: readonly string[]): void {
  const roots = new Set<TaskState>();
  const seen = new Set<TaskState>();
  const stack: TaskState[] = [];
  for (const key of keys) {
    const task = state.tasks.get(key);
    if (task?.status === "erred") stack.push(task);
  }
  while (stack.length > 0) {
    const task = stack.pop() as TaskState;
    if (seen.has(task)) continue;
    seen.add(task);
    // An input that was forgotten (lost scattered data) cannot come back: such a task stays erred.
    if (task.dependencies.some((dep) => dep.status === "forgotten")) continue;
    const erredInputs = task.dependencies.filter((dep) => dep.status === "erred");
    if (erredInputs.length === 0) roots.add(task);
    else stack.push(...erredInputs);
  }
  const reset = new Set<TaskState>();
  const downstream = [...roots];
  while (downstream.length > 0) {
    const task = downstream.pop() as TaskState;
    if (reset.has(task) || task.status !== "erred") continue;
    reset.add(task);
    downstream.push(...task.dependents);
  }
  // All are released in one batch before any of them is made to wait again (the next
  // batch), so no task sees an input that still holds the old error.
  for (const task of reset) state.recommend(task, "released");
}
