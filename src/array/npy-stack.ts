/**
 * ta.toNpyStack / ta.fromNpyStack: Dask's npy stack on disk, a directory holding `0.npy`,
 * `1.npy`, … (one block per file along `axis`, whole along every other axis) and `info`, the
 * pickled dict {chunks, dtype, axis} (npy-stack-info.ts reads it without running pickle and
 * writes it so Dask reads it too). Stacks Dask writes are read here and the other way round.
 *
 * Unlike Dask, a write never leaves a stack that reads as complete but is not: the old `info`
 * goes first, every block is written into a staging folder and moved in (by rename) once all
 * are written, and `info` (also by rename) comes last; so an array read from the same stack
 * can be written back over it (Dask's tasks would read blocks already overwritten). A read checks that every block file is there, and each block's shape
 * and dtype against `info`, refusing a mismatch by name (NpyStackError / NpyFormatError).
 * Workers write and read the files, so on a cluster the directory must be on a shared file
 * system (as in Dask); a relative path is resolved on the caller's side.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { filesystemPathOf } from "../core/file-paths.js";
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { dtypeOfDescr } from "../ndarray/npy-format.js";
import { loadNpyBlock, saveNpyBlock } from "../ndarray/npy-files.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { LazyArray } from "./array.js";
import { PerBlockExpr } from "./per-block.js";
import { NpyStackError, readStackInfo, writeStackInfo } from "./npy-stack-info.js";
import { hasUnknownChunks } from "./unknown-chunks.js";

export { NpyStackError } from "./npy-stack-info.js";

export interface ToNpyStackOptions {
  /** The axis the files split (Dask's axis=0); the array is rechunked to one block along the others. */
  axis?: number;
}

export interface FromNpyStackOptions {
  /** Dask's mmap_mode: "r" (default), "c" or null read the same values; "r+" / "w+" (writing through) are refused. */
  mmapMode?: "r" | "c" | null;
}

const saveRef = functionRefOf(saveNpyBlock);
const loadRef = functionRefOf(loadNpyBlock);

export async function toNpyStack(dirname: string, x: LazyArray, options: ToNpyStackOptions = {}): Promise<void> {
  if (typeof dirname !== "string" || dirname === "") throw new InvalidOptionError(`toNpyStack: dirname must be a directory path, got ${JSON.stringify(dirname)}`);
  if (!(x instanceof LazyArray)) throw new InvalidOptionError("toNpyStack: x must be a tessera array (ta.asarray wraps an NDArray)");
  refuseUnknownKeys(options, ["axis"], "toNpyStack");
  const given = options.axis ?? 0;
  if (!Number.isInteger(given) || given < -x.ndim || given >= x.ndim) throw new InvalidOptionError(`toNpyStack: axis ${JSON.stringify(given)} is out of bounds for an array of ${x.ndim} axes`);
  if (hasUnknownChunks(x.chunks)) throw new InvalidOptionError("toNpyStack: the array has unknown chunk sizes; call computeChunkSizes() first");
  const axis = given < 0 ? given + x.ndim : given;
  const chunks = x.chunks.map((sizes, a) => (a === axis ? [...sizes] : [x.shape[a]]));
  const xx = x.rechunk(chunks);
  const dir = filesystemPathOf("toNpyStack: dirname", dirname);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new NpyStackError(`toNpyStack: ${dir} exists and is not a directory`);
  mkdirSync(dir, { recursive: true });
  // Without info the directory reads as no stack, until every block is in place.
  rmSync(join(dir, "info"), { force: true });
  const count = chunks[axis].length;
  // The blocks go to a staging folder and move in only once all are computed: x may read this
  // very stack (fromNpyStack(dir) flipped, rechunked, …), and a block written in place could be
  // read back by a task that is still to run, as its old self (silently wrong values).
  const staging = mkdtempSync(join(dir, ".to-npy-stack-"));
  try {
    const expr = new PerBlockExpr(saveRef, [xx], ([i]) => ({ blocks: [{ node: xx, index: chunks.map((_, a) => (a === axis ? i : 0)) }], args: [join(staging, `${i}.npy`)] }));
    const saves = new LazyArray(`to-npy-stack-${tokenize(xx.name, staging)}`, [count], [new Array<number>(count).fill(1)], "float64", expr);
    await saves.compute();
    for (let i = 0; i < count; i++) renameSync(join(staging, `${i}.npy`), join(dir, `${i}.npy`));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const temporary = join(dir, `info.${process.pid}.tmp`);
  writeFileSync(temporary, writeStackInfo({ chunks, descr: dtypeInfo(x.dtype).numpy, axis }));
  renameSync(temporary, join(dir, "info"));
}

export function fromNpyStack(dirname: string, options: FromNpyStackOptions = {}): LazyArray {
  if (typeof dirname !== "string" || dirname === "") throw new InvalidOptionError(`fromNpyStack: dirname must be a directory path, got ${JSON.stringify(dirname)}`);
  refuseUnknownKeys(options, ["mmapMode"], "fromNpyStack");
  if (options.mmapMode !== undefined && options.mmapMode !== null && options.mmapMode !== "r" && options.mmapMode !== "c") {
    throw new InvalidOptionError(`fromNpyStack: mmapMode ${JSON.stringify(options.mmapMode)} is not supported: blocks are read into memory ("r", "c" or null read the same values; writing through a map is not done)`);
  }
  const dir = filesystemPathOf("fromNpyStack: dirname", dirname);
  const infoPath = join(dir, "info");
  if (!existsSync(infoPath)) throw new NpyStackError(`fromNpyStack: ${dir} has no info file: not an npy stack, or one whose writing did not finish (toNpyStack writes info last)`);
  const infoBytes = readFileSync(infoPath);
  const info = readStackInfo(infoBytes, `fromNpyStack: ${infoPath}`);
  const dtype = dtypeOfDescr(info.descr, `fromNpyStack: ${infoPath}`);
  const count = info.chunks[info.axis].length;
  const missing = Array.from({ length: count }, (_, i) => `${i}.npy`).filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) throw new NpyStackError(`fromNpyStack: ${dir} lacks ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""} of the ${count} block files its info names`);
  const others = info.chunks.filter((sizes, a) => a !== info.axis && sizes.length !== 1);
  if (others.length > 0) throw new NpyStackError(`fromNpyStack: the info's chunks ${JSON.stringify(info.chunks)} split an axis other than axis ${info.axis}; a stack has one file per block along its axis`);
  const shape = info.chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  const stamps = Array.from({ length: count }, (_, i) => statSync(join(dir, `${i}.npy`)).mtimeMs);
  const expr = new PerBlockExpr(loadRef, [], (index) => ({ blocks: [], args: [join(dir, `${index[info.axis]}.npy`), index.map((i, a) => info.chunks[a][i]), dtype] }));
  return new LazyArray(`from-npy-stack-${tokenize(dir, info, stamps)}`, shape, info.chunks.map((sizes) => [...sizes]), dtype, expr);
}
