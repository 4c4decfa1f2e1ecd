/**
 * What lowering hands to compute/persist: the fused, culled graph, each output's block keys,
 * and the plan's memory estimate (lower.ts per task, compact-reduction.ts with block layers).
 */
import type { TaskGraph } from "../graph/task-graph.js";
import type { ArrayNode } from "./expr.js";

/** The largest task of a plan, and the largest estimate per task prefix. */
export interface PlanMemory {
  /** The task with the highest estimated peak (undefined for an empty graph). */
  largest?: { key: string; bytes: number; array: ArrayNode | undefined };
  /** Highest estimated peak bytes per task prefix (for the performance report). */
  byPrefix: Map<string, number>;
}

export interface LoweredGraph {
  graph: TaskGraph;
  keys: string[][];
  memory: PlanMemory;
}
