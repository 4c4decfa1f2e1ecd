/**
 * Writes a 1-D uncompressed Zarr v2 array as another process would (zarr-python's
 * DirectoryStore: each file written to a temporary name and renamed into place), without
 * going through tessera, so nothing in this process learns that the array was replaced.
 * Not a test file: the stamp tests import it.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";

const typed = { float64: ["<f8", Float64Array], int32: ["<i4", Int32Array] } as const;

export async function writeForeignArray(store: string, dtype: keyof typeof typed, chunk: number, values: readonly number[]): Promise<void> {
  const [zarrDtype, Typed] = typed[dtype];
  await fs.mkdir(store, { recursive: true });
  const put = async (name: string, bytes: Uint8Array | string): Promise<void> => {
    const temporary = path.join(store, `.${name}.partial`);
    await fs.writeFile(temporary, bytes);
    await fs.rename(temporary, path.join(store, name));
  };
  for (let start = 0, index = 0; start < values.length; start += chunk, index++) {
    const block = new Typed(chunk);
    block.set(values.slice(start, start + chunk));
    await put(String(index), new Uint8Array(block.buffer));
  }
  await put(".zarray", JSON.stringify({
    zarr_format: 2, shape: [values.length], chunks: [chunk], dtype: zarrDtype, compressor: null, fill_value: 0, filters: null, order: "C",
  }));
}

/** The stamp (ZarrRef.stamp) of the array's metadata file as it is on disk now: its content's SHA-256, 32 hex digits. */
export async function stampOnDisk(store: string): Promise<string> {
  return createHash("sha256").update(await fs.readFile(path.join(store, ".zarray"))).digest("hex").slice(0, 32);
}

/** Sets the metadata file's times without changing it, as `touch` does (a scratch purge keep-alive, `cp -p`, a restore). */
export async function touchMetadata(store: string, seconds: number): Promise<void> {
  const later = new Date(Date.now() + seconds * 1000);
  await fs.utimes(path.join(store, ".zarray"), later, later);
}

/** Rewrites the metadata file with the same bytes by rename (a new inode), as a backup restore or an identical rewrite does. */
export async function rewriteMetadataIdentically(store: string): Promise<void> {
  const file = path.join(store, ".zarray");
  await fs.writeFile(`${file}.partial`, await fs.readFile(file));
  await fs.rename(`${file}.partial`, file);
}
