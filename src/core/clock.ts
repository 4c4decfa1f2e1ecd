/**
 * Time behind an interface so pure decisions can be tested with a fake clock. Real servers
 * use `systemClock`; state machines receive times inside their events and never read a clock.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, with sub-millisecond precision. */
  now(): number;
}

// performance.timeOrigin: the epoch time at which performance.now() is 0 (on Node 20 the
// process's start, the same in every thread), with sub-millisecond precision. Not Date.now() -
// performance.now(): Date.now() truncates to the millisecond, and a thread descheduled between
// the two calls (a loaded machine) got an origin off by the pause, for its whole life: task
// stream times of a worker's compute threads then disagreed with the client's by up to 35 ms.
const origin = performance.timeOrigin;

export const systemClock: Clock = {
  now: () => origin + performance.now(),
};

/** Seconds since the epoch, the unit Dask uses on the wire and in scheduler files. */
export function unixSeconds(clock: Clock = systemClock): number {
  return clock.now() / 1000;
}

/** Resolves after `ms`, or rejects early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
