// Seeded random einsum cases for the differential tests (eager against NumPy in test/ndarray,
// chunked against NumPy and Dask in test/array), and the tolerance their float results are
// held to.
//
// Tolerance: NumPy 1.24's einsum (optimize=False) sums the K products of each result element in
// one loop of its own order (float32 in float32); tessera contracts the operands two at a time
// as matrix products (float32 accumulated in float64, rounded per step) or, chunked, as a tree
// of per-block partial sums. Each of them is within (K + n)·u·Σ|terms| of the exact value for
// n operands (n − 1 roundings per product, K − 1 per sum, intermediate steps summing fewer
// terms each), so two of them differ by at most (K + n)·eps·Σ|terms|, Σ|terms| computed by
// NumPy in float64 as the einsum of the operands' absolute values. Integers and bool exactly.
import * as nd from "../../src/ndarray/index.js";
import { integer, numberDtypes, pick, randomArray, randomChunks, type Rng } from "../array/differential-inputs.js";

export interface EinsumCase {
  label: string;
  subscripts: string;
  operands: nd.NDArray[];
  chunks: number[][][];
  /** Terms per result element plus operands: the factor of the tolerance. */
  k: number;
  /** Blocks along the most-split contracted letter (0 if none is contracted). */
  contractedBlocks: number;
}

/**
 * Templates: the subscripts, and for each letter whether it is contracted (long, many blocks).
 * Ellipses get their own axes (E), some of length 1 in one operand so that they broadcast.
 */
const templates: ReadonlyArray<{ subscripts: string; operands: string[] }> = [
  { subscripts: "ij,jk->ik", operands: ["ij", "jk"] },
  { subscripts: "ij,jk", operands: ["ij", "jk"] },
  { subscripts: "ii", operands: ["ii"] },
  { subscripts: "ii->i", operands: ["ii"] },
  { subscripts: "ij->ji", operands: ["ij"] },
  { subscripts: "ji", operands: ["ji"] },
  { subscripts: "ijk->kij", operands: ["ijk"] },
  { subscripts: "i,j->ij", operands: ["i", "j"] },
  { subscripts: "i,j", operands: ["i", "j"] },
  { subscripts: "ij,kl->ijkl", operands: ["ij", "kl"] },
  { subscripts: "bij,bjk->bik", operands: ["bij", "bjk"] },
  { subscripts: "bij,bjk->kib", operands: ["bij", "bjk"] },
  { subscripts: "...ij,...jk->...ik", operands: ["Eij", "Ejk"] },
  { subscripts: "i...,i...->...", operands: ["iE", "iE"] },
  { subscripts: "...ii->...i", operands: ["Eii"] },
  { subscripts: "...i,...i", operands: ["Ei", "Ei"] },
  { subscripts: "ij,jk,kl->il", operands: ["ij", "jk", "kl"] },
  { subscripts: "ab,bc,ca->", operands: ["ab", "bc", "ca"] },
  { subscripts: "i,i,i->i", operands: ["i", "i", "i"] },
  { subscripts: "ijk,jil->kl", operands: ["ijk", "jil"] },
  { subscripts: "iij->j", operands: ["iij"] },
  { subscripts: "ij->", operands: ["ij"] },
  { subscripts: "ij->j", operands: ["ij"] },
  { subscripts: "i,i", operands: ["i", "i"] },
  { subscripts: "ij,ij->ij", operands: ["ij", "ij"] },
  { subscripts: "Ba,bA", operands: ["Ba", "bA"] },
  { subscripts: "ij,j->i", operands: ["ij", "j"] },
  { subscripts: "ij , jk -> ki", operands: ["ij", "jk"] },
];

/** Block sizes 1–3: ≥ 8 blocks along a contracted letter of length ≥ 24. */
function manyChunks(rng: Rng, n: number): number[] {
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const size = Math.min(left, integer(rng, 1, 3));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** The letters of the output, as NumPy reads the template (implicit: letters used once, sorted). */
function outputLetters(subscripts: string, operands: string[]): string[] {
  const arrow = subscripts.indexOf("->");
  if (arrow >= 0) return [...subscripts.slice(arrow + 2)].filter((c) => /[A-Za-z]/.test(c));
  const all = operands.join("").replace(/E/g, "");
  return [...new Set(all)].filter((c) => all.split(c).length === 2).sort();
}

export function drawEinsum(rng: Rng, index: number): EinsumCase {
  const { subscripts, operands: letterLists } = pick(rng, templates);
  const output = outputLetters(subscripts, letterLists);
  const letters = [...new Set(letterLists.join("").replace(/E/g, ""))];
  const contracted = letters.filter((c) => !output.includes(c));
  // One contracted letter long (24–40, split into blocks of 1–3); the others short, so that chains stay small.
  const longLetter = contracted.length > 0 ? pick(rng, contracted) : null;
  const sizes = new Map(letters.map((c) => [c, c === longLetter ? integer(rng, 24, 40) : pick(rng, [1, 2, 3, 4, 5])]));
  const ellipsis = Array.from({ length: integer(rng, 0, 2) }, () => pick(rng, [2, 3, 4]));
  const dtypeA = pick(rng, numberDtypes);
  const chunkOf = new Map<string, number[]>();
  const operands: nd.NDArray[] = [];
  const chunks: number[][][] = [];
  const axisLetterLists: string[][] = [];
  letterLists.forEach((list, i) => {
    // An operand's ellipsis: the shared axes, some dropped from the left or of length 1 (broadcast).
    const own = i === 0 ? ellipsis : ellipsis.slice(integer(rng, 0, ellipsis.length)).map((n) => (rng() < 0.3 ? 1 : n));
    const shape = [...list].flatMap((c) => (c === "E" ? own : [sizes.get(c) as number]));
    const axisLetters = [...list].flatMap((c) => (c === "E" ? own.map(() => "") : [c]));
    axisLetterLists.push(axisLetters);
    const dtype = rng() < 0.7 ? dtypeA : pick(rng, numberDtypes);
    operands.push(randomArray(rng, dtype, shape));
    chunks.push(shape.map((n, axis) => {
      const letter = axisLetters[axis];
      if (letter === longLetter) {
        const cached = chunkOf.get(letter) ?? manyChunks(rng, n);
        chunkOf.set(letter, rng() < 0.5 ? cached : manyChunks(rng, n));
        return cached;
      }
      return randomChunks(rng, n);
    }));
  });
  const terms = contracted.reduce((product, c) => product * (sizes.get(c) as number), 1);
  const contractedBlocks = longLetter === null ? 0 : Math.min(...axisLetterLists.flatMap((list, i) => list.flatMap((c, axis) => (c === longLetter ? [chunks[i][axis].length] : []))));
  const shapes = operands.map((x) => `${x.dtype}(${x.shape.join(",")})`).join(" ");
  return { label: `case${index}: einsum("${subscripts}", ${shapes})`, subscripts, operands, chunks, k: terms + operands.length, contractedBlocks };
}

/** The einsum in Python over operand expressions. */
export const pythonEinsum = (c: EinsumCase, operands: string[], module: "np" | "da"): string =>
  `${module}.einsum(${JSON.stringify(c.subscripts)}, ${operands.join(", ")})`;

/** NumPy's Σ|terms| for the case, in float64 (the scale of the tolerance). */
export const pythonTermBound = (c: EinsumCase, operands: string[]): string =>
  pythonEinsum(c, operands.map((x) => `np.abs(${x}.astype('f8'))`), "np");

export { numberDtypes };
