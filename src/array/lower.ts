/**
 * Lowering lazy arrays to one task graph: each array's expression adds its block tasks
 * (once, however many arrays use it), regions are resolved through views down to the blocks
 * that really exist, then the graph is culled to what the outputs need and fused so a
 * chain of blockwise steps on one block runs as one task.
 */
import { TaskRef } from "../protocol/payload.js";
import { blockKey } from "../graph/keys.js";
import { TaskGraph } from "../graph/task-graph.js";
import { fuseGraph } from "../graph/fuse.js";
import { assembleRegion, sourceRangeOf, type AxisBoundary } from "../ndarray/region-assembly.js";
import { functionRefOf } from "../graph/function-travel.js";
import { blocksOverlapping, chunkOffsets } from "./chunks.js";
import type { ArrayNode, Call, LowerContext } from "./expr.js";
import { tokenize } from "../core/ids.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import type { TaskSpec } from "../graph/task-graph.js";

const assembleRef = functionRefOf(assembleRegion);

class GraphBuilder implements LowerContext {
  readonly graph = new TaskGraph();
  private lowered = new Set<string>();

  ensure(node: ArrayNode): void {
    if (this.lowered.has(node.name)) return;
    this.lowered.add(node.name);
    node.expr.lower(node, this);
  }

  region(node: ArrayNode, start: readonly number[], stop: readonly number[], boundary: readonly AxisBoundary[] = []): TaskRef {
    // Follow views down to an array whose blocks are tasks.
    let base = node;
    let baseStart = [...start];
    let baseStop = [...stop];
    let axisMap = node.shape.map((_, axis) => axis);
    while (base.expr.view) {
      const mapping = base.expr.view(base, baseStart, baseStop);
      if (!mapping) break;
      axisMap = axisMap.map((axis) => mapping.axisMap[axis]);
      base = mapping.input;
      baseStart = mapping.start;
      baseStop = mapping.stop;
    }
    const baseBoundary: AxisBoundary[] = base.shape.map(() => ({ kind: "none" }));
    axisMap.forEach((baseAxis, axis) => {
      if (boundary[axis]) baseBoundary[baseAxis] = boundary[axis];
    });
    const dropAxes = base.shape.map((_, axis) => axis).filter((axis) => !axisMap.includes(axis));
    const offsets = chunkOffsets(base.chunks);
    const ranges = base.shape.map((n, axis) => {
      const [lo, hi] = sourceRangeOf(baseStart[axis], baseStop[axis], n, baseBoundary[axis], axis);
      return blocksOverlapping(offsets[axis], lo, Math.max(hi, lo + 1));
    });
    this.ensure(base);
    const blocks: TaskRef[] = [];
    const origins: number[][] = [];
    const visit = (axis: number, index: number[]): void => {
      if (axis === ranges.length) {
        blocks.push(new TaskRef(blockKey(base.name, index)));
        origins.push(index.map((i, a) => offsets[a][i]));
        return;
      }
      for (let i = ranges[axis][0]; i < ranges[axis][1]; i++) visit(axis + 1, [...index, i]);
    };
    visit(0, []);
    const exactBlock = blocks.length === 1 && dropAxes.length === 0 &&
      baseStart.every((s, axis) => s === origins[0][axis] && baseStop[axis] === origins[0][axis] + base.chunks[axis][ranges[axis][0]]);
    if (exactBlock) return blocks[0];
    const request = { blocks, origins, start: baseStart, stop: baseStop, shape: [...base.shape], boundary: baseBoundary, dtype: base.dtype, dropAxes };
    const key = `region-${tokenize(base.name, baseStart, baseStop, baseBoundary, dropAxes)}`;
    if (!this.graph.tasks.has(key)) this.graph.add(callTask(key, { fn: assembleRef, args: [request] }));
    return new TaskRef(key);
  }

  addBlock(node: ArrayNode, index: readonly number[], call: Call | TaskRef): void {
    const key = blockKey(node.name, index);
    if (call instanceof TaskRef) this.graph.add({ key, fn: { builtin: "graph.identity" }, args: [call], deps: [call.key] });
    else this.graph.add(callTask(key, call));
  }
}

/** A task from a call whose arguments may hold TaskRefs and nested calls (inlined as steps). */
export function callTask(key: string, call: { fn: FunctionRef; args: unknown[] }): TaskSpec {
  const deps = new Set<string>();
  collectRefs(call.args, deps);
  return { key, fn: call.fn, args: call.args, deps: [...deps] };
}

function collectRefs(value: unknown, into: Set<string>): void {
  if (value instanceof TaskRef) into.add(value.key);
  else if (Array.isArray(value)) for (const item of value) collectRefs(item, into);
  else if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) collectRefs(item, into);
  }
}

export interface LoweredGraph {
  graph: TaskGraph;
  keys: string[][];
}

/** The fused, culled graph computing every block of `outputs`, and each output's block keys. */
export function lowerArrays(outputs: readonly ArrayNode[], held: (key: string) => boolean, blockKeysOf: (node: ArrayNode) => string[]): LoweredGraph {
  const builder = new GraphBuilder();
  for (const node of outputs) builder.ensure(node);
  const keys = outputs.map(blockKeysOf);
  const all = keys.flat();
  const heldKeys = new Set<string>();
  for (const task of builder.graph.tasks.values()) for (const dep of task.deps) if (!builder.graph.tasks.has(dep) && held(dep)) heldKeys.add(dep);
  const culled = builder.graph.cull(all, heldKeys);
  return { graph: fuseGraph(culled, all), keys };
}
