/**
 * The worker's scratch directory, where spilled results go. On HPC it must be node-local
 * (the job's $TMPDIR, /local/scratch): spilling to a shared filesystem competes with every
 * other job for the metadata servers and is slower than recomputing. So: check at start
 * that the directory can be written (an error there, not at the first spill), and warn
 * when /proc/mounts says it lives on a network filesystem.
 */
import { constants } from "node:fs";
import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { InvalidOptionError } from "../../core/errors.js";
import { createScratchDirectory, removeDeadScratchDirectories } from "./scratch-directory.js";

/** Filesystem types that are shared over the network (mount's third column). */
const networkFilesystems = /^(nfs|nfs4|lustre|gpfs|beegfs|fhgfs|cifs|smb3|smbfs|ceph|fuse\.ceph|glusterfs|fuse\.glusterfs|panfs|pvfs2|orangefs|afs|9p|fuse\.sshfs)$/;

/** The filesystem type of the mount holding `path`, from /proc/mounts text. */
export function filesystemTypeOf(path: string, mountsText: string): string | undefined {
  const absolute = resolve(path);
  let best: { mountPoint: string; type: string } | undefined;
  for (const line of mountsText.split("\n")) {
    const [, rawMountPoint, type] = line.split(" ");
    if (!rawMountPoint || !type) continue;
    // /proc/mounts escapes spaces and other characters as octal (\040).
    const mountPoint = rawMountPoint.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    const inside = mountPoint === "/" || absolute === mountPoint || absolute.startsWith(mountPoint.endsWith(sep) ? mountPoint : mountPoint + sep);
    if (inside && (!best || mountPoint.length >= best.mountPoint.length)) best = { mountPoint, type };
  }
  return best?.type;
}

export function isNetworkFilesystem(type: string | undefined): boolean {
  return type !== undefined && networkFilesystems.test(type);
}

/** Where scratch directories go when no localDirectory is given: the job's $TMPDIR, else /tmp. */
export function defaultLocalDirectory(): string {
  return process.env.TMPDIR || "/tmp";
}

/**
 * Creates `<parent>/tessera-worker-XXXXXX` (with its marker and a `storage` folder for spill
 * files) after proving the parent can be written, and first removes the scratch directories
 * that dead workers left there (scratch-directory.ts). Warns through `onWarning`.
 */
export async function prepareLocalDirectory(parent: string, onWarning: (message: string) => void, mountsText?: string): Promise<{ directory: string; spillDirectory: string }> {
  await checkLocalDirectory(parent, onWarning, mountsText);
  const removed = await removeDeadScratchDirectories(parent, onWarning);
  if (removed.length > 0) onWarning(`removed ${removed.length} scratch director${removed.length === 1 ? "y" : "ies"} left in ${parent} by workers that died: ${removed.join(", ")}`);
  return createScratchDirectory(parent);
}

/** Proves `parent` can be written (creating it if needed); warns when it is on a network filesystem. */
export async function checkLocalDirectory(parent: string, onWarning: (message: string) => void, mountsText?: string): Promise<void> {
  try {
    await mkdir(parent, { recursive: true });
    await access(parent, constants.W_OK | constants.X_OK);
    const probe = join(parent, `.tessera-write-test-${process.pid}-${Date.now()}`);
    await writeFile(probe, "ok");
    await rm(probe, { force: true });
  } catch (error) {
    throw new InvalidOptionError(
      `localDirectory ${parent} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
        "give a writable node-local directory, e.g. --local-directory $TMPDIR",
      { cause: error },
    );
  }
  const mounts = mountsText ?? (await readFile("/proc/mounts", "utf8").catch(() => ""));
  const type = filesystemTypeOf(parent, mounts);
  if (isNetworkFilesystem(type)) {
    onWarning(
      `localDirectory ${parent} is on a network filesystem (${type}): spilling there is slow and loads the shared servers; ` +
        "use node-local scratch such as $TMPDIR or /local/scratch",
    );
  }
}
