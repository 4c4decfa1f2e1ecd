/**
 * NumPy's float64 `exp` as it runs on x86-64 CPUs with AVX-512 (Skylake-X and later, Zen 4):
 * NumPy 1.22+ dispatches `np.exp` on float64 to Intel's SVML routine `__svml_exp8` (its "la"
 * variant), which is not correctly rounded. scipy builds Gaussian weights with `np.exp`, so a
 * kernel that is bit-identical to scipy must reproduce SVML's rounding, not `Math.exp`'s
 * (they differ in the last bit for about a quarter of Gaussian weights).
 *
 * Main path (|x| < 707.7): x·log2(e) + shifter in round-toward-zero gives N = M + j/16 with 4
 * fractional bits; r = x − N·ln2 (two FMAs, ln2 split in two parts); exp(r) − 1 by a degree-6
 * polynomial evaluated with FMAs; the result is 2^M · Th[j] · (1 + p(r)). Larger |x| goes through
 * SVML's scalar "rare" routine, a 64-entry table method in plain double arithmetic with its own
 * subnormal handling. Constants are SVML's, given as IEEE-754 bits.
 *
 * On x86-64 CPUs without AVX-512, NumPy calls the C library's `exp` instead: glibc's, which
 * differs from this path in the last bit for about one Gaussian weight in twelve (glibc-exp.ts).
 * numpyExp follows the machine it runs on, as NumPy does (numpyExpPath: the CPU's flags in
 * /proc/cpuinfo), so a filter equals scipy's on the same machine: a Dask worker's NumPy picks
 * its path per machine too. Where the flags cannot be read (not Linux), the AVX-512 path.
 */
import { readFileSync } from "node:fs";
import { glibcExp } from "./glibc-exp.js";
import { doubleBits, doubleFromBits, doubleFromHex, fusedMultiplyAdd } from "./exact-fma.js";

const fromHex = doubleFromHex;

/** 2^(j/16), j = 0…15, for the vector path. */
const vectorTable = [
  "3ff0000000000000", "3ff0b5586cf9890f", "3ff172b83c7d517b", "3ff2387a6e756238",
  "3ff306fe0a31b715", "3ff3dea64c123422", "3ff4bfdad5362a27", "3ff5ab07dd485429",
  "3ff6a09e667f3bcd", "3ff7a11473eb0187", "3ff8ace5422aa0db", "3ff9c49182a3f090",
  "3ffae89f995ad3ad", "3ffc199bdd85529c", "3ffd5818dcfba487", "3ffea4afa2a490da",
].map(fromHex);

const log2e = fromHex("3ff71547652b82fe");
/** 1.5·2^48 + 1023: adding it rounds to 4 fractional bits; its low mantissa bits index the table. */
const vectorShifter = fromHex("42f8000000003ff0");
const ln2High = fromHex("3fe62e42fefa39ef");
const ln2Low = fromHex("3c7abc9e3b39803f");
const c6 = fromHex("3f572eb5ef0d213d");
const c5 = fromHex("3f81106603d97c00");
const c4 = fromHex("3fa555564bb4f5f0");
const c3 = fromHex("3fc5555554b508a2");
const c2 = fromHex("3fe0000000002622");
const rareThreshold = fromHex("40861da04cbafe44");

