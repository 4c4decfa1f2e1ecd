/** What a complex QR must satisfy whatever its conventions (eager and chunked tests). */
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";

/** ‖a − b‖_max / scale, for complex arrays. */
function maxDifference(a: nd.NDArray, b: nd.NDArray): number {
  const x = nd.ascontiguousarray(a).toStorage();
  const y = nd.ascontiguousarray(b).toStorage();
  assert.equal(x.length, y.length);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(Number(x[i]) - Number(y[i])));
  return worst;
}

function maxMagnitude(a: nd.NDArray): number {
  const x = nd.ascontiguousarray(a).toStorage();
  let largest = 0;
  for (let i = 0; i < x.length; i++) largest = Math.max(largest, Math.abs(Number(x[i])));
  return largest;
}

/** Q unitary (columns orthonormal), R upper with a real diagonal, Q·R = A: each within `t` (of ‖A‖ for the product). */
export function assertQrProperties(a: nd.NDArray, q: nd.NDArray, r: nd.NDArray, t: number, label: string): void {
  const k = q.shape[1];
  const gram = nd.matmul(nd.conj(nd.transpose(q)), q);
  assert.ok(maxDifference(gram, nd.astype(nd.eye(k), q.dtype)) <= 10 * t, `${label}: QᴴQ = I`);
  for (let i = 0; i < r.shape[0]; i++) {
    for (let j = 0; j < Math.min(i, r.shape[1]); j++) assert.deepEqual(r.getComplex(i, j), { re: 0, im: 0 }, `${label}: R[${i}, ${j}] below the diagonal`);
    if (i < r.shape[1]) assert.equal(r.getComplex(i, i).im, 0, `${label}: R[${i}, ${i}] real`);
  }
  assert.ok(maxDifference(nd.matmul(q, r), a) <= 10 * t * Math.max(maxMagnitude(a), 1e-300), `${label}: Q·R = A`);
}

/** u's columns and vh's rows orthonormal, u[:, :k]·diag(s)·vh[:k] = a: within 10·t (of max(s) for the product). */
export function assertSvdProperties(a: nd.NDArray, u: nd.NDArray, s: nd.NDArray, vh: nd.NDArray, t: number, label: string): void {
  const k = s.shape[0];
  assert.ok(maxDifference(nd.matmul(nd.conj(nd.transpose(u)), u), nd.astype(nd.eye(u.shape[1]), u.dtype)) <= 10 * t, `${label}: uᴴu = I`);
  assert.ok(maxDifference(nd.matmul(vh, nd.conj(nd.transpose(vh))), nd.astype(nd.eye(vh.shape[0]), vh.dtype)) <= 10 * t, `${label}: vh·vhᴴ = I`);
  const values = s.toTypedArray();
  for (let i = 1; i < k; i++) assert.ok(Number(values[i]) <= Number(values[i - 1]), `${label}: s descending`);
  const scaled = nd.multiply(nd.slice(u, ":", { stop: k }), s);
  const product = nd.matmul(scaled, nd.slice(vh, { stop: k }));
  const largest = k > 0 ? Number(values[0]) : 0;
  assert.ok(maxDifference(product, a) <= 10 * t * Math.max(largest, 1e-300), `${label}: u·diag(s)·vh = a (off by ${maxDifference(product, a)})`);
}
