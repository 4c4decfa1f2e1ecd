/**
 * `genericLaplace` and `genericGradientMagnitude`: scipy.ndimage.generic_laplace and
 * generic_gradient_magnitude, the loops over axes that gaussianLaplace and
 * gaussianGradientMagnitude specialise (gaussian-derivatives.ts), with the user's derivative.
 *
 * For axis i, derivative(input, i, outputDtype, mode[i], cval, ...extraArguments, extraKeywords?)
 * gives term i; the terms are summed in the output dtype (NumPy's `output += tmp`), squared first
 * for the gradient magnitude, whose sum then takes the square root cast unsafely back to the
 * output dtype (dtype-arithmetic.ts holds those NumPy semantics, shared with the Gaussian forms).
 * A 0-d input is copied (scipy's `output[...] = input`). scipy's derivative writes into the output
 * array; here it returns an array, which must have the input's shape and the output dtype — another
 * dtype is refused rather than cast, as NumPy's `+=` would refuse or cast it by rules of its own.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import { NDArray, isNDArray } from "../ndarray/ndarray.js";
import { addInPlace, sqrtInPlace, squareInPlace } from "./dtype-arithmetic.js";
import { refuseUnknownOptions } from "./option-names.js";
import { type Mode, type NumericArray, checkCval, outputDtypeOption, perAxis, resolveOutputRegion, toBoundaryMode } from "./options.js";
import { copyRegion } from "./separable.js";

/** The user's derivative along one axis: an array of the input's shape in `outputDtype`. */
export type DerivativeFunction = (input: NDArray, axis: number, outputDtype: DType, mode: Mode, cval: number, ...extra: never[]) => NDArray;

export interface GenericDerivativeOptions {
  /** The result's dtype. Default: the input's. */
  output?: DType;
  /** One mode, or one per axis (the mode passed with that axis's call). Default "reflect". */
  mode?: Mode | readonly Mode[];
  cval?: number;
  /** Passed after cval to every call. */
  extraArguments?: readonly unknown[];
  /** Passed as one last argument to every call when given (scipy's **extra_keywords). */
  extraKeywords?: Readonly<Record<string, unknown>>;
}

const keys = ["output", "mode", "cval", "extraArguments", "extraKeywords"];

/** Refuses a key the generic derivatives do not read, naming it (the lazy ones check before building a graph). */
export function refuseUnknownDerivativeOptions(options: object, what: string, also: readonly string[] = []): void {
  refuseUnknownOptions(options, [...keys, ...also], what, { extra_arguments: "use extraArguments", extra_keywords: "use extraKeywords" });
}

/** Σ_axis derivative2(input, axis, …) in the output dtype (scipy.ndimage.generic_laplace). */
export function genericLaplace(input: NDArray, derivative2: DerivativeFunction, options: GenericDerivativeOptions = {}): NDArray {
  return sumOfTerms(input, derivative2, options, "genericLaplace", false);
}

/** sqrt(Σ_axis derivative(input, axis, …)²) in the output dtype (scipy.ndimage.generic_gradient_magnitude). */
export function genericGradientMagnitude(input: NDArray, derivative: DerivativeFunction, options: GenericDerivativeOptions = {}): NDArray {
  return sumOfTerms(input, derivative, options, "genericGradientMagnitude", true);
}

function sumOfTerms(input: NDArray, derivative: DerivativeFunction, options: GenericDerivativeOptions, what: string, squares: boolean): NDArray {
  if (typeof derivative !== "function") throw new InvalidOptionError(`${what}: the derivative must be a function (input, axis, outputDtype, mode, cval, ...extraArguments)`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownDerivativeOptions(options, what);
  const outputDtype = options.output === undefined ? input.dtype : outputDtypeOption(options.output, `${what} output`);
  const cval = checkCval(options.cval ?? 0);
  const extra = options.extraArguments ?? [];
  if (!Array.isArray(extra)) throw new InvalidOptionError(`${what}: extraArguments must be a list, got ${JSON.stringify(extra)}`);
  const keywords = options.extraKeywords;
  if (keywords !== undefined && (keywords === null || typeof keywords !== "object" || Array.isArray(keywords))) {
    throw new InvalidOptionError(`${what}: extraKeywords must be an object of named values`);
  }
  const ndim = input.ndim;
  if (ndim === 0) return copyRegion(input, resolveOutputRegion(undefined, input.shape), outputDtype);
  const modes = perAxis<Mode>(options.mode ?? "reflect", ndim, "mode");
  modes.forEach(toBoundaryMode);
  const call = (axis: number): NumericArray => {
    const args = keywords === undefined ? extra : [...extra, keywords];
    const term: unknown = (derivative as (...a: unknown[]) => unknown)(input, axis, outputDtype, modes[axis], cval, ...args);
    if (!isNDArray(term)) throw new InvalidOptionError(`${what}: the derivative returned ${typeof term} for axis ${axis}; it must return an NDArray`);
    if (term.shape.join() !== input.shape.join()) {
      throw new InvalidOptionError(`${what}: the derivative returned shape [${term.shape.join(", ")}] for axis ${axis}; it must keep the input shape [${input.shape.join(", ")}]`);
    }
    if (term.dtype !== outputDtype) {
      throw new InvalidOptionError(`${what}: the derivative returned dtype ${term.dtype} for axis ${axis}; it must return the outputDtype it is given (${outputDtype})`);
    }
    // A private copy: the sum and squares write in place, and the derivative may hand back a view or its input.
    return term.toTypedArray().slice() as NumericArray;
  };
  const total = call(0);
  if (squares) squareInPlace(total, outputDtype);
  for (let axis = 1; axis < ndim; axis++) {
    const next = call(axis);
    if (squares) squareInPlace(next, outputDtype);
    addInPlace(total, next, outputDtype);
  }
  if (squares) sqrtInPlace(total, outputDtype);
  return new NDArray(total as never, input.shape, { dtype: outputDtype });
}
