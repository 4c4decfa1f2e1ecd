// processAlive: this process runs, one that exited does not, and another user's (pid 1) does.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { processAlive } from "../../src/core/process-alive.js";

describe("processAlive", () => {
  it("is true for this process and for pid 1, false once a child has exited and been reaped", async () => {
    assert.equal(processAlive(process.pid), true);
    assert.equal(processAlive(1), true, "init runs (EPERM counts as running)");
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    const pid = child.pid as number;
    await once(child, "exit");
    assert.equal(processAlive(pid), false);
  });
});
