/**
 * Task functions for the memory tests, travelling to workers as module references (they use
 * the filesystem, which a self-contained function could not import).
 */
import { existsSync, writeFileSync } from "node:fs";
import { exportedFunctions } from "../../../src/graph/function-travel.js";

/** Takes `bytes` of memory the worker cannot spill (touching every page) and holds it. */
function holdUnmanaged(bytes: number, seconds: number): void {
  const hog = new Uint8Array(bytes);
  hog.fill(1);
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (hog[hog.length - 1] !== 1) break;
  }
}

/** The first run (no marker yet) blows the memory budget; a rerun returns 2 × value. */
export function hogOnce(marker: string, bytes: number, value: number): number {
  if (!existsSync(marker)) {
    writeFileSync(marker, "");
    holdUnmanaged(bytes, 30);
    return -1;
  }
  return 2 * value;
}

/** Blows the memory budget every time it runs. */
export function hogAlways(bytes: number): number {
  holdUnmanaged(bytes, 30);
  return -1;
}

exportedFunctions(import.meta.url, { hogOnce, hogAlways });
