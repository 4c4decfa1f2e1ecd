/**
 * Householder QR on a row-major float64 matrix, with LAPACK's conventions (dgeqrf's reflectors
 * from dlarfg, dorgqr's backward accumulation of Q), so that the signs of R's diagonal and of
 * Q's columns are NumPy's: reflector j maps column j below the diagonal, x = [α; x₂], to
 * [β; 0] with β = −sign(α)·‖x‖ (sign(0) = +), τ = (β − α)/β and v = [1; x₂/(α − β)];
 * when x₂ = 0 the reflector is the identity (τ = 0) and R keeps α, whatever its sign.
 * Backward stable: Q·R = A + E with ‖E‖ ≲ c·m·n·ε·‖A‖ (Higham, Thm 19.4).
 * Both steps work on columns, so they run on a column-major copy: every inner loop then walks
 * contiguous memory (on the row-major layout each step strided by a whole row, 10–15× slower).
 */

/** The factored form: R in the upper triangle of `data`, reflector tails below, and τ. */
export interface HouseholderFactors {
  rows: number;
  cols: number;
  /** Row-major rows × cols. */
  data: Float64Array;
  tau: Float64Array;
  /** The same values column-major (column j at j·rows), which formQ reads. */
  columns: Float64Array;
}

/** √(Σ x²) of x[from, to), scaled so that no square overflows or underflows to 0. */
export function scaledNorm(x: Float64Array, from: number, to: number): number {
  let largest = 0;
  for (let i = from; i < to; i++) largest = Math.max(largest, Math.abs(x[i]));
  if (largest === 0 || !Number.isFinite(largest)) return largest;
  const inverse = 1 / largest;
  let sum = 0;
  for (let i = from; i < to; i++) {
    const y = x[i] * inverse;
    sum += y * y;
  }
  return largest * Math.sqrt(sum);
}

/** Factors `a` (rows × cols, row-major; not modified). */
export function householderFactor(a: Float64Array, rows: number, cols: number): HouseholderFactors {
  const col = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) col[j * rows + i] = a[i * cols + j];
  const k = Math.min(rows, cols);
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const base = j * rows;
    const alpha = col[base + j];
    const tailNorm = scaledNorm(col, base + j + 1, base + rows);
    if (tailNorm === 0) continue; // τ = 0: H = I, as dlarfg
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, tailNorm);
    tau[j] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < rows; i++) col[base + i] *= scale;
    col[base + j] = beta;
    // Apply H = I − τ v vᵀ to the columns right of j.
    for (let c = j + 1; c < cols; c++) {
      const other = c * rows;
      let w = col[other + j];
      for (let i = j + 1; i < rows; i++) w += col[base + i] * col[other + i];
      w *= tau[j];
      col[other + j] -= w;
      for (let i = j + 1; i < rows; i++) col[other + i] -= w * col[base + i];
    }
  }
  const data = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) data[i * cols + j] = col[j * rows + i];
  return { rows, cols, data, tau, columns: col };
}

/** R (rRows × cols, row-major): the upper triangle of the first rRows rows. */
export function upperR(f: HouseholderFactors, rRows: number): Float64Array {
  const r = new Float64Array(rRows * f.cols);
  for (let i = 0; i < Math.min(rRows, f.rows); i++) for (let c = i; c < f.cols; c++) r[i * f.cols + c] = f.data[i * f.cols + c];
  return r;
}

/** The first qCols columns of Q = H₀·H₁·…·H_{k−1}, column-major (column c at c·rows), as dorgqr. */
export function formQColumns(f: HouseholderFactors, qCols: number): Float64Array {
  const { rows, columns, tau } = f;
  const q = new Float64Array(rows * qCols);
  for (let i = 0; i < Math.min(rows, qCols); i++) q[i * rows + i] = 1;
  for (let j = tau.length - 1; j >= 0; j--) {
    if (tau[j] === 0) continue;
    const base = j * rows;
    for (let c = 0; c < qCols; c++) {
      const other = c * rows;
      let w = q[other + j];
      for (let i = j + 1; i < rows; i++) w += columns[base + i] * q[other + i];
      if (w === 0) continue;
      w *= tau[j];
      q[other + j] -= w;
      for (let i = j + 1; i < rows; i++) q[other + i] -= w * columns[base + i];
    }
  }
  return q;
}

/** The first qCols columns of Q (rows × qCols, row-major). */
export function formQ(f: HouseholderFactors, qCols: number): Float64Array {
  const q = formQColumns(f, qCols);
  const rows = f.rows;
  const out = new Float64Array(rows * qCols);
  for (let c = 0; c < qCols; c++) for (let i = 0; i < rows; i++) out[i * qCols + c] = q[c * rows + i];
  return out;
}

/**
 * A power of 2 that brings max|a| near 1 (1 for a zero or non-finite matrix): the SVD and eigh
 * scale by it, exactly, before their dot products, whose squares would otherwise underflow
 * (entries ~1e-160 and below) or overflow (~1e154 and above), as LAPACK's drivers rescale.
 */
export function balancingScale(a: Float64Array): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]));
  if (largest === 0 || !Number.isFinite(largest)) return 1;
  const exponent = Math.round(Math.log2(largest));
  // 2^e for e ∈ [−1074, 1023] needs two factors beyond one float's exponent range.
  return exponent > 0 ? 2 ** -Math.min(exponent, 1000) : 2 ** Math.min(-exponent, 1000);
}
