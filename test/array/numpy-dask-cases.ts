/**
 * The loop of the seeded differential tests against NumPy and Dask: every case's NumPy (and
 * Dask) expression evaluated in one Python run, then tessera's lazy array (and its eager twin)
 * compared with NumPy's values, dtype and shape, its chunks with Dask's; where NumPy refuses in a
 * way the case expects, tessera must refuse too, when the array is built.
 */
import assert from "node:assert/strict";
import type * as ta from "../../src/array/index.js";
import type * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

export interface NumpyDaskCase {
  label: string;
  numpy: string;
  /** Dask's spelling, or null where Dask 2022.12 is no reference (the test file says why). */
  dask: string | null;
  ours: () => ta.Array;
  /** The eager twin (nd.*) on the whole array, checked against NumPy too. */
  eager?: () => nd.NDArray;
  /** Chunks expected where Dask is no reference for them. */
  chunks?: number[][];
  /** Where NumPy may refuse (matching this), tessera must refuse too. */
  refusal?: RegExp;
}

export interface CheckOptions<C extends NumpyDaskCase> {
  seed: number;
  /** What tessera's refusal must match when NumPy refused with `numpyError` (default: the case's refusal pattern). */
  refusedAs?: (c: C, numpyError: string) => RegExp | ((error: Error) => boolean);
}

/** Checks every case; returns how many NumPy refused (and tessera with it). */
export async function checkAgainstNumpyAndDask<C extends NumpyDaskCase>(cases: readonly C[], inputs: Record<string, nd.NDArray>, options: CheckOptions<C>): Promise<number> {
  const expressions: Record<string, string> = {};
  for (const c of cases) {
    expressions[`${c.label}_np`] = c.numpy;
    if (c.dask) expressions[`${c.label}_da`] = c.dask;
  }
  const python = evaluatePython(inputs, expressions);
  let refused = 0;
  for (const c of cases) {
    const numpy = python[`${c.label}_np`];
    const where = `${c.label} (seed ${options.seed}: ${c.numpy})`;
    if (!numpy.array && c.refusal?.test(numpy.error ?? "")) {
      const expected = options.refusedAs ? options.refusedAs(c, numpy.error ?? "") : c.refusal;
      assert.throws(() => c.ours(), expected, `${where}: NumPy refused (${numpy.error}), so must tessera`);
      if (c.eager) assert.throws(() => (c.eager as () => nd.NDArray)(), expected, `${where}: NumPy refused, so must nd`);
      refused++;
      continue;
    }
    assert.ok(numpy.array, `${where}: NumPy refused: ${numpy.error}`);
    if (c.eager) assertSameArray(c.eager(), numpy.array, `${where}: eager vs NumPy`);
    const lazy = c.ours();
    assertSameArray(await lazy.compute(), numpy.array, `${where} vs NumPy`);
    if (!c.dask) {
      if (c.chunks) assert.deepEqual(lazy.chunks, c.chunks, `${where}: chunks`);
      continue;
    }
    const dask = python[`${c.label}_da`];
    assert.ok(dask.array, `${where}: Dask refused: ${dask.error} (${c.dask})`);
    assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask (${c.dask})`);
  }
  return refused;
}
