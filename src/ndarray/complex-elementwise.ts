/**
 * Elementwise operations with a complex operand, reached from applyElementwise (elementwise.ts)
 * whenever an operand is a complex array: the operations below compute as NumPy 1.24's complex
 * loops do; every other elementwise operation refuses complex input by its NumPy name.
 *
 * Each output half (re, im) is one run of the compiled real loops of kernel-compiler.ts over
 * the halves of the operands (complex-layout.ts); a real operand's imaginary half is zeros.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, complexPartDType, isBigIntDType, isComplexDType } from "./dtype.js";
import { broadcastShapes } from "./broadcast.js";
import { type StridedOperand, runElementwise } from "./kernel-compiler.js";
import { NDArray, empty } from "./ndarray.js";
import { type Operand, resultType } from "./promotion.js";
import { complexHalf, realOperand } from "./complex-layout.js";
import { complexDivide, complexExp, complexLog, complexPower, complexReciprocal, complexSqrt, identity } from "./complex-math.js";
import { refuseComplex } from "./complex-refusal.js";

/** The expression of one output (re, im, or the real result) from a0/b0 (re/im of operand 0), a1/b1, … */
type Formula = (f: (x: string) => string, lane: 0 | 1) => string;

interface ComplexOperation {
  readonly arity: number;
  /** "complex": a complex result (two runs); "real": the part dtype; "bool". */
  readonly result: "complex" | "real" | "bool";
  readonly formula: Formula;
}

const lanes = (re: Formula, im: Formula): Formula => (f, lane) => (lane === 0 ? re(f, 0) : im(f, 1));
const helperCall = (name: string, args: string): Formula => (_f, lane) => `${name}(${args}, ${lane}, round)`;

const operations: Record<string, ComplexOperation> = {
  add: { arity: 2, result: "complex", formula: lanes((f) => f("a0 + a1"), (f) => f("b0 + b1")) },
  subtract: { arity: 2, result: "complex", formula: lanes((f) => f("a0 - a1"), (f) => f("b0 - b1")) },
  multiply: { arity: 2, result: "complex", formula: lanes((f) => f(`${f("a0 * a1")} - ${f("b0 * b1")}`), (f) => f(`${f("a0 * b1")} + ${f("b0 * a1")}`)) },
  divide: { arity: 2, result: "complex", formula: helperCall("complexDivide", "a0, b0, a1, b1") },
  power: { arity: 2, result: "complex", formula: helperCall("complexPower", "a0, b0, a1, b1") },
  equal: { arity: 2, result: "bool", formula: () => "(a0 === a1 && b0 === b1) ? 1 : 0" },
  not_equal: { arity: 2, result: "bool", formula: () => "(a0 !== a1 || b0 !== b1) ? 1 : 0" },
  negative: { arity: 1, result: "complex", formula: lanes(() => "-a0", () => "-b0") },
  positive: { arity: 1, result: "complex", formula: lanes(() => "a0", () => "b0") },
  conjugate: { arity: 1, result: "complex", formula: lanes(() => "a0", () => "-b0") },
  square: { arity: 1, result: "complex", formula: lanes((f) => f(`${f("a0 * a0")} - ${f("b0 * b0")}`), (f) => f(`${f("a0 * b0")} + ${f("b0 * a0")}`)) },
  reciprocal: { arity: 1, result: "complex", formula: helperCall("complexReciprocal", "a0, b0") },
  sqrt: { arity: 1, result: "complex", formula: helperCall("complexSqrt", "a0, b0") },
  exp: { arity: 1, result: "complex", formula: helperCall("complexExp", "a0, b0") },
  log: { arity: 1, result: "complex", formula: helperCall("complexLog", "a0, b0") },
  absolute: { arity: 1, result: "real", formula: (f) => f("Math.hypot(a0, b0)") },
  real: { arity: 1, result: "real", formula: () => "a0" },
  imag: { arity: 1, result: "real", formula: () => "b0" },
  angle: { arity: 1, result: "real", formula: (f) => f("Math.atan2(b0, a0)") },
  isnan: { arity: 1, result: "bool", formula: () => "(a0 !== a0 || b0 !== b0) ? 1 : 0" },
  isinf: { arity: 1, result: "bool", formula: () => "(a0 === Infinity || a0 === -Infinity || b0 === Infinity || b0 === -Infinity) ? 1 : 0" },
  isfinite: { arity: 1, result: "bool", formula: () => "(Number.isFinite(a0) && Number.isFinite(b0)) ? 1 : 0" },
  // np.where(condition, x, y): the condition is real (a complex one is refused below).
  where: { arity: 3, result: "complex", formula: lanes(() => "(a0 !== 0 ? a1 : a2)", () => "(a0 !== 0 ? b1 : b2)") },
};

