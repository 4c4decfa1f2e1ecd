/** The refusal of an operation that needs chunk sizes an array does not know yet (unknown-chunks.ts). */
import { InvalidOptionError } from "../core/errors.js";

export class UnknownChunksError extends InvalidOptionError {
  override name = "UnknownChunksError";
}

/** What to say, naming the operation and (when known) the array. */
export function unknownChunksMessage(what: string, name?: string): string {
  return `${what}: the array${name ? ` ${name}` : ""} has unknown chunk sizes (from a boolean mask / nonzero / unique); call x.computeChunkSizes() first (Dask's compute_chunk_sizes)`;
}