/** [2^(j/64) rounded, (2^(j/64) − that)/that], j = 0…63, for the scalar path. */
const scalarTable = ([
  ["3ff0000000000000", "0000000000000000"], ["3ff02c9a3e778061", "bc7160139cd8dc5d"], ["3ff059b0d3158574", "3c8cd2523567f613"],
  ["3ff0874518759bc8", "3c60f74e61e6c861"], ["3ff0b5586cf9890f", "3c979aa65d837b6d"], ["3ff0e3ec32d3d1a2", "3c3ebe3d702f9cd1"],
  ["3ff11301d0125b51", "bc9556522a2fbd0e"], ["3ff1429aaea92de0", "bc91c923b9d5f416"], ["3ff172b83c7d517b", "bc801b15eaa59348"],
  ["3ff1a35beb6fcb75", "3c8b898c3f1353bf"], ["3ff1d4873168b9aa", "3c9aecf73e3a2f60"], ["3ff2063b88628cd6", "3c8a6f4144a6c38d"],
  ["3ff2387a6e756238", "3c968efde3a8a894"], ["3ff26b4565e27cdd", "3c80472b981fe7f2"], ["3ff29e9df51fdee1", "3c82f7e16d09ab31"],
  ["3ff2d285a6e4030b", "3c8b3782720c0ab4"], ["3ff306fe0a31b715", "3c834d754db0abb6"], ["3ff33c08b26416ff", "3c8fdd395dd3f84a"],
  ["3ff371a7373aa9cb", "bc924aedcc4b5068"], ["3ff3a7db34e59ff7", "bc71d1e83e9436d2"], ["3ff3dea64c123422", "3c859f48a72a4c6d"],
  ["3ff4160a21f72e2a", "bc58a78f4817895b"], ["3ff44e086061892d", "3c4363ed60c2ac11"], ["3ff486a2b5c13cd0", "3c6ecce1daa10379"],
  ["3ff4bfdad5362a27", "3c7690cebb7aafb0"], ["3ff4f9b2769d2ca7", "bc8f94340071a38e"], ["3ff5342b569d4f82", "bc78dec6bd0f385f"],
  ["3ff56f4736b527da", "3c93350518fdd78e"], ["3ff5ab07dd485429", "3c9063e1e21c5409"], ["3ff5e76f15ad2148", "3c9432e62b64c035"],
  ["3ff6247eb03a5585", "bc8c33c53bef4da8"], ["3ff6623882552225", "bc93cedd78565858"], ["3ff6a09e667f3bcd", "bc93b3efbf5e2228"],
  ["3ff6dfb23c651a2f", "bc6367efb86da9ee"], ["3ff71f75e8ec5f74", "bc781f647e5a3ecf"], ["3ff75feb564267c9", "bc8619321e55e68a"],
  ["3ff7a11473eb0187", "bc7b32dcb94da51d"], ["3ff7e2f336cf4e62", "3c65ebe1abd66c55"], ["3ff82589994cce13", "bc9369b6f13b3734"],
  ["3ff868d99b4492ed", "bc94d450d872576e"], ["3ff8ace5422aa0db", "3c8db72fc1f0eab4"], ["3ff8f1ae99157736", "3c7bf68359f35f44"],
  ["3ff93737b0cdc5e5", "bc5da9b88b6c1e29"], ["3ff97d829fde4e50", "bc92434322f4f9aa"], ["3ff9c49182a3f090", "3c71affc2b91ce27"],
  ["3ffa0c667b5de565", "bc87c50422622263"], ["3ffa5503b23e255d", "bc91bbd1d3bcbb15"], ["3ffa9e6b5579fdbf", "3c8469846e735ab3"],
  ["3ffae89f995ad3ad", "3c8c1a7792cb3387"], ["3ffb33a2b84f15fb", "bc55c3d956dcaeba"], ["3ffb7f76f2fb5e47", "bc68d6f438ad9334"],
  ["3ffbcc1e904bc1d2", "3c74ffd70a5fddcd"], ["3ffc199bdd85529c", "3c736eae30af0cb3"], ["3ffc67f12e57d14b", "3c84e08fd10959ac"],
  ["3ffcb720dcef9069", "3c676b2c6c921968"], ["3ffd072d4a07897c", "bc8fad5d3ffffa6f"], ["3ffd5818dcfba487", "3c74a385a63d07a7"],
  ["3ffda9e603db3285", "3c8e5a50d5c192ac"], ["3ffdfc97337b9b5f", "bc82d52107b43e1f"], ["3ffe502ee78b3ff6", "3c74b604603a88d3"],
  ["3ffea4afa2a490da", "bc8ff7128fd391f0"], ["3ffefa1bee615a27", "3c8ec3bc41aa2008"], ["3fff50765b6e4540", "3c8a64a931d185ee"],
  ["3fffa7c1819e90d8", "3c77893b4d91cd9d"]
] as Array<[string, string]>).map(([high, low]) => [fromHex(high), fromHex(low)] as const);

const scalarInvLn2Times64 = fromHex("40571547652b82fe");
const scalarShifter = fromHex("4338000000000000");
const scalarLn2By64High = fromHex("3f862e42fefa0000");
const scalarLn2By64Low = fromHex("3d1cf79abc9e3b3a");
const scalarCoefficients = ["3f56c16a1c2a3ffd", "3f8111123aaf20d3", "3fa5555555558fcc", "3fc55555555548f8", "3fe0000000000000"].map(fromHex);
const overflowBound = fromHex("40862e42fefa39ef");
const subnormalBound = fromHex("c086232bdd7abcd2");
const underflowBound = fromHex("c0874910d52d3051");
const splitter = fromHex("41f8000000000000");
const twoToMinus60 = 2 ** -60;

/** 2^k for −1074 ≤ k ≤ 1023 as the double with exponent field k + 1023 (exactly what SVML builds). */
function powerOfTwo(biasedExponent: number): number {
  return doubleFromBits(BigInt(biasedExponent) << 52n);
}

