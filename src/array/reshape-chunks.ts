/**
 * Dask's reshape_rechunk (dask/array/reshape.py, 2022.12): the chunks the input must have and
 * the chunks the output gets, so that input block k (in C order) reshapes into output block k.
 * Walking both shapes from the last axis: equal lengths keep their chunks; axes merged into one
 * output axis (din < dout) need single chunks on all but the first merged axis, whose chunks
 * are split so the block count is kept; an input axis split into several output axes
 * (din > dout) gets chunks that are multiples of the split-off part. Axes of length 1 are
 * skipped. Reshapes that do not merge or split whole axes get `undefined` (Dask refuses them;
 * reshape.ts goes through one flat axis instead).
 */
import type { Chunks } from "./chunks.js";

const product = (values: readonly number[]): number => values.reduce((a, b) => a * b, 1);

/** Dask's expand_tuple: each chunk split into about `factor` parts. */
export function expandTuple(chunks: readonly number[], factor: number): number[] {
  if (factor === 1) return [...chunks];
  const out: number[] = [];
  for (const c of chunks) {
    let x = c;
    const part = Math.max(x / factor, 1);
    while (x >= 2 * part) {
      out.push(Math.trunc(part));
      x -= Math.trunc(part);
    }
    if (x) out.push(x);
  }
  return out;
}

/** Dask's contract_tuple: chunks merged so that `factor` divides each. */
export function contractTuple(chunks: readonly number[], factor: number): number[] {
  const out: number[] = [];
  let residual = 0;
  for (const chunk of chunks) {
    const total = chunk + residual;
    const good = factor * Math.floor(total / factor);
    residual = total % factor;
    if (good) out.push(good);
  }
  return out;
}

export function reshapeRechunk(inshape: readonly number[], outshape: readonly number[], inchunks: Chunks): { inchunks: Chunks; outchunks: Chunks } | undefined {
  let ii = inshape.length - 1;
  let oi = outshape.length - 1;
  const resultIn: number[][] = new Array<number[]>(inshape.length);
  const resultOut: number[][] = new Array<number[]>(outshape.length);
  while (ii >= 0 || oi >= 0) {
    // Python's negative indexing reads from the end; the loop only gets there on shapes Dask
    // also mishandles, which the size check before it rules out.
    const din = inshape[ii];
    const dout = outshape[oi];
    if (din === dout) {
      resultIn[ii] = [...inchunks[ii]];
      resultOut[oi] = [...inchunks[ii]];
      ii--;
      oi--;
    } else if (din === 1) {
      resultIn[ii] = [1];
      ii--;
    } else if (dout === 1) {
      resultOut[oi] = [1];
      oi--;
    } else if (din < dout) {
      let ileft = ii - 1;
      while (ileft >= 0 && product(inshape.slice(ileft, ii + 1)) < dout) ileft--;
      if (ileft < 0 || product(inshape.slice(ileft, ii + 1)) !== dout) return undefined;
      if (inchunks.slice(0, ii).every((sizes, i) => sizes.length === inshape[i])) {
        // Every lower axis is already chunked by 1: blocks only move.
        for (let i = 0; i <= ii; i++) resultIn[i] = [...inchunks[i]];
        const repeat = product(inchunks.slice(ileft, ii).map((sizes) => sizes.length));
        resultOut[oi] = Array.from({ length: repeat }, () => inchunks[ii]).flat();
      } else {
        for (let i = ileft + 1; i <= ii; i++) resultIn[i] = [inshape[i]];
        const reduction = product(inchunks.slice(ileft + 1, ii + 1).map((sizes) => sizes.length));
        resultIn[ileft] = expandTuple(inchunks[ileft], reduction);
        const prod = product(inshape.slice(ileft + 1, ii + 1));
        resultOut[oi] = resultIn[ileft].map((c) => prod * c);
      }
      oi--;
      ii = ileft - 1;
    } else {
      let oleft = oi - 1;
      while (oleft >= 0 && product(outshape.slice(oleft, oi + 1)) < din) oleft--;
      if (oleft < 0 || product(outshape.slice(oleft, oi + 1)) !== din) return undefined;
      const cs = product(outshape.slice(oleft + 1, oi + 1));
      resultIn[ii] = contractTuple(inchunks[ii], cs);
      for (let i = oleft + 1; i <= oi; i++) resultOut[i] = [outshape[i]];
      resultOut[oleft] = resultIn[ii].map((c) => Math.floor(c / cs));
      oi = oleft - 1;
      ii--;
    }
  }
  return { inchunks: resultIn, outchunks: resultOut };
}
