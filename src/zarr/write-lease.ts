/**
 * Write leases: how concurrent writers of one Zarr array or group find out about each other.
 *
 * Creating or replacing a node (createArray, toZarr) takes the node's *exclusive* lease, a
 * file `write-lease` in the node's lease directory `.tessera-leases/`; writing into a region of
 * an existing array (toZarr with `region`, store) takes a *region* lease, `region-lease-<random>`
 * there, of which any number may coexist (disjoint regions are written concurrently by design).
 * A lease records its writer (host, pid, process start time) and is deleted when the write ends.
 *
 * The leases have a directory of their own because a region write lists them (for a region
 * write released after a failure with a chunk still being written): in the node's directory
 * that listing read every chunk name of a flat array, 23.5 ms against 0.5 ms a lease at 20,000
 * chunks, paid by every write of a loop of region writes. The directory exists only while a
 * lease is held, and its making races a release's removal of it (lease-record.ts).
 *
 * Leases a tessera from before the lease directory left in the node's own directory
 * (`.tessera-write-lease`, `.tessera-region-lease-*`) are not honoured: honouring them would
 * protect in one direction only (such a version never looks in `.tessera-leases/`, so it would
 * write beside a lease of ours anyway), its region leases can only be found by the very listing
 * of the node's directory this layout removes, and one array written at once by two versions
 * of tessera (no fences in the older one either) is not a case leases can make safe. What such
 * a version left is still tessera's own (node-files.ts), never a foreign file.
 *
 * A second writer that finds a lease fails at once with ZarrWriteConflictError naming the
 * holder (tessera's choice: failing says what happened; waiting could wait for ever behind a
 * writer that hangs). A lease whose writer is dead is taken over: on the writer's own host
 * that is known at once (the process is gone); a writer on another host cannot be checked,
 * so every holder refreshes its lease's mtime every `leaseRefreshMs`, and another host's lease
 * not refreshed for `leaseExpiresAfterMs` counts as dead. So a job killed at its walltime on
 * one node is resumed by its resubmission on another a few minutes later.
 *
 * A lease goes only once no task of its write can still write (write-fence.ts): its tasks
 * claim its fence around each chunk write, and its release closes the fence and waits for
 * the claims under way. A dead lease whose fence still has a live claim is not taken over
 * until that chunk has landed; a region lease being released so is not written beside.
 *
 * Every lease file is hard-linked to its name (lease-record.ts), which fails atomically where
 * the name exists. After taking a lease each writer looks for the leases it
 * conflicts with (region leases for an exclusive one; exclusive ones on the node and its
 * parents for every lease; any lease below a group that is about to be replaced), so of two
 * writers racing, at least one sees the other. That holds because a lease stays at its name
 * from its link to its release: a dead lease is removed only under a takeover claim, and only
 * while it is still there (lease-takeover.ts), never by emptying the name under a fresh one.
 *
 * The lease's file operations are synchronous: each is a small metadata call, and a lease takes
 * about twenty of them in a row before a write's first task can be submitted (and one more
 * read and unlink after its last chunk, before toZarr returns). Through libuv's pool each cost
 * a hand-off to a pool thread and back, ~0.1 ms of CPU, and on a loaded machine a wake-up of
 * both: taking a lease measured 2.0 ms of CPU and 2–40 ms of wall time at load 4–8 on 2
 * cores, its release up to 27 ms.
 */
import { mkdirSync, readdirSync, rmSync, rmdirSync, utimes } from "node:fs";
import * as path from "node:path";
import { ZarrWriteConflictError } from "./errors.js";
import { type LeaseRecord, holderLiveness, linkNewLease, lstatOrUndefined, newRecord, readLease } from "./lease-record.js";
import { removeAbandonedClaims, removeDeadLease } from "./lease-takeover.js";
import { drainFence, drainingClaimant, fenceOf, openFence, settleFence } from "./write-fence.js";
import { descendantNodeDirectories, exclusiveLeaseName, leaseDirectoryOf, regionLeasePrefix, writeGatePrefix } from "./node-files.js";
import { type WriterIdentity, describeWriter, writerExpiresAfterMs, writerLiveness, writerRefreshMs } from "./writer-identity.js";

