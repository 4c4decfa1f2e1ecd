/**
 * Step functions for test/graph/task-meter.test.ts: steps that allocate shared blocks of known
 * sizes (MiB), hold them, view them or drop them before they return.
 */
import { NDArray, allocate } from "../../src/ndarray/ndarray.js";

const MiB = 2 ** 20;

function block(mib: number, fill: number): NDArray {
  const data = allocate("float64", (mib * MiB) / 8);
  (data as Float64Array).fill(fill);
  return new NDArray(data, [data.length], { dtype: "float64" });
}

/** A new block of `mib` MiB. */
export function makeBlock(mib: number): NDArray {
  return block(mib, 1);
}

/** Reads `previous`, returns a new block of `mib` MiB. */
export function makeFrom(previous: NDArray, mib: number): NDArray {
  return block(mib, previous.data[0] as number);
}

/** A reshaped view of `previous`: no new memory, the same buffer. */
export function viewOf(previous: NDArray): NDArray {
  return new NDArray(previous.data, [2, previous.size / 2], { dtype: previous.dtype });
}

/** Allocates `mib` MiB of scratch it drops before returning, and returns a one-element block. */
export function scratchThenSmall(mib: number): NDArray {
  const scratch = block(mib, 2);
  return block(8 / MiB, scratch.data[0] as number);
}

/** Reads `input`, allocates `mib` MiB of scratch it drops before returning, and returns a one-element block. */
export function scratchFrom(input: NDArray, mib: number): NDArray {
  const scratch = block(mib, input.data[0] as number);
  return block(8 / MiB, scratch.data[0] as number);
}

/** Reads `input` and `previous`, returns a new block of `mib` MiB. */
export function makeFromBoth(input: NDArray, previous: NDArray, mib: number): NDArray {
  return block(mib, (input.data[0] as number) + (previous.data[0] as number));
}

/** A block of `mib` MiB over a SharedArrayBuffer made directly, as a user's function may (no ledger records it). */
export function bareSharedBlock(mib: number): NDArray {
  const data = new Float64Array(new SharedArrayBuffer(mib * MiB));
  data.fill(3);
  return new NDArray(data, [data.length], { dtype: "float64" });
}

/** A list holding a new `mib` MiB block and itself. */
export function selfContaining(mib: number): unknown[] {
  const loop: unknown[] = [block(mib, 1)];
  loop.push(loop);
  return loop;
}
