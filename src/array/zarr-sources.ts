/**
 * The fromZarr sources a graph of lazy arrays reads: every FromZarrExpr reached through the
 * expressions' inputs, once each by node name. A fromZarr name stands for one array's path,
 * component and identity (from-zarr.ts), so nodes sharing a name are the same source: the
 * identity check (changed-sources.ts) reads each once however often, and through however many
 * fromZarr calls, the graph uses it; the write refusal (write-over-source.ts) sees each once.
 *
 * What must stay true: the walk is iterative (graphs of 10^5+ nodes would overflow the stack
 * with recursion), each node object is visited once (a shared input is not walked again: a
 * diamond-shaped graph stays linear), and inputs are pushed one by one (spreading a node's
 * inputs into push() overflows the stack past ~10^5 inputs, a concatenate of many arrays).
 * Nodes are told apart by object, not name, as the two walks this replaces did: a persisted
 * array keeps its name but drops its inputs, and an unpersisted use of the same name in the
 * graph must still have its sources found.
 */
import { unannotated } from "./annotate.js";
import type { ArrayNode } from "./expr.js";
import { FromZarrExpr } from "./sources.js";

/** The fromZarr sources `arrays` read, by node name, each once. */
export function zarrSourcesOf(arrays: readonly ArrayNode[]): Map<string, FromZarrExpr> {
  const found = new Map<string, FromZarrExpr>();
  const seen = new Set<ArrayNode>();
  const pending = [...arrays];
  while (pending.length > 0) {
    const node = pending.pop() as ArrayNode;
    if (seen.has(node)) continue;
    seen.add(node);
    // An annotated source is still the source (annotate.ts).
    const expr = unannotated(node.expr);
    if (expr instanceof FromZarrExpr && !found.has(node.name)) found.set(node.name, expr);
    for (const input of node.expr.inputs) pending.push(input);
  }
  return found;
}
