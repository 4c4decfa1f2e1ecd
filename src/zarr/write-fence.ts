/**
 * Write fences: once a write's lease goes, no task of that write writes anything more.
 *
 * A failed write (a task raised, the compute was cancelled or its signal aborted) has tasks
 * that were already running on workers when the client heard of the failure. Releasing their
 * futures does not stop them (a running task cannot be interrupted, in Dask as here): each
 * goes on to write its chunk. Were the lease simply deleted, a second writer (a retry, another
 * job) could take the array and have its chunks overwritten by those leftovers, the result
 * depending on timing. So every lease has a fence, a directory `<lease file>~writes-<id>`
 * beside the lease in the node's lease directory (node-files.ts), and every chunk write of
 * the lease's tasks *claims* it: it creates a file in the fence (naming its process, as a
 * lease does) just before it writes, and deletes it once the chunk
 * (and its completion marker) has landed; a task writing a group of chunks claims it once for
 * the group (chunk-group-write.ts). Releasing the lease first *closes* the fence, an
 * atomic rename to `~closed-<id>`, then waits until every claim in the closed fence is gone or
 * its process dead, and only then deletes the lease:
 *
 * - a claim made before the rename moves with the directory: the release sees it and waits for
 *   that one chunk write (milliseconds; never for a task's computation, which runs unclaimed);
 * - a claim tried after the rename finds no directory (ENOENT): that task writes nothing and
 *   fails, and its error goes nowhere (its futures are released);
 * - a claim whose lookup of the open name raced the rename lands in the closed directory: the
 *   fence is removed only by rmdir(2), which fails while it is there (removeClosedFence), so
 *   it is waited for as one made before; a claim tried after the removal fails (ENOENT, or
 *   ESTALE on NFS).
 *
 * So a second writer never meets a chunk write of the failed one, and the failure still reaches
 * the user at once with its own error. A writer killed before it released its lease leaves the
 * fence open: the next writer that takes the dead lease over closes it and, if a claim is still
 * live (a task of the dead write in the middle of a chunk), refuses naming both. Claims, as
 * leases, are live while their process runs (known on this host only) and while refreshed
 * (writer-identity.ts; on this host too, as a claim is a thread's): a worker that died holds
 * no fence, and a compute thread that died mid-write holds one for minutes, not for ever.
 *
 * The waits poll (1 ms, doubling to 20 ms), as write-gate.ts's: writers on other hosts of a
 * shared filesystem get no change notification. A claim's file calls are synchronous: they run
 * in a task's thread, where each through libuv's pool costs a hand-off and a wake-up: a claim
 * and its removal measured 0.5 ms through the pool, 0.1 ms synchronous, at load 4 on 2 cores,
 * beside 1.0–1.5 ms for a 32 KiB chunk's write.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmdirSync, unlinkSync, utimes, writeFileSync } from "node:fs";
import * as path from "node:path";
import { isErrno } from "./atomic-fs-store.js";
import { ZarrWriteConflictError } from "./errors.js";
import { type WriterIdentity, currentWriter, writerExpiresAfterMs, writerLiveness, writerRefreshMs } from "./writer-identity.js";

/** Emits "draining" (with the closed fence) each time a release finds a live claim: for tests. */
export const writeFenceEvents = new EventEmitter();

const openInfix = "~writes-";
const closedInfix = "~closed-";

const firstPollMs = 1;
const longestPollMs = 20;

/** The open fence of the lease in `leaseFile` with id `id`: what its tasks' refs carry. */
export function fenceOf(leaseFile: string, id: string): string {
  return `${leaseFile}${openInfix}${id}`;
}

function closedFenceOf(openFence: string): string {
  const at = openFence.lastIndexOf(openInfix);
  return `${openFence.slice(0, at)}${closedInfix}${openFence.slice(at + openInfix.length)}`;
}

/** Makes the fence of a lease just taken. */
export function openFence(leaseFile: string, id: string): string {
  const fence = fenceOf(leaseFile, id);
  mkdirSync(fence, { mode: 0o755 });
  return fence;
}

/** Closes the fence (no claim can be made any more): true when it was open. */
function closeFence(fence: string): boolean {
  try {
    renameSync(fence, closedFenceOf(fence));
    return true;
  } catch (error) {
    if (isErrno(error, "ENOENT")) return false;
    throw error;
  }
}

/** A claim's writer, when the claim still stands for a running chunk write. */
function liveClaim(file: string): WriterIdentity | undefined {
  let writer: WriterIdentity | undefined;
  try {
    writer = JSON.parse(readFileSync(file, "utf8")) as WriterIdentity;
  } catch {
    writer = undefined; // being written, or gone: judged by its age below
  }
  const liveness = writer && typeof writer.host === "string" && Number.isInteger(writer.pid) ? writerLiveness(writer) : "unknown";
  if (liveness === "dead") return undefined;
  const stats = lstatSync(file, { throwIfNoEntry: false });
  if (stats === undefined) return undefined;
  // Unrefreshed too long is dead on this host too: a claim is a thread's, not its process's,
  // and a compute thread that died or was terminated mid-write (a worker's thread replaced,
  // an in-process worker closed) leaves its claim behind a process that still runs.
  if (Date.now() - stats.mtimeMs > writerExpiresAfterMs) return undefined;
  return writer ?? { host: "an unknown host", pid: 0 };
}