/** How often a holder touches its lease, and when another host's untouched lease is stale. */
export const leaseRefreshMs = writerRefreshMs;
export const leaseExpiresAfterMs = writerExpiresAfterMs;

export interface WriteLease {
  /** The lease file. */
  readonly file: string;
  /** The lease's unique id, as recorded in its file ("" for a lease held by a caller above). */
  readonly id: string;
  /** The lease's write fence (write-fence.ts), which its tasks' refs carry as `writeFence` ("" for a lease held by a caller above). */
  readonly fence: string;
  /**
   * Closes the fence and waits for the chunk writes under way (none after a success; after a
   * failure, those of tasks still running), then deletes the lease (if it is still this one),
   * the lease directory if no other lease is left in it, and any directory the write alone made.
   */
  release(): Promise<void>;
}

/** The exclusive lease of a node as another process sees it: whose write holds it, and whether that writer runs. */
export interface ExclusiveLeaseHolder {
  /** The write's lease id (a toZarr's store tasks carry it as their ref's `writeGate`). */
  id: string;
  /** False once the holder is known dead: its process gone on this host, or its lease unrefreshed too long on another. */
  alive: boolean;
  /** "pid 123 on host node7", for messages. */
  writer: string;
  /** Why a dead holder counts as dead, for messages. */
  deathReason: string;
}

/**
 * The exclusive lease of the node in `nodeDirectory`, by the same liveness rules as a writer
 * that would take it over; undefined when there is none (or it cannot be read).
 */
export function exclusiveLeaseOf(nodeDirectory: string): ExclusiveLeaseHolder | undefined {
  const file = path.join(leaseDirectoryOf(nodeDirectory), exclusiveLeaseName);
  const holder = readLease(file);
  if (!holder) return undefined;
  const deathReason = writerLiveness(holder) === "unknown"
    ? `it runs on another host and its lease went unrefreshed for over ${leaseExpiresAfterMs / 60_000} minutes`
    : "its process no longer runs";
  return { id: holder.id, alive: holderLiveness(file, holder) !== "dead", writer: describeWriter(holder), deathReason };
}

function conflict(where: string, file: string, holder: LeaseRecord | undefined, action: string): ZarrWriteConflictError {
  const who = holder ? `${describeWriter(holder)}, since ${holder.since}` : "a writer whose lease is unreadable";
  const kind = holder?.kind === "region" ? "a region write" : "another toZarr or createArray";
  const remote = holder && writerLiveness(holder) === "unknown"
    ? ` (it runs on another host, which tessera cannot check: its lease counts as abandoned once not refreshed for ${leaseExpiresAfterMs / 60_000} minutes)`
    : "";
  return new ZarrWriteConflictError(
    `cannot ${action} ${where}: ${kind} holds it (${who}). Wait for it to finish, or write elsewhere. ` +
      `If that writer no longer runs${remote}, delete ${file}`,
  );
}

/**
 * A write whose lease is dead (or being released after a failure) with a task still writing a
 * chunk under its fence (write-fence.ts): the next writer waits for that chunk, not for ever.
 */
function stillWriting(where: string, holder: LeaseRecord, claimant: WriterIdentity, action: string, dead: boolean): ZarrWriteConflictError {
  const whose = dead ? `a write that died (${describeWriter(holder)}, lease ${holder.id})` : `a write that failed or ended (${describeWriter(holder)}, lease ${holder.id})`;
  return new ZarrWriteConflictError(
    `cannot ${action} ${where}: a task of ${whose} is still writing a chunk of it (${describeWriter(claimant)}). ` +
      "That write writes nothing more once this chunk lands: try again in a moment",
  );
}

