/**
 * Finds the user's script that called into tessera (the first stack frame outside
 * tessera's own src/ and dist/src/ and outside Node's internals) and reads its source, so a
 * performance report shows the code that produced it.
 */
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ownRoots = [fileURLToPath(new URL("../../", import.meta.url))];

/** The file of the first frame in `stack` outside tessera, or null. */
export function callerFile(stack: string | undefined): string | null {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line.trim());
    if (!match) continue;
    const file = match[1].startsWith("file://") ? fileURLToPath(match[1]) : match[1];
    if (ownRoots.some((root) => file.startsWith(root))) continue;
    return file;
  }
  return null;
}

/** The source of `file` when it is a readable text file under 1 MB. */
export function readSource(file: string | null): string | null {
  if (!file) return null;
  try {
    if (statSync(file).size > 1e6) return null;
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
