/**
 * Compiled reduction loops (see kernel-compiler.ts for why loops are generated per dtype).
 *
 * A kernel fills every output element (an odometer over the kept axes); for each it walks an
 * odometer over the "outer" reduced axes and, for each outer position, the "suffix" sequence
 * (the reduced axes that NumPy iterates innermost, see reduction-plan.ts). Float sums reproduce NumPy's summation exactly:
 * the suffix sequence is cut into blocks of 8192 elements (NumPy's ufunc buffer size; when the
 * suffix is not one strided run NumPy copies each block into its buffer first, and so do we),
 * each block is summed with NumPy's pairwise algorithm (`pairwise_sum` in loops_utils.h: below
 * 8 elements a plain loop; up to 128 elements eight interleaved partial sums combined as
 * ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus the tail; above, two halves whose first length is a
 * multiple of 8), and block sums are added in order to the accumulator, which starts at 0.
 * float32 sums accumulate in float32.
 */
export interface ReductionKernelSpec {
  /** Identifies the loop: operation, input dtype, result dtype and variant. */
  readonly key: string;
  /** Expression converting a stored element `$v` into the accumulator's domain. */
  readonly read: string;
  /** "pairwise": float sums; "fold": `step` for every element; "arg": index of the winner. */
  readonly style: "pairwise" | "fold" | "arg";
  /** Initial accumulator; may use `first`, the converted first element. */
  readonly init: string;
  /**
   * fold: statements updating `acc` from `x` (`break element;` ends this output element early).
   * arg: a condition, true when `x` beats `best`.
   */
  readonly step: string;
  /** pairwise: expression adding `$a` and `$b` in the accumulator's arithmetic. */
  readonly add?: string;
  /**
   * pairwise over float64 input and accumulator: a unit-stride run's blocks of at least
   * `stagedMinimum` elements are summed by the helper `pairwiseStaged(data, start, count)`
   * (pairwise-sum-wasm.ts: the same additions, in WebAssembly), which `helpers` must hold.
   */
  readonly staged?: boolean;
  /** Whether `acc` is a bigint (64-bit integer accumulators, and min/max of int64/uint64). */
  readonly bigintAccumulator?: boolean;
  /** Expression converting the final `$a` for the output's storage (default: as is). */
  readonly store?: string;
  readonly helpers?: Readonly<Record<string, unknown>>;
}

/** The iteration a kernel needs: see reduction-plan.ts. */
export interface ReductionWalk {
  readonly offset: number;
  readonly outShape: readonly number[];
  readonly keptStrides: readonly number[];
  readonly outerShape: readonly number[];
  readonly outerStrides: readonly number[];
  readonly suffixShape: readonly number[];
  readonly suffixStrides: readonly number[];
}

/** Reduces `data` into every element of `out` (C order over the kept axes). */
export type ReductionKernel = (data: ArrayLike<number | bigint>, out: ArrayLike<number | bigint>, walk: ReductionWalk) => void;

/** NumPy's NPY_BUFSIZE: the largest block one inner-loop call of a reduction sees. */
const reductionBlockSize = 8192;

/**
 * The shortest run worth staging into WebAssembly memory (a copy and a call into the module
 * cost about what the JS loop spends on a few hundred elements); either way the bits are equal.
 */
export const stagedMinimum = 512;

const kernelCache = new Map<string, ReductionKernel>();

/** Replaces `$name` placeholders of a template with code. */
function fillIn(template: string, values: Record<string, string>): string {
  return template.replace(/\$[a-z]+/g, (token) => values[token] ?? token);
}

/**
 * NumPy's pairwise_sum as a generated function. The leaf has a unit-stride copy (every sum of
 * a contiguous block, the scratch of a fused x + x.T included): the same additions in the same
 * order, with `q + j` indices instead of `p + (i + j)·s`, 0.33 → 0.29 ms for a 500² float64 block.
 */
function pairwiseSource(name: string, read: string, add: string): string {
  const rd = (index: string) => fillIn(read, { $v: `data[${index}]` });
  const sum = (a: string, b: string) => fillIn(add, { $a: `(${a})`, $b: `(${b})` });
  const lanes = [0, 1, 2, 3, 4, 5, 6, 7];
  return `
function ${name}(data, p, n, s) {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = ${sum("res", rd("p + i * s"))};
    return res;
  }
  if (n <= 128 && s === 1) {
    ${lanes.map((j) => `let r${j} = ${rd(`p + ${j}`)};`).join(" ")}
    const end = p + n - (n % 8);
    let q = p + 8;
    for (; q < end; q += 8) {
      ${lanes.map((j) => `r${j} = ${sum(`r${j}`, rd(`q + ${j}`))};`).join(" ")}
    }
    let res = ${sum(sum(sum("r0", "r1"), sum("r2", "r3")), sum(sum("r4", "r5"), sum("r6", "r7")))};
    for (; q < p + n; q++) res = ${sum("res", rd("q"))};
    return res;
  }
  if (n <= 128) {
    ${lanes.map((j) => `let r${j} = ${rd(`p + ${j} * s`)};`).join(" ")}
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const q = p + i * s;
      ${lanes.map((j) => `r${j} = ${sum(`r${j}`, rd(`q + ${j} * s`))};`).join(" ")}
    }
    let res = ${sum(sum(sum("r0", "r1"), sum("r2", "r3")), sum(sum("r4", "r5"), sum("r6", "r7")))};
    for (; i < n; i++) res = ${sum("res", rd("p + i * s"))};
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return ${sum(`${name}(data, p, n2, s)`, `${name}(data, p + n2 * s, n - n2, s)`)};
}`;
}

