/**
 * Records, for the performance report, the halo of every mapOverlap a lowering reaches
 * (graph/halo-log.ts): its overhead with a task per chunk and the chunks that would bring it
 * under 2× (halo-advice.ts). Overlap nodes are recognised by their kind, so that this file
 * (used by lower.ts) imports nothing that imports the lowering.
 */
import { keySplit } from "../graph/keys.js";
import { recordHalo } from "../graph/halo-log.js";
import { unannotated } from "./annotate.js";
import type { ArrayNode } from "./expr.js";
import { haloAdvice } from "./halo-advice.js";

interface OverlapLike {
  kind: "overlap";
  input: ArrayNode;
  spec: { depth: number[] };
}

const largest = (sizes: readonly number[]): number => sizes.reduce((a, b) => Math.max(a, b), 0);

export function recordHalos(outputs: readonly ArrayNode[]): void {
  const seen = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const node = stack.pop() as ArrayNode;
    if (seen.has(node.name)) continue;
    seen.add(node.name);
    // An annotated mapOverlap has the kind of the overlap it wraps, and its input and spec.
    const expr = unannotated(node.expr);
    if (expr.kind === "overlap") {
      const { input, spec } = expr as unknown as OverlapLike;
      if (spec.depth.some((d) => d > 0)) {
        const chunks = input.chunks.map(largest);
        const advice = haloAdvice(input.shape, chunks, spec.depth);
        recordHalo({ name: keySplit(node.name), array: node.name, shape: [...input.shape], chunks, depth: [...spec.depth], ...advice });
      }
    }
    // One by one: spreading a node's inputs into push() overflows the stack past ~120,000 of them.
    for (const input of node.expr.inputs) stack.push(input);
  }
}
