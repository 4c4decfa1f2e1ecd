/**
 * Elementwise operations over several arrays of unknown sizes pair their blocks by index
 * (unknown-chunks.ts); whether the paired blocks have one shape is known only when they
 * exist, and a block of one element facing a larger one would broadcast into a wrong answer.
 * Such operations run through sameShapeElementwise, which checks the shapes first.
 */
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { sameShapeElementwise } from "../ndarray/unknown-size-blocks.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import type { BlockwiseArg } from "./blockwise.js";
import type { ArrayNode } from "./expr.js";
import { hasUnknownChunks } from "./unknown-chunks.js";

/** The checked call (null: no check needed) of `fnName` over `args` when two or more arrays have unknown sizes. */
export function sameShapeCall(fnName: string, arrays: readonly ArrayNode[], args: BlockwiseArg[]): { fn: FunctionRef; args: BlockwiseArg[] } | null {
  if (arrays.length < 2 || !arrays.some((a) => hasUnknownChunks(a.chunks))) return null;
  const name = fnName.replace(/^ndarray\./, "");
  if (name === fnName || typeof (nd as unknown as Record<string, unknown>)[name] !== "function") {
    throw new InvalidOptionError(`${fnName}: on several arrays of unknown chunk sizes only tessera/ndarray functions are supported; call x.computeChunkSizes() first`);
  }
  return { fn: functionRefOf(sameShapeElementwise), args: [{ value: name }, ...args] };
}