/**
 * The holder of a lease file that blocks us, or undefined when there is none or it is dead.
 * A dead exclusive holder's open write gate is removed on the way (write-gate.ts): whatever
 * write comes next (a region write beside the dead lease, a group replaced above it), a
 * leftover task of the dead toZarr must not pass its gate into it.
 */
function liveHolder(file: string, where: string, action: string): LeaseRecord | "unreadable" | undefined {
  const holder = readLease(file);
  if (!holder) return lstatOrUndefined(file) !== undefined ? "unreadable" : undefined;
  if (holderLiveness(file, holder) !== "dead") return holder;
  refuseWhileStillWriting(file, holder, where, action);
  removeWriteGateOf(file, holder);
  return undefined;
}

/** For a dead lease about to be taken over or removed: its fence closed, and refused while a task of it still writes. */
function refuseWhileStillWriting(file: string, holder: LeaseRecord, where: string, action: string): void {
  const claimant = settleFence(fenceOf(file, holder.id));
  if (claimant) throw stillWriting(where, holder, claimant, action, true);
}

function removeWriteGateOf(leaseFile: string, holder: LeaseRecord): void {
  if (holder.kind === "exclusive") rmSync(path.join(path.dirname(leaseFile), `${writeGatePrefix}${holder.id}`), { force: true });
}

/**
 * Takes over the dead lease `stale` at `file` (lease-takeover.ts: removed only while it is
 * still there, so the name is never emptied under a fresh lease), and its write gate with it.
 */
function removeStaleLease(node: string, file: string, stale: LeaseRecord, where: string, action: string): void {
  removeDeadLease(node, file, stale, where, action);
  removeWriteGateOf(file, stale); // as in liveHolder: gone with the dead lease
}

/**
 * The region leases of the node in `node`: a listing of its lease directory, never of the
 * node's (its chunks). Every lease's taking makes it, so what writers that died left in it
 * beside the leases goes on the way (lease-takeover.ts), or it would keep the directory from
 * ever being removed; `tidied` says whether anything went.
 */
function regionLeaseFiles(node: string, tidied = { any: false }): string[] {
  const directory = leaseDirectoryOf(node);
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    names = [];
  }
  tidied.any = removeAbandonedClaims(node, names);
  return names.filter((name) => name.startsWith(regionLeasePrefix) && !name.includes("~")).map((name) => path.join(directory, name));
}

/** Refuses when a live exclusive lease is held on `directories` (the node and its parents). */
function checkNoExclusiveHolder(directories: string[], where: string, action: string, ownFile: string): void {
  for (const directory of directories) {
    const file = path.join(leaseDirectoryOf(directory), exclusiveLeaseName);
    if (file === ownFile) continue;
    const holder = liveHolder(file, where, action);
    if (holder) throw conflict(where, file, holder === "unreadable" ? undefined : holder, action);
  }
}

/**
 * Refuses when any live region lease is held on `directory`; dead ones are removed, and the
 * lease directory with them when that leaves it empty (a node below a replaced group).
 */
function checkNoRegionHolder(directory: string, where: string, action: string): void {
  const tidied = { any: false };
  const files = regionLeaseFiles(directory, tidied);
  for (const file of files) {
    const holder = liveHolder(file, where, action);
    if (holder) throw conflict(where, file, holder === "unreadable" ? undefined : holder, action);
    rmSync(file, { force: true });
  }
  if (files.length > 0 || tidied.any) removeDirectoryIfEmpty(leaseDirectoryOf(directory));
}

/**
 * A region write beside other region writes of the node (disjoint regions are written side by
 * side): refused only while one of them is released after a failure with a chunk still being
 * written, or is dead with one (write-fence.ts); dead ones are removed.
 */
function checkNoRegionStillWriting(directory: string, where: string, action: string, ownFile: string): void {
  for (const file of regionLeaseFiles(directory)) {
    if (file === ownFile) continue;
    const holder = readLease(file);
    if (!holder) continue;
    if (holderLiveness(file, holder) === "dead") {
      refuseWhileStillWriting(file, holder, where, action);
      rmSync(file, { force: true });
      continue;
    }
    const claimant = drainingClaimant(fenceOf(file, holder.id));
    if (claimant) throw stillWriting(where, holder, claimant, action, false);
  }
}

