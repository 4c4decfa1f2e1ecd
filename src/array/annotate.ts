/**
 * Annotations on an array's tasks (Dask's `with dask.annotate(resources={"GPU": 1}): …`):
 * `x.mapBlocks(onGpu).annotate({ resources: { GPU: 1 } })` is the same array, with the same
 * keys, whose own tasks (one per block, and any partials it computes) each hold one GPU on
 * their worker while they run. Inputs are not annotated: loads and other arrays keep theirs.
 * Annotations survive fusion: a fused task holds, per resource, the most any of its steps
 * asks for (fuse.ts).
 *
 * Only `resources` is an annotation tessera acts on; any other name is refused.
 */
import { InvalidOptionError } from "../core/errors.js";
import { blockKey } from "../graph/keys.js";
import type { TaskSpec } from "../graph/task-graph.js";
import { checkResources, combineResourceNeeds, type Resources } from "../protocol/resources.js";
import type { ArrayExpr, ArrayNode, Call, LowerContext } from "./expr.js";

export interface Annotations {
  resources?: Resources;
}

/** The annotations given, checked (unknown names and bad amounts are refused by name). */
export function checkAnnotations(annotations: unknown): Annotations {
  if (annotations === null || typeof annotations !== "object" || Array.isArray(annotations)) {
    throw new InvalidOptionError("annotate needs an object, e.g. { resources: { GPU: 1 } }");
  }
  const unknown = Object.keys(annotations).filter((name) => name !== "resources");
  if (unknown.length > 0) throw new InvalidOptionError(`annotate: ${unknown.map((n) => `"${n}"`).join(", ")} is not an annotation tessera acts on (only "resources")`);
  const given = annotations as Annotations;
  return given.resources === undefined ? {} : { resources: checkResources(given.resources, "annotate resources") };
}

function annotateCall(call: Call, annotations: Annotations): Call {
  if (!annotations.resources) return call;
  return { ...call, resources: combineResourceNeeds([call.resources, annotations.resources]) };
}

function annotateTask(task: TaskSpec | undefined, annotations: Annotations): void {
  if (!task || !annotations.resources) return;
  task.resources = combineResourceNeeds([task.resources, annotations.resources]);
}

/** The expression of an annotated array: its input's, with the annotations put on the tasks it adds for itself. */
export class AnnotatedExpr implements ArrayExpr {
  readonly kind: string;
  readonly inputs: readonly ArrayNode[];
  readonly view?: ArrayExpr["view"];
  readonly readBox?: ArrayExpr["readBox"];

  constructor(readonly inner: ArrayExpr, readonly annotations: Annotations) {
    this.kind = inner.kind;
    this.inputs = inner.inputs;
    // A view has no tasks of its own to annotate: it stays a view (its reader's tasks read through it).
    if (inner.view) this.view = (self, start, stop) => inner.view?.(self, start, stop);
    // An annotated source is still read directly by large halos (RegionOptions.direct); each
    // such read is one of its own tasks, so it holds the annotation's resources too.
    const readBox = inner.readBox?.bind(inner);
    if (readBox) this.readBox = (self, start, stop, dropAxes, cacheBytes) => annotateCall(readBox(self, start, stop, dropAxes, cacheBytes), annotations);
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const annotations = this.annotations;
    const annotating: LowerContext = {
      get graph() { return ctx.graph; },
      ensure: (node) => ctx.ensure(node),
      // Every argument passed on: a region's options (a direct read) shape the graph.
      region: (node, start, stop, boundary, options) => ctx.region(node, start, stop, boundary, options),
      addBlock: (node, index, call) => {
        ctx.addBlock(node, index, call);
        if (node.name === self.name) annotateTask(ctx.graph.tasks.get(blockKey(node.name, index)), annotations);
      },
      addTask: (key, call, memory) => {
        ctx.addTask(key, call, memory);
        annotateTask(ctx.graph.tasks.get(key), annotations);
      },
      holdersOfInputs: (taskKeys) => ctx.holdersOfInputs(taskKeys),
    };
    this.inner.lower(self, annotating);
  }
}

/**
 * What an expression computes, under any annotations: the walks that look for a kind of
 * expression (the Zarr sources a write must not destroy, the halos to record) see an
 * annotated one as what it wraps.
 */
export function unannotated(expr: ArrayExpr): ArrayExpr {
  let inner = expr;
  while (inner instanceof AnnotatedExpr) inner = inner.inner;
  return inner;
}

/** `replacement` under the annotations `original` has (a step rebuilt on other chunks keeps them). */
export function reannotated(original: ArrayExpr, replacement: ArrayExpr): ArrayExpr {
  return original instanceof AnnotatedExpr ? new AnnotatedExpr(reannotated(original.inner, replacement), original.annotations) : replacement;
}
