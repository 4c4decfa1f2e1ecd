/**
 * Peak memory of each task, estimated before anything runs (Cubed's bounded-memory idea).
 * The lazy layer knows the size of every block it asks for; each step of a task also needs
 * scratch space, which the kernel's memory model gives (below, by builtin name; a function
 * without a model is assumed to need one temporary as large as its result).
 *
 * A task's peak is walked the way task-runner.ts runs it: its inputs are held for the whole
 * task; each step holds its own result and scratch while it runs, on top of the results of
 * earlier steps that later steps still read; a result is dropped after its last reader.
 */
import type { FunctionRef } from "../protocol/function-ref.js";
import type { TaskSpec } from "./task-graph.js";

/** Scratch bytes a kernel needs beyond its inputs and its result. */
type ScratchModel = (inputBytes: number, outputBytes: number) => number;

const scratchModels: Record<string, ScratchModel> = {
  // Separable filters run one pass per axis, each into a temporary of the output's dtype
  // (shrinking passes start from the halo), plus line buffers.
  "ndimage.gaussianFilter": (input, output) => 2 * Math.max(input, output),
  // Encoding a chunk makes a copy of it (compressed, at most as large plus headers).
  "zarr.writeChunk": (input) => input,
  "zarr.writeChunkMarked": (input) => input,
  // Decoding reads the compressed bytes, at most as large as the chunk.
  "zarr.readChunk": (_input, output) => output,
  "zarr.readRegion": (_input, output) => output,
  // Copies and elementwise kernels write straight into their result.
  "ndarray.assembleRegion": () => 0,
  "ndarray.add": () => 0, "ndarray.subtract": () => 0, "ndarray.multiply": () => 0, "ndarray.divide": () => 0,
  "ndarray.maximum": () => 0, "ndarray.minimum": () => 0, "ndarray.astype": () => 0, "ndarray.transpose": () => 0,
  "ndarray.full": () => 0, "ndarray.random": () => 0, "ndarray.slice": () => 0, "ndarray.negative": () => 0,
  "ndarray.abs": () => 0, "ndarray.power": () => 0, "graph.identity": () => 0,
  "ndarray.combinePartials": () => 0, "ndarray.finishReduction": () => 0,
  // A median moves the reduced axes last into a contiguous copy of its block, then sorts a
  // copy of one lane at a time: a block of scratch (whole lanes: da.median's blocks are large).
  "ndarray.median": (input) => input, "ndarray.nanmedian": (input) => input,
};

/** Scratch bytes of one call of `fn`, from its inputs' and its result's sizes. */
export function scratchBytes(fn: FunctionRef, inputBytes: number, outputBytes: number): number {
  const model = "builtin" in fn ? scratchModels[fn.builtin] : undefined;
  return model ? model(inputBytes, outputBytes) : outputBytes;
}

/** What the lowering knows of each task and input: its result's size and its kernel's scratch. */
export interface TaskSizes {
  /** Bytes of a task's result (a block, a region, a partial), when known. */
  outputBytes(task: TaskSpec): number | undefined;
  /** Scratch bytes of a task, when the lowering stated them (else the kernel's model). */
  scratchBytes(task: TaskSpec): number | undefined;
  /** Bytes of an input read from outside (another task's result, or one the cluster holds). */
  inputBytes(key: string): number | undefined;
}

/** The peak of one task, and the member whose result is its largest block. */
export interface TaskPeak {
  bytes: number;
  /**
   * The member with the largest result, the earliest of equals: the block whose chunking
   * makes the task this big (a source block, not the write of it).
   */
  largest: TaskSpec;
}

/**
 * The peak bytes of a task made of `members` (in the order they run; one for an unfused
 * task) reading `external` keys from outside.
 */
export function taskPeak(members: readonly TaskSpec[], external: readonly string[], sizes: TaskSizes): TaskPeak {
  let held = 0;
  for (const key of external) held += sizes.inputBytes(key) ?? 0;
  if (members.length === 1) {
    const task = members[0];
    const output = sizes.outputBytes(task) ?? held;
    return { bytes: held + output + (sizes.scratchBytes(task) ?? scratchBytes(task.fn, held, output)), largest: task };
  }
  // A fused task has a few members (a block's steps): a scan finds one faster than a Map a
  // million tasks would each build; a long chain gets the Map.
  let index: Map<string, number> | undefined;
  if (members.length > 16) {
    index = new Map();
    for (let i = 0; i < members.length; i++) index.set(members[i].key, i);
  }
  const memberAt = (key: string): number | undefined => {
    if (index) return index.get(key);
    for (let i = 0; i < members.length; i++) if (members[i].key === key) return i;
    return undefined;
  };
  const lastUse = members.map((_, i) => i);
  members.forEach((member, i) => {
    for (const dep of member.deps) {
      const j = memberAt(dep);
      if (j !== undefined) lastUse[j] = Math.max(lastUse[j], i);
    }
  });
  const releaseAt: number[][] = members.map(() => []);
  lastUse.forEach((last, j) => {
    if (j < members.length - 1) releaseAt[last].push(j);
  });
  const outputs = new Array<number>(members.length);
  let live = 0;
  let peak = held;
  let largest = members[0];
  let largestBytes = -1;
  members.forEach((member, i) => {
    let inputs = 0;
    for (const dep of member.deps) {
      const j = memberAt(dep);
      inputs += j !== undefined ? outputs[j] : sizes.inputBytes(dep) ?? 0;
    }
    const output = sizes.outputBytes(member) ?? inputs;
    const scratch = sizes.scratchBytes(member) ?? scratchBytes(member.fn, inputs, output);
    outputs[i] = output;
    peak = Math.max(peak, held + live + output + scratch);
    if (output > largestBytes) {
      largest = member;
      largestBytes = output;
    }
    live += output;
    for (const j of releaseAt[i]) live -= outputs[j];
  });
  return { bytes: peak, largest };
}
