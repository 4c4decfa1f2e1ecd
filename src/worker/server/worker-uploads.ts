/**
 * Modules a client uploaded (client.uploadFile) for sites whose workers share no filesystem
 * with it: each lands in the worker's upload directory, and imports of the client's URL of
 * that module load the copy (on the main thread and on every compute thread). A
 * `node_modules/tessera` link beside the copies lets an uploaded module import "tessera".
 */
import { mkdir, symlink, writeFile, lstat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { redirectModule } from "../../graph/function-resolver.js";

/** The root of this tessera installation (what `import "tessera"` must find). */
const packageRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export interface StoredUpload {
  /** The copy's URL here. */
  localUrl: string;
}

/**
 * Writes `bytes` as `filename` under `<localDirectory>/uploads` and makes imports of `url`
 * load it here (`redirectThreads` does the same on the compute threads). A new upload under
 * the same name replaces the old one (the URL gets a version, so a module imported before is
 * imported afresh).
 */
export async function storeUpload(localDirectory: string, filename: string, url: string, bytes: Uint8Array, version: number, redirectThreads: (from: string, to: string) => void): Promise<StoredUpload> {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(filename)) throw new Error(`refusing to store an upload named ${JSON.stringify(filename)}: only a plain file name may be uploaded`);
  const directory = join(localDirectory, "uploads");
  await mkdir(join(directory, "node_modules"), { recursive: true });
  const link = join(directory, "node_modules", "tessera");
  if (!(await lstat(link).catch(() => null))) await symlink(packageRoot, link, "dir").catch(() => {});
  const path = join(directory, filename);
  await writeFile(path, bytes, { mode: 0o600 });
  const localUrl = `${pathToFileURL(path).href}?upload=${version}`;
  redirectModule(url, localUrl);
  redirectThreads(url, localUrl);
  return { localUrl };
}
