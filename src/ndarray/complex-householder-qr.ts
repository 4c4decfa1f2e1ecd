/**
 * Householder QR of a complex matrix with LAPACK's conventions (zgeqrf's reflectors from
 * zlarfg, zungqr's backward accumulation of Q), so that R's diagonal and the phases of Q's
 * columns are NumPy's: reflector j maps column j below the diagonal, x = [α; x₂], to [β; 0]
 * with β = −sign(Re α)·‖x‖ real (sign(0) = +), τ = (β − Re α)/β − i·Im α/β and
 * v = [1; x₂/(α − β)]; when x₂ = 0 and α is real the reflector is the identity (τ = 0) and R
 * keeps α. Each Hⱼ = I − τ v vᴴ is applied as Hⱼᴴ to the trailing columns (zgeqrf), and
 * Q = H₀·H₁·…·H_{k−1} (zungqr). R's diagonal is real. Backward stable as the real one
 * (householder-qr.ts): Q·R = A + E with ‖E‖ ≲ c·m·n·ε·‖A‖.
 * Column-major split storage (re and im arrays, column j at j·rows): the inner loops walk
 * contiguous memory.
 */

export interface ComplexHouseholderFactors {
  rows: number;
  cols: number;
  /** Column-major real and imaginary parts: R in the upper triangle, reflector tails below. */
  re: Float64Array;
  im: Float64Array;
  tauRe: Float64Array;
  tauIm: Float64Array;
}

/** √(Σ |x|²) over x[from, to), scaled so that no square overflows or underflows to 0. */
function complexTailNorm(re: Float64Array, im: Float64Array, from: number, to: number): number {
  let largest = 0;
  for (let i = from; i < to; i++) largest = Math.max(largest, Math.abs(re[i]), Math.abs(im[i]));
  if (largest === 0 || !Number.isFinite(largest)) return largest;
  const inverse = 1 / largest;
  let sum = 0;
  for (let i = from; i < to; i++) {
    const x = re[i] * inverse;
    const y = im[i] * inverse;
    sum += x * x + y * y;
  }
  return largest * Math.sqrt(sum);
}

/** Factors a complex matrix given as column-major re / im (rows × cols; copied, not modified). */
export function complexHouseholderFactor(aRe: Float64Array, aIm: Float64Array, rows: number, cols: number): ComplexHouseholderFactors {
  const re = Float64Array.from(aRe);
  const im = Float64Array.from(aIm);
  const k = Math.min(rows, cols);
  const tauRe = new Float64Array(k);
  const tauIm = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const base = j * rows;
    const alphaRe = re[base + j];
    const alphaIm = im[base + j];
    const tailNorm = complexTailNorm(re, im, base + j + 1, base + rows);
    if (tailNorm === 0 && alphaIm === 0) continue; // τ = 0: H = I, as zlarfg
    const beta = -(alphaRe >= 0 ? 1 : -1) * Math.hypot(alphaRe, alphaIm, tailNorm);
    const tr = (beta - alphaRe) / beta;
    const ti = -alphaIm / beta;
    tauRe[j] = tr;
    tauIm[j] = ti;
    // x₂ · 1/(α − β): 1/(d) = conj(d)/|d|².
    const dRe = alphaRe - beta;
    const dIm = alphaIm;
    const magnitude = dRe * dRe + dIm * dIm;
    const sRe = dRe / magnitude;
    const sIm = -dIm / magnitude;
    for (let i = base + j + 1; i < base + rows; i++) {
      const x = re[i];
      const y = im[i];
      re[i] = x * sRe - y * sIm;
      im[i] = x * sIm + y * sRe;
    }
    re[base + j] = beta;
    im[base + j] = 0;
    // Hᴴ = I − conj(τ) v vᴴ on each column c right of j: w = vᴴ a_c, a_c −= conj(τ)·w·v.
    for (let c = j + 1; c < cols; c++) {
      const other = c * rows;
      let wRe = re[other + j];
      let wIm = im[other + j];
      for (let i = j + 1; i < rows; i++) {
        const vRe = re[base + i];
        const vIm = im[base + i];
        wRe += vRe * re[other + i] + vIm * im[other + i];
        wIm += vRe * im[other + i] - vIm * re[other + i];
      }
      const cRe = tr * wRe + ti * wIm;
      const cIm = tr * wIm - ti * wRe;
      re[other + j] -= cRe;
      im[other + j] -= cIm;
      for (let i = j + 1; i < rows; i++) {
        const vRe = re[base + i];
        const vIm = im[base + i];
        re[other + i] -= cRe * vRe - cIm * vIm;
        im[other + i] -= cRe * vIm + cIm * vRe;
      }
    }
  }
  return { rows, cols, re, im, tauRe, tauIm };
}

/** R (rRows × cols), row-major re / im: the upper triangle of the first rRows rows. */
export function complexUpperR(f: ComplexHouseholderFactors, rRows: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(rRows * f.cols);
  const im = new Float64Array(rRows * f.cols);
  for (let i = 0; i < Math.min(rRows, f.rows); i++) {
    for (let c = i; c < f.cols; c++) {
      re[i * f.cols + c] = f.re[c * f.rows + i];
      im[i * f.cols + c] = f.im[c * f.rows + i];
    }
  }
  return { re, im };
}

/** The first qCols columns of Q = H₀·H₁·…·H_{k−1} (rows × qCols), row-major re / im, as zungqr. */
export function complexFormQ(f: ComplexHouseholderFactors, qCols: number): { re: Float64Array; im: Float64Array } {
  const { rows, tauRe, tauIm } = f;
  const qRe = new Float64Array(rows * qCols);
  const qIm = new Float64Array(rows * qCols);
  for (let i = 0; i < Math.min(rows, qCols); i++) qRe[i * rows + i] = 1;
  for (let j = tauRe.length - 1; j >= 0; j--) {
    const tr = tauRe[j];
    const ti = tauIm[j];
    if (tr === 0 && ti === 0) continue;
    const base = j * rows;
    for (let c = 0; c < qCols; c++) {
      const other = c * rows;
      let wRe = qRe[other + j];
      let wIm = qIm[other + j];
      for (let i = j + 1; i < rows; i++) {
        const vRe = f.re[base + i];
        const vIm = f.im[base + i];
        wRe += vRe * qRe[other + i] + vIm * qIm[other + i];
        wIm += vRe * qIm[other + i] - vIm * qRe[other + i];
      }
      if (wRe === 0 && wIm === 0) continue;
      // H = I − τ v vᴴ: q_c −= τ·w·v.
      const cRe = tr * wRe - ti * wIm;
      const cIm = tr * wIm + ti * wRe;
      qRe[other + j] -= cRe;
      qIm[other + j] -= cIm;
      for (let i = j + 1; i < rows; i++) {
        const vRe = f.re[base + i];
        const vIm = f.im[base + i];
        qRe[other + i] -= cRe * vRe - cIm * vIm;
        qIm[other + i] -= cRe * vIm + cIm * vRe;
      }
    }
  }
  const re = new Float64Array(rows * qCols);
  const im = new Float64Array(rows * qCols);
  for (let c = 0; c < qCols; c++) {
    for (let i = 0; i < rows; i++) {
      re[i * qCols + c] = qRe[c * rows + i];
      im[i * qCols + c] = qIm[c * rows + i];
    }
  }
  return { re, im };
}
