/**
 * The lazy array's building blocks. An array is metadata (name, shape, chunks, dtype) plus
 * an expression saying how its blocks are computed. Expressions lower to tasks, one per
 * block, keyed `('<name>', i, j, k)`; views (rechunk, squeeze, slicing) instead map a region
 * of themselves onto a region of their input, so the tasks that read them assemble the
 * region straight from the underlying blocks and the view itself never becomes tasks.
 */
import type { DType } from "../ndarray/dtype.js";
import type { TaskGraph } from "../graph/task-graph.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import type { AxisBoundary } from "../ndarray/region-assembly.js";
import type { TaskRef } from "../protocol/payload.js";
import type { Resources } from "../protocol/resources.js";
import type { Chunks } from "./chunks.js";

export interface ArrayNode {
  readonly name: string;
  readonly shape: readonly number[];
  readonly chunks: Chunks;
  readonly dtype: DType;
  readonly expr: ArrayExpr;
}

/** Where a region of a view lives in its input. */
export interface ViewMapping {
  input: ArrayNode;
  start: number[];
  stop: number[];
  /** For each axis of the view, the input axis it is. */
  axisMap: number[];
}

/** A call that produces a value inside a task: a function and its arguments. */
export interface Call {
  fn: FunctionRef;
  args: unknown[];
  /** What the task running it holds while it runs (an annotated source's reads, annotate.ts). */
  resources?: Resources;
}

export interface LowerContext {
  readonly graph: TaskGraph;
  /** Makes sure the node's block tasks are in the graph. */
  ensure(node: ArrayNode): void;
  /**
   * A reference to a region of `node` (in its own coordinates, possibly past its edges where
   * `boundary` pads): the block itself when the region is exactly one block, otherwise a task
   * that assembles the region from the blocks of the array under any views. The same region
   * asked twice is the same task (so two filters share one halo).
   */
  region(node: ArrayNode, start: readonly number[], stop: readonly number[], boundary?: readonly AxisBoundary[], options?: RegionOptions): TaskRef;
  /** Adds the task computing block `index` of `node` by `call`. */
  addBlock(node: ArrayNode, index: readonly number[], call: Call | TaskRef): void;
  /**
   * Adds a task that is not a block of an array (a reduction's partial), stating the bytes of
   * its result and of its kernel's scratch space for the plan's memory estimate.
   */
  addTask(key: string, call: Call, memory: { array: ArrayNode; outputBytes: number; scratchBytes?: number; /** It reads the same block of each input (a blockwise step, see fuse.ts). */ blockwise?: boolean; /** Its dependencies run inside it, where its inputs live (see holdersOfInputs). */ gathersInPlace?: boolean; /** Dask's priority (higher runs earlier): a step other workers wait on. */ priority?: number }): void;
  /**
   * The tasks `taskKeys` whose inputs one worker holds (results already on the cluster, such
   * as a persisted array's blocks), grouped by that worker: one share per worker, when a task
   * reading all of its share's inputs at once fits there with one such task per thread
   * (lower.ts states the bound). For a group split over workers, the part each worker can run
   * where its inputs are; a group one worker holds whole is one share. Tasks whose inputs are
   * not all on one worker, and shares over the bound, are left out; none when the executor
   * does not say where results live.
   */
  holdersOfInputs(taskKeys: readonly string[]): InputsShare[];
}

/** Tasks whose inputs one worker holds (LowerContext.holdersOfInputs). */
export interface InputsShare {
  holder: InputsHolder;
  taskKeys: string[];
}

/** A worker holding a group's inputs, and its threads (it runs that many groups at once). */
export interface InputsHolder {
  worker: string;
  nthreads: number;
}

export interface RegionOptions {
  /**
   * Read the region straight from the source under the views (a root task of its own, see
   * ArrayExpr.readBox) instead of assembling it from the source's block tasks: for a few
   * large regions that overlap many blocks, so no result has to be shared between tasks (and
   * moved between workers, or keep them on one) to build them. `reader` names who reads it:
   * the same box asked by the same reader is one task, by different readers two, each fused
   * into its reader.
   */
  direct?: { reader: string; cacheBytes: number };
}

export interface ArrayExpr {
  readonly kind: string;
  readonly inputs: readonly ArrayNode[];
  /** Adds one task per block of `self` to the graph. */
  lower(self: ArrayNode, ctx: LowerContext): void;
  /** Views only: where a region of `self` (inside its bounds on offset axes) lives in the input. */
  view?(self: ArrayNode, start: readonly number[], stop: readonly number[]): ViewMapping | undefined;
  /**
   * Sources only: a call reading the box [start, stop) of `self` (inside its bounds), without
   * `dropAxes` (each of length 1); the reading thread may keep `cacheBytes` of decoded storage
   * chunks for the next boxes.
   */
  readBox?(self: ArrayNode, start: readonly number[], stop: readonly number[], dropAxes: readonly number[], cacheBytes: number): Call;
}
