/**
 * Where tessera reads and writes stored arrays (Zarr, OME-Zarr, HDF5, npy stacks): a filesystem
 * path, local or shared by the workers (a cluster's parallel filesystem). Dask hands a URL to
 * fsspec, so a Dask user writes "s3://bucket/volume.zarr" or "file:///data/volume.zarr".
 * Without this check such a URL was read as a relative path: a toZarr to "s3://bucket/x.zarr"
 * wrote a local directory "s3:/bucket/x.zarr" and reported success. A file:// URL names a
 * path, and is taken as one; any other scheme is refused, naming it and what to do.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidOptionError } from "./errors.js";

/** A URL's scheme, as RFC 3986 spells one, followed by "://". */
const urlScheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * The absolute filesystem path `given` names: a path (relative ones resolve against this
 * process's working directory, as Dask's do on the client) or a file:// URL. `what` names the
 * caller and argument for the error ("toZarr: url").
 */
export function filesystemPathOf(what: string, given: string): string {
  const scheme = urlScheme.exec(given)?.[1];
  if (scheme === undefined) return resolve(given);
  if (scheme.toLowerCase() === "file") {
    try {
      return fileURLToPath(given);
    } catch (error) {
      throw new InvalidOptionError(`${what}: ${JSON.stringify(given)} is not a file URL naming a local path (${(error as Error).message}); write it as a path such as "/data/volume.zarr"`);
    }
  }
  throw new InvalidOptionError(
    `${what}: ${JSON.stringify(given)} is a ${scheme}:// URL; tessera reads and writes stored arrays on a filesystem the client and every worker see (a local disk, or the cluster's shared filesystem), not through ${scheme}://. ` +
    "Mount the store (for object storage: s3fs, rclone mount, gcsfuse) and pass that path, or copy it to the shared filesystem first",
  );
}
