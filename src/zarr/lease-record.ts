/**
 * A write lease's file (write-lease.ts): what it records, how it is made in the node's lease
 * directory `.tessera-leases/` and read back, and whether its holder still runs.
 *
 * The directory exists only while a lease is held (or a dead one is left): a release that
 * leaves it empty removes it (rmdir(2), which fails while anything is in it), so a finished
 * write leaves the store as it found it. A writer making a lease makes the directory first
 * (EEXIST: another writer has it) and writes its lease's temporary file in it: when a release
 * removed the directory in between, the write fails with ENOENT and is tried again after
 * making the directory anew. Once its temporary file is there the directory cannot go, and
 * after that its lease (and its fence) keep it. Each retry means another write's release
 * removed the directory meanwhile, so it ends; the attempts are bounded all the same.
 *
 * Every lease file is written completely under a unique name and then hard-linked to its
 * lease name: link(2) fails if the name exists, atomically, also on NFS, and a reader never
 * sees a half-written lease.
 */
import { randomBytes } from "node:crypto";
import { type Stats, linkSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isErrno } from "./atomic-fs-store.js";
import { leaseDirectoryOf } from "./node-files.js";
import { type WriterIdentity, type WriterLiveness, currentWriter, writerExpiresAfterMs, writerLiveness } from "./writer-identity.js";

export interface LeaseRecord extends WriterIdentity {
  kind: "exclusive" | "region";
  id: string;
  since: string;
}

/** The lease in `file`, or undefined when there is none or it cannot be read. */
export function readLease(file: string): LeaseRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as LeaseRecord;
    return typeof record?.id === "string" && typeof record.host === "string" && Number.isInteger(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Tries at making a lease whose directory a release removed meanwhile (each: another write's release). */
const leaseDirectoryAttempts = 100;

/** Makes the lease directory of the node in `node` (which must exist); there already is fine. */
function makeLeaseDirectory(node: string): void {
  try {
    mkdirSync(leaseDirectoryOf(node), { mode: 0o755 });
  } catch (error) {
    if (!isErrno(error, "EEXIST")) throw error;
  }
}

/**
 * Writes `record` under a unique name in the lease directory of `node` (made if needed), then
 * links it to `file`; false when `file` exists. The temporary file keeps the directory from
 * being removed (rmdir fails on it) until the lease, linked beside it, does so.
 */
export function linkNewLease(node: string, file: string, record: LeaseRecord): boolean {
  const temporary = `${file}~${record.id}`;
  for (let attempt = 1; ; attempt++) {
    makeLeaseDirectory(node);
    try {
      writeFileSync(temporary, JSON.stringify(record), { flag: "wx", mode: 0o644 });
      break;
    } catch (error) {
      // The last lease's release removed the directory between our mkdir and this write.
      if (!isErrno(error, "ENOENT", "ESTALE") || attempt >= leaseDirectoryAttempts) throw error;
    }
  }
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if (isErrno(error, "EEXIST")) return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Whether the holder of the lease in `file` runs: by its process on this host, by the lease's refreshes elsewhere. */
export function holderLiveness(file: string, holder: LeaseRecord): WriterLiveness {
  const liveness = writerLiveness(holder);
  if (liveness !== "unknown") return liveness;
  const stats = lstatOrUndefined(file);
  return stats === undefined || Date.now() - stats.mtimeMs > writerExpiresAfterMs ? "dead" : "unknown";
}

/** A new lease of this process. */
export function newRecord(kind: LeaseRecord["kind"]): LeaseRecord {
  return { kind, ...currentWriter(), id: randomBytes(8).toString("hex"), since: new Date().toISOString() };
}

export function lstatOrUndefined(file: string): Stats | undefined {
  return lstatSync(file, { throwIfNoEntry: false });
}