/** The writer of a live claim in the closed fence of `fence`, or undefined when none is left. */
function liveClaimant(fence: string): WriterIdentity | undefined {
  return closedFenceState(fence)?.live;
}

/** The closed fence's claims: the first live one's writer, and the names of the dead ones. */
function closedFenceState(fence: string): { live: WriterIdentity | undefined; dead: string[] } | undefined {
  const closed = closedFenceOf(fence);
  let names: string[];
  try {
    names = readdirSync(closed);
  } catch {
    return undefined;
  }
  const dead: string[] = [];
  for (const name of names) {
    const writer = liveClaim(path.join(closed, name));
    if (writer) return { live: writer, dead };
    dead.push(name);
  }
  return { live: undefined, dead };
}

/**
 * Removes the closed fence unless a live claim is in it, and returns that claim's writer. The
 * removal is the fence's end, not the rename: a claim whose path was looked up before the
 * rename is created in the renamed directory (the lookup already holds it; on NFS a client's
 * cached lookup of the open name can do so for seconds), possibly after the listing. So the
 * dead claims listed are unlinked one by one and the directory removed with rmdir(2), which
 * fails while any entry is left: a claim that landed after the listing is listed again and
 * waited for; once the directory is gone, no claim can be created in it (ENOENT, or ESTALE
 * on NFS), so no task of the lease writes again.
 */
function removeClosedFence(fence: string): WriterIdentity | undefined {
  const closed = closedFenceOf(fence);
  for (;;) {
    const state = closedFenceState(fence);
    if (state === undefined) return undefined;
    if (state.live) return state.live;
    for (const name of state.dead) removeDeadClaim(closed, name);
    try {
      rmdirSync(closed);
      return undefined;
    } catch (error) {
      if (isErrno(error, "ENOENT")) return undefined;
      if (!isErrno(error, "ENOTEMPTY", "EEXIST")) throw error;
    }
  }
}

/**
 * Unlinks a dead claim; refuses, naming it, an entry that cannot be: it would keep the rmdir
 * above failing, a synchronous loop for ever (a directory, a file this user may not remove).
 */
function removeDeadClaim(closed: string, name: string): void {
  try {
    unlinkSync(path.join(closed, name));
  } catch (error) {
    if (isErrno(error, "ENOENT")) return;
    throw new ZarrWriteConflictError(
      `cannot end the write fence ${closed}: ${JSON.stringify(name)} in it is no claim of a running chunk write and cannot be removed ` +
        `(${(error as NodeJS.ErrnoException).code ?? String(error)}); nothing but tessera's claims belongs there: remove it and the fence`,
    );
  }
}

/**
 * Closes the fence and waits until no chunk write of its tasks is under way (claims of dead
 * processes do not count), then removes it: from here on, no task of this lease writes.
 */
export async function drainFence(fence: string): Promise<void> {
  closeFence(fence);
  for (let wait = firstPollMs; removeClosedFence(fence) !== undefined; wait = Math.min(2 * wait, longestPollMs)) {
    writeFenceEvents.emit("draining", closedFenceOf(fence));
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/**
 * For a writer taking over a dead lease: closes that lease's fence and returns the writer of a
 * claim still live in it (a task of the dead write in the middle of a chunk), or, when none
 * is, removes the fence and returns undefined.
 */
export function settleFence(fence: string): WriterIdentity | undefined {
  closeFence(fence);
  return removeClosedFence(fence);
}

/** Whether the fence is closed with a chunk write still under way: its lease is being released after a failure. */
export function drainingClaimant(fence: string): WriterIdentity | undefined {
  return lstatSync(closedFenceOf(fence), { throwIfNoEntry: false }) === undefined ? undefined : liveClaimant(fence);
}

function unlinkQuietly(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `write` (a chunk write, and its completion marker) under a claim of `fence`; refuses,
 * writing nothing, when the fence is closed or gone: the write this task belongs to has
 * released its lease. `where` names the array in the error.
 */
export async function claimedWrite<T>(fence: string | undefined, where: string, write: () => Promise<T>): Promise<T> {
  if (fence === undefined) return write();
  const name = `${process.pid}-${randomBytes(6).toString("hex")}`;
  const claim = path.join(fence, name);
  try {
    writeFileSync(claim, JSON.stringify(currentWriter()), { flag: "wx", mode: 0o644 });
  } catch (error) {
    if (!isErrno(error, "ENOENT", "ESTALE")) throw error;
    throw new ZarrWriteConflictError(
      `not writing to ${where}: the write this task belongs to has released the array (it failed, was cancelled or ended), ` +
        "so nothing more of it is written",
    );
  }
  const closedClaim = path.join(closedFenceOf(fence), name);
  // Touched while the write lasts, for a release on another host (writer-identity.ts).
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(claim, now, now, (error) => error && utimes(closedClaim, now, now, () => undefined));
  }, writerRefreshMs);
  refresh.unref();
  try {
    return await write();
  } finally {
    clearInterval(refresh);
    // Wherever the claim is now: a release that closed the fence meanwhile waits for it.
    if (!unlinkQuietly(claim)) unlinkQuietly(closedClaim);
  }
}
