/**
 * Removing the scratch directories of dead workers: exactly those, and nothing else in the
 * local directory. Owners are real processes (one still running, one that exited, one
 * SIGKILLed), read from the real /proc.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createScratchDirectory, ownerIsDead, removeDeadScratchDirectories, scratchMarker, systemProcessTable, type ScratchOwner,
} from "../../../src/worker/memory/scratch-directory.js";

const module = JSON.stringify(fileURLToPath(new URL("../../../src/worker/memory/scratch-directory.js", import.meta.url)));

/** A process that makes a scratch directory in `parent`, prints it, then waits for stdin to close (or is killed). */
function owner(parent: string): Promise<{ directory: string; pid: number; exit(): Promise<void>; kill(): Promise<void> }> {
  const script = `const { createScratchDirectory } = await import(${module});
const { directory } = await createScratchDirectory(${JSON.stringify(parent)});
process.stdout.write(directory + "\\n");
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stdout.once("data", (text: Buffer) => resolve({
      directory: text.toString().trim(), pid: child.pid as number,
      exit: async () => { child.stdin.end(); await exited; },
      kill: async () => { child.kill("SIGKILL"); await exited; },
    }));
  });
}

function markerOf(directory: string): ScratchOwner {
  return JSON.parse(readFileSync(join(directory, scratchMarker), "utf8")) as ScratchOwner;
}

describe("scratch directories of dead workers", () => {
  let parent: string;
  before(() => (parent = mkdtempSync(join(tmpdir(), "tessera-scratch-"))));
  after(() => rmSync(parent, { recursive: true, force: true }));

  it("marks a new scratch directory with this host and the process that made it", async () => {
    const { directory, spillDirectory } = await createScratchDirectory(parent);
    assert.match(directory, /\/tessera-worker-[A-Za-z0-9]{6}$/);
    assert.ok(existsSync(spillDirectory));
    const marker = markerOf(directory);
    assert.equal(marker.pid, process.pid);
    assert.equal(marker.host, systemProcessTable.hostname());
    assert.equal(marker.processStart, systemProcessTable.processStart(process.pid));
    assert.ok(marker.processStart !== null && marker.bootId, "start time and boot id are known on Linux");
    assert.equal(ownerIsDead(marker), false, "this process is alive");
    rmSync(directory, { recursive: true });
  });

  it("removes those of exited and killed workers, and nothing else", async () => {
    const live = await owner(parent);
    const exited = await owner(parent);
    const killed = await owner(parent);
    await exited.exit();
    await killed.kill();
    writeFileSync(join(killed.directory, "storage", "1.spill"), "spilled data");

    // What must stay: a user's files, look-alikes without a marker, other hosts' and links.
    writeFileSync(join(parent, "thesis.tex"), "\\documentclass{article}");
    mkdirSync(join(parent, "tessera-worker-nomark"));
    writeFileSync(join(parent, "tessera-worker-nomark", "data.bin"), "mine");
    mkdirSync(join(parent, "tessera-worker-notes-2024"));
    const otherHost = join(parent, "tessera-worker-othrhs");
    mkdirSync(otherHost);
    writeFileSync(join(otherHost, scratchMarker), JSON.stringify({ ...markerOf(exited.directory), host: "another-node" }));
    const outside = mkdtempSync(join(tmpdir(), "tessera-scratch-target-"));
    writeFileSync(join(outside, scratchMarker), JSON.stringify(markerOf(exited.directory)));
    writeFileSync(join(outside, "precious.txt"), "keep");
    symlinkSync(outside, join(parent, "tessera-worker-linkto"));
    const garbled = join(parent, "tessera-worker-garbld");
    mkdirSync(garbled);
    writeFileSync(join(garbled, scratchMarker), "{ not json");

    // A marker naming a live pid with another start time: the pid was reused, the worker is gone.
    const reused = join(parent, "tessera-worker-reused");
    mkdirSync(reused);
    writeFileSync(join(reused, scratchMarker), JSON.stringify({ ...markerOf(live.directory), processStart: (markerOf(live.directory).processStart as number) - 1 }));
    // One from before a reboot.
    const rebooted = join(parent, "tessera-worker-reboot");
    mkdirSync(rebooted);
    writeFileSync(join(rebooted, scratchMarker), JSON.stringify({ ...markerOf(live.directory), bootId: "00000000-0000-0000-0000-000000000000" }));

    try {
      const warnings: string[] = [];
      const removed = await removeDeadScratchDirectories(parent, (message) => warnings.push(message));
      assert.deepEqual(removed.sort(), [exited.directory, killed.directory, reused, rebooted].sort());
      assert.deepEqual(warnings, []);
      assert.deepEqual(readdirSync(parent).sort(), [
        "tessera-worker-garbld", "tessera-worker-linkto", "tessera-worker-nomark", "tessera-worker-notes-2024", "tessera-worker-othrhs",
        live.directory.slice(parent.length + 1), "thesis.tex",
      ].sort());
      assert.equal(readFileSync(join(parent, "thesis.tex"), "utf8"), "\\documentclass{article}");
      assert.equal(readFileSync(join(parent, "tessera-worker-nomark", "data.bin"), "utf8"), "mine");
      assert.equal(readFileSync(join(outside, "precious.txt"), "utf8"), "keep", "a link is never followed");
      assert.ok(existsSync(join(live.directory, "storage")), "the live worker keeps its directory");
    } finally {
      await live.exit();
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
