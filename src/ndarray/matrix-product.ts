/**
 * The one kernel under tensordot, dot and matmul: out[m×n] = a[m×k] · b[k×n] on C-contiguous
 * storage of one dtype (the operands are cast to the result dtype first, as NumPy does).
 *
 * Loop order i-p-j: the innermost loop runs along a row of b and a row of the output, both
 * contiguous, so it streams memory instead of striding down b's columns (bench/matmul.ts times
 * it against NumPy). Each output row is accumulated in a float64 / int32 / bigint scratch row:
 * - float64 as is; float32 in float64, rounded once at the end (NumPy's BLAS accumulates in
 *   float32 in its own order: the two differ by at most the usual dot-product error bound,
 *   k·eps·Σ|a||b|, which is what the tests allow; neither is reproducible bit for bit);
 * - 8/16/32-bit integers in int32 with wrapping (Math.imul, `| 0`): NumPy accumulates in a wider
 *   integer and truncates, which is the same value modulo 2^bits since 2^bits divides 2^32;
 * - int64/uint64 in bigints, wrapped modulo 2^64 when stored (as NumPy's wrapping int64);
 * - bool as NumPy's: any(a[i,p] and b[p,j]).
 * Zero elements of a are not skipped for floats: 0·inf and 0·NaN give NaN by IEEE rules (NumPy's
 * own loops agree; BLAS may skip zeros and give 0 there, which the tests allow for).
 */
import type { DType, TypedArray } from "./dtype.js";

export interface MatrixOperand {
  /** The storage: for complex dtypes two slots (re, im) per element, `offset` still in elements. */
  data: TypedArray;
  offset: number;
}

export function multiplyMatrices(dtype: DType, a: MatrixOperand, b: MatrixOperand, out: MatrixOperand, m: number, k: number, n: number): void {
  if (dtype === "complex64" || dtype === "complex128") return multiplyComplex(a, b, out, m, k, n);
  if (dtype === "int64" || dtype === "uint64") return multiplyBigInt(a, b, out, m, k, n);
  if (dtype === "bool") return multiplyBool(a, b, out, m, k, n);
  if (dtype === "float64") return multiplyFloat64(a, b, out, m, k, n);
  if (dtype === "float32") return multiplyFloat32(a, b, out, m, k, n);
  return multiplyInt32(a, b, out, m, k, n);
}

function multiplyFloat64(a: MatrixOperand, b: MatrixOperand, out: MatrixOperand, m: number, k: number, n: number): void {
  const C = out.data as Float64Array;
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    accumulateRow(a.data as Float64Array, a.offset + i * k, b.data as Float64Array, b.offset, row, k, n);
    C.set(row, out.offset + i * n);
  }
}

function multiplyFloat32(a: MatrixOperand, b: MatrixOperand, out: MatrixOperand, m: number, k: number, n: number): void {
  const C = out.data as Float32Array;
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    accumulateRow32(a.data as Float32Array, a.offset + i * k, b.data as Float32Array, b.offset, row, k, n);
    C.set(row, out.offset + i * n);
  }
}

/**
 * row = Σ_p A[aRow + p] · B[row p], four rows of B per pass over `row` (a quarter of the loads
 * and stores of `row`; the sum's order changes, within the error bound above). One copy per
 * storage type keeps each loop monomorphic, which V8 needs to compile it tightly.
 */
function accumulateRow(A: Float64Array, aRow: number, B: Float64Array, bStart: number, row: Float64Array, k: number, n: number): void {
  row.fill(0);
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const x0 = A[aRow + p], x1 = A[aRow + p + 1], x2 = A[aRow + p + 2], x3 = A[aRow + p + 3];
    const b0 = bStart + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    for (let j = 0; j < n; j++) row[j] += x0 * B[b0 + j] + x1 * B[b1 + j] + x2 * B[b2 + j] + x3 * B[b3 + j];
  }
  for (; p < k; p++) {
    const x = A[aRow + p];
    const bRow = bStart + p * n;
    for (let j = 0; j < n; j++) row[j] += x * B[bRow + j];
  }
}

