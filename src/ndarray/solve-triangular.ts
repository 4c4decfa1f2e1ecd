/**
 * scipy.linalg.solve_triangular (scipy 1.10) of one triangular matrix: x with a·x = b, or
 * aᵀ·x = b (trans 1 / "T", and 2 / "C", the same for real matrices), reading only the
 * triangle `lower` names (default the upper one, as scipy) and, with unitDiagonal, taking the
 * diagonal as ones without reading it. b is (M,) or (M, K); the result has b's shape. The
 * dtype is scipy's: float32 where NumPy's common type of a and b is float32, else float64.
 * An exact zero on the diagonal is scipy's LinAlgError "singular matrix: resolution failed at
 * diagonal i" (dtrtrs's check); NaN or ±inf in a or b is refused as check_finite does. Beyond
 * scipy (which passes them on to LAPACK or reshapes): any other trans, a b of more than two
 * dimensions and empty matrices are refused by name. Backward stable: (T + E)·x̂ = b with
 * |E| ≤ n·ε·|T| (Higham, Thm 8.5).
 */
import { InvalidOptionError } from "../core/errors.js";
import { LinAlgError, checkOptionKeys, readMatrix, requireFinite, toNDArray } from "./matrix-data.js";
import type { NDArray } from "./ndarray.js";
import { resultType } from "./promotion.js";

export interface SolveTriangularOptions {
  /** Read the lower triangle (default false: the upper one). */
  lower?: boolean;
  /** 0 / "N": a·x = b; 1 / "T" and 2 / "C": aᵀ·x = b. */
  trans?: 0 | 1 | 2 | "N" | "T" | "C";
  /** The diagonal is taken as ones and not read. */
  unitDiagonal?: boolean;
}

/** X with T·X = B (T n × n row-major, read in one triangle; B n × k row-major). */
export function triangularSubstitute(t: Float64Array, n: number, b: Float64Array, k: number, lower: boolean, unitDiagonal: boolean): Float64Array {
  const x = Float64Array.from(b);
  for (let step = 0; step < n; step++) {
    const i = lower ? step : n - 1 - step;
    const [from, to] = lower ? [0, i] : [i + 1, n];
    const row = x.subarray(i * k, i * k + k);
    for (let p = from; p < to; p++) {
      const f = t[i * n + p];
      if (f === 0) continue;
      const known = p * k;
      for (let c = 0; c < k; c++) row[c] -= f * x[known + c];
    }
    if (unitDiagonal) continue;
    const diagonal = t[i * n + i];
    for (let c = 0; c < k; c++) row[c] /= diagonal;
  }
  return x;
}

function booleanOption(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw new InvalidOptionError(`solveTriangular: ${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** x with a·x = b (or aᵀ·x = b) for a triangular a (scipy.linalg.solve_triangular). */
export function solveTriangular(a: NDArray, b: NDArray, options?: SolveTriangularOptions): NDArray {
  checkOptionKeys(options, ["lower", "trans", "unitDiagonal"], "solveTriangular");
  let lower = booleanOption(options?.lower ?? false, "lower");
  const unitDiagonal = booleanOption(options?.unitDiagonal ?? false, "unitDiagonal");
  const trans = options?.trans ?? 0;
  if (![0, 1, 2, "N", "T", "C"].includes(trans)) throw new InvalidOptionError(`solveTriangular: trans must be 0, 1, 2, "N", "T" or "C", got ${JSON.stringify(trans)}`);
  const am = readMatrix(a, "solveTriangular (a)");
  const bm = readMatrix(b, "solveTriangular (b)", true);
  if (am.rows !== am.cols) throw new InvalidOptionError(`solveTriangular: expected square matrix, got a of shape ${JSON.stringify(a.shape)}`);
  if (bm.rows !== am.rows) throw new InvalidOptionError(`solveTriangular: shapes of a ${JSON.stringify(a.shape)} and b ${JSON.stringify(b.shape)} are incompatible`);
  if (am.rows === 0 || bm.cols === 0) throw new InvalidOptionError(`solveTriangular: empty arrays (a ${JSON.stringify(a.shape)}, b ${JSON.stringify(b.shape)}) are not supported`);
  requireFinite(am, "solveTriangular");
  requireFinite(bm, "solveTriangular");
  const n = am.rows;
  let t = am.data;
  if (trans !== 0 && trans !== "N") {
    t = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = am.data[i * n + j];
    lower = !lower;
  }
  // dtrtrs checks the diagonal first, in index order, whichever triangle it solves with.
  if (!unitDiagonal) for (let i = 0; i < n; i++) if (t[i * n + i] === 0) throw new LinAlgError(`singular matrix: resolution failed at diagonal ${i}`);
  const x = triangularSubstitute(t, n, bm.data, bm.cols, lower, unitDiagonal);
  return toNDArray(x, [...b.shape], resultType(a.dtype, b.dtype) === "float32" ? "float32" : "float64");
}
