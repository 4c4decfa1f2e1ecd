/**
 * A user's function inside a block function, for the chunked calls that take one
 * (ndimage.genericFilter's filter function, labeledComprehension's function of a label's values).
 * The user's function travels as functions given to mapBlocks do (graph/function-travel.ts), by
 * its source, and is refused for the same reasons at call time: a closure over variables, native
 * code, source too long. The block function holds that source and reads only `ndimage`, which
 * workers bind to tessera/ndimage; it is checked by the same rules again before it travels.
 * Functions registered as module exports or built-ins are refused: the block function would have
 * to import them, which the source rules do not allow.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as ndimage from "../ndimage/index.js";

/** The user's function as source text, refused as mapBlocks refuses it. */
export function userFunctionSource(fn: unknown, what: string, role: string): string {
  if (typeof fn !== "function") throw new InvalidOptionError(`${what}: ${role} must be a function, got ${fn === null ? "null" : typeof fn}`);
  const ref: FunctionRef = functionRefOf(fn);
  if (!("source" in ref)) {
    const how = "builtin" in ref ? `the built-in "${ref.builtin}"` : `registered as export "${ref.export}" of ${ref.module}`;
    throw new InvalidOptionError(
      `${what}: ${role} ${fn.name || "(anonymous)"} is ${how}; on chunked arrays it travels by its source: ` +
        "pass a self-contained function (one that reads only its arguments, JavaScript's globals, nd and ndimage)",
    );
  }
  return ref.source;
}

/**
 * `function name(a, b) { return ndimage.<call>(a, (<source>), b); }` made with the Function
 * constructor, so that its own source text (what travels) is exactly this text; it reads
 * `ndimage` only, which the constructor binds here and workers bind to the same module (and
 * `__name`, the helper tsx's esbuild adds to named functions, which workers bind too).
 */
export function ndimageCallWithUserFunction(name: string, call: string, source: string): (first: unknown, options: unknown) => unknown {
  const text = `function ${name}(first, options) {\n  return ndimage.${call}(first, (${source}), options);\n}`;
  return new Function("ndimage", "__name", `"use strict"; return (${text});`)(ndimage, (f: unknown) => f) as (first: unknown, options: unknown) => unknown;
}
