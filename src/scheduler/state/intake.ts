/**
 * Client events: graphs arriving, results wanted and released, cancellations, scattered data.
 * A graph is checked whole before anything changes: a task that depends on a key nobody
 * knows rejects the submission with an error naming both keys.
 */
import { TaskState, appendTo, type WorkerState } from "./entities.js";
import type { SchedulerEvent, SubmittedTask } from "./events.js";
import type { SchedulerState, StagedGraph } from "./scheduler-state.js";
import { createTaskFromSpec, refreshReleasedSpec } from "./task-from-spec.js";
import { fillFromQueue, removeFromQueues, setStatus } from "./transitions.js";
import { orderNewTasks } from "./task-order.js";
import { abandonStaged, completeStaged, newStagedGraph, stagePart } from "./graph-staging.js";

type ClientEvent = Extract<SchedulerEvent, { type: "client-added" | "client-removed" | "graph-submitted" | "graph-part" | "graph-completed" | "graph-abandoned" | "keys-released" | "keys-cancelled" | "data-scattered" }>;

export function handleClientEvent(state: SchedulerState, event: ClientEvent): void {
  switch (event.type) {
    case "client-added":
      state.clientFor(event.clientId);
      return;
    case "client-removed": {
      for (const staged of state.stagedGraphs.get(event.clientId)?.values() ?? []) abandonStaged(state, staged);
      state.stagedGraphs.delete(event.clientId);
      const client = state.clients.get(event.clientId);
      if (!client) return;
      releaseKeys(state, event.clientId, [...client.wants].map((task) => task.key));
      state.clients.delete(event.clientId);
      return;
    }
    case "graph-submitted":
      submitGraph(state, event.clientId, event.tasks, event.wanted);
      return;
    case "graph-part": {
      const submissions = state.stagedGraphs.get(event.clientId) ?? new Map<string, StagedGraph>();
      state.stagedGraphs.set(event.clientId, submissions);
      const staged = submissions.get(event.submission) ?? newStagedGraph();
      submissions.set(event.submission, staged);
      stagePart(state, staged, event.tasks, event.layers ?? []);
      return;
    }
    case "graph-completed": case "graph-abandoned": {
      const submissions = state.stagedGraphs.get(event.clientId);
      const staged = submissions?.get(event.submission);
      if (!submissions || !staged) return;
      submissions.delete(event.submission);
      if (submissions.size === 0) state.stagedGraphs.delete(event.clientId);
      if (event.type === "graph-abandoned") abandonStaged(state, staged);
      else {
        const missing = completeStaged(state, staged, event.wanted, (task) => want(state, event.clientId, task));
        if (missing) refuseMissing(state, event.clientId, missing.key, missing.dep, event.wanted);
      }
      return;
    }
    case "keys-released":
      releaseKeys(state, event.clientId, event.keys);
      return;
    case "keys-cancelled":
      cancelKeys(state, event.clientId, event.keys, event.force);
      return;
    case "data-scattered":
      for (const item of event.placed) {
        const worker = state.workers.get(item.worker);
        if (!worker) continue;
        let task = state.tasks.get(item.key);
        if (!task) {
          const { prefix, group } = state.prefixFor(item.key);
          task = new TaskState(item.key, prefix, group, null, null, []);
          task.prefix.moveCount(null, "released");
          state.tasks.set(item.key, task);
        }
        addReplica(state, task, worker, item.nbytes, item.type);
        want(state, event.clientId, task);
      }
      return;
  }
}

export function addReplica(state: SchedulerState, task: TaskState, worker: WorkerState, nbytes: number, type: string): void {
  if (task.whoHas.includes(worker)) return;
  task.whoHas = appendTo(task.whoHas, worker);
  worker.hasWhat.add(task);
  task.nbytes = nbytes;
  if (type) task.type = type;
  worker.storedBytes += nbytes;
  if (task.status !== "memory") {
    removeFromQueues(state, task);
    setStatus(state, task, "memory");
  }
}

