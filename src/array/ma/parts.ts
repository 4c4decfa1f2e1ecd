/**
 * What a lazy masked array is made of: a data LazyArray, a boolean mask LazyArray of the same
 * shape and chunks (true = masked), and the fill value the user set (null: NumPy's default for
 * the dtype, resolved when filled). Each step builds the pair as two ordinary arrays whose
 * blocks line up task by task (views, rechunk and joins need nothing masked); computing,
 * persisting and reducing bundle them into one masked block per block (masked-blocks.ts).
 * Functions here work on parts and never import the MaskedArray class (which wraps parts),
 * keeping the modules free of cycles.
 */
import { InvalidOptionError } from "../../core/errors.js";
import type { FillValue } from "../../ndarray/masked-fill-value.js";
import { LazyArray } from "../array.js";
import { elementwiseNode, type ElementwiseOperand } from "../elementwise.js";

/** A block kernel (an nd built-in). */
type BlockFunction = (...args: never[]) => unknown;

export interface MaskedParts {
  readonly data: LazyArray;
  readonly mask: LazyArray;
  /** The fill value set by the user or carried from an operand; null for the dtype's default. */
  readonly fill: FillValue | null;
}

/** An operand of a masked operation: a masked array, a plain array (nothing masked) or a scalar. */
export type MaskedOperand = MaskedParts | LazyArray | number;

export function isMaskedParts(value: unknown): value is MaskedParts {
  return typeof value === "object" && value !== null && (value as MaskedParts).data instanceof LazyArray && (value as MaskedParts).mask instanceof LazyArray;
}

/** An operand's data (a scalar stays a scalar, so NumPy's weak-scalar dtype rules apply). */
export function dataOf(operand: MaskedOperand, what: string): LazyArray | number {
  if (isMaskedParts(operand)) return operand.data;
  if (operand instanceof LazyArray || typeof operand === "number") return operand;
  throw new InvalidOptionError(`${what}: expected a masked array, a tessera array or a number, got ${String(operand)}`);
}

/** An operand's mask, or null where nothing of it is masked (NumPy's nomask). */
export function maskOf(operand: MaskedOperand): LazyArray | null {
  return isMaskedParts(operand) ? operand.mask : null;
}

/** The fill value a result takes: the first masked operand's, as numpy.ma's _update_from. */
export function fillOf(...operands: MaskedOperand[]): FillValue | null {
  for (const operand of operands) if (isMaskedParts(operand)) return operand.fill;
  return null;
}

/** One elementwise step over lazy arrays and scalars (broadcasting, NumPy's dtype rules). */
export function ew(fn: BlockFunction, ...operands: ElementwiseOperand[]): LazyArray {
  return LazyArray.of(elementwiseNode(fn, operands));
}

/** The union of masks (NumPy's mask_or); null when no operand has one. */
export function maskUnion(...masks: Array<LazyArray | null>): LazyArray | null {
  const present = masks.filter((m): m is LazyArray => m !== null);
  if (present.length === 0) return null;
  return present.slice(1).reduce<LazyArray>((acc, m) => acc.or(m), present[0]);
}

/** An elementwise step whose kernel takes an options object last (the masked kernels' `op`). */
export function ewWith(fn: BlockFunction, operands: ElementwiseOperand[], options: Record<string, unknown>): LazyArray {
  return LazyArray.of(elementwiseNode(fn, operands, undefined, options));
}
