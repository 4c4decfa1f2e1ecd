/**
 * Householder QR on a row-major float64 matrix, with LAPACK's conventions (dgeqrf's reflectors
 * from dlarfg, dorgqr's backward accumulation of Q), so that the signs of R's diagonal and of
 * Q's columns are NumPy's: reflector j maps column j below the diagonal, x = [α; x₂], to
 * [β; 0] with β = −sign(α)·‖x‖ (sign(0) = +), τ = (β − α)/β and v = [1; x₂/(α − β)];
 * when x₂ = 0 the reflector is the identity (τ = 0) and R keeps α, whatever its sign.
 * Backward stable: Q·R = A + E with ‖E‖ ≲ c·m·n·ε·‖A‖ (Higham, Thm 19.4).
 */

/** The factored form: R in the upper triangle of `data`, reflector tails below, and τ. */
export interface HouseholderFactors {
  rows: number;
  cols: number;
  data: Float64Array;
  tau: Float64Array;
}

/** Factors `a` (rows × cols, row-major; not modified). */
export function householderFactor(a: Float64Array, rows: number, cols: number): HouseholderFactors {
  const data = Float64Array.from(a);
  const k = Math.min(rows, cols);
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const alpha = data[j * cols + j];
    let tailNorm = 0;
    for (let i = j + 1; i < rows; i++) tailNorm = Math.hypot(tailNorm, data[i * cols + j]);
    if (tailNorm === 0) continue; // τ = 0: H = I, as dlarfg
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, tailNorm);
    tau[j] = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    for (let i = j + 1; i < rows; i++) data[i * cols + j] *= scale;
    data[j * cols + j] = beta;
    // Apply H = I − τ v vᵀ to the columns right of j.
    for (let c = j + 1; c < cols; c++) {
      let w = data[j * cols + c];
      for (let i = j + 1; i < rows; i++) w += data[i * cols + j] * data[i * cols + c];
      w *= tau[j];
      data[j * cols + c] -= w;
      for (let i = j + 1; i < rows; i++) data[i * cols + c] -= w * data[i * cols + j];
    }
  }
  return { rows, cols, data, tau };
}

/** R (rRows × cols, row-major): the upper triangle of the first rRows rows. */
export function upperR(f: HouseholderFactors, rRows: number): Float64Array {
  const r = new Float64Array(rRows * f.cols);
  for (let i = 0; i < Math.min(rRows, f.rows); i++) for (let c = i; c < f.cols; c++) r[i * f.cols + c] = f.data[i * f.cols + c];
  return r;
}

/** The first qCols columns of Q = H₀·H₁·…·H_{k−1} (rows × qCols, row-major), as dorgqr. */
export function formQ(f: HouseholderFactors, qCols: number): Float64Array {
  const { rows, cols, data, tau } = f;
  const q = new Float64Array(rows * qCols);
  for (let i = 0; i < Math.min(rows, qCols); i++) q[i * qCols + i] = 1;
  for (let j = tau.length - 1; j >= 0; j--) {
    if (tau[j] === 0) continue;
    for (let c = 0; c < qCols; c++) {
      let w = q[j * qCols + c];
      for (let i = j + 1; i < rows; i++) w += data[i * cols + j] * q[i * qCols + c];
      w *= tau[j];
      q[j * qCols + c] -= w;
      for (let i = j + 1; i < rows; i++) q[i * qCols + c] -= w * data[i * cols + j];
    }
  }
  return q;
}
