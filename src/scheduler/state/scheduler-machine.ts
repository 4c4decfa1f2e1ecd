/**
 * The scheduler as a pure state machine: `handleSchedulerEvent(state, event)` applies one
 * event and returns the commands for the server to carry out.
 *
 * Tasks move through Dask's states: released → waiting → (queued | no-worker) → processing →
 * memory, or erred, and are forgotten when nobody needs them. Handlers (intake.ts,
 * task-events.ts, worker-events.ts) mostly *recommend* a status, and the loop below applies
 * recommendations through transitions.ts until none remain, as Dask's transition engine
 * does. Where an event itself settles a status (a result arrived, its worker died), the
 * handler sets it with transitions.ts's `setStatus`, so every status change, and the counters
 * that follow it, stays in one place.
 */
import type { SchedulerCommand } from "./commands.js";
import type { SchedulerEvent } from "./events.js";
import { handleClientEvent } from "./intake.js";
import { handleMaintenanceEvent } from "./maintenance-events.js";
import type { SchedulerState } from "./scheduler-state.js";
import { handleTaskEvent } from "./task-events.js";
import { applyTransition, fillFromQueue } from "./transitions.js";
import { handleWorkerEvent } from "./worker-events.js";
import { restartCluster } from "./cluster-restart.js";

export function handleSchedulerEvent(state: SchedulerState, event: SchedulerEvent): SchedulerCommand[] {
  state.now = event.now;
  state.stimulus = `${event.type}-${++state.eventCount}`;
  if (event.type !== "tick" && event.type !== "heartbeat") state.lastActivity = event.now;
  switch (event.type) {
    case "client-added": case "client-removed": case "graph-submitted": case "graph-part": case "graph-completed": case "graph-abandoned": case "keys-released":
    case "keys-cancelled": case "data-scattered":
      handleClientEvent(state, event);
      break;
    case "tasks-started": case "task-long-running": case "task-rejoined": case "task-finished": case "task-erred": case "keys-added": case "data-missing": case "data-lost":
    case "steal-response":
      handleTaskEvent(state, event);
      break;
    case "worker-added": case "worker-removed": case "worker-status": case "worker-setup-failed": case "heartbeat":
    case "retire-workers": case "tick":
      handleWorkerEvent(state, event);
      break;
    case "cluster-restart":
      restartCluster(state, event.reason);
      break;
    case "replicas-dropped": case "keys-retried":
      handleMaintenanceEvent(state, event);
      break;
  }
  // Transitions may recommend more transitions: apply until none remain.
  for (let batch = state.takeRecommendations(); batch.tasks.length > 0; batch = state.takeRecommendations()) {
    const { tasks, statuses, details } = batch;
    for (let i = 0; i < tasks.length; i++) applyTransition(state, tasks[i], statuses[i], details[i]);
  }
  // Independent roots made runnable here were all queued first, so that they are cut into
  // contiguous runs per worker as one batch (root-runs.ts); now they start.
  if (state.rootsToHandOut) {
    state.rootsToHandOut = false;
    fillFromQueue(state);
  }
  return state.takeCommands();
}
