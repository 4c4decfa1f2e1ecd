/**
 * The write gate of a replaced array: lets toZarr submit its tasks while the old array's
 * keys are still being deleted, without a new chunk ever meeting an old one.
 *
 * toZarr with `overwrite` deletes the old node's keys and writes the new metadata in the
 * background, side by side with the graph's submission and the first tasks' compute (the
 * deletion is a few milliseconds per hundred chunks, a task's compute hundreds). Its store
 * tasks carry the write's lease id in their ref (`writeGate`), and opening such a ref for a
 * write waits until the gate file `write-lease.open-<id>` exists in the node's lease
 * directory (`.tessera-leases/`, beside the lease: node-files.ts). The writer creates that
 * file only once every old key is gone and the new metadata (and resume token) is written,
 * and removes it before releasing its lease. So:
 *
 * - no new chunk is written before the old chunk of the same name is gone (a late unlink
 *   would otherwise delete the new chunk);
 * - a failed deletion opens no gate: the writer releases its lease, its waiting tasks fail
 *   and nothing of the new array is written;
 * - a task of an earlier write (a leftover of a failed or killed run still computing on a
 *   worker) finds its gate gone and the lease naming another write (or none): it fails
 *   instead of writing into the new array.
 *
 * - a write killed between taking its lease and opening its gate (SIGKILL, a memory kill)
 *   leaves a lease that names it and no gate: its waiting tasks check the lease's holder by
 *   write-lease.ts's rules (its process on this host; its lease's refreshes on another) and
 *   fail once it is dead, instead of waiting for a gate that never opens.
 *
 * The wait polls (1 ms, doubling to 20 ms): the gate is a file because the tasks run in other
 * processes, on other hosts of a shared filesystem too, where no change notification is
 * reliable; in practice a task reaches its first write long after the gate opened. The
 * holder's liveness is checked once a second only (a few synchronous file reads each time):
 * a dead holder is rare, and a second is nothing beside a hang.
 */
import { EventEmitter } from "node:events";
import { promises as fs, rmSync } from "node:fs";
import * as path from "node:path";
import { isErrno } from "./atomic-fs-store.js";
import { ZarrWriteConflictError } from "./errors.js";
import { exclusiveLeaseName, leaseDirectoryOf, writeGatePrefix } from "./node-files.js";
import { exclusiveLeaseOf } from "./write-lease.js";
import { type ZarrRef, resolveRef } from "./zarr-ref.js";

/** Emits "waiting" (with the gate file) each time a write finds its gate still closed: for tests. */
export const writeGateEvents = new EventEmitter();

const firstPollMs = 1;
const longestPollMs = 20;
/** How often a waiting write checks that the lease's holder still runs. */
const holderCheckMs = 1000;

export function writeGateFile(nodeDirectory: string, id: string): string {
  return path.join(leaseDirectoryOf(nodeDirectory), `${writeGatePrefix}${id}`);
}

function nodeDirectoryOf(ref: ZarrRef): string {
  const { path: root, component } = resolveRef(ref);
  return component === "" ? root : path.join(root, ...component.split("/"));
}

/** Opens the gate of the write with lease `id`: the old keys are gone and the new metadata is written. */
export async function openWriteGate(ref: ZarrRef, id: string): Promise<void> {
  await fs.writeFile(writeGateFile(nodeDirectoryOf(ref), id), "", { mode: 0o644 });
}

/**
 * Closes the gate before the lease goes: later tasks of this write (after a failure) write
 * nothing. Synchronous, as the lease's release after it: it lies between the last chunk and
 * toZarr's return, where an asynchronous call waits a trip through libuv's pool.
 */
export async function closeWriteGate(ref: ZarrRef, id: string): Promise<void> {
  rmSync(writeGateFile(nodeDirectoryOf(ref), id), { force: true });
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return false;
    throw error;
  }
}

async function leaseIdAt(file: string): Promise<string | undefined> {
  try {
    const record = JSON.parse(await fs.readFile(file, "utf8")) as { id?: unknown };
    return typeof record?.id === "string" ? record.id : undefined;
  } catch {
    return undefined; // absent, or being replaced: read again on the next poll
  }
}

/**
 * Waits until the write with lease `id` has opened its gate in `nodeDirectory`; raises when
 * that write no longer holds the node's lease (it failed, ended, or another write replaced it)
 * or holds it dead (killed before it opened the gate).
 */
export async function awaitWriteGate(nodeDirectory: string, id: string, where: string): Promise<void> {
  const gate = writeGateFile(nodeDirectory, id);
  let holderCheckedAt = Date.now();
  for (let wait = firstPollMs; ; wait = Math.min(2 * wait, longestPollMs)) {
    if (await exists(gate)) return;
    // Checked after the gate: a write that opened its gate and ended at once is still over.
    if ((await leaseIdAt(path.join(leaseDirectoryOf(nodeDirectory), exclusiveLeaseName))) !== id && !(await exists(gate))) {
      throw new ZarrWriteConflictError(
        `not writing to ${where}: the toZarr that this task belongs to (lease ${id}) no longer holds the array ` +
          "(it failed or ended, or another write replaced the array); nothing of it is written",
      );
    }
    if (Date.now() - holderCheckedAt >= holderCheckMs) {
      holderCheckedAt = Date.now();
      const holder = exclusiveLeaseOf(nodeDirectory);
      if (holder?.id === id && !holder.alive && !(await exists(gate))) {
        throw new ZarrWriteConflictError(
          `not writing to ${where}: the toZarr that this task belongs to (lease ${id}, ${holder.writer}) died before it opened ` +
            `the array for writing (${holder.deathReason}); nothing of it is written. Run that toZarr again: its abandoned lease is taken over`,
        );
      }
    }
    writeGateEvents.emit("waiting", gate);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/**
 * Removes the gates in `nodeDirectory` whose write no longer holds the node's lease: left by a
 * writer killed after it opened its gate (a live write closes its gate before its lease goes).
 * Such a gate would let a leftover task of that write through into a later array. Returns how
 * many were removed. For a caller holding the node's lease (removeAbandonedWrites).
 */
export async function removeAbandonedGates(nodeDirectory: string): Promise<number> {
  const directory = leaseDirectoryOf(nodeDirectory);
  const names = await fs.readdir(directory).catch(() => [] as string[]);
  const gates = names.filter((name) => name.startsWith(writeGatePrefix));
  if (gates.length === 0) return 0;
  const holder = exclusiveLeaseOf(nodeDirectory)?.id;
  const abandoned = gates.filter((name) => name.slice(writeGatePrefix.length) !== holder);
  await Promise.all(abandoned.map((name) => fs.rm(path.join(directory, name), { force: true })));
  return abandoned.length;
}
