/**
 * Dask's distributed.scheduler.no-workers-timeout: a runnable task that has waited longer
 * than the timeout for a worker that may run it errs, instead of waiting for ever (every
 * worker's walltime ended, or no worker offers the resources it asks for). Tasks waiting in
 * no-worker count from when they started waiting; queued root tasks count only while no
 * worker at all is running (with workers, they merely wait for a free slot). The error says
 * why no worker could run the task: NoWorkerError when there were none, NoValidWorkerError
 * when there were workers but none fitting.
 */
import type { TaskState } from "./entities.js";
import type { SchedulerState } from "./scheduler-state.js";

function noWorkerError(task: TaskState, timeout: number, anyRunning: boolean, reason: string) {
  return {
    name: anyRunning ? "NoValidWorkerError" : "NoWorkerError",
    message: `task ${task.key} waited more than ${timeout} s (noWorkersTimeout) for a worker that could run it: ${reason}. ` +
      (anyRunning ? "Start workers that fit (resources, names), or change what the task asks for." : "Start workers (or scale the cluster up), then submit it again."),
    stack: "",
    taskKey: task.key,
  };
}

export function checkNoWorkersTimeout(state: SchedulerState, now: number): void {
  const anyRunning = state.runningWorkers().length > 0;
  if (state.queued.size > 0 && !anyRunning) state.noRunningWorkersSince ||= now;
  else state.noRunningWorkersSince = 0;
  const timeout = state.settings.noWorkersTimeout;
  if (timeout === null) return;
  for (const task of state.noWorker) {
    if (now - task.noWorkerSince > timeout) {
      const error = noWorkerError(task, timeout, anyRunning, task.noWorkerReason ?? "no running worker may run it");
      state.recommend(task, "erred", { error, blame: task });
    }
  }
  if (state.noRunningWorkersSince > 0 && now - state.noRunningWorkersSince > timeout) {
    for (const task of state.queued.values()) state.recommend(task, "erred", { error: noWorkerError(task, timeout, false, "no running workers"), blame: task });
  }
}
