/**
 * The tasks one expression lowers to, before fusion, with the distinct input blocks each reads:
 * the figures Dask's layer of the same operation has (its task count, and per task the keys
 * dask.core.get_dependencies finds). Inputs are not lowered: a region of an input counts the
 * blocks of that input it covers, a task reference (a tree reduction's partial) counts as one.
 */
import type * as ta from "../../src/array/index.js";
import type { ArrayNode, Call, LowerContext } from "../../src/array/expr.js";
import { chunkOffsets } from "../../src/array/chunks.js";
import { TaskRef } from "../../src/protocol/payload.js";

export interface OwnTask {
  key: string;
  /** Distinct dependencies: input blocks ("name:i,j") and other tasks' keys. */
  dependencies: Set<string>;
  fn: Call["fn"];
}

export function ownTasks(array: ta.Array): OwnTask[] {
  const regions = new Map<string, string[]>();
  const tasks: OwnTask[] = [];
  const blocksOf = (node: ArrayNode, start: readonly number[], stop: readonly number[]): string[] => {
    const offsets = chunkOffsets(node.chunks);
    const ranges = start.map((s, axis) => {
      const hit: number[] = [];
      for (let i = 0; i + 1 < offsets[axis].length; i++) if (offsets[axis][i] < stop[axis] && offsets[axis][i + 1] > s) hit.push(i);
      return hit;
    });
    let combos: number[][] = [[]];
    for (const hit of ranges) combos = combos.flatMap((c) => hit.map((i) => [...c, i]));
    return combos.map((c) => `${node.name}:${c.join(",")}`);
  };
  const refs = (value: unknown, into: Set<string>): void => {
    if (value instanceof TaskRef) {
      for (const block of regions.get(value.key) ?? [value.key]) into.add(block);
    } else if (Array.isArray(value)) value.forEach((item) => refs(item, into));
  };
  const record = (key: string, call: Call) => {
    const dependencies = new Set<string>();
    call.args.forEach((arg) => refs(arg, dependencies));
    tasks.push({ key, dependencies, fn: call.fn });
  };
  const ctx = {
    ensure: () => {},
    region: (node: ArrayNode, start: readonly number[], stop: readonly number[]) => {
      const key = `region:${node.name}:${start.join(",")}:${stop.join(",")}`;
      regions.set(key, blocksOf(node, start, stop));
      return new TaskRef(key);
    },
    addBlock: (node: ArrayNode, index: readonly number[], call: Call) => record(`${node.name}:${index.join(",")}`, call),
    addTask: (key: string, call: Call) => record(key, call),
    holdersOfInputs: () => [],
  } as unknown as LowerContext;
  array.expr.lower(array, ctx);
  return tasks;
}
