/**
 * Removing a dead writer's lease from the name other writers race to take (write-lease.ts).
 *
 * POSIX has no "unlink this name if it still holds that file", and two writers that both read
 * the dead lease must not both remove what is at its name: the second would remove the lease
 * the first (or a third) has linked there since. The takeover used to rename the name aside
 * and put back a lease that turned out fresh, but between the two the name was empty: a third
 * writer looking for the exclusive lease found none and took a region lease beside the fresh
 * one, or linked its own exclusive lease there (and the put-back, finding the name taken,
 * dropped the fresh one). Both writers then held conflicting leases
 * (test/zarr/write-lease-takeover.test.ts drives that interleaving).
 *
 * So the name is never emptied under a fresh lease: removing the dead lease D takes a *claim*,
 * a record of the remover linked to `<lease>~takeover-<D's id>` (link(2): one writer at a
 * time), and under it reads the name again and removes it only if it still holds D. Nothing
 * else removes D (its own holder is dead, and a claim's holder removes it only under the
 * claim), so D is still there when the remover unlinks it; a writer that read D before it went
 * takes the claim later and finds another lease, which it leaves. A dead lease's id never
 * comes back to the name (ids are random, and nothing is put back), so a claim left by a
 * remover that died after its removal is harmless to whoever takes it next. Nobody takes it
 * again, though, and it would keep the lease directory (and the store) from being left clean:
 * the next lease taken on the node removes it, as a dead lease is removed (removeAbandonedClaims).
 *
 * A claim held by a live writer refuses the takeover (the remover is a few calls from done:
 * try again); one whose holder died is itself a dead lease at its own name, removed the same
 * way (a claim on the claim), so no writer is blocked for ever by one that died taking over.
 * Each level needs a further writer that died mid-takeover; the depth is bounded all the same.
 */
import { rmSync } from "node:fs";
import * as path from "node:path";
import { ZarrWriteConflictError } from "./errors.js";
import { type LeaseRecord, holderLiveness, linkNewLease, lstatOrUndefined, newRecord, readLease } from "./lease-record.js";
import { leaseDirectoryOf } from "./node-files.js";
import { describeWriter } from "./writer-identity.js";

const claimInfix = "~takeover-";
/** Writers that died taking over, one behind the other, past which a takeover gives up. */
const deepestClaim = 8;

/** The claim that removes the lease `dead` from `file`. */
export function takeoverClaimOf(file: string, dead: LeaseRecord): string {
  return `${file}${claimInfix}${dead.id}`;
}

/**
 * Removes the lease `dead` (whose holder is dead) from `file` of the node in `node` if it is
 * still there, never anything else. Throws ZarrWriteConflictError while a live writer is
 * removing it; `where` and `action` name the write in errors.
 */
export function removeDeadLease(node: string, file: string, dead: LeaseRecord, where: string, action: string): void {
  removeUnderClaim(node, file, dead, where, action, 0);
}

function removeUnderClaim(node: string, file: string, dead: LeaseRecord, where: string, action: string, depth: number): void {
  const claim = takeoverClaimOf(file, dead);
  const record = newRecord(dead.kind);
  for (let attempt = 0; !linkNewLease(node, claim, record); attempt++) {
    const claimant = readLease(claim);
    if (claimant === undefined && lstatOrUndefined(claim) === undefined && attempt < 3) continue; // its remover just finished
    if (claimant === undefined || holderLiveness(claim, claimant) !== "dead") throw beingTakenOver(where, action, file, dead, claimant, claim);
    if (depth >= deepestClaim || attempt >= 3) throw beingTakenOver(where, action, file, dead, claimant, claim);
    removeUnderClaim(node, claim, claimant, where, action, depth + 1);
  }
  try {
    if (readLease(file)?.id === dead.id) rmSync(file, { force: true });
  } finally {
    if (readLease(claim)?.id === record.id) rmSync(claim, { force: true });
  }
}

function beingTakenOver(where: string, action: string, file: string, dead: LeaseRecord, claimant: LeaseRecord | undefined, claim: string): ZarrWriteConflictError {
  const who = claimant === undefined
    ? `a writer whose claim is unreadable (if none is taking it over, delete ${claim})`
    : holderLiveness(claim, claimant) === "dead"
      ? `${describeWriter(claimant)}, which died too, behind others that died taking it over (delete ${claim})`
      : describeWriter(claimant);
  return new ZarrWriteConflictError(
    `cannot ${action} ${where}: the lease ${file} of a writer that died (${describeWriter(dead)}) is being taken over by ${who}. ` +
      "Try again in a moment",
  );
}

/** The last part of a temporary file's name (lease-record.ts's linkNewLease): its record's id. */
const temporarySuffix = /~([0-9a-f]{16})$/;

/**
 * Removes from the lease directory of `node`, whose entries are `names` (its caller lists it
 * anyway), what writers that died left there beside the leases, which would keep it from ever
 * being removed: takeover claims (and claims on them) whose holder is dead, each the way a
 * dead lease is removed (under a claim of its own, and only while it is still there), and
 * temporary files of leases or claims whose writer died before linking them (their names are
 * the dead writer's alone: simply unlinked). A claim of a live writer, and anything unreadable,
 * stays; so does everything else (leases, fences, gates). Returns whether anything went. Never
 * throws: tidying up after writers long gone must not fail the write that does it.
 */
export function removeAbandonedClaims(node: string, names: readonly string[]): boolean {
  const directory = leaseDirectoryOf(node);
  let removed = false;
  // Shallowest first: a claim's own removal takes over the dead claims on it on the way.
  for (const name of [...names].sort((a, b) => a.length - b.length)) {
    const file = path.join(directory, name);
    const claimed = name.slice(name.lastIndexOf("~")).startsWith(claimInfix);
    const temporary = temporarySuffix.exec(name)?.[1];
    if (!claimed && temporary === undefined) continue;
    const holder = readLease(file);
    if (holder === undefined || (temporary !== undefined && holder.id !== temporary) || holderLiveness(file, holder) !== "dead") continue;
    try {
      if (temporary !== undefined) rmSync(file, { force: true });
      else removeDeadLease(node, file, holder, `the lease directory ${directory}`, "tidy");
      removed = true;
    } catch {
      // Being taken over by a live writer, or not ours to remove: it stays, as before.
    }
  }
  return removed;
}
