/**
 * NumPy 1.24's einsum subscript grammar, read into labels: each operand's axes get a label
 * (a letter's character code; the axes an ellipsis covers get codes from 128 up, right-aligned
 * as broadcasting aligns them), and the output gets its labels, explicit after "->" or implicit
 * (the ellipsis axes, then the letters used exactly once, sorted by code: uppercase first).
 * The errors are NumPy's, worded as its C einsum words them (its "more operands" and "fewer
 * operands" messages are swapped there; they are kept for a user searching them, with the
 * counts added so that they are not misleading).
 */
import { InvalidOptionError } from "../core/errors.js";

/** The first label code given to an ellipsis axis (above every ASCII letter). */
export const ellipsisLabel = 128;

export interface EinsumPlan {
  /** Each operand's label per axis (repeats: a diagonal). */
  inputs: number[][];
  output: number[];
  /** Each label's length after broadcasting (operands of length 1 there broadcast). */
  sizes: Map<number, number>;
}

const fail = (message: string): never => {
  throw new InvalidOptionError(`einsum: ${message}`);
};

const isLetter = (char: string): boolean => /^[A-Za-z]$/.test(char);
const formatShape = (shape: readonly number[]): string => `(${shape.join(",")}${shape.length === 1 ? "," : ""})`;
export const labelName = (label: number): string => (label >= ellipsisLabel ? `'...' axis ${label - ellipsisLabel}` : `'${String.fromCharCode(label)}'`);

interface Term {
  letters: number[];
  /** Position of the ellipsis among the letters, or -1. */
  ellipsisAt: number;
}

/** One comma-separated term: letters, spaces, at most one "...". */
function readTerm(text: string, where: string): Term {
  const letters: number[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === " ") continue;
    if (char === ".") {
      if (ellipsisAt >= 0 || text.slice(i, i + 3) !== "...") fail(`einstein sum subscripts string contains a '.' that is not part of an ellipsis ('...') in ${where}`);
      ellipsisAt = letters.length;
      i += 2;
      continue;
    }
    if (!isLetter(char)) fail(`invalid subscript '${char}' in einstein sum subscripts string, subscripts must be letters`);
    letters.push(char.charCodeAt(0));
  }
  return { letters, ellipsisAt };
}

function splitArrow(subscripts: string): { inputs: string; output: string | null } {
  const arrow = subscripts.indexOf("->");
  const dash = subscripts.indexOf("-");
  if (dash >= 0 && dash !== arrow) fail("einstein sum subscript string does not contain proper '->' output specified");
  return arrow < 0 ? { inputs: subscripts, output: null } : { inputs: subscripts.slice(0, arrow), output: subscripts.slice(arrow + 2) };
}

/** The labels of every axis of every operand, the output's labels and each label's length. */
export function planEinsum(subscripts: unknown, shapes: ReadonlyArray<readonly number[]>): EinsumPlan {
  if (typeof subscripts !== "string") fail(`subscripts must be a string such as "ij,jk->ik", got ${String(subscripts)}`);
  const { inputs: inputText, output: outputText } = splitArrow(subscripts as string);
  const parts = inputText.split(",");
  if (parts.length > shapes.length) fail(`more operands provided to einstein sum function than specified in the subscripts string (the subscripts name ${parts.length} operands, ${shapes.length} given)`);
  if (parts.length < shapes.length) fail(`fewer operands provided to einstein sum function than specified in the subscripts string (the subscripts name ${parts.length} operands, ${shapes.length} given)`);
  const terms = parts.map((part, i) => readTerm(part, `operand ${i}`));
  let ellipsisNdim = 0;
  const inputs = terms.map(({ letters, ellipsisAt }, i) => {
    const ndim = shapes[i].length;
    if (letters.length > ndim) fail(`einstein sum subscripts string contains too many subscripts for operand ${i}`);
    if (ellipsisAt < 0) {
      if (letters.length < ndim) fail(`operand has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions. (operand ${i} has ${ndim} axes, the subscripts name ${letters.length})`);
      return letters;
    }
    const covered = ndim - letters.length;
    ellipsisNdim = Math.max(ellipsisNdim, covered);
    return [...letters.slice(0, ellipsisAt), ...Array.from({ length: covered }, (_, j) => -covered + j), ...letters.slice(ellipsisAt)];
  });
  // Ellipsis axes were numbered from the right (-covered…-1); now that the widest is known, give them codes.
  const labelled = inputs.map((labels) => labels.map((label) => (label < 0 ? ellipsisLabel + ellipsisNdim + label : label)));
  const ellipsisLabels = Array.from({ length: ellipsisNdim }, (_, j) => ellipsisLabel + j);
  const counts = new Map<number, number>();
  for (const labels of labelled) for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  let output: number[];
  if (outputText === null) {
    const once = [...counts].filter(([label, count]) => count === 1 && label < ellipsisLabel).map(([label]) => label).sort((a, b) => a - b);
    output = [...ellipsisLabels, ...once];
  } else {
    const term = readTerm(outputText, "the output");
    term.letters.forEach((letter, i) => {
      if (!counts.has(letter)) fail(`einstein sum subscripts string included output subscript '${String.fromCharCode(letter)}' which never appeared in an input`);
      if (term.letters.indexOf(letter) !== i) fail(`einstein sum subscripts string includes output subscript '${String.fromCharCode(letter)}' multiple times`);
    });
    if (term.ellipsisAt < 0 && ellipsisNdim > 0) fail("output has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions.");
    output = term.ellipsisAt < 0 ? term.letters : [...term.letters.slice(0, term.ellipsisAt), ...ellipsisLabels, ...term.letters.slice(term.ellipsisAt)];
  }
  return { inputs: labelled, output, sizes: labelSizes(labelled, shapes) };
}

/** Each label's length: one operand's repeated label must agree; across operands, length 1 broadcasts. */
export function labelSizes(inputs: readonly number[][], shapes: ReadonlyArray<readonly number[]>): Map<number, number> {
  const sizes = new Map<number, number>();
  const owner = new Map<number, number>();
  inputs.forEach((labels, i) => {
    const own = new Map<number, number>();
    labels.forEach((label, axis) => {
      const length = shapes[i][axis];
      const seen = own.get(label);
      if (seen !== undefined && seen !== length) fail(`dimensions in operand ${i} for collapsing index ${labelName(label)} don't match (${seen} != ${length})`);
      own.set(label, length);
    });
    for (const [label, length] of own) {
      const size = sizes.get(label);
      if (size === undefined || size === 1) {
        if (size === undefined || length !== 1) owner.set(label, i);
        sizes.set(label, length);
      } else if (length !== 1 && length !== size) {
        const j = owner.get(label) as number;
        fail(`operands could not be broadcast together: subscript ${labelName(label)} has length ${size} in operand ${j} ${formatShape(shapes[j])} and ${length} in operand ${i} ${formatShape(shapes[i])}`);
      }
    }
  });
  return sizes;
}
