/**
 * The tasks of the block layers an update-graph carries (protocol/block-layer.ts): each layer,
 * already checked field by field when the message was parsed, is expanded here into exactly
 * the tasks the client's per-task path would have sent (graph/block-layer.ts builds them the
 * same way on both sides). Nothing in a layer is code: its steps name built-in functions,
 * which the workers look up in their own catalog when the task runs.
 *
 * Blocks of a regular grid mostly have the same arguments (only the edge blocks' shapes
 * differ): a task whose packed arguments equal the previous task's shares them, so a
 * million-block layer costs the scheduler far less than a million argument buffers.
 */
import { argsFollowShape, forEachBlock, layerArgs, layerBuiltin, layerDeps, layerIsRoots, type RefForm } from "../../graph/block-layer.js";
import type { BlockLayer } from "../../protocol/block-layer.js";
import type { FunctionRef } from "../../protocol/function-ref.js";
import { PackedArgs } from "../../protocol/packed-args.js";
import type { SubmittedTask } from "./events.js";

/** The dependencies of every task of a layer of roots: none (one list shared, only ever read). */
const noDependencies: string[] = [];
/** References as the packed arguments hold them (payload.ts's marker). */
const packedRef: RefForm = (key) => ({ $ref: key });
const noFrames: Uint8Array[] = [];

/** The tasks of `layers`, in order; `functionRef` gives the (shared) reference of a built-in by name. */
export function layerTasks(layers: readonly BlockLayer[], functionRef: (builtin: string) => FunctionRef): SubmittedTask[] {
  const tasks: SubmittedTask[] = [];
  let previous: PackedArgs | undefined;
  for (const layer of layers) {
    const fn = functionRef(layerBuiltin(layer));
    // Arguments that follow the block's shape only are packed once per shape (a regular
    // grid has at most 2 per axis); others per block, shared with the previous when equal.
    const byShape = argsFollowShape(layer) ? new Map<string, PackedArgs>() : undefined;
    const roots = layerIsRoots(layer);
    forEachBlock(layer, (key, index, shape) => {
      let args: PackedArgs | undefined;
      if (byShape) {
        const shapeKey = shape.join(",");
        args = byShape.get(shapeKey);
        if (!args) {
          args = PackedArgs.pack(layerArgs(layer, index, shape, packedRef));
          byShape.set(shapeKey, args);
        }
      } else {
        args = PackedArgs.pack(layerArgs(layer, index, shape, packedRef));
        if (previous && sameBytes(previous.bytes, args.bytes)) args = previous;
        previous = args;
      }
      tasks.push({ key, fn, args, frames: noFrames, deps: roots ? noDependencies : layerDeps(layer, index) });
    });
  }
  return tasks;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
