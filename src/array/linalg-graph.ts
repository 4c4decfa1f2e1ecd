/**
 * An array whose tasks a decomposition writes itself (the block LU, Cholesky and triangular
 * solves of dask.array.linalg): the expression holds a builder that adds the shared tasks (each
 * once, whichever output asks first) and the output's blocks. Names are tokens of the inputs'
 * names and the step, so two outputs of one factorization share its tasks in a graph.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { ArrayExpr, ArrayNode, Call, LowerContext } from "./expr.js";

export class LinalgGraphExpr implements ArrayExpr {
  readonly kind = "linalg-graph";
  constructor(readonly inputs: readonly ArrayNode[], readonly build: (self: ArrayNode, ctx: LowerContext) => void) {}
  lower(self: ArrayNode, ctx: LowerContext): void {
    this.build(self, ctx);
  }
}

/** Adds task `key` (of `outputBytes`) unless the graph has it. */
export function addOnce(ctx: LowerContext, self: ArrayNode, key: string, call: Call, outputBytes: number): void {
  if (!ctx.graph.tasks.has(key)) ctx.addTask(key, call, { array: self, outputBytes });
}

/** Refuses a matrix whose chunks are not all one square size (Dask's lu and cholesky need them), naming a rechunk. */
export function requireSquareChunks(shape: readonly number[], chunks: readonly (readonly number[])[], what: string): number {
  if (shape.length !== 2) throw new InvalidOptionError(`${what}: the array must be 2-d, got shape ${JSON.stringify(shape)}`);
  if (shape[0] !== shape[1]) throw new InvalidOptionError(`${what}: the matrix must be square, got ${shape[0]} × ${shape[1]}`);
  const sizes = new Set([...chunks[0], ...chunks[1]]);
  if (sizes.size !== 1) {
    const n = shape[0];
    const near = chunks[0][0];
    let divisor = n;
    for (let d = 1; d <= n; d++) if (n % d === 0 && Math.abs(d - near) < Math.abs(divisor - near)) divisor = d;
    throw new InvalidOptionError(`${what}: all chunks must be square blocks of one size (Dask's block ${what}), got ${JSON.stringify(chunks)}; rechunk it: x.rechunk(${divisor})`);
  }
  return chunks[0][0];
}
