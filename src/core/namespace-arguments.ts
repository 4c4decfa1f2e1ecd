/**
 * The argument-count checks of one namespace's public functions (tessera/ndarray,
 * tessera/ndimage): a table names each function's parameters, and a function — or a built-in,
 * checked inside the very function its name resolves to on workers — refuses arguments beyond
 * them (argument-count.ts). An extra array is named by its shape.
 */
import { describeArgument, withArgumentCount } from "./argument-count.js";
import { defineBuiltin } from "./builtin.js";

/** An array (anything with a shape) named by its shape in a refusal; anything else as describeArgument words it. */
export function describeArrayArgument(value: unknown): string {
  const shape = (value as { shape?: unknown } | null)?.shape;
  if (typeof value === "object" && value !== null && Array.isArray(shape)) return `an array of shape [${shape.join(", ")}]`;
  return describeArgument(value);
}

export interface NamespaceArgumentChecks {
  /** The parameters `name` is listed with; a name the table lacks is a programming error, caught at load. */
  parametersOf(name: string): readonly string[];
  /** `fn`, refusing arguments beyond those `name` is listed with. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  withPublicParameters<F extends (...args: any[]) => any>(name: string, fn: F): F;
  /** A public built-in: `fn` checked against its parameters, then tagged (the checked function is the one workers resolve). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definePublicBuiltin<F extends (...args: any[]) => any>(name: string, fn: F): F;
}

/**
 * The checks of a namespace whose functions users call as `${label}.<name>` and workers resolve
 * as `${builtin}.<name>`; `keywordsOf` names whose keyword options a user may have meant.
 */
export function namespaceArgumentChecks(names: { label: string; builtin: string }, table: Readonly<Record<string, readonly string[]>>, keywordsOf: string): NamespaceArgumentChecks {
  const wording = { describe: describeArrayArgument, keywordsOf };
  const parametersOf = (name: string): readonly string[] => {
    const params = table[name];
    if (!params) throw new Error(`${names.label} public parameters: no parameters listed for ${name}`);
    return params;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const withPublicParameters = <F extends (...args: any[]) => any>(name: string, fn: F): F => withArgumentCount(`${names.label}.${name}`, parametersOf(name), fn, wording);
  return {
    parametersOf,
    withPublicParameters,
    definePublicBuiltin: (name, fn) => defineBuiltin(`${names.builtin}.${name}`, withPublicParameters(name, fn)),
  };
}
