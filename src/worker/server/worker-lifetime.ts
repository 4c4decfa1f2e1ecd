/**
 * When a worker with a lifetime retires (Dask's `--lifetime`, `--lifetime-stagger`): the
 * options, else `distributed.worker.lifetime.*` of the configuration; the stagger spreads the
 * retirements of workers started together over ± `stagger` seconds, so they do not all leave
 * at once. At least one second from now.
 */
import { unixSeconds } from "../../core/clock.js";
import { workerLifetimeSettings } from "../../config/index.js";

/** Epoch seconds at which the worker retires, or undefined: no lifetime. */
export function lifetimeEnd(options: { lifetime?: number; lifetimeStagger?: number }, now = unixSeconds()): number | undefined {
  const configured = workerLifetimeSettings();
  const lifetime = options.lifetime ?? configured.durationSeconds ?? undefined;
  if (lifetime === undefined) return undefined;
  const stagger = options.lifetimeStagger ?? configured.staggerSeconds;
  return now + Math.max(1, lifetime + (Math.random() * 2 - 1) * stagger);
}
