/**
 * When a region write's start removes the temporary files killed writers left in its array
 * (create-array.ts's beginRegionWrite): once an hour per array and process.
 *
 * The removal takes a listing of the array's whole directory, chunk directories included (40 ms
 * at 20,000 chunks on a local disk, more on Lustre or NFS, 40 times the lease), which a loop of
 * region writes (a slice at a time) would otherwise pay at every write's start. Once an hour:
 * another host's file counts as abandoned only once untouched for that long (partial-files.ts),
 * and a file left meanwhile is never taken for data, it only takes space. A whole-array write
 * or a resume still removes them every time.
 *
 * The memory of when each array was last cleaned is bounded: a long-running process writing
 * regions of ever new arrays (a slice per time point, each its own array) would otherwise keep
 * one entry per array for ever. Entries an hour old are forgotten (their array is due anyway),
 * and beyond `regionCleanupMemoryLimit` arrays the least recently cleaned one is: it only costs
 * that array one more listing.
 */
import { abandonedAfterMs } from "./partial-files.js";

export const regionCleanupEveryMs = abandonedAfterMs;
/** Arrays remembered at most. */
export const regionCleanupMemoryLimit = 4096;

/** When this process last removed an array's abandoned temporary files, by its directory, least recent first. */
const cleanedAt = new Map<string, number>();

/** Whether a region write of the array in `directory` removes abandoned temporary files now; if so, remembered as done. */
export function regionCleanupDue(directory: string, now = Date.now()): boolean {
  const at = cleanedAt.get(directory);
  if (at !== undefined && now - at < regionCleanupEveryMs) return false;
  // Put last, so the map runs least recently cleaned first: what is forgotten is at its front.
  cleanedAt.delete(directory);
  cleanedAt.set(directory, now);
  for (const [key, when] of cleanedAt) {
    if (cleanedAt.size <= regionCleanupMemoryLimit && now - when < regionCleanupEveryMs) break;
    cleanedAt.delete(key);
  }
  return true;
}

/** How many arrays are remembered: for tests. */
export function regionCleanupsRemembered(): number {
  return cleanedAt.size;
}
