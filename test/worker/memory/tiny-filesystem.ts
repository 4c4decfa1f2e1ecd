/**
 * A real small filesystem (tmpfs of a few MiB) for the tests of a full spill disk: writes
 * there fail with ENOSPC exactly as on a full node-local disk. Mounting needs root; where the
 * tests do not run as root (or may not mount), `tinyFilesystemUnavailable` says why and the
 * tests that need one are skipped with that reason printed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TinyFilesystem {
  path: string;
  unmount(): void;
}

export function mountTinyFilesystem(bytes: number): TinyFilesystem {
  const path = mkdtempSync(join(tmpdir(), "tessera-tiny-fs-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${bytes},mode=0755`, "tmpfs", path], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    throw error;
  }
  return {
    path,
    unmount: () => {
      execFileSync("umount", [path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Why a tiny filesystem cannot be mounted here, or undefined when it can (checked once, by trying). */
export function tinyFilesystemUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "not running as root: mounting a small tmpfs for the full-disk test needs root";
  try {
    mountTinyFilesystem(64 * 1024).unmount();
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs here (${(error as Error).message.split("\n")[0]})`;
  }
}
