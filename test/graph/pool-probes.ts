/**
 * Task functions for test/graph/local-executor.test.ts: what the recycling pool of this thread
 * holds while a run goes on, and a task that fails after others kept buffers there.
 */
import { recycledHeldBytes } from "../../src/ndarray/block-recycling.js";

/** The bytes the pool holds when this task runs (after `_after`, the task it waits for). */
export function recycledBytesNow(_after: unknown): number {
  return recycledHeldBytes();
}

export function failAfter(_after: unknown): never {
  throw new Error("a task failing after the pool was filled");
}