function accumulateRow32(A: Float32Array, aRow: number, B: Float32Array, bStart: number, row: Float64Array, k: number, n: number): void {
  row.fill(0);
  let p = 0;
  for (; p + 4 <= k; p += 4) {
    const x0 = A[aRow + p], x1 = A[aRow + p + 1], x2 = A[aRow + p + 2], x3 = A[aRow + p + 3];
    const b0 = bStart + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    for (let j = 0; j < n; j++) row[j] += x0 * B[b0 + j] + x1 * B[b1 + j] + x2 * B[b2 + j] + x3 * B[b3 + j];
  }
  for (; p < k; p++) {
    const x = A[aRow + p];
    const bRow = bStart + p * n;
    for (let j = 0; j < n; j++) row[j] += x * B[bRow + j];
  }
}

function multiplyInt32(a: MatrixOperand, b: MatrixOperand, out: MatrixOperand, m: number, k: number, n: number): void {
  const A = a.data as Int32Array;
  const B = b.data as Int32Array;
  const C = out.data as Int32Array;
  const row = new Int32Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    const aRow = a.offset + i * k;
    for (let p = 0; p < k; p++) {
      const x = A[aRow + p];
      if (x === 0) continue;
      const bRow = b.offset + p * n;
      for (let j = 0; j < n; j++) row[j] = (row[j] + Math.imul(x, B[bRow + j])) | 0;
    }
    // Storing into the result's TypedArray keeps the low bits: NumPy's wrap-around.
    for (let j = 0; j < n; j++) C[out.offset + i * n + j] = row[j];
  }
}

function multiplyBool(a: MatrixOperand, b: MatrixOperand, out: MatrixOperand, m: number, k: number, n: number): void {
  const A = a.data as Uint8Array;
  const B = b.data as Uint8Array;
  const C = out.data as Uint8Array;
  for (let i = 0; i < m; i++) {
    const aRow = a.offset + i * k;
    const cRow = out.offset + i * n;
    C.fill(0, cRow, cRow + n);
    for (let p = 0; p < k; p++) {
      if (A[aRow + p] === 0) continue;
      const bRow = b.offset + p * n;
      for (let j = 0; j < n; j++) if (B[bRow + j] !== 0) C[cRow + j] = 1;
    }
  }
}

function multiplyBigInt(a: MatrixOperand, b: MatrixOperand, out: MatrixOperand, m: number, k: number, n: number): void {
  const A = a.data as BigInt64Array;
  const B = b.data as BigInt64Array;
  const C = out.data as BigInt64Array;
  const row = new Array<bigint>(n);
  for (let i = 0; i < m; i++) {
    row.fill(0n);
    const aRow = a.offset + i * k;
    for (let p = 0; p < k; p++) {
      const x = A[aRow + p];
      if (x === 0n) continue;
      const bRow = b.offset + p * n;
      for (let j = 0; j < n; j++) row[j] += x * B[bRow + j];
    }
    // BigInt64Array / BigUint64Array stores reduce modulo 2^64.
    for (let j = 0; j < n; j++) C[out.offset + i * n + j] = row[j];
  }
}

/**
 * complex64 / complex128: each output row's re and im accumulated in float64 scratch rows
 * (re += ar·br − ai·bi, im += ar·bi + ai·br), rounded once when stored (complex64 to float32,
 * as float32 above; NumPy's BLAS zgemm / cgemm sums in its own order: the tests allow the
 * dot-product error bound, as for real floats).
 */
function multiplyComplex(a: MatrixOperand, b: MatrixOperand, out: MatrixOperand, m: number, k: number, n: number): void {
  const A = a.data as Float64Array;
  const B = b.data as Float64Array;
  const C = out.data as Float64Array;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    re.fill(0);
    im.fill(0);
    const aRow = 2 * (a.offset + i * k);
    for (let p = 0; p < k; p++) {
      const xr = A[aRow + 2 * p];
      const xi = A[aRow + 2 * p + 1];
      const bRow = 2 * (b.offset + p * n);
      for (let j = 0; j < n; j++) {
        const yr = B[bRow + 2 * j];
        const yi = B[bRow + 2 * j + 1];
        re[j] += xr * yr - xi * yi;
        im[j] += xr * yi + xi * yr;
      }
    }
    const cRow = 2 * (out.offset + i * n);
    for (let j = 0; j < n; j++) {
      C[cRow + 2 * j] = re[j];
      C[cRow + 2 * j + 1] = im[j];
    }
  }
}
