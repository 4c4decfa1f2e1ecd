/**
 * fromOmeZarr: one resolution level of an OME-NGFF 0.4 image as a lazy array, with what a
 * user needs to place it in space: the axes (names, types, units) and the level's pixel size
 * and origin (its own transformations combined with the multiscale-wide ones).
 *
 * fromZarr stays the reader of single arrays (`fromZarr(path, { component: "0" })` opens a
 * level without its metadata); this reader starts from the image group and checks the
 * "multiscales" metadata against the spec's rules first, so a group that is not an image,
 * an unfinished write (no "multiscales" yet) or another NGFF version is refused by name.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type MultiscaleRead, type OmeAxis, checkLevelDimensions, readGroupAttributes, readMultiscale } from "../zarr/index.js";
import type { LazyArray } from "./array.js";
import type { ChunkSpec } from "./chunks.js";
import { fromZarr } from "./from-zarr.js";

export interface FromOmeZarrOptions {
  /** Which resolution: 0 (default) is the full one, 1 the next, … */
  level?: number;
  /** The image group's path inside the store (default: the store root). */
  component?: string;
  /** Which multiscale, by name, when the group holds several (default: the first, as the spec says). */
  name?: string;
  /** Chunks of the lazy array (default: the stored chunks), as fromZarr's. */
  chunks?: ChunkSpec;
}

export interface OmeZarrImage {
  /** The level's data, lazily. */
  array: LazyArray;
  level: number;
  /** How many levels the image has. */
  levels: number;
  /** The level's array path inside the group ("0", "1", …). */
  path: string;
  axes: OmeAxis[];
  /** Pixel size per axis, in the axes' units. */
  scale: number[];
  /** Physical position of pixel [0, 0, …] per axis. */
  translation: number[];
  name?: string;
  /** The downscaling method the writer recorded ("mean", "gaussian", …), if any. */
  type?: string;
  /** The multiscale's metadata as stored. */
  multiscale: MultiscaleRead["stored"];
  /** The group's "omero" rendering metadata, if any. */
  omero?: unknown;
}

const knownOptions = new Set(["level", "component", "name", "chunks"]);

/** Opens level `options.level` of the OME-NGFF 0.4 image at `storePath`, e.g. `(await ta.fromOmeZarr(p, { level: 2 })).array`. */
export async function fromOmeZarr(storePath: string, options: FromOmeZarrOptions = {}): Promise<OmeZarrImage> {
  const unknown = Object.keys(options ?? {}).filter((key) => !knownOptions.has(key));
  if (unknown.length > 0) throw new InvalidOptionError(`fromOmeZarr: unknown option${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; known: ${[...knownOptions].join(", ")}`);
  const component = (options.component ?? "").split("/").filter((part) => part !== "" && part !== ".").join("/");
  const where = component === "" ? storePath : `group "${component}" of ${storePath}`;
  const attributes = await readGroupAttributes({ path: storePath, component });
  const multiscale = readMultiscale(attributes, where, options.name);
  const level = options.level ?? 0;
  if (!Number.isSafeInteger(level) || level < 0 || level >= multiscale.datasets.length) {
    throw new InvalidOptionError(`level: ${JSON.stringify(level)} must be an integer from 0 to ${multiscale.datasets.length - 1}: ${where} has ${multiscale.datasets.length} levels`);
  }
  const dataset = multiscale.datasets[level];
  const levelComponent = component === "" ? dataset.path : `${component}/${dataset.path}`;
  const array = await fromZarr(storePath, { component: levelComponent, ...(options.chunks !== undefined ? { chunks: options.chunks } : {}) });
  checkLevelDimensions(multiscale.axes, array.shape, `${where} level ${level} ("${dataset.path}", shape [${array.shape.join(", ")}])`);
  return {
    array, level, levels: multiscale.datasets.length, path: dataset.path, axes: multiscale.axes, scale: dataset.scale, translation: dataset.translation,
    ...(multiscale.name !== undefined ? { name: multiscale.name } : {}),
    ...(multiscale.type !== undefined ? { type: multiscale.type } : {}),
    multiscale: multiscale.stored,
    ...(attributes.omero !== undefined ? { omero: attributes.omero } : {}),
  };
}
