/**
 * Runs test/fixtures/array/check_ome_zarr.py (zarr-python 2.13 and NumPy under /usr/bin/python3)
 * on an OME-Zarr image: the OME-NGFF 0.4 rules as checks, every level read by zarr-python and
 * recomputed with NumPy from the input. ome-zarr-py and napari cannot be installed here (no
 * Debian package, no PyPI): this stands in for them. Not a test file.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as nd from "../../src/ndarray/index.js";
import { dtypeInfo } from "../../src/ndarray/dtype.js";

const script = fileURLToPath(new URL("../../../test/fixtures/array/check_ome_zarr.py", import.meta.url));

export interface CheckedLevel {
  path: string;
  shape: number[];
  dtype: string;
  chunks: number[];
  factors: number[];
  scale: number[];
  /** Elements that differ from NumPy's chain of downsamplings from the input. */
  mismatches_vs_chain: number;
  max_ulps_vs_chain?: number;
  /** Units in the last place from NumPy's downsampling of the stored level before (floats; a count of differences otherwise). */
  max_ulps_vs_previous?: number;
  /** The level as zarr-python read it. */
  values: nd.NDArray;
}

export interface OmeZarrCheck {
  violations: string[];
  levels: CheckedLevel[];
}

function readRaw(file: string, dtype: nd.DType, shape: number[]): nd.NDArray {
  const bytes = readFileSync(file);
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const typed = new (dtypeInfo(dtype).array as Float64ArrayConstructor)(copy.buffer, 0, bytes.length / dtypeInfo(dtype).itemsize);
  return nd.fromTypedArray(typed as never, shape, { dtype });
}

export function checkOmeZarr(image: string, input: nd.NDArray, method: string): OmeZarrCheck {
  const dir = mkdtempSync(join(tmpdir(), "tessera-omecheck-"));
  try {
    const data = nd.ascontiguousarray(input).toTypedArray();
    writeFileSync(join(dir, "input.bin"), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    writeFileSync(join(dir, "spec.json"), JSON.stringify({ input: { file: "input.bin", dtype: dtypeInfo(input.dtype).numpy, shape: input.shape }, method }));
    const output = execFileSync("/usr/bin/python3", ["-B", script, image, join(dir, "spec.json")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const parsed = JSON.parse(output) as { violations: string[]; levels: Array<Omit<CheckedLevel, "values"> & { file: string }> };
    return {
      violations: parsed.violations,
      levels: parsed.levels.map(({ file, ...level }) => ({ ...level, values: readRaw(join(dir, file), input.dtype, level.shape) })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
