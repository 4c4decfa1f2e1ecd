/**
 * The tasks of an npy stack (ta.toNpyStack / ta.fromNpyStack): one block saved to, or loaded
 * from, one .npy file. A block is written to a temporary file beside its target and renamed
 * over it, so a crash leaves the old file or the new one, never half of one; a loaded block
 * must have the shape and dtype the stack's info gives it.
 */
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../core/atomic-file.js";
import { defineBuiltin } from "../core/builtin.js";
import type { DType } from "./dtype.js";
import { NDArray } from "./ndarray.js";
import { NpyFormatError, decodeNpy, encodeNpy } from "./npy-format.js";

/** Saves `block` as `path` (np.save's bytes); gives back [bytes written] as a 1-element array. */
export const saveNpyBlock = defineBuiltin("ndarray.saveNpyBlock", function saveNpyBlock(block: NDArray, path: string): NDArray {
  const bytes = encodeNpy(block);
  writeFileAtomic(path, bytes);
  return new NDArray(new Float64Array([bytes.length]), [1], { dtype: "float64" });
});

/** Loads `path`, which must hold an array of `shape` and `dtype`. */
export const loadNpyBlock = defineBuiltin("ndarray.loadNpyBlock", function loadNpyBlock(path: string, shape: readonly number[], dtype: DType): NDArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new NpyFormatError(`fromNpyStack: cannot read ${path} (${(error as Error).message}); the stack is incomplete`, { cause: error });
  }
  const block = decodeNpy(bytes, `fromNpyStack: ${path}`);
  if (block.dtype !== dtype) throw new NpyFormatError(`fromNpyStack: ${path} holds ${block.dtype}, the stack's info says ${dtype}`);
  if (block.shape.length !== shape.length || block.shape.some((n, a) => n !== shape[a])) {
    throw new NpyFormatError(`fromNpyStack: ${path} has shape [${block.shape.join(", ")}], the stack's info says [${shape.join(", ")}]`);
  }
  return block;
});
