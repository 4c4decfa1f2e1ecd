// Issue 9 item 2, as it happened: `tessera scheduler --credential-file F` silently replaced F
// when it was empty or readable by others: a mode-644 shell config was overwritten, a team's
// shared credential rotated, locking out every worker. Now an existing F is used as it is or
// refused with what to do, and never rewritten (byte for byte, mode included); only a path
// where nothing exists gets a new credential file (mode 0600). Real `tessera` processes.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "../../src/index.js";

const bin = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));

interface SchedulerRun {
  /** Resolves with the address once the scheduler says it listens, or with the exit when it refuses. */
  started: Promise<{ address?: string; code?: number | null; stderr: string }>;
  stop(): Promise<void>;
}

function startScheduler(credentialFile: string): SchedulerRun {
  const child = spawn(process.execPath, [bin, "scheduler", "--port", "0", "--no-dashboard", "--credential-file", credentialFile], {
    stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TESSERA_LOG_LEVEL: "error" },
  });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const started = new Promise<{ address?: string; code?: number | null; stderr: string }>((resolve) => {
    child.stdout.on("data", (text: Buffer) => {
      stdout += text.toString();
      const match = /Scheduler at (\S+)/.exec(stdout);
      if (match) resolve({ address: match[1], stderr });
    });
    child.stderr.on("data", (text: Buffer) => (stderr += text.toString()));
    void exited.then((code) => resolve({ code, stderr }));
  });
  return {
    started,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function fileState(file: string): Promise<{ bytes: string; mode: number }> {
  return { bytes: (await readFile(file)).toString("base64"), mode: (await stat(file)).mode & 0o777 };
}

describe("tessera scheduler --credential-file never rewrites an existing file", () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "tessera-credential-file-"));
  });
  after(() => rm(directory, { recursive: true, force: true }));

  const refusals: Array<{ name: string; content: string; mode: number; message: RegExp }> = [
    { name: "a mode-644 shell config", content: "export PATH=$HOME/bin:$PATH\nalias ll='ls -l'\n", mode: 0o644, message: /readable by other users \(mode 644\); tessera will not use it: if it holds your credential, chmod 600 it/ },
    { name: "a group-readable team credential", content: "team-secret-3f9a1c\n", mode: 0o640, message: /mode 640.*chmod 600/ },
    { name: "an empty file", content: "", mode: 0o600, message: /is empty; put the cluster credential in it, or delete it to have a new one created/ },
    { name: "a private multi-line file", content: "[core]\n\teditor = vim\n", mode: 0o600, message: /is not a credential file \(a credential is one line of printable characters without spaces\)/ },
  ];

  for (const { name, content, mode, message } of refusals) {
    it(`refuses ${name} with exit code 2 and leaves it byte for byte`, async () => {
      const file = path.join(directory, name.replace(/\W+/g, "-"));
      await writeFile(file, content);
      await chmod(file, mode);
      const before_ = await fileState(file);
      const run = startScheduler(file);
      const outcome = await run.started;
      await run.stop();
      assert.equal(outcome.address, undefined, "the scheduler did not start");
      assert.equal(outcome.code, 2);
      assert.match(outcome.stderr, message);
      assert.ok(outcome.stderr.includes(file));
      assert.deepEqual(await fileState(file), before_, "the file is unchanged, mode included");
    });
  }

  it("refuses a directory, and a dangling link without creating its target", async () => {
    const folder = path.join(directory, "folder");
    await mkdir(folder);
    const run = startScheduler(folder);
    const outcome = await run.started;
    await run.stop();
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /is not a regular file/);
    const victim = path.join(directory, "victim-target");
    const link = path.join(directory, "planted-link");
    await symlink(victim, link);
    const linked = startScheduler(link);
    const linkedOutcome = await linked.started;
    await linked.stop();
    assert.equal(linkedOutcome.code, 2);
    assert.match(linkedOutcome.stderr, /already exists; tessera does not overwrite it/);
    await assert.rejects(stat(victim), /ENOENT/, "nothing was written through the link");
  });

  it("uses a valid team credential as it is: the file is not rotated and a client holding it connects", async () => {
    const file = path.join(directory, "team.credential");
    await writeFile(file, "team-secret-7d2e91b0\n", { mode: 0o600 });
    const before_ = await fileState(file);
    const run = startScheduler(file);
    try {
      const { address, stderr } = await run.started;
      assert.ok(address, `the scheduler started (${stderr})`);
      const client = await Client.connect(address, { credential: "team-secret-7d2e91b0" });
      await client.close();
      assert.deepEqual(await fileState(file), before_);
    } finally {
      await run.stop();
    }
  });

  it("creates a missing file with mode 600 holding the credential the scheduler uses", async () => {
    const file = path.join(directory, "new.credential");
    const run = startScheduler(file);
    try {
      const { address, stderr } = await run.started;
      assert.ok(address, `the scheduler started (${stderr})`);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const client = await Client.connect(address, { credentialFile: file });
      await client.close();
    } finally {
      await run.stop();
    }
  });
});
