// The exit-status file through which rank 1's exit code reaches the scheduler and worker ranks.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  exitStatusPath, markExitStatusRead, removeExitStatus, waitForExitStatus, waitForExitStatusReads, writeExitStatus,
} from "../../src/runner/exit-status.js";

function withDirectory(run: (directory: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const directory = mkdtempSync(join(tmpdir(), "tessera-exit-status-"));
    try {
      await run(directory);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  };
}

describe("the runner's exit-status file", () => {
  it("is written whole: the file holds the code and a newline, and nothing else is left beside it", withDirectory(async (directory) => {
    const path = exitStatusPath(join(directory, "scheduler.json"));
    writeExitStatus(path, 3);
    assert.equal(readFileSync(path, "utf8"), "3\n");
    assert.deepEqual(readdirSync(directory), ["scheduler.json.exit-status"]);
  }));

  it("a file caught between its creation and its write (empty, or without its newline) is no status yet, not exit code 0", withDirectory(async (directory) => {
    const path = exitStatusPath(join(directory, "scheduler.json"));
    writeFileSync(path, "");
    assert.equal(await waitForExitStatus(path, 0.2), null);
    writeFileSync(path, "3");
    assert.equal(await waitForExitStatus(path, 0.2), null);
    writeFileSync(path, "3\n");
    assert.equal(await waitForExitStatus(path, 10), 3);
  }));

  it("waits for the file to appear", withDirectory(async (directory) => {
    const path = exitStatusPath(join(directory, "scheduler.json"));
    const waiting = waitForExitStatus(path, 60);
    writeExitStatus(path, 0);
    assert.equal(await waiting, 0);
  }));

  it("stays until every worker rank has marked it read, then goes with the marks", withDirectory(async (directory) => {
    const path = exitStatusPath(join(directory, "scheduler.json"));
    writeExitStatus(path, 1);
    let allRead = false;
    const reads = waitForExitStatusReads(path, [2, 3], 60).then(() => (allRead = true));
    markExitStatusRead(path, 2);
    // Rank 3 has not read it: the wait goes on past several of its polls.
    await waitForExitStatus(join(directory, "never"), 0.35);
    assert.equal(allRead, false, "the wait ended while rank 3 had not read the status");
    markExitStatusRead(path, 3);
    await reads;
    await removeExitStatus(path, [2, 3]);
    assert.deepEqual(readdirSync(directory), []);
  }));

  it("removing it also removes what a client killed mid-write left (its .partial-<pid>), and nothing else", withDirectory(async (directory) => {
    const path = exitStatusPath(join(directory, "scheduler.json"));
    writeFileSync(`${path}.partial-4242`, "");
    writeFileSync(join(directory, "scheduler.json"), "{}");
    await removeExitStatus(path, [2]);
    assert.deepEqual(readdirSync(directory), ["scheduler.json"]);
  }));

  it("a worker rank that never reads it is waited for only as long as the exit-status wait", withDirectory(async (directory) => {
    const path = exitStatusPath(join(directory, "scheduler.json"));
    writeExitStatus(path, 0);
    const started = Date.now();
    await waitForExitStatusReads(path, [2], 0.3);
    assert.ok(Date.now() - started >= 300);
  }));
});