function nodeDirectories(root: string, component: string): { node: string; ancestors: string[] } {
  const parts = component === "" ? [] : component.split("/");
  const ancestors = parts.map((_, level) => path.join(root, ...parts.slice(0, level)));
  return { node: path.join(root, ...parts), ancestors };
}

function removeDirectoryIfEmpty(directory: string): boolean {
  try {
    rmdirSync(directory);
    return true;
  } catch {
    return false;
  }
}

function leaseOf(file: string, id: string, createdDirectory: string | undefined, node: string): WriteLease & { fence: string } {
  let released = false;
  // Touching the lease tells writers on other hosts that its holder still runs (unref'd: it
  // never keeps the process alive; a process that dies stops refreshing, which is the point).
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(file, now, now, () => undefined);
  }, leaseRefreshMs);
  refresh.unref();
  const fence = fenceOf(file, id);
  return {
    file,
    id,
    fence,
    async release() {
      if (released) return;
      released = true;
      // Refreshed until the fence is drained: the lease stands for the chunk writes still under way.
      try {
        await drainFence(fence);
      } finally {
        clearInterval(refresh);
      }
      if (readLease(file)?.id === id) rmSync(file, { force: true });
      // The last lease out removes the lease directory; a writer making a lease in it meanwhile makes it again.
      removeDirectoryIfEmpty(leaseDirectoryOf(node));
      // A write that failed before it created anything leaves no directory behind.
      if (createdDirectory === undefined) return;
      for (let directory = node; ; directory = path.dirname(directory)) {
        if (!removeDirectoryIfEmpty(directory) || directory === createdDirectory) break;
      }
    },
  };
}

/**
 * Takes the exclusive lease of the node `component` of the store at `root` (making its
 * directory if needed). `where` names the node and `action` the write in errors.
 */
export async function acquireExclusiveLease(root: string, component: string, where: string, action: string): Promise<WriteLease> {
  const { node, ancestors } = nodeDirectories(root, component);
  const createdDirectory = mkdirSync(node, { recursive: true });
  const file = path.join(leaseDirectoryOf(node), exclusiveLeaseName);
  const record = newRecord("exclusive");
  const lease = leaseOf(file, record.id, createdDirectory, node);
  try {
    for (let attempt = 0; !linkNewLease(node, file, record); attempt++) {
      const holder = readLease(file);
      if (!holder || holderLiveness(file, holder) !== "dead" || attempt >= 3) throw conflict(where, file, holder, action);
      refuseWhileStillWriting(file, holder, where, action);
      removeStaleLease(node, file, holder, where, action);
    }
    openFence(file, record.id);
    checkNoRegionHolder(node, where, action);
    checkNoExclusiveHolder(ancestors, where, action, file);
    for (const below of descendantNodeDirectories(node)) {
      checkNoExclusiveHolder([below], where, action, file);
      checkNoRegionHolder(below, where, action);
    }
  } catch (error) {
    await lease.release();
    throw error;
  }
  return lease;
}

/** Takes a region lease of the existing array `component` of the store at `root`. */
export async function acquireRegionLease(root: string, component: string, where: string, action: string): Promise<WriteLease> {
  const { node, ancestors } = nodeDirectories(root, component);
  const record = newRecord("region");
  const file = path.join(leaseDirectoryOf(node), `${regionLeasePrefix}${record.id}`);
  if (!linkNewLease(node, file, record)) throw conflict(where, file, readLease(file), action);
  const lease = leaseOf(file, record.id, undefined, node);
  try {
    openFence(file, record.id);
    checkNoExclusiveHolder([...ancestors, node], where, action, file);
    checkNoRegionStillWriting(node, where, action, file);
  } catch (error) {
    await lease.release();
    throw error;
  }
  return lease;
}
