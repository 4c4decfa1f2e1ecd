/**
 * Dask's own chunked reductions as the reference for tessera's (mean-dask and var-dask tests):
 * the same data, chunks and split_every run through dask.array on its synchronous scheduler
 * (test/fixtures/array/dask_reduction.py), compared byte for byte.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as nd from "../../src/ndarray/index.js";
import type { ChunkSpec } from "../../src/array/index.js";
import { python } from "./python.js";

export interface DaskReductionCase {
  op: string;
  chunks: ChunkSpec;
  axis?: number | number[] | null;
  keepdims?: boolean;
  dtype?: string;
  ddof?: number;
  splitEvery?: number | Record<number, number>;
}

interface DaskResult { shape: number[]; dtype: string; hex: string }

function hexOf(a: nd.NDArray): string {
  const dense = nd.copy(a);
  const view = dense.data as unknown as ArrayBufferView;
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("hex");
}

/** Dask's results of `cases` on `data` (written to a file in `dir`), in order. */
export function daskReductions(dir: string, data: nd.NDArray, cases: readonly DaskReductionCase[]): DaskResult[] {
  const file = join(dir, `data-${data.dtype}.bin`);
  const view = nd.copy(data).data as unknown as ArrayBufferView;
  writeFileSync(file, new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  const forPython = cases.map(({ splitEvery, ...rest }) => ({ ...rest, split_every: splitEvery ?? 16 }));
  return JSON.parse(python("dask_reduction.py", file, data.dtype, data.shape.join(","), JSON.stringify(forPython))) as DaskResult[];
}

/** Asserts tessera's result `got` has Dask's shape, dtype and bytes. */
export function assertEqualsDask(got: nd.NDArray, expected: DaskResult, what: string): void {
  assert.deepEqual(got.shape, expected.shape, `${what}: shape`);
  assert.equal(got.dtype, expected.dtype, `${what}: dtype`);
  assert.equal(hexOf(got), expected.hex, `${what}: values differ from Dask's`);
}
