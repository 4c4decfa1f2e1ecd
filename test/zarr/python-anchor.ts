/**
 * Runs the zarr-python anchor (Debian's python3-zarr 2.13 under /usr/bin/python3) on the
 * fixture scripts in test/fixtures/zarr. Not a test file: the zarr tests import it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** test/fixtures/zarr, found from the compiled test's place in dist/test/zarr. */
export const fixturesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/zarr");

export const python = "/usr/bin/python3";

export async function runPython(script: string, args: string[]): Promise<string> {
  const { stdout } = await run(python, [path.join(fixturesDirectory, script), ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Runs a Python snippet given as text. */
export async function runPythonCode(code: string, args: string[] = []): Promise<string> {
  const { stdout } = await run(python, ["-c", code, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function makeTempDirectory(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), `tessera-${prefix}-`));
  return { path: directory, remove: () => rm(directory, { recursive: true, force: true }) };
}

/** The bytes of a TypedArray's elements (a view, no copy). */
export function bytesOf(data: ArrayBufferView): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
