/**
 * The shape of a (fused) graph as the issue of parallelism and memory sees it: how many
 * tasks, the largest fan-in (dependencies of one task), and the most blocks one task holds
 * at once — its inputs (held for the whole task) plus, at its fullest moment, the results
 * of its steps that are alive (task-runner.ts frees each after its last reader).
 */
import type { TaskGraph, TaskSpec } from "./task-graph.js";
import { fusedBuiltin, releasesAfter, type FusedStep } from "./task-runner.js";

export interface GraphShape {
  tasks: number;
  maxFanIn: number;
  maxBlocksHeld: number;
}

/** Blocks a task holds at its fullest: its inputs plus its live step results. */
export function blocksHeld(task: TaskSpec): number {
  if (!("builtin" in task.fn) || task.fn.builtin !== fusedBuiltin) return task.deps.length + 1;
  const { steps } = task.args[0] as { steps: FusedStep[] };
  const releases = releasesAfter(steps);
  let live = 0;
  let peak = 0;
  for (let i = 0; i < steps.length; i++) {
    live++;
    peak = Math.max(peak, live);
    live -= releases[i].length;
  }
  return task.deps.length + peak;
}

export function graphShape(graph: TaskGraph): GraphShape {
  let maxFanIn = 0;
  let maxBlocksHeld = 0;
  for (const task of graph.tasks.values()) {
    maxFanIn = Math.max(maxFanIn, task.deps.length);
    maxBlocksHeld = Math.max(maxBlocksHeld, blocksHeld(task));
  }
  return { tasks: graph.size, maxFanIn, maxBlocksHeld };
}