/** Loops over the suffix sequence from `p` (odometer on all but its last axis), element index `i`. */
function walkSuffix(body: string): string {
  return `
      let q = p;
      for (let r = 0; r < suffixOuter; r++) {
        for (let k = 0, i = q; k < runLength; k++, i += runStride) {
          ${body}
        }
        for (let a = sn - 2; a >= 0; a--) {
          q += suffixStrides[a];
          if (++suffixCounter[a] < suffixShape[a]) break;
          suffixCounter[a] = 0;
          q -= suffixStrides[a] * suffixShape[a];
        }
      }`;
}

/** The statements that consume one suffix sequence starting at `p`. */
function suffixSource(spec: ReductionKernelSpec): string {
  const read = fillIn(spec.read, { $v: "data[i]" });
  if (spec.style === "pairwise") {
    const add = (value: string) => fillIn(spec.add ?? "$a + $b", { $a: "acc", $b: value });
    // A run of one element: pairwise gives 0 + x, and acc (which starts at +0 and so is never
    // −0) + (0 + x) equals acc + x, so skip the call.
    return `
    if (sn === 1 && runLength === 1) {
      acc = ${add(fillIn(spec.read, { $v: "data[p]" }))};
    } else if (sn === 1) {
      for (let c = 0; c < runLength; c += blockSize) {
        ${spec.staged ? `const count = Math.min(blockSize, runLength - c);
        acc = ${add(`(runStride === 1 && count >= ${stagedMinimum} ? pairwiseStaged(data, p + c, count) : pairwise(data, p + c * runStride, count, runStride))`)};`
    : `acc = ${add("pairwise(data, p + c * runStride, Math.min(blockSize, runLength - c), runStride)")};`}
      }
    } else {
      let filled = 0;
      ${walkSuffix(`buffer[filled++] = ${read};
          if (filled === blockSize) { acc = ${add("pairwiseBuffer(buffer, 0, filled, 1)")}; filled = 0; }`)}
      if (filled > 0) acc = ${add("pairwiseBuffer(buffer, 0, filled, 1)")};
    }`;
  }
  if (spec.style === "arg") {
    return walkSuffix(`const x = ${read};
          if (${spec.step}) { best = x; acc = position; }
          position++;`);
  }
  return walkSuffix(`const x = ${read};
          ${spec.step}`);
}

/**
 * The whole kernel. After each output element the odometers are rewound, because a fold step
 * may leave them mid-walk with `break element` (any/all stop at the first decisive element).
 */
function kernelSource(spec: ReductionKernelSpec): string {
  const pairwise = spec.style === "pairwise";
  const add = spec.add ?? "$a + $b";
  return `
"use strict";
const blockSize = ${reductionBlockSize};
${pairwise ? pairwiseSource("pairwise", spec.read, add) : ""}
${pairwise ? pairwiseSource("pairwiseBuffer", "$v", add) : ""}
${pairwise ? "const buffer = new Float64Array(blockSize);" : ""}
return function reduce(data, out, walk) {
  const outShape = walk.outShape, keptStrides = walk.keptStrides, kd = outShape.length;
  const outerShape = walk.outerShape, outerStrides = walk.outerStrides, nd = outerShape.length;
  const suffixShape = walk.suffixShape, suffixStrides = walk.suffixStrides, sn = suffixShape.length;
  const runLength = suffixShape[sn - 1], runStride = suffixStrides[sn - 1];
  let suffixOuter = 1;
  for (let a = 0; a < sn - 1; a++) suffixOuter *= suffixShape[a];
  let outer = 1;
  for (let a = 0; a < nd; a++) outer *= outerShape[a];
  const outCounter = new Array(kd).fill(0), counter = new Array(nd).fill(0), suffixCounter = new Array(sn).fill(0);
  const size = out.length;
  let base = walk.offset;
  for (let j = 0; j < size; j++) {
    const first = ${fillIn(spec.read, { $v: "data[base]" })};
    let acc = ${spec.init};
    ${spec.style === "arg" ? "let best = first, position = 0;" : ""}
    element: {
      let p = base;
      for (let r = 0; r < outer; r++) {
        ${suffixSource(spec)}
        for (let a = nd - 1; a >= 0; a--) {
          p += outerStrides[a];
          if (++counter[a] < outerShape[a]) break;
          counter[a] = 0;
          p -= outerStrides[a] * outerShape[a];
        }
      }
    }
    for (let a = 0; a < nd; a++) counter[a] = 0;
    for (let a = 0; a < sn; a++) suffixCounter[a] = 0;
    out[j] = ${fillIn(spec.store ?? "$a", { $a: "acc" })};
    for (let a = kd - 1; a >= 0; a--) {
      base += keptStrides[a];
      if (++outCounter[a] < outShape[a]) break;
      outCounter[a] = 0;
      base -= keptStrides[a] * outShape[a];
    }
  }
};`;
}

export function compileReduction(spec: ReductionKernelSpec): ReductionKernel {
  let kernel = kernelCache.get(spec.key);
  if (!kernel) {
    const helpers = spec.helpers ?? {};
    const names = Object.keys(helpers);
    kernel = new Function(...names, kernelSource(spec))(...names.map((name) => helpers[name])) as ReductionKernel;
    kernelCache.set(spec.key, kernel);
  }
  return kernel;
}
