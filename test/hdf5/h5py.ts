/**
 * h5py (Debian's python3-h5py, HDF5 1.10) as the reference at test time: runs a Python
 * snippet in a folder, with `h5py`, `np` and the helpers below in scope, and returns what it
 * printed. `save(name, array)` writes `<name>.npy` there for `loadNpy` to read back (native
 * byte order, as h5py's values).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { decodeNpy } from "../../src/ndarray/npy-format.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { ascontiguousarray } from "../../src/ndarray/copy.js";

const prelude = `
import json, h5py, numpy as np
from h5py import h5d, h5p, h5s, h5t, h5z
def save(name, a):
    a = np.array(a, order="C")
    a = a.astype(a.dtype.newbyteorder("="))
    # Complex as its (re, im) pairs of floats: tessera's .npy reader takes real dtypes.
    np.save(name + ".npy", a.view(a.real.dtype) if a.dtype.kind == "c" else a)
def plugin_dataset(f, name, filter_id, data, chunks):
    # A dataset whose pipeline names a plugin filter h5py lacks (optional: HDF5 stores the chunks as they are).
    dcpl = h5p.create(h5p.DATASET_CREATE); dcpl.set_chunk(chunks)
    dcpl.set_filter(filter_id, h5z.FLAG_OPTIONAL, (0,))
    d = h5d.create(f.id, name.encode(), h5t.py_create(data.dtype), h5s.create_simple(data.shape), dcpl=dcpl)
    d.write(h5s.ALL, h5s.ALL, data)
`;

export function h5py(dir: string, code: string): string {
  try {
    return execFileSync("/usr/bin/python3", ["-B", "-c", `${prelude}\n${code}`], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    throw new Error(`h5py snippet failed: ${String((error as { stderr?: string }).stderr ?? error)}`);
  }
}

export function loadNpy(dir: string, name: string): NDArray {
  return decodeNpy(readFileSync(join(dir, `${name}.npy`)), name);
}

/** The storage of a C-contiguous array as plain numbers (bigint as strings), for deepEqual. */
export function valuesOf(a: NDArray): unknown[] {
  const c = ascontiguousarray(a);
  const lanes = c.storage.length / Math.max(c.size, 1);
  const storage = c.storage.subarray(c.offset * lanes, (c.offset + c.size) * lanes);
  return Array.from(storage as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? v.toString() : Object.is(v, -0) ? "-0" : v));
}

/** A complex array against the (re, im) float pairs h5py's save() wrote for it. */
export function assertSameComplex(actual: NDArray, pairs: NDArray, label: string): void {
  assert.ok(actual.dtype === "complex64" || actual.dtype === "complex128", `${label}: dtype ${actual.dtype}`);
  assert.equal(actual.dtype === "complex64" ? "float32" : "float64", pairs.dtype, `${label}: precision`);
  const last = actual.shape.length - 1;
  assert.deepEqual(actual.shape.map((n, axis) => (axis === last ? 2 * n : n)), [...pairs.shape], `${label}: shape (pairs double the last axis)`);
  assert.deepEqual(valuesOf(actual), valuesOf(pairs), `${label}: values`);
}

export function assertSameValues(actual: NDArray, expected: NDArray, label: string): void {
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  assert.deepEqual(valuesOf(actual), valuesOf(expected), `${label}: values`);
}
