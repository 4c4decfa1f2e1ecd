// Issue 9 item 3, as the attack went: the scheduler file was written through a predictable
// temporary name (`.<name>.<pid>.tmp`) that followed symlinks, so a link planted there made a
// scheduler write its JSON, credential included, over a victim's file. Now the temporary name
// is random, created O_CREAT|O_EXCL|O_NOFOLLOW with mode 0600, and renamed into place; a link
// or a foreign file at the target itself is refused. The victim's file stays byte for byte.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { InvalidOptionError } from "../../src/core/errors.js";
import { type SchedulerFileContents, readSchedulerFile, writeSchedulerFile } from "../../src/comm/scheduler-file.js";

const contents: SchedulerFileContents = {
  type: "Scheduler", id: "Scheduler-test", address: "tcp://127.0.0.1:8786", services: {}, started: 0,
  n_workers: 0, total_threads: 0, total_memory: 0, workers: {}, credential: "c0ffee".repeat(8),
};

describe("the scheduler file is written without following planted links", () => {
  let directory: string;
  let victim: string;
  const victimText = "the victim's own file\n";
  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), "tessera-scheduler-file-"));
    victim = path.join(directory, "victim.txt");
  });
  after(() => rm(directory, { recursive: true, force: true }));

  it("ignores a link planted at the old predictable temporary name: the victim is untouched", async () => {
    await writeFile(victim, victimText);
    const target = path.join(directory, "scheduler.json");
    // The names the old code used: .<basename>.<pid>.tmp, for this and nearby pids.
    for (let pid = process.pid - 5; pid <= process.pid + 5; pid++) await symlink(victim, path.join(directory, `.scheduler.json.${pid}.tmp`));
    await writeSchedulerFile(target, contents);
    assert.equal(await readFile(victim, "utf8"), victimText);
    assert.deepEqual(readSchedulerFile(target), contents);
    assert.equal((await stat(target)).mode & 0o777, 0o600);
    const temporaries = (await readdir(directory)).filter((name) => name.startsWith(".scheduler.json.") && !/\.\d+\.tmp$/.test(name));
    assert.deepEqual(temporaries, [], "no temporary file of ours is left");
  });

  it("refuses a link at the target itself, and a foreign file there, leaving both as they were", async () => {
    await writeFile(victim, victimText);
    const linked = path.join(directory, "linked.json");
    await symlink(victim, linked);
    await assert.rejects(writeSchedulerFile(linked, contents), (error: Error) =>
      error instanceof InvalidOptionError && /a symbolic link is there, which tessera does not replace; remove it or choose another path/.test(error.message));
    assert.equal(await readFile(victim, "utf8"), victimText);
    const foreign = path.join(directory, "notes.json");
    await writeFile(foreign, '{"my": "notes"}');
    await assert.rejects(writeSchedulerFile(foreign, contents), /a file that is not a tessera scheduler file is there/);
    assert.equal(await readFile(foreign, "utf8"), '{"my": "notes"}');
  });

  it("replaces a stale scheduler file (as Dask does) and its own, atomically", async () => {
    const target = path.join(directory, "stale.json");
    await writeFile(target, JSON.stringify({ ...contents, id: "Scheduler-old", address: "tcp://10.0.0.1:1" }));
    await writeSchedulerFile(target, contents);
    assert.equal(readSchedulerFile(target)?.address, contents.address);
    await writeSchedulerFile(target, { ...contents, n_workers: 3 });
    assert.equal(readSchedulerFile(target)?.n_workers, 3);
  });
});
