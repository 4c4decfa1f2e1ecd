// Whether a writer recorded in a lease, a fence's claim or a takeover claim still runs
// (src/zarr/writer-identity.ts). A pid alone is not a process: after a crash the pid may be
// given to an unrelated process, which must not keep the dead writer's lease for ever. So on
// Linux a writer also records its process's start time, and a live pid started at another time
// is a dead writer; records written without one (older tessera, no /proc) are judged by the pid.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { ZarrWriteConflictError } from "../../src/zarr/errors.js";
import { acquireExclusiveLease } from "../../src/zarr/write-lease.js";
import { type WriterIdentity, currentWriter, safeHostName, writerLiveness } from "../../src/zarr/writer-identity.js";
import { makeTempDirectory } from "./python-anchor.js";

/** A pid that ran on this host and no longer does. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid as number;
}

const self = currentWriter();
/** This process's start time as it would be if its pid had been reused: some other tick. */
const otherStart = String(Number(self.processStart) + 1);

describe("a writer's liveness", () => {
  it("records this process's start time on Linux", () => {
    assert.equal(self.host, safeHostName());
    assert.equal(self.pid, process.pid);
    assert.match(self.processStart ?? "", /^\d+$/, "the start time (field 22 of /proc/<pid>/stat)");
  });

  const cases: [string, WriterIdentity, ReturnType<typeof writerLiveness>][] = [
    ["this process, with its start time", self, "alive"],
    ["a live pid started at another time (a reused pid)", { ...self, processStart: otherStart }, "dead"],
    ["a live pid recorded without a start time (an older record)", { host: self.host, pid: self.pid }, "alive"],
    ["a live pid whose start time is no tessera record's (not a string)", { ...self, processStart: 7 as unknown as string }, "alive"],
    ["a pid that no longer runs", { host: self.host, pid: deadPid() }, "dead"],
    ["a pid that no longer runs, with a start time", { ...self, pid: deadPid() }, "dead"],
    ["no valid pid", { host: self.host, pid: -1 }, "dead"],
    ["a writer on another host", { host: "compute-node-17", pid: self.pid, processStart: otherStart }, "unknown"],
  ];
  for (const [name, writer, expected] of cases) {
    it(`${name}: ${expected}`, () => assert.equal(writerLiveness(writer), expected));
  }
});

describe("a lease of a reused pid", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-writer-identity");
  });
  after(() => temp.remove());

  async function placeLease(node: string, writer: WriterIdentity): Promise<string> {
    await mkdir(path.join(node, ".tessera-leases"), { recursive: true });
    const file = path.join(node, ".tessera-leases", "write-lease");
    await writeFile(file, JSON.stringify({ kind: "exclusive", ...writer, id: "0123456789abcdef", since: "2026-12-04T10:00:00.000Z" }));
    return file;
  }

  it("is taken over: its pid runs, but started at another time than the lease's writer", async () => {
    const node = path.join(temp.path, "reused");
    await placeLease(node, { ...self, processStart: otherStart });
    const lease = await acquireExclusiveLease(node, "", "the node", "write");
    assert.equal(JSON.parse(await readFile(lease.file, "utf8")).id, lease.id);
    await lease.release();
  });

  for (const [name, writer] of [["with its writer's start time", self], ["recorded without a start time", { host: self.host, pid: self.pid }]] as const) {
    it(`is refused while its pid runs, ${name}`, async () => {
      const node = path.join(temp.path, name.replaceAll(" ", "-"));
      const file = await placeLease(node, writer);
      await assert.rejects(acquireExclusiveLease(node, "", "the node", "write"), ZarrWriteConflictError);
      assert.equal(JSON.parse(await readFile(file, "utf8")).id, "0123456789abcdef", "the lease is left to its writer");
    });
  }
});
