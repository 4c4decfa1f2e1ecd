/**
 * Block functions for the failed-write tests (store-failed-write.test.ts), travelling to
 * workers as module references: they meet through files in `dir`, which a self-contained
 * function could not reach. Every wait is on a file another party creates, never a timer's
 * length; the polls are short so a test spends no time in them.
 */
import { existsSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { exportedFunctions } from "../../src/graph/function-travel.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";

async function untilExists(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * A block whose first value is -1 fails once the held block runs; one whose first value is -2
 * is held: it says so (`held`) and waits for `go` before it returns (and its write follows).
 */
export async function failOrHold(block: NDArray, options: { dir: string }): Promise<NDArray> {
  const first = block.size > 0 ? Number(block.data[block.offset]) : 0;
  if (first === -1) {
    await untilExists(path.join(options.dir, "held"));
    throw new Error("this block fails on purpose");
  }
  if (first === -2) {
    writeFileSync(path.join(options.dir, "held"), "");
    await untilExists(path.join(options.dir, "go"));
  }
  return block;
}

/** Returns once every block of the array (values 0 … count - 1) runs at the same time: all the worker's threads are free. */
export async function meetAll(block: NDArray, options: { dir: string; count: number }): Promise<NDArray> {
  if (block.size === 0) return block;
  writeFileSync(path.join(options.dir, `meet-${Number(block.data[block.offset])}`), "");
  for (let i = 0; i < options.count; i++) await untilExists(path.join(options.dir, `meet-${i}`));
  return block;
}

exportedFunctions(import.meta.url, { failOrHold, meetAll });
