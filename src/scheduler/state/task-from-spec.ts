/**
 * A submitted task spec turned into scheduler state, the same way whether its graph came in
 * one message (intake.ts) or in parts (graph-staging.ts).
 */
import { TaskState, noneOf } from "./entities.js";
import type { SubmittedTask } from "./events.js";
import type { FunctionRef } from "../../protocol/function-ref.js";
import type { SchedulerState } from "./scheduler-state.js";

/** A new task for `spec`, registered in the scheduler's tasks as released. */
export function createTaskFromSpec(state: SchedulerState, spec: SubmittedTask): TaskState {
  const { prefix, group } = state.prefixFor(spec.key);
  const task = new TaskState(spec.key, prefix, group, spec.fn, spec.args, spec.frames.length > 0 ? spec.frames : noneOf());
  task.retriesLeft = spec.retries ?? 0;
  task.userPriority = spec.priority ?? 0;
  if (spec.workers && spec.workers.length > 0) {
    task.restrictWorkers = spec.workers;
    task.allowOtherWorkers = spec.allowOtherWorkers ?? false;
  }
  if (spec.resources && Object.keys(spec.resources).length > 0) task.resources = spec.resources;
  task.prefix.moveCount(null, "released");
  state.tasks.set(spec.key, task);
  return task;
}

/** A new task of a block layer (layer-staging.ts): createTaskFromSpec's for a spec with only a key, function and arguments. */
export function createLayerTask(state: SchedulerState, key: string, fn: FunctionRef, args: unknown): TaskState {
  const { prefix, group } = state.prefixFor(key);
  const task = new TaskState(key, prefix, group, fn, args, noneOf());
  task.prefix.moveCount(null, "released");
  state.tasks.set(key, task);
  return task;
}

/** A known key is the same computation: a task that is not running takes the newer spec. */
export function refreshReleasedSpec(existing: TaskState, spec: SubmittedTask): void {
  if (existing.status === "released" && existing.fn !== null) {
    existing.fn = spec.fn;
    existing.args = spec.args;
    existing.frames = spec.frames;
  }
}
