/**
 * NumPy and Dask as references at test time: writes NDArrays to a temporary directory, runs
 * test/fixtures/array/evaluate.py (Debian's python3-numpy and -dask) on Python expressions over
 * them, and reads back each result with its Dask chunks, or the error Python raised.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { dtypeInfo } from "../../src/ndarray/dtype.js";

const script = fileURLToPath(new URL("../../../test/fixtures/array/evaluate.py", import.meta.url));

export interface PythonResult {
  array?: nd.NDArray;
  /** Dask's chunks for dask results (null for NaN sizes). */
  chunks?: Array<Array<number | null>> | null;
  error?: string;
}

export function evaluatePython(inputs: Record<string, nd.NDArray>, expressions: Record<string, string>): Record<string, PythonResult> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-eval-"));
  try {
    const spec = { inputs: {} as Record<string, unknown>, expressions };
    for (const [name, array] of Object.entries(inputs)) {
      // toStorage: complex arrays travel as NumPy's interleaved (re, im) bytes.
      const data = nd.ascontiguousarray(array).toStorage();
      writeFileSync(join(dir, `${name}.in.bin`), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      spec.inputs[name] = { dtype: array.dtype, shape: array.shape, file: `${name}.in.bin` };
    }
    writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
    execFileSync("/usr/bin/python3", ["-B", script, dir], { stdio: ["ignore", "ignore", "pipe"] });
    const raw = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Record<string, { dtype?: string; shape?: number[]; chunks?: Array<Array<number | null>> | null; file?: string; error?: string }>;
    const out: Record<string, PythonResult> = {};
    for (const [label, result] of Object.entries(raw)) {
      if (result.error !== undefined) {
        out[label] = { error: result.error };
        continue;
      }
      const dtype = nd.toDType(result.dtype);
      const bytes = readFileSync(join(dir, result.file as string));
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      const info = dtypeInfo(dtype);
      const typed = new (info.array as Float64ArrayConstructor)(copy.buffer, 0, (bytes.length / info.itemsize) * info.lanes);
      out[label] = { array: nd.fromTypedArray(typed as never, result.shape as number[], { dtype }), chunks: result.chunks ?? null };
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Asserts equal dtype, shape and elements (NaN equals NaN; -0 and +0 differ). */
export function assertSameArray(actual: nd.NDArray, expected: nd.NDArray, label: string): void {
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  // toStorage: a complex array's (re, im) slots compared one by one.
  const a = actual.toStorage();
  const b = expected.toStorage();
  for (let i = 0; i < b.length; i++) {
    const same = Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]));
    if (!same) assert.fail(`${label}: element ${i} is ${String(a[i])}, NumPy gives ${String(b[i])}`);
  }
}
