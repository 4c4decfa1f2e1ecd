/**
 * Step functions for test/graph/task-runner.test.ts: a step that makes a large value it
 * watches through a WeakRef, and a later step that collects garbage and tells whether the
 * value is gone (the fused task no longer holds it).
 */
import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

let watched: WeakRef<object> | null = null;

export function makeWatched(): Float64Array {
  const value = new Float64Array(1 << 20);
  watched = new WeakRef(value);
  return value;
}

export function firstElement(value: Float64Array): number {
  return value[0];
}

/** True when the watched value has been collected: nothing holds it any more. */
export async function watchedIsGone(_previous: unknown): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return watched?.deref() === undefined;
}
