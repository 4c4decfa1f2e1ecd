/**
 * The elementwise machinery shared by every ufunc-like operation: turn scalars into 0-d arrays
 * of the NEP 50 result dtype, broadcast, let the operation pick its loop dtype (as NumPy's
 * ufunc type resolution does), compile the loop once and run it into a new C-ordered array.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, isBigIntDType, isComplexDType, isIntegerDType } from "./dtype.js";
import { broadcastShapes, broadcastStrides } from "./broadcast.js";
import { castHelpers, readAs } from "./cast-expressions.js";
import { runElementwise } from "./kernel-compiler.js";
import { NDArray, empty } from "./ndarray.js";
import { outputArray } from "./block-recycling.js";
import { operandAsOutput } from "./operand-reuse.js";
import { type Operand, integerFits, integerRange, resultType } from "./promotion.js";
import { scalarMathHelpers } from "./scalar-math.js";
import { applyComplexElementwise, hasComplexOperand } from "./complex-elementwise.js";

/** The dtypes an operation computes in and stores. */
export interface LoopChoice {
  readonly loop: DType;
  readonly result: DType;
}

/** The usual choice: compute in the operands' promoted dtype and store that dtype. */
export function inCommonDType(common: DType): LoopChoice {
  return { loop: common, result: common };
}

export interface ElementwiseOperation {
  /** NumPy's name, used in messages and in the loop cache key. */
  readonly name: string;
  /** Picks loop and result dtypes from the promoted dtype of the operands, or throws. */
  resolve(common: DType): LoopChoice;
  /** The stored value, given each operand as an expression already in the loop's domain. */
  expression(args: readonly string[], choice: LoopChoice): string;
  /** Functions the expression calls besides the shared casts and scalar math, by name. */
  readonly helpers?: Readonly<Record<string, unknown>>;
}

const kernelHelpers = { ...castHelpers, ...scalarMathHelpers };

/** A 0-d array holding `value` as `dtype`; integers out of the dtype's range are refused (NEP 50). */
export function scalarArray(value: number | bigint | boolean, dtype: DType, operation: string): NDArray {
  const out = empty([], dtype);
  if (isComplexDType(dtype)) {
    // A real scalar meeting complex arrays: re = value, im = 0 (complex64 rounds re to float32).
    (out.storage as Float64Array)[0] = Number(value);
    return out;
  }
  if (typeof value === "boolean") {
    out.set([], value ? 1 : 0);
    return out;
  }
  if (isIntegerDType(dtype) && dtype !== "bool") {
    if (!integerFits(value, dtype)) {
      const [low, high] = integerRange(dtype);
      throw new InvalidOptionError(
        `${operation}: scalar ${value} is out of bounds for ${dtype} (${low} to ${high}); ` +
          `convert the array with astype to a wider dtype first`,
      );
    }
    out.set([], isBigIntDType(dtype) ? BigInt(value) : Number(value));
    return out;
  }
  // Float dtypes (a weak scalar never meets a bool dtype: bool with a number promotes).
  out.set([], Number(value));
  return out;
}

/** Validates operands and turns scalars into 0-d arrays of the result dtype. */
export function prepareOperands(operation: string, operands: readonly Operand[]): { arrays: NDArray[]; common: DType } {
  for (const [i, operand] of operands.entries()) {
    const ok = operand instanceof NDArray || ["number", "bigint", "boolean"].includes(typeof operand);
    if (!ok) {
      const shown = typeof operand === "string" ? JSON.stringify(operand) : String(operand);
      throw new InvalidOptionError(`${operation}: operand ${i} must be an NDArray, a number, a bigint or a boolean, got ${shown}`);
    }
  }
  const common = resultType(...operands);
  const arrays = operands.map((operand) => {
    if (operand instanceof NDArray) return operand;
    if (typeof operand === "boolean") return scalarArray(operand, "bool", operation);
    return scalarArray(operand, common, operation);
  });
  return { arrays, common };
}

/**
 * Runs `operation` over arrays that already have their final dtypes, into a new array, or
 * into `into` (C-contiguous, of the broadcast shape and the result dtype; checked).
 */
export function runOperation(operation: ElementwiseOperation, arrays: readonly NDArray[], choice: LoopChoice, into?: NDArray): NDArray {
  // Complex operands take the complex loops (or are refused by the operation's name there).
  if (hasComplexOperand(arrays)) return applyComplexElementwise(operation.name, arrays, into);
  const shape = broadcastShapes(...arrays.map((array) => array.shape));
  if (into && (into.dtype !== choice.result || into.shape.length !== shape.length || into.shape.some((n, axis) => n !== shape[axis]) || !into.isContiguous())) {
    throw new InvalidOptionError(`${operation.name}: the output must be a C-contiguous ${choice.result} array of shape [${shape.join(", ")}], got ${into.dtype} [${into.shape.join(", ")}]`);
  }
  // Every element is written: the result may go over an operand the fused task's step is the
  // last to read (operand-reuse.ts), or take a buffer a fused task used up (block-recycling.ts).
  const out = into ?? operandAsOutput(arrays, shape, choice.result) ?? outputArray(shape, choice.result);
  const args = arrays.map((array, i) => readAs(array.dtype, choice.loop, `x${i}`));
  runElementwise(
    {
      key: `${operation.name}(${arrays.map((array) => array.dtype).join(",")})${choice.loop}->${choice.result}`,
      arity: arrays.length,
      expression: operation.expression(args, choice),
      helpers: operation.helpers ? { ...kernelHelpers, ...operation.helpers } : kernelHelpers,
    },
    shape,
    out,
    arrays.map((array) => ({ data: array.data, offset: array.offset, strides: broadcastStrides(array, shape) })),
  );
  return out;
}

/** Applies an elementwise operation with NumPy's promotion and broadcasting (into `into`, see runOperation). */
export function applyElementwise(operation: ElementwiseOperation, operands: readonly Operand[], into?: NDArray): NDArray {
  if (hasComplexOperand(operands)) return applyComplexElementwise(operation.name, operands, into);
  const { arrays, common } = prepareOperands(operation.name, operands);
  return runOperation(operation, arrays, operation.resolve(common), into);
}

