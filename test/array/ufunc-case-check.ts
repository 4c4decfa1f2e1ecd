/**
 * The loop of the elementwise differential tests (bitwise-differential, elemextra-differential):
 * every case computed lazily and compared with NumPy (values, dtype, shape, refusals naming the
 * function) and Dask (chunks), one Python process for all of them. Returns what went wrong and
 * counts the callers use to show the draw reached what it should.
 */
import { InvalidOptionError } from "../../src/core/errors.js";
import type * as nd from "../../src/ndarray/index.js";
import { mismatch } from "./differential-compare.js";
import type { Inputs } from "./differential-inputs.js";
import { evaluatePython } from "./python-eval.js";
import type { UfuncCase } from "./ufunc-cases.js";

export interface CaseTally {
  problems: string[];
  refused: number;
  /** Cases whose lazy array has at least 16 blocks. */
  manyBlocks: number;
  /** The results that were computed (not refused) and matched NumPy. */
  computed: Array<{ label: string; result: nd.NDArray }>;
}

async function computeOne(c: UfuncCase): Promise<nd.NDArray | Error> {
  try {
    return await c.ours().compute();
  } catch (error) {
    return error as Error;
  }
}

export async function checkUfuncCases(cases: readonly UfuncCase[], inputs: Inputs): Promise<CaseTally> {
  const expressions: Record<string, string> = {};
  for (const c of cases) {
    expressions[`${c.label}_np`] = c.numpy;
    if (c.dask) expressions[`${c.label}_da`] = c.dask;
  }
  const reference = evaluatePython(inputs.arrays, expressions);
  const tally: CaseTally = { problems: [], refused: 0, manyBlocks: 0, computed: [] };
  for (const c of cases) {
    const say = (what: string) => tally.problems.push(`${c.label}: ${what}\n    numpy: ${c.numpy}`);
    const ours = await computeOne(c);
    const problem = mismatch(c, ours, reference[`${c.label}_np`]);
    if (problem) {
      say(problem);
      continue;
    }
    if (ours instanceof Error) {
      tally.refused++;
      // A refusal names the function (the label's second part) and is an option error, never a crash.
      const fn = c.label.split("_")[1];
      if (!(ours instanceof InvalidOptionError) || !ours.message.includes(fn)) say(`the refusal does not name ${fn}: ${ours.message}`);
      continue;
    }
    tally.computed.push({ label: c.label, result: ours });
    const lazy = c.ours();
    if (lazy.dtype !== ours.dtype || lazy.shape.join() !== ours.shape.join()) say(`lazy ${lazy.dtype} [${lazy.shape.join(", ")}], computed ${ours.dtype} [${ours.shape.join(", ")}]`);
    if (lazy.blockKeys().length >= 16) tally.manyBlocks++;
    const dask = c.dask ? reference[`${c.label}_da`] : undefined;
    if (dask?.chunks && JSON.stringify(lazy.chunks) !== JSON.stringify(dask.chunks)) {
      say(`chunks ${JSON.stringify(lazy.chunks)}, Dask ${JSON.stringify(dask.chunks)}\n    dask: ${c.dask}`);
    }
  }
  return tally;
}
