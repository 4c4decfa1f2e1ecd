/**
 * Who runs a call posted to a compute thread: one flag in shared memory per posting, which the
 * thread and the pool each change with one compare-and-exchange, so exactly one of them wins.
 * A call posted to a thread waits in that thread's port queue behind the one it runs; if
 * another thread frees first, the pool withdraws the call (posted → withdrawn) and posts it
 * there, as Dask gives a task only to a free thread. The thread claims a call (posted →
 * started) just before running it and skips one that was withdrawn; the pool leaves a call the
 * thread already claimed where it is. Without the flag a call queued behind one that waits on
 * other tasks (an event, a barrier, a long instance of a short kind) waits with it, even
 * while other threads idle, and tasks that wait on each other hang.
 */

const POSTED = 0;
const STARTED = 1;
const WITHDRAWN = 2;

/** A fresh flag for one posting of a call (a call moved to another thread gets a new one). */
export function newClaim(): Int32Array {
  // Made on the main thread, a control word and no task's data: no task meter is to count it.
  // eslint-disable-next-line no-restricted-syntax -- not a block (allocation-ledger.ts counts blocks)
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/** On the compute thread: true if the call is this thread's to run (it was not withdrawn). */
export function claimToRun(claim: Int32Array): boolean {
  return Atomics.compareExchange(claim, 0, POSTED, STARTED) === POSTED;
}

/** In the pool: true if the call was taken back before its thread started it. */
export function withdraw(claim: Int32Array): boolean {
  return Atomics.compareExchange(claim, 0, POSTED, WITHDRAWN) === POSTED;
}

/** Whether the thread has started the call (a thread that dies has then run part of it). */
export function hasStarted(claim: Int32Array): boolean {
  return Atomics.load(claim, 0) === STARTED;
}
