/**
 * How callers name a Zarr array: a filesystem path and, inside it, a component ("0/0" in an
 * OME-Zarr group). Refs are plain data so they travel to workers as task arguments.
 */
import * as path from "node:path";
import { InvalidOptionError } from "../core/errors.js";
import { filesystemPathOf } from "../core/file-paths.js";
import type { DType } from "../ndarray/dtype.js";
import { leaseDirectoryName } from "./node-files.js";
import type { ZarrFillValue } from "./element-copy.js";

export interface ZarrRef {
  /** The store directory on the filesystem. */
  path: string;
  /** The array's path inside the store ("0/0"); absent or "" for an array at the root. */
  component?: string;
  /**
   * Set by toZarr on its store tasks' refs: the write's lease id, whose gate a write through
   * this ref waits for (write-gate.ts). Users never set it.
   */
  writeGate?: string;
  /**
   * Set by toZarr, region writes and toOmeZarr on their store tasks' refs: the write fence of
   * the write's lease (write-fence.ts), an absolute path in the store, which each chunk write
   * claims so that none lands after the write released its lease. Users never set it.
   */
  writeFence?: string;
  /**
   * Set by fromZarr and region writes on their tasks' refs: the content of the metadata the
   * graph's layout came from (32 hex digits of the SHA-256 of .zarray or zarr.json: content,
   * not inode or mtime, so a `touch` or an identical rewrite changes neither the graph's block
   * names nor a resume token). A task through it checks the file before using its thread's
   * cached open, reopens a replaced array, and refuses (ZarrArrayChangedError) if the file no
   * longer holds this content (open-array.ts). Users never set it.
   */
  stamp?: string;
}

export interface ZarrArrayInfo extends ZarrRef {
  zarrFormat: 2 | 3;
  shape: number[];
  chunks: number[];
  dtype: DType;
  /** A bigint only for an int64/uint64 fill value past 2^53, which a number cannot hold exactly. */
  fillValue: ZarrFillValue;
  order: "C" | "F";
  /** A summary for people, e.g. "blosc(lz4, clevel=5, shuffle)", or "none". */
  compressor: string;
  attributes: Record<string, unknown>;
}

export interface ResolvedRef {
  /** Absolute store directory. */
  path: string;
  /** Normalized component without leading or trailing "/"; "" for the root. */
  component: string;
  /** See ZarrRef.writeGate. */
  writeGate?: string;
  /** See ZarrRef.writeFence. */
  writeFence?: string;
  /** See ZarrRef.stamp. */
  stamp?: string;
}

export function resolveRef(ref: ZarrRef | string, component?: string): ResolvedRef {
  const given = typeof ref === "string" ? { path: ref, component } : { path: ref?.path, component: component ?? ref?.component };
  if (typeof given.path !== "string" || given.path === "") {
    throw new InvalidOptionError(`Zarr path: ${JSON.stringify(given.path)} must be a non-empty filesystem path`);
  }
  if (given.path.includes("\u0000")) {
    throw new InvalidOptionError(`Zarr path: ${JSON.stringify(given.path)} holds a NUL byte, which no file name can; check how the path was built`);
  }
  const rawComponent = given.component ?? "";
  if (typeof rawComponent !== "string") {
    throw new InvalidOptionError(`Zarr component: ${JSON.stringify(rawComponent)} must be a string such as "0/0"`);
  }
  if (rawComponent.includes("\u0000")) {
    throw new InvalidOptionError(`Zarr component: ${JSON.stringify(rawComponent)} holds a NUL byte; name a node inside the store such as "0/0"`);
  }
  // As zarr-python normalizes a path: leading, trailing and doubled "/" and "." segments drop out.
  const parts = rawComponent.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.some((part) => part === "..")) {
    throw new InvalidOptionError(`Zarr component: ${JSON.stringify(rawComponent)} may not contain ".."; name a node inside the store`);
  }
  const writeGate = typeof ref === "object" && ref !== null ? ref.writeGate : undefined;
  if (writeGate !== undefined && (typeof writeGate !== "string" || !/^[0-9a-f]{1,64}$/.test(writeGate))) {
    throw new InvalidOptionError(`Zarr writeGate: ${JSON.stringify(writeGate)} is not a write lease id (toZarr sets it; do not pass one)`);
  }
  const stamp = typeof ref === "object" && ref !== null ? ref.stamp : undefined;
  if (stamp !== undefined && (typeof stamp !== "string" || !/^[0-9a-f]{32}$/.test(stamp))) {
    throw new InvalidOptionError(`Zarr stamp: ${JSON.stringify(stamp)} is not a metadata file stamp (fromZarr sets it; do not pass one)`);
  }
  const root = filesystemPathOf("Zarr store", given.path);
  const writeFence = typeof ref === "object" && ref !== null ? ref.writeFence : undefined;
  if (writeFence !== undefined) checkWriteFence(writeFence, root, parts);
  return {
    path: root, component: parts.join("/"), ...(writeGate !== undefined ? { writeGate } : {}), ...(writeFence !== undefined ? { writeFence } : {}),
    ...(stamp !== undefined ? { stamp } : {}),
  };
}

/** How a write fence is named (write-fence.ts: after its lease file and id). */
const fenceName = /^(write-lease|region-lease-[0-9a-f]{1,64})~writes-[0-9a-f]{1,64}$/;

/**
 * A fence is a lease's, in the lease directory of the node or of one above it inside the store
 * (node-files.ts): a task never creates files elsewhere.
 */
function checkWriteFence(fence: unknown, root: string, parts: readonly string[]): void {
  const nodes = [root, ...parts.map((_, level) => path.join(root, ...parts.slice(0, level + 1)))];
  const directories = nodes.map((node) => path.join(node, leaseDirectoryName));
  if (typeof fence !== "string" || !path.isAbsolute(fence) || !directories.includes(path.dirname(fence)) || !fenceName.test(path.basename(fence))) {
    throw new InvalidOptionError(`Zarr writeFence: ${JSON.stringify(fence)} is not a write fence of this array (toZarr sets it; do not pass one)`);
  }
}

/** How errors name an array: `component "0/0" of /data/x.zarr`, or the path for the root. */
export function describeRef(ref: ResolvedRef): string {
  return ref.component === "" ? `the Zarr array at ${ref.path}` : `component "${ref.component}" of ${ref.path}`;
}

/** The store key prefix of a node ("/0/0"; "/" for the root). */
export function nodeKeyOf(component: string): `/${string}` {
  return `/${component}`;
}

/** The store key of a file inside a node ("/0/0/.zarray"). */
export function keyInNode(component: string, name: string): `/${string}` {
  return component === "" ? `/${name}` : `/${component}/${name}`;
}

export function cacheKeyOf(ref: ResolvedRef): string {
  return `${ref.path}\u0000${ref.component}`;
}