function want(state: SchedulerState, clientId: string, task: TaskState): void {
  const client = state.clientFor(clientId);
  client.wants.add(task);
  (task.wantedBy ??= new Set()).add(client);
  if (task.status === "memory") {
    state.toClient(client, { op: "key-in-memory", key: task.key, nbytes: task.nbytes, type: task.type, whoHas: task.whoHas.map((w) => w.address) });
  } else if (task.status === "erred") {
    state.toClient(client, { op: "key-erred", key: task.key, error: task.exception ?? { name: "Error", message: "task erred", stack: "" } });
  } else if (task.status === "released") {
    state.recommend(task, "waiting");
  }
}

function submitGraph(state: SchedulerState, clientId: string, submitted: SubmittedTask[], wanted: string[]): void {
  const incoming = new Map<string, SubmittedTask>();
  for (const task of submitted) incoming.set(task.key, task);
  for (const task of submitted) {
    for (const dep of task.deps) {
      if (!incoming.has(dep) && !state.tasks.has(dep)) {
        refuseMissing(state, clientId, task.key, dep, wanted);
        return;
      }
    }
  }
  const created: TaskState[] = [];
  for (const spec of submitted) {
    const existing = state.tasks.get(spec.key);
    if (existing) {
      refreshReleasedSpec(existing, spec);
      continue;
    }
    const task = createTaskFromSpec(state, spec);
    created.push(task);
  }
  for (const task of created) {
    const spec = incoming.get(task.key) as SubmittedTask;
    for (const depKey of spec.deps) {
      const dep = state.tasks.get(depKey) as TaskState;
      task.dependencies = appendTo(task.dependencies, dep);
      dep.dependents = appendTo(dep.dependents, task);
      dep.pendingDependents++;
    }
    // Restricted tasks are placed one by one (Dask: root-ish means unrestricted).
    task.rootish = task.dependencies.length === 0 && task.restrictWorkers === null && task.resources === null;
  }
  orderNewTasks(created, wanted, state.nextOrder, (key) => state.tasks.get(key), (key) => incoming.has(key));
  state.nextOrder += created.length;
  for (const key of wanted) {
    const task = state.tasks.get(key);
    if (task) want(state, clientId, task);
  }
}

/** A graph with a dependency nobody has: its wanted keys fail with a KeyError naming both. */
function refuseMissing(state: SchedulerState, clientId: string, key: string, dep: string, wanted: readonly string[]): void {
  const client = state.clientFor(clientId);
  const error = { name: "KeyError", message: `task ${key} depends on ${dep}, which is neither in the graph nor on the cluster`, stack: "", taskKey: key };
  for (const wantedKey of wanted) state.toClient(client, { op: "key-erred", key: wantedKey, error });
}

function releaseKeys(state: SchedulerState, clientId: string, keys: string[]): void {
  const client = state.clients.get(clientId);
  if (!client) return;
  for (const key of keys) {
    const task = state.tasks.get(key);
    if (!task || !client.wants.has(task)) continue;
    client.wants.delete(task);
    task.wantedBy?.delete(client);
    if (task.wantedBy?.size === 0) task.wantedBy = null;
    if (!task.isWanted && task.pendingDependents === 0) state.recommend(task, "released");
  }
}

function cancelKeys(state: SchedulerState, clientId: string, keys: string[], force: boolean): void {
  const client = state.clients.get(clientId);
  for (const key of keys) {
    const task = state.tasks.get(key);
    if (!task) continue;
    if (task.wantedBy) {
      for (const other of [...task.wantedBy]) {
        if (other !== client && !force) continue;
        other.wants.delete(task);
        task.wantedBy.delete(other);
        state.toClient(other, { op: "key-cancelled", key, reason: "cancelled" });
      }
      if (task.wantedBy.size === 0) task.wantedBy = null;
    }
    if (!task.isWanted && task.pendingDependents === 0) state.recommend(task, "released");
  }
  fillFromQueue(state);
}
