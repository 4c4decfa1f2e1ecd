/**
 * Generalized-ufunc signatures, parsed as Dask 2022.12's `_parse_gufunc_signature` (NumPy's
 * grammar, plus zero inputs and trailing commas): `(m,n),(n,p)->(m,p)`, `(i)->(),()`,
 * `->()`; whitespace anywhere is removed first. Dimension names are Python's `\w+` (Unicode
 * letters, digits, underscore). One output is "direct" (the function returns one array);
 * two or more make a list of outputs (the function returns a list of arrays).
 *
 * `vectorize` wraps the function in np.vectorize, which parses the same signature with NumPy's
 * own, stricter grammar (no zero inputs, no trailing commas): numpySignatureRefusal says where
 * NumPy would raise.
 */
import { InvalidOptionError } from "../core/errors.js";

const name = String.raw`[\p{L}\p{N}_]+`;
const daskArgument = String.raw`\((?:${name}(?:,${name})*,?)?\)`;
const daskSignature = new RegExp(String.raw`^(?:${daskArgument}(?:,${daskArgument})*,?)?->${daskArgument}(?:,${daskArgument})*$`, "u");
const numpyArgument = String.raw`\((?:${name}(?:,${name})*)?\)`;
const numpySignature = new RegExp(String.raw`^${numpyArgument}(?:,${numpyArgument})*->${numpyArgument}(?:,${numpyArgument})*$`, "u");

export interface GufuncSignature {
  /** The signature without whitespace (what Dask keeps and passes to np.vectorize). */
  text: string;
  /** Core dimension names of each input. */
  inputs: string[][];
  /** Core dimension names of each output. */
  outputs: string[][];
  /** Dask's nout: null for one direct output, else the number of outputs. */
  nout: number | null;
}

function argumentsOf(text: string): string[][] {
  return [...text.matchAll(new RegExp(daskArgument, "gu"))].map(([argument]) => [...argument.matchAll(new RegExp(name, "gu"))].map(([dim]) => dim));
}

export function parseGufuncSignature(signature: unknown, what: string): GufuncSignature {
  if (typeof signature !== "string") throw new InvalidOptionError(`${what}: the signature has to be a string such as "(i)->()", got ${typeof signature}`);
  const text = signature.replace(/\s+/gu, "");
  if (!daskSignature.test(text)) {
    throw new InvalidOptionError(`${what}: not a valid gufunc signature: ${JSON.stringify(text)} (expected input core dimensions -> output core dimensions, such as "(m,n),(n,p)->(m,p)" or "(i)->(),()")`);
  }
  const [inText, outText] = text.split("->");
  const inputs = argumentsOf(inText);
  const outputs = argumentsOf(outText);
  return { text, inputs, outputs, nout: outputs.length === 1 ? null : outputs.length };
}

/** NumPy's refusal of the signature (np.vectorize's grammar), or null when NumPy takes it. */
export function numpySignatureRefusal(signature: GufuncSignature): string | null {
  return numpySignature.test(signature.text) ? null : `not a valid gufunc signature: ${signature.text} (np.vectorize takes no trailing commas and at least one input)`;
}
