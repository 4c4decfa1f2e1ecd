/**
 * Comparison of a tessera result with NumPy's for the differential tests of elementwise
 * functions (ufunc-differential.test.ts, bitwise-differential.test.ts): dtype, shape, then
 * every element bit for bit (NaN equals NaN, −0 differs from +0), or within a number of
 * units in the last place where the case allows it.
 */
import * as nd from "../../src/ndarray/index.js";
import type { PythonResult } from "./python-eval.js";

/** Distance in units in the last place between two floats of `dtype` (their bit patterns in order). */
export function ulpDistance(a: number, b: number, dtype: nd.DType): number {
  const ordered = (x: number): bigint => {
    const view = new DataView(new ArrayBuffer(8));
    let bits: bigint;
    if (dtype === "float32") {
      view.setFloat32(0, x);
      bits = BigInt(view.getInt32(0));
    } else {
      view.setFloat64(0, x);
      bits = view.getBigInt64(0);
    }
    return bits < 0n ? -(bits & (dtype === "float32" ? 0x7fffffffn : 0x7fffffffffffffffn)) : bits;
  };
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}

/** Null when `ours` is NumPy's answer (a refusal for a refusal), else what differs. */
export function mismatch(c: { ulps: number }, ours: nd.NDArray | Error, numpy: PythonResult): string | null {
  if (ours instanceof Error) return numpy.error !== undefined ? null : `tessera raised ${ours.message}; NumPy gives ${numpy.array?.dtype} [${numpy.array?.shape.join(", ")}]`;
  if (numpy.error !== undefined) return `NumPy raises ${numpy.error}; tessera gives ${ours.dtype} [${ours.shape.join(", ")}] ${String(ours.toTypedArray().slice(0, 6))}`;
  const expected = numpy.array as nd.NDArray;
  if (ours.dtype !== expected.dtype) return `dtype ${ours.dtype}, NumPy ${expected.dtype}`;
  if (ours.shape.join() !== expected.shape.join()) return `shape [${ours.shape.join(", ")}], NumPy [${expected.shape.join(", ")}]`;
  const a = ours.toTypedArray();
  const b = expected.toTypedArray();
  const float = nd.dtypeInfo(ours.dtype).kind === "f";
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    // ±0 against ±0 is a sign difference, never within ulps; NaN against a number never either.
    const near = float && c.ulps > 0 && a[i] !== 0 && b[i] !== 0 && ulpDistance(a[i] as number, b[i] as number, ours.dtype) <= c.ulps;
    if (!near) return `element ${i}: ${String(Object.is(a[i], -0) ? "-0" : a[i])}, NumPy ${String(Object.is(b[i], -0) ? "-0" : b[i])}`;
  }
  return null;
}
