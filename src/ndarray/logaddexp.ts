/**
 * NumPy's logaddexp(x, y) = log(eˣ + eʸ) and logaddexp2 (base 2), without overflow.
 *
 * Float loops only: operands go to the float loop NumPy's type resolution finds
 * (float-binary.ts; bool/int8/uint8 float32 where NumPy gives float16). The formula is
 * NumPy's npy_logaddexp(f) / npy_logaddexp2(f): x == y gives x + log 2 (x + 1), so equal
 * infinities give that infinity, not inf − inf = NaN; otherwise the larger plus
 * log1p(exp(−|x − y|)); NaN propagates. float32 rounds every step to float32 as NumPy's float
 * version does. NumPy calls glibc's exp/expf and log1p/log1pf in that scalar code; V8's
 * fdlibm versions differ from glibc's in the last bits, so the tests allow 4 ulps.
 */
import { type ElementwiseOperation, inCommonDType } from "./elementwise.js";
import { allowWritingOverOperands } from "./operand-reuse.js";
import { defineBinary } from "./binary-builtin.js";
import { applyFloatLoop } from "./float-binary.js";

function logaddexp64(x: number, y: number): number {
  if (x === y) return x + Math.LN2;
  const t = x - y;
  if (t > 0) return x + Math.log1p(Math.exp(-t));
  if (t <= 0) return y + Math.log1p(Math.exp(t));
  return t;
}

const f = Math.fround;
const ln2Float32 = f(Math.LN2);
function logaddexp32(x: number, y: number): number {
  if (x === y) return f(x + ln2Float32);
  const t = f(x - y);
  if (t > 0) return f(x + f(Math.log1p(f(Math.exp(-t)))));
  if (t <= 0) return f(y + f(Math.log1p(f(Math.exp(t)))));
  return t;
}

function logaddexp2_64(x: number, y: number): number {
  if (x === y) return x + 1;
  const t = x - y;
  if (t > 0) return x + Math.LOG2E * Math.log1p(2 ** -t);
  if (t <= 0) return y + Math.LOG2E * Math.log1p(2 ** t);
  return t;
}

const log2eFloat32 = f(Math.LOG2E);
function logaddexp2_32(x: number, y: number): number {
  if (x === y) return f(x + 1);
  const t = f(x - y);
  if (t > 0) return f(x + f(log2eFloat32 * f(Math.log1p(f(2 ** -t)))));
  if (t <= 0) return f(y + f(log2eFloat32 * f(Math.log1p(f(2 ** t)))));
  return t;
}

const logaddexpOperation: ElementwiseOperation = {
  name: "logaddexp",
  resolve: inCommonDType,
  expression: ([a, b], { loop }) => `${loop === "float32" ? "logaddexp32" : "logaddexp64"}(${a}, ${b})`,
  helpers: { logaddexp32, logaddexp64 },
};

const logaddexp2Operation: ElementwiseOperation = {
  name: "logaddexp2",
  resolve: inCommonDType,
  expression: ([a, b], { loop }) => `${loop === "float32" ? "logaddexp2_32" : "logaddexp2_64"}(${a}, ${b})`,
  helpers: { logaddexp2_32, logaddexp2_64 },
};

allowWritingOverOperands("ndarray.logaddexp", "ndarray.logaddexp2");

/** log(exp(x) + exp(y)) without overflow. */
export const logaddexp = defineBinary("logaddexp", logaddexpOperation, applyFloatLoop);
/** log2(2^x + 2^y) without overflow. */
export const logaddexp2 = defineBinary("logaddexp2", logaddexp2Operation, applyFloatLoop);
