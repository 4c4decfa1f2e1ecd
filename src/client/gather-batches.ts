/**
 * How a gather splits one worker's keys into requests: in order, each request's values at
 * most `boundBytes` (comm/data-request.ts messageBytesFor: a worker reads back at most about
 * that much from disk for one reply), except that a value bigger than the bound goes alone.
 * Small gathers stay one request per worker.
 */
export function planBatches<T>(items: readonly T[], nbytesOf: (item: T) => number, boundBytes: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const nbytes = Math.max(0, nbytesOf(item));
    if (current.length > 0 && currentBytes + nbytes > boundBytes) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += nbytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
