/**
 * The guard walk behind the complex-guard tests: every public function of a namespace is
 * called with a small complex input and must either refuse it (an error that says complex) or
 * return exactly what NumPy / Dask / scipy return for the same call. Names that take no array
 * are listed with the reason; functions that need other arguments first get them from `calls`.
 */
import assert from "node:assert/strict";
import type * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray } from "./complex-compare.js";

export interface GuardCall {
  /** The arguments (the complex input among them). */
  args: () => unknown[];
  /** The Python expression of the same call, when the function supports complex input. */
  python?: string;
}

export interface GuardPlan {
  namespace: Record<string, unknown>;
  prefix: string;
  /** Default arguments when a name has no entry in calls: the complex input alone. */
  input: () => unknown;
  calls: Record<string, GuardCall>;
  /** Names not called, with why (they take no array). */
  skip: Record<string, string>;
  /** Python expression for names called with the default arguments that support complex. */
  verified: Record<string, string>;
  pythonInputs: Record<string, nd.NDArray>;
  /** Turns a lazy result into an NDArray (await compute). */
  settle: (value: unknown) => Promise<unknown>;
}

/**
 * What counts as a refusal: tessera's "<operation> does not support complex input (complex128)",
 * the ndimage filters' "input dtype complex128 is not supported", NumPy's cast refusal, and
 * the label functions' refusal of anything but integers.
 */
const refusal = /does not support complex input \(complex(64|128)\)|dtype complex(64|128) is not supported|dtype\('complex(64|128)'\)|complex(64|128) is not an integer dtype|integer label array, got complex(64|128)/;

export async function walkGuard(plan: GuardPlan): Promise<{ refused: string[]; supported: string[] }> {
  const refused: string[] = [];
  const returned = new Map<string, unknown>();
  const problems: string[] = [];
  const python: Record<string, string> = {};
  for (const name of Object.keys(plan.namespace).sort()) {
    const fn = plan.namespace[name];
    if (name in plan.skip || typeof fn !== "function") continue;
    const call = plan.calls[name];
    const z = plan.input;
    // Without a planned call: the input alone, then as both operands of a binary function, then with a scalar.
    const attempts = call ? [call.args()] : [[z()], [z(), z()], [z(), 1]];
    let outcome = "";
    for (const args of attempts) {
      try {
        const value = await plan.settle((fn as (...a: unknown[]) => unknown)(...args));
        const expression = call?.python ?? plan.verified[name];
        if (!expression) outcome = `${plan.prefix}.${name} returned a result for complex input and has no reference to check it against`;
        else {
          returned.set(name, value);
          python[name] = expression;
          outcome = "ok";
        }
        break;
      } catch (error) {
        const message = (error as Error).message;
        if (refusal.test(message)) {
          refused.push(name);
          outcome = "ok";
          break;
        }
        outcome = `${plan.prefix}.${name} threw without naming complex: ${message.slice(0, 160)}`;
      }
    }
    if (outcome !== "ok") problems.push(outcome);
  }
  assert.deepEqual(problems, [], "functions that neither refuse complex nor match the reference");
  const expected = evaluatePython(plan.pythonInputs, python);
  for (const [name, value] of returned) {
    const reference = expected[name];
    assert.ok(reference.array, `${plan.prefix}.${name}: the reference raised ${reference.error}`);
    assertCloseArray(value as nd.NDArray, reference.array, `${plan.prefix}.${name}`, 1e-14);
  }
  return { refused, supported: [...returned.keys()] };
}
