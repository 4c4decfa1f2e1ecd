/**
 * An elementwise step of a fused task that writes its result over an operand no later step
 * reads: the difference of a DoG goes into the sharp Gaussian's buffer instead of a new one.
 *
 * Why: a fresh block is fresh memory, and a fresh worker's first task has nothing kept
 * (block-recycling.ts serves later tasks): the difference of a grouped DoG task at 64×256×256
 * on 2 workers faulted in 4 MiB (~1,000 page faults) while two blocks of that size were about
 * to be dropped. Writing over one of them also leaves the task one block smaller at its peak.
 *
 * The runner (graph/task-runner.ts) lends the blocks that die at a step (lendDyingOperands)
 * only when every step of the task is tessera's own (as for recycling), the block was made in
 * this task (a generator's or a kernel's output, marked by block-recycling.ts), no other step
 * result still held reaches its buffer, and the step's function is one that computes each
 * element from the same element of its operands only (mayWriteOverOperands: the binary
 * arithmetic builtins). The first elementwise result inside that step may take one
 * (operandAsOutput); the loan ends with the step. An operand is taken only when the result is
 * exactly its layout (C-contiguous, offset 0, the whole buffer, same shape and dtype) and no
 * other operand shares its buffer, so each element is read before it is overwritten, and by
 * nothing else.
 */
import { NDArray, type Shape } from "./ndarray.js";
import type { DType } from "./dtype.js";
import { buffersReached, isGeneratedBlock } from "./block-recycling.js";

/** Builtins whose result element i depends only on element i of each operand, each read before the result's is written. */
const elementwiseBuiltins = new Set<string>();

/** Declares builtins (by name) that may write their result over an operand that dies with them. */
export function allowWritingOverOperands(...names: string[]): void {
  for (const name of names) elementwiseBuiltins.add(name);
}

/** Whether a step running builtin `name` may be lent its dying operands. */
export function mayWriteOverOperands(name: string): boolean {
  return elementwiseBuiltins.has(name);
}

/** Buffers lent to the running step; null outside a loan. */
let lent: Set<ArrayBufferLike> | null = null;

/**
 * Lends the running step those of `dying` (the step results it is the last to read) that were
 * made in this task (`madeHere`) and that `live` (every other step result still held) does not
 * reach. Returns whether anything was lent; endOperandLoan() must follow the step either way.
 */
export function lendDyingOperands(dying: readonly unknown[], live: unknown, madeHere: (block: NDArray) => boolean): boolean {
  const reached = buffersReached(live);
  const buffers = new Set<ArrayBufferLike>();
  for (const block of dying) {
    if (isGeneratedBlock(block) && madeHere(block) && !reached.has(block.storage.buffer)) buffers.add(block.storage.buffer);
  }
  lent = buffers.size > 0 ? buffers : null;
  return lent !== null;
}

/** Ends the running step's loan: nothing lent may be taken after the step. */
export function endOperandLoan(): void {
  lent = null;
}

/**
 * For an elementwise result of `shape` and `dtype` over `operands`: an operand lent to the
 * running step whose buffer the result can be written over (see the module comment), taken
 * (the loan of that buffer ends), or undefined.
 */
export function operandAsOutput(operands: readonly NDArray[], shape: Shape, dtype: DType): NDArray | undefined {
  if (lent === null) return undefined;
  for (const [index, operand] of operands.entries()) {
    const data = operand.data;
    const buffer = data.buffer;
    if (!lent.has(buffer) || operand.dtype !== dtype || operand.offset !== 0 || !operand.isContiguous()) continue;
    if (operand.shape.length !== shape.length || operand.shape.some((n, axis) => n !== shape[axis])) continue;
    if (data.byteOffset !== 0 || data.byteLength !== buffer.byteLength) continue;
    if (operands.some((other, at) => at !== index && other.storage.buffer === buffer)) continue;
    lent.delete(buffer);
    return new NDArray(data, shape, { dtype });
  }
  return undefined;
}
