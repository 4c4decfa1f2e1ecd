/**
 * The chunk keys an existing array's own metadata can produce, read before the array is
 * replaced: an overwrite deletes those keys and nothing else. A "."-separated v2 array has
 * flat chunk files only ("3.1"), so a user's folder named "2024" or "c" beside them is not
 * one of its keys; a "/"-separated one has directories of exactly ndim levels ("3/1"); a v3
 * array's default encoding puts "c" first ("c/3/1", "c.3.1"), its "v2" encoding does not.
 *
 * Only the fields that shape a key are read (the dimension count, the separator, the
 * encoding), so an array tessera cannot otherwise decode (an unknown dtype or codec) is still
 * replaced exactly.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { isErrno } from "./atomic-fs-store.js";

/** How one array names its chunk keys. */
export interface ChunkKeyLayout {
  /** "c" for v3's default encoding; null for v2 and v3's "v2" encoding. */
  prefix: "c" | null;
  separator: "." | "/";
  ndim: number;
}

/** Decides which paths under an array's directory ("/"-joined, relative to it) are its keys. */
export interface ChunkKeyMatcher {
  /** A chunk key: a file (or a link standing for one) to delete. */
  isKey(relative: string): boolean;
  /** A directory on the way to a chunk key ("c", "3" in "3/1"): emptied, then removed if empty. */
  isKeyDirectory(relative: string): boolean;
}

const indexPattern = /^\d+$/;

function layoutSeparator(value: unknown, fallback: "." | "/"): "." | "/" | undefined {
  const separator = value ?? fallback;
  return separator === "." || separator === "/" ? separator : undefined;
}

function dimensionCount(shape: unknown): number | undefined {
  return Array.isArray(shape) ? shape.length : undefined;
}

/** The layout of a parsed `.zarray`, or undefined when its fields are not ones zarr writes. */
function v2Layout(document: Record<string, unknown>): ChunkKeyLayout | undefined {
  const ndim = dimensionCount(document.shape);
  const separator = layoutSeparator(document.dimension_separator, ".");
  return ndim === undefined || separator === undefined ? undefined : { prefix: null, separator, ndim };
}

/** The layout of a parsed v3 array `zarr.json`, or undefined when its encoding is not one zarr writes. */
function v3Layout(document: Record<string, unknown>): ChunkKeyLayout | undefined {
  const ndim = dimensionCount(document.shape);
  const encoding = (document.chunk_key_encoding ?? { name: "default" }) as { name?: unknown; configuration?: { separator?: unknown } } | null;
  if (ndim === undefined || encoding === null || typeof encoding !== "object") return undefined;
  if (encoding.name === "default") {
    const separator = layoutSeparator(encoding.configuration?.separator, "/");
    return separator === undefined ? undefined : { prefix: "c", separator, ndim };
  }
  if (encoding.name === "v2") {
    const separator = layoutSeparator(encoding.configuration?.separator, ".");
    return separator === undefined ? undefined : { prefix: null, separator, ndim };
  }
  return undefined;
}

async function readJson(file: string): Promise<{ found: false } | { found: true; document: Record<string, unknown> | undefined }> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return { found: false };
    return { found: true, document: undefined };
  }
  try {
    const document: unknown = JSON.parse(text);
    return { found: true, document: document !== null && typeof document === "object" ? (document as Record<string, unknown>) : undefined };
  } catch {
    return { found: true, document: undefined };
  }
}

/**
 * The chunk-key layouts of the array in `directory`: one per array metadata file present
 * (`.zarray`, a `zarr.json` whose node_type is "array"). Undefined when a metadata file
 * present cannot be read or names a layout zarr does not write: the caller cannot know the
 * array's keys then.
 */
export async function readChunkKeyLayouts(directory: string): Promise<ChunkKeyLayout[] | undefined> {
  const layouts: ChunkKeyLayout[] = [];
  const zarray = await readJson(path.join(directory, ".zarray"));
  if (zarray.found) {
    const layout = zarray.document && v2Layout(zarray.document);
    if (layout === undefined) return undefined;
    layouts.push(layout);
  }
  const zarrJson = await readJson(path.join(directory, "zarr.json"));
  if (zarrJson.found) {
    if (zarrJson.document === undefined) return undefined;
    if (zarrJson.document.node_type === "array") {
      const layout = v3Layout(zarrJson.document);
      if (layout === undefined) return undefined;
      layouts.push(layout);
    }
  }
  return layouts.length === 0 ? undefined : layouts;
}

/** Whether `names` are a key's components: "c" (v3 default) then one index per dimension. */
function matchesComponents(layout: ChunkKeyLayout, names: readonly string[]): boolean {
  const expected = layout.ndim === 0 ? 1 : layout.ndim + (layout.prefix === null ? 0 : 1);
  if (names.length !== expected) return false;
  if (layout.ndim === 0) return names[0] === (layout.prefix ?? "0"); // zarr's key of a 0-d array's one chunk
  return names.every((name, i) => (i === 0 && layout.prefix !== null ? name === layout.prefix : indexPattern.test(name)));
}

function isKeyOf(layout: ChunkKeyLayout, relative: string): boolean {
  if (layout.separator === ".") return !relative.includes("/") && matchesComponents(layout, relative.split("."));
  return matchesComponents(layout, relative.split("/"));
}

/** Whether `relative` is a directory a "/"-separated key passes through (a proper prefix of one). */
function isKeyDirectoryOf(layout: ChunkKeyLayout, relative: string): boolean {
  if (layout.separator === "." || layout.ndim === 0) return false;
  const names = relative.split("/");
  const total = layout.ndim + (layout.prefix === null ? 0 : 1);
  if (names.length >= total) return false;
  return names.every((name, i) => (i === 0 && layout.prefix !== null ? name === layout.prefix : indexPattern.test(name)));
}

/** The keys any of `layouts` can produce. */
export function layoutMatcher(layouts: readonly ChunkKeyLayout[]): ChunkKeyMatcher {
  return {
    isKey: (relative) => layouts.some((layout) => isKeyOf(layout, relative)),
    isKeyDirectory: (relative) => layouts.some((layout) => isKeyDirectoryOf(layout, relative)),
  };
}
