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
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";

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

function annotateTask(task: TaskSpec | undefined, annotations: Annotations): void {
  if (!task || !annotations.resources) return;
  task.resources = combineResourceNeeds([task.resources, annotations.resources]);
}

/** The expression of an annotated array: its input's, with the annotations put on the tasks it adds for itself. */
export class AnnotatedExpr implements ArrayExpr {
  readonly kind: string;
  readonly inputs: readonly ArrayNode[];
  readonly view?: ArrayExpr["view"];

  constructor(private readonly inner: ArrayExpr, private readonly annotations: Annotations) {
    this.kind = inner.kind;
    this.inputs = inner.inputs;
    // A view has no tasks of its own to annotate: it stays a view (its reader's tasks read through it).
    if (inner.view) this.view = (self, start, stop) => inner.view?.(self, start, stop);
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const annotations = this.annotations;
    const annotating: LowerContext = {
      get graph() { return ctx.graph; },
      ensure: (node) => ctx.ensure(node),
      region: (node, start, stop, boundary) => ctx.region(node, start, stop, boundary),
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