/** Which float64 exp NumPy 1.22+ runs on an x86-64 CPU: its AVX-512F loop, or glibc's exp (its FMA build, or its SSE2 one). */
export type NumpyExpPath = "avx512" | "glibc-fma" | "glibc";

/** The path for a CPU with these /proc/cpuinfo flags: NumPy's dispatch, then glibc's (FMA and AVX2, or FMA4, for its FMA build). */
export function numpyExpPathFor(flags: ReadonlySet<string>): NumpyExpPath {
  if (flags.has("avx512f")) return "avx512";
  return (flags.has("fma") && flags.has("avx2")) || flags.has("fma4") ? "glibc-fma" : "glibc";
}

let hostPath: NumpyExpPath | undefined;

/** The path NumPy takes on this machine (read once). */
export function numpyExpPath(): NumpyExpPath {
  if (hostPath === undefined) {
    let cpuinfo: string | null = null;
    try {
      cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      cpuinfo = null; // not Linux: no flags to read
    }
    const flags = cpuinfo === null ? null : /^flags\s*:(.*)$/m.exec(cpuinfo);
    hostPath = flags === null ? "avx512" : numpyExpPathFor(new Set(flags[1].trim().split(/\s+/)));
  }
  return hostPath;
}

/** NumPy's float64 exp as it runs on this machine, bit for bit. */
export function numpyExp(x: number): number {
  const path = numpyExpPath();
  return path === "avx512" ? avx512Exp(x) : glibcExp(x, path === "glibc-fma");
}

/** NumPy's float64 exp (AVX-512 build), bit for bit. */
export function avx512Exp(x: number): number {
  if (!(Math.abs(x) >= rareThreshold)) return Number.isNaN(x) ? x : vectorExp(x);
  return rareExp(x);
}

function vectorExp(x: number): number {
  const shifted = fusedMultiplyAdd(x, log2e, vectorShifter, true);
  const n = shifted - vectorShifter;
  let r = fusedMultiplyAdd(-n, ln2High, x);
  r = fusedMultiplyAdd(-n, ln2Low, r);
  const r2 = r * r;
  const p56 = fusedMultiplyAdd(c6, r, c5);
  const p34 = fusedMultiplyAdd(c4, r, c3);
  const r3 = r2 * r;
  const p12 = fusedMultiplyAdd(r2, c2, r);
  const p36 = fusedMultiplyAdd(r2, p56, p34);
  const expm1 = fusedMultiplyAdd(r3, p36, p12);
  const th = vectorTable[Number(doubleBits(shifted) & 15n)];
  const mantissa = fusedMultiplyAdd(th, expm1, th);
  // vscalefpd: mantissa · 2^floor(n), one rounding (only subnormal results round).
  const m = Math.floor(n);
  return m >= -1022 ? mantissa * 2 ** m : mantissa * 0.5 * 2 ** (m + 1);
}

function rareExp(x: number): number {
  if (!Number.isFinite(x)) return x === -Infinity ? 0 : x * x;
  if (x > overflowBound) return Infinity;
  if (x < underflowBound) return 0;
  const shifted = scalarInvLn2Times64 * x + scalarShifter;
  const low32 = Number(doubleBits(shifted) & 0xffffffffn);
  const n = shifted - scalarShifter;
  const r = (x - n * scalarLn2By64High) - n * scalarLn2By64Low;
  let p = scalarCoefficients[0] * r;
  for (let k = 1; k < scalarCoefficients.length; k++) p = (p + scalarCoefficients[k]) * r;
  p = p * r + r;
  const [high, low] = scalarTable[low32 & 63];
  p = (p + low) * high;
  const m = low32 >>> 6; // SVML shifts the 32-bit pattern logically; exponents wrap mod 2048
  if (x < subnormalBound) {
    const biased = (m + 1083) & 2047; // scale by 2^60 first, undo after: one final rounding
    const scale = powerOfTwo(biased);
    const scaledP = p * scale;
    const scaledHigh = scale * high;
    const sum = scaledHigh + scaledP;
    if (biased <= 50) return sum * twoToMinus60;
    const tail = (scaledHigh - sum) + scaledP;
    const big = sum * splitter;
    const head = (sum + big) - big;
    const rest = tail + (sum - head);
    return head * twoToMinus60 + rest * twoToMinus60;
  }
  const biased = (m + 1023) & 2047;
  const result = p + high;
  if (biased > 2046) return result * powerOfTwo((biased - 1) & 2047) * 2;
  return result * powerOfTwo(biased);
}
