/**
 * toHdf5: Dask's `da.to_hdf5(path, "/x", x)` / `da.to_hdf5(path, {"/x": x, "/y": y})`, with
 * h5py's create_dataset keywords in tessera's spelling (write-options.ts).
 *
 * HDF5 takes one writer at a time, so the work is split: every block of every array is
 * computed in ONE graph (shared upstream work is done once) and saved by the workers as a
 * staging file in a folder beside the target (as toNpyStack stages its blocks); then this process
 * writes them into a new HDF5 file beside the target, a block at a time, and renames it over
 * the target only when it is complete. A failure anywhere (a block that throws, a full disk)
 * leaves no half-written file and the old file as it was. The staging files take as much
 * disk as the arrays, on the target's file system, until the write ends.
 *
 * An existing target is refused unless `overwrite: true` (replace it) or `append: true` (the
 * new file is a copy of the old one with the datasets added; a dataset name it already holds
 * is refused before anything is computed). Workers write the staging files, so on a cluster
 * the target's folder must be on a file system every worker sees; a relative path is resolved
 * on the caller's side.
 */
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InvalidOptionError } from "../core/errors.js";
import { filesystemPathOf } from "../core/file-paths.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { Hdf5ExistsError, Hdf5NotFoundError, openFile, stampOf } from "../hdf5/index.js";
import { type DatasetToWrite, checkWritableDtype, writeHdf5File } from "../hdf5/write-file.js";
import { type ToHdf5Options, checkToHdf5Options, datasetLayout } from "../hdf5/write-options.js";
import { saveStagedBlock } from "../hdf5/staged-blocks.js";
import { LazyArray } from "./array.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import { compute } from "./collection-calls.js";
import { PerBlockExpr, unravelBlock } from "./per-block.js";
import { hasUnknownChunks } from "./unknown-chunks.js";

export type { ToHdf5Options } from "../hdf5/write-options.js";

const saveRef = functionRefOf(saveStagedBlock);

function datasetName(name: string): string {
  const parts = typeof name === "string" ? name.split("/").filter((part) => part !== "") : [];
  if (parts.length === 0) throw new InvalidOptionError(`toHdf5: dataset name ${JSON.stringify(name)} must name a dataset, e.g. "/x" or "/t00000/s00/0/cells"`);
  return `/${parts.join("/")}`;
}

/** The (name, array) pairs and options of either call form. */
function parseArguments(datasetOrMap: unknown, arrayOrOptions: unknown, maybeOptions: unknown): { entries: Array<[string, LazyArray]>; options: ToHdf5Options } {
  if (typeof datasetOrMap === "string") {
    if (!(arrayOrOptions instanceof LazyArray)) throw new InvalidOptionError("toHdf5(path, dataset, x): x must be a tessera array (ta.asarray wraps an NDArray)");
    return { entries: [[datasetName(datasetOrMap), arrayOrOptions]], options: (maybeOptions ?? {}) as ToHdf5Options };
  }
  if (datasetOrMap === null || typeof datasetOrMap !== "object" || Array.isArray(datasetOrMap) || datasetOrMap instanceof LazyArray) {
    throw new InvalidOptionError("toHdf5: give (path, \"/x\", x) or (path, { \"/x\": x, \"/y\": y })");
  }
  if (maybeOptions !== undefined) throw new InvalidOptionError("toHdf5(path, { ... }, options): the options come third, after the map of datasets");
  const entries = Object.entries(datasetOrMap).map(([name, x]): [string, LazyArray] => {
    if (!(x instanceof LazyArray)) throw new InvalidOptionError(`toHdf5: ${name} must map to a tessera array`);
    return [datasetName(name), x];
  });
  if (entries.length === 0) throw new InvalidOptionError("toHdf5: the map of datasets is empty");
  const names = entries.map(([name]) => name);
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) throw new InvalidOptionError(`toHdf5: ${twice[0]} is named twice`);
  return { entries, options: (arrayOrOptions ?? {}) as ToHdf5Options };
}

