/**
 * The state a random pipeline carries from one operation to the next (pipeline-fuzz.test.ts):
 * the tessera array built so far, the same array spelled as a Dask 2022.12 expression, and what
 * later operations and the comparison must know about its values. Operations read the shape and
 * dtype from tessera's own metadata, so a wrong shape or dtype shows up as Dask refusing (or
 * computing something else) downstream.
 */
import type * as ta from "../../src/array/index.js";
import type { Inputs, Rng } from "./differential-inputs.js";

export interface Stage {
  lazy: ta.Array;
  /** The same array as a Dask expression over the inputs (always safe to wrap in parentheses). */
  py: string;
  /** Float values depend on summation order (a float reduction, cumsum, contraction ran): compared with a tolerance, and no discontinuous operation (comparison, floor division, cast to integer, argmax, mask) follows. */
  inexact: boolean;
  /** Values are still the input's (small, finite, or NaN-free): a float-to-integer cast is defined. */
  plain: boolean;
  /** A step chose other chunks than Dask on purpose (said where it is drawn): chunks are not compared. */
  ownChunks?: boolean;
}

export interface OpContext {
  rng: Rng;
  inputs: Inputs;
}

/** A drawn operation: its Dask spelling, and the tessera call (which may refuse: it runs later). */
export interface Step {
  py: string;
  build: () => ta.Array;
  inexact: boolean;
  plain: boolean;
  ownChunks?: boolean;
  /** Dask's side stood in with NumPy's values (known sizes where tessera's are unknown): the pipeline ends here. */
  final?: boolean;
}

/** One catalogue entry: null where the operation does not apply to this stage (the generator draws another). */
export interface Operation {
  name: string;
  /** Applies to arrays of unknown chunk sizes too. */
  unknownOk?: boolean;
  apply(context: OpContext, stage: Stage): Step | null;
}

export const isFloat = (dtype: string): boolean => dtype === "float32" || dtype === "float64";
export const knownShape = (stage: Stage): boolean => stage.lazy.shape.every((n) => Number.isFinite(n));
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The next step: the same flags unless the operation says otherwise. */
export function next(stage: Stage, build: () => ta.Array, py: string, flags: { inexact?: boolean; plain?: boolean; ownChunks?: boolean } = {}): Step {
  return { build, py, inexact: stage.inexact || (flags.inexact ?? false), plain: stage.plain && (flags.plain ?? true), ownChunks: (stage.ownChunks ?? false) || (flags.ownChunks ?? false) };
}

export const pyList = (values: readonly (number | string)[]): string => `[${values.join(", ")}]`;
