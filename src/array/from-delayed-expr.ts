/**
 * The expression of ta.fromDelayed: one block, the value of a Delayed, checked on the worker
 * against the declared shape and dtype (graph/delayed-ops.ts checkBlock). The Delayed's own
 * graph is not lowered with the array's: lowerArrays reads its result as an input from
 * outside (so fusion never folds a delayed task into a block task and renames it away), then
 * merges the delayed graph in whole. A Delayed shared with other collections of one compute
 * therefore keeps its key and runs once.
 */
import type { TaskGraph } from "../graph/task-graph.js";
import { graphOf, type Delayed } from "../delayed/delayed.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";

export class FromDelayedExpr implements ArrayExpr {
  readonly kind = "from-delayed";
  readonly inputs = [];
  constructor(readonly value: Delayed) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    ctx.addBlock(self, self.shape.map(() => 0), { fn: { builtin: "delayed.checkBlock" }, args: [this.value.ref(), [...self.shape], self.dtype, self.name] });
  }
}

/**
 * The Delayed the arrays read through fromDelayed, anywhere below them: `isExternal` is the
 * lowering's `held` plus their keys, `mergeInto` adds their graph to the fused one.
 */
export function delayedInputsOf(outputs: readonly ArrayNode[], held: (key: string) => boolean): { isExternal: (key: string) => boolean; mergeInto: (graph: TaskGraph) => TaskGraph } {
  const found: Delayed[] = [];
  const seen = new Set<ArrayNode>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const node = stack.pop() as ArrayNode;
    if (seen.has(node)) continue;
    seen.add(node);
    if (node.expr instanceof FromDelayedExpr) found.push(node.expr.value);
    for (const input of node.expr.inputs) stack.push(input);
  }
  if (found.length === 0) return { isExternal: held, mergeInto: (graph) => graph };
  const keys = new Set(found.map((value) => value.key));
  return { isExternal: (key) => keys.has(key) || held(key), mergeInto: (graph) => graph.merge(graphOf(found)) };
}