/** Refuses, before anything is computed, a dataset name an appended-to file already holds. */
async function checkAppendable(target: string, names: readonly string[]): Promise<void> {
  const file = await openFile(target, stampOf(target, "toHdf5"), "toHdf5");
  try {
    for (const name of names) {
      let group = file as { keys(): string[]; get(name: string): unknown };
      for (const part of name.split("/").filter((p) => p !== "")) {
        if (!group.keys().includes(part)) break;
        const child = group.get(part) as { type?: string } | null;
        if (child?.type !== "Group") throw new Hdf5ExistsError(`toHdf5: ${target} already holds ${name.slice(0, name.indexOf(part) + part.length)}; write another dataset name, or overwrite: true to replace the whole file`);
        group = child as unknown as typeof group;
      }
    }
  } finally {
    file.close();
  }
}

export async function toHdf5(path: string, dataset: string, x: LazyArray, options?: ToHdf5Options): Promise<void>;
export async function toHdf5(path: string, datasets: Readonly<Record<string, LazyArray>>, options?: ToHdf5Options): Promise<void>;
export async function toHdf5(path: string, datasetOrMap: string | Readonly<Record<string, LazyArray>>, arrayOrOptions?: LazyArray | ToHdf5Options, maybeOptions?: ToHdf5Options): Promise<void> {
  if (typeof path !== "string" || path === "") throw new InvalidOptionError(`toHdf5: path must be a file path, got ${JSON.stringify(path)}`);
  const { entries, options } = parseArguments(datasetOrMap, arrayOrOptions, maybeOptions);
  checkToHdf5Options(options);
  const planned = entries.map(([name, array]) => {
    if (hasUnknownChunks(array.chunks)) throw new InvalidOptionError(`toHdf5: ${name} has unknown chunk sizes; call computeChunkSizes() first`);
    checkWritableDtype(array.dtype, name);
    return { name, array, layout: datasetLayout(options, array.shape, array.chunks, name) };
  });
  const target = filesystemPathOf("toHdf5: path", path);
  const exists = existsSync(target);
  if (exists && !statSync(target).isFile()) throw new Hdf5ExistsError(`toHdf5: ${target} exists and is not a file`);
  if (exists && !options.overwrite && !options.append) throw new Hdf5ExistsError(`toHdf5: ${target} exists; overwrite: true replaces it, append: true adds the datasets to it`);
  if (!existsSync(dirname(target))) throw new Hdf5NotFoundError(`toHdf5: the folder ${dirname(target)} does not exist`);
  const append = exists && options.append === true;
  if (append) await checkAppendable(target, planned.map(({ name }) => name));
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.to-hdf5-`));
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const datasets: DatasetToWrite[] = [];
    const saves = planned.map(({ name, array, layout }, k) => {
      const counts = blockCounts(array.chunks);
      const offsets = chunkOffsets(array.chunks);
      const fileOf = (index: readonly number[]) => join(staging, `${k}-${index.join("_")}.block`);
      const blocks = [...blockIndices(counts)].map((index) => ({ ...blockRegion(offsets, index), file: fileOf(index) }));
      datasets.push({ name, shape: array.shape, dtype: array.dtype, layout, blocks });
      // One output element per block (the bytes saveStagedBlock wrote), on a flat grid of the blocks in C order.
      const total = blocks.length;
      const expr = new PerBlockExpr(saveRef, [array], ([i]) => {
        const index = unravelBlock(i, counts);
        return { blocks: [{ node: array, index }], args: [fileOf(index)] };
      });
      return new LazyArray(`to-hdf5-${tokenize(array.name, staging, k)}`, [total], [new Array<number>(total).fill(1)], "float64", expr);
    });
    await compute(...saves);
    if (append) copyFileSync(target, temporary);
    await writeHdf5File(temporary, datasets, append);
    renameSync(temporary, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(temporary, { force: true });
  }
}
