/**
 * Casting copies that involve a complex dtype, with NumPy's unsafe casting rules:
 * complex → complex casts each half; real → complex stores the value as re and 0 as im;
 * complex → real keeps re and drops im (NumPy does the same, with a ComplexWarning that tessera
 * has no channel for); complex → bool is `re != 0 or im != 0`, as NumPy's.
 */
import { castExpression, castHelpers } from "./cast-expressions.js";
import { complexPartDType, isComplexDType } from "./dtype.js";
import { runElementwise } from "./kernel-compiler.js";
import type { NDArray } from "./ndarray.js";
import { complexHalf, realOperand } from "./complex-layout.js";

export function assignWithComplex(target: NDArray, source: NDArray): void {
  const shape = target.shape;
  const kernel = (key: string, arity: number, expression: string) => ({ key: `complex-cast:${key}`, arity, expression, helpers: castHelpers });
  if (isComplexDType(target.dtype)) {
    const to = complexPartDType(target.dtype);
    if (isComplexDType(source.dtype)) {
      const from = complexPartDType(source.dtype);
      const cast = kernel(`${from}->${to}`, 1, castExpression(from, to, "x0"));
      runElementwise(cast, shape, complexHalf(target, 0), [complexHalf(source, 0, shape)]);
      runElementwise(cast, shape, complexHalf(target, 1), [complexHalf(source, 1, shape)]);
      return;
    }
    runElementwise(kernel(`${source.dtype}->${to}`, 1, castExpression(source.dtype, to, "x0")), shape, complexHalf(target, 0), [realOperand(source, shape)]);
    runElementwise(kernel("zero", 0, "0"), shape, complexHalf(target, 1), []);
    return;
  }
  const from = complexPartDType(source.dtype);
  if (target.dtype === "bool") {
    runElementwise(kernel(`${from}->bool`, 2, "(x0 !== 0 || x1 !== 0) ? 1 : 0"), shape, realOperand(target), [complexHalf(source, 0, shape), complexHalf(source, 1, shape)]);
    return;
  }
  runElementwise(kernel(`${from}->${target.dtype}`, 1, castExpression(from, target.dtype, "x0")), shape, realOperand(target), [complexHalf(source, 0, shape)]);
}
