/**
 * Writes a 1-D uncompressed Zarr v2 array as another process would (zarr-python's
 * DirectoryStore: each file written to a temporary name and renamed into place), without
 * going through tessera, so nothing in this process learns that the array was replaced.
 * Not a test file: the stamp tests import it.
 */
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

/** The stamp (ZarrRef.stamp) of the array's metadata file as it is on disk now. */
export async function stampOnDisk(store: string): Promise<string> {
  const stats = await fs.stat(path.join(store, ".zarray"), { bigint: true });
  return `${stats.ino}:${stats.mtimeNs}:${stats.size}`;
}