/** The operation names (NumPy's) that take complex input. */
export const complexElementwiseNames: readonly string[] = Object.keys(operations);

const zeroSlot = new Float64Array(1);

function halves(array: NDArray, shape: readonly number[]): [StridedOperand, StridedOperand] {
  if (isComplexDType(array.dtype)) return [complexHalf(array, 0, shape), complexHalf(array, 1, shape)];
  return [realOperand(array, shape), { data: zeroSlot, offset: 0, strides: shape.map(() => 0) }];
}

function operandArray(operand: Operand, dtype: DType, name: string): NDArray {
  if (operand instanceof NDArray) return operand;
  if (typeof operand === "number" || typeof operand === "bigint" || typeof operand === "boolean") {
    const out = empty([], dtype);
    (out.storage as Float64Array)[0] = Number(operand);
    return out;
  }
  throw new InvalidOptionError(`${name}: operand must be an NDArray, a number, a bigint or a boolean, got ${String(operand)}`);
}

/** Whether an elementwise call has a complex array operand (and so comes here). */
export function hasComplexOperand(operands: readonly unknown[]): boolean {
  return operands.some((operand) => operand instanceof NDArray && isComplexDType(operand.dtype));
}

/** Runs the complex form of the elementwise operation `name`, or refuses it by name. */
export function applyComplexElementwise(name: string, operands: readonly Operand[], into?: NDArray): NDArray {
  const operation = operations[name === "true_divide" ? "divide" : name];
  const common = resultType(...operands);
  if (!operation) refuseComplex(name, isComplexDType(common) ? common : "complex128");
  if (operation.arity !== operands.length) throw new InvalidOptionError(`${name}: expected ${operation.arity} operand(s), got ${operands.length}`);
  if (!isComplexDType(common)) throw new InvalidOptionError(`${name}: complex operands gave ${common}`);
  const arrays = operands.map((operand) => operandArray(operand, common, name));
  if (name === "where") refuseComplex("where (the condition)", arrays[0].dtype);
  const shape = broadcastShapes(...arrays.map((array) => array.shape));
  const part = complexPartDType(common);
  const resultDType: DType = operation.result === "complex" ? common : operation.result === "real" ? part : "bool";
  if (into && (into.dtype !== resultDType || into.shape.length !== shape.length || into.shape.some((n, axis) => n !== shape[axis]) || !into.isContiguous())) {
    throw new InvalidOptionError(`${name}: the output must be a C-contiguous ${resultDType} array of shape [${shape.join(", ")}], got ${into.dtype} [${into.shape.join(", ")}]`);
  }
  const out = into ?? empty(shape, resultDType);
  const inputs = arrays.flatMap((array) => halves(array, shape));
  const round = part === "float32" ? Math.fround : identity;
  const f = part === "float32" ? (x: string) => `Math.fround(${x})` : (x: string) => `(${x})`;
  // Operand k's halves are x(2k), x(2k+1); 64-bit integers arrive as bigints.
  const names = arrays.flatMap((array, k) => {
    const read = (slot: number) => (isBigIntDType(array.dtype) && slot === 0 ? `Number(x${2 * k})` : `x${2 * k + slot}`);
    return [`a${k} = ${read(0)}`, `b${k} = ${read(1)}`];
  });
  const run = (lane: 0 | 1, target: StridedOperand) => {
    const body = operation.formula(f, lane);
    runElementwise(
      {
        key: `complex:${name}(${arrays.map((array) => array.dtype).join(",")})->${resultDType}:${lane}`,
        arity: inputs.length,
        expression: `((${names.map((entry) => entry.split(" = ")[0]).join(", ")}) => ${body})(${names.map((entry) => entry.split(" = ")[1]).join(", ")})`,
        helpers: { complexDivide, complexExp, complexLog, complexSqrt, complexPower, complexReciprocal, round },
      },
      shape,
      target,
      inputs,
    );
  };
  if (operation.result === "complex") {
    run(0, complexHalf(out, 0));
    run(1, complexHalf(out, 1));
  } else run(0, realOperand(out));
  return out;
}
