/**
 * The parameters of every function of tessera/ndarray's `linalg` namespace, as its signature
 * names them, and the check that refuses arguments beyond them (src/core/argument-count.ts).
 * JavaScript drops extra arguments unseen: `nd.linalg.cholesky(a, { upper: true })` (NumPy 2's
 * cholesky(a, upper=True)) returned the lower factor, `nd.linalg.inv(a, { out })` and
 * `nd.linalg.solve(a, b, { assumeA: "pos" })` (scipy's keyword) ran without theirs. None of
 * these is a built-in: linalg.ts exports the checked functions, and the modules' own callers
 * (the chunked linalg's block tasks) keep the unchecked ones.
 * test/ndarray/namespace-argument-count walks every export of nd.linalg against this table.
 */
import { namespaceArgumentChecks } from "../core/namespace-arguments.js";

export const linalgParameters: Readonly<Record<string, readonly string[]>> = {
  norm: ["x", "options"],
  qr: ["a", "options"],
  svd: ["a", "options"],
  solve: ["a", "b"],
  inv: ["a"],
  det: ["a"],
  cholesky: ["a"],
  lstsq: ["a", "b", "options"],
  eigh: ["a", "options"],
  eigvalsh: ["a", "options"],
  solveTriangular: ["a", "b", "options"],
  lu: ["a", "options"],
};

export const { withPublicParameters: withLinalgParameters } = namespaceArgumentChecks({ label: "nd.linalg", builtin: "ndarray.linalg" }, linalgParameters, "NumPy's and scipy's");
