// The takeover of a dead exclusive lease (src/zarr/write-lease.ts, removeStaleLease) against
// writers racing it. Writer B finds the dead lease and sets about taking it over; writer A
// takes it over first (injected after each of B's file operations in turn); a third writer C
// (a region write, or another replacing write) then tries after each of B's remaining file
// operations. Two conflicting leases must never both be held: before this test the takeover
// renamed the lease aside and put back one that turned out fresh, and in that window C found
// no lease, so C's region lease (or C's exclusive one, B then dropping A's) stood beside A's.
// The interleavings are driven in one process by hooking node:fs: no sleeps, no timing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { hostname, tmpdir } from "node:os";
import * as path from "node:path";
import { ZarrWriteConflictError } from "../../src/zarr/errors.js";
import { type WriteLease, acquireExclusiveLease, acquireRegionLease } from "../../src/zarr/write-lease.js";
import { makeTempDirectory } from "./python-anchor.js";

const fs = createRequire(import.meta.url)("node:fs") as Record<string, unknown>;
const hooked = ["linkSync", "renameSync", "rmSync", "unlinkSync", "writeFileSync", "mkdirSync", "rmdirSync", "readFileSync", "readdirSync", "lstatSync"];
const leases = ".tessera-leases";
const deadId = "0123456789abcdef";
// node:fs's rmSync loads its helper on first use, taking lstatSync and unlinkSync as they are
// then: loaded here, before any hook, so that it never keeps a hook past its race.
rmSync(path.join(tmpdir(), `tessera-no-such-file-${process.pid}`), { force: true });

/** A pid that ran on this host and no longer does. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid as number;
}

/** A lease record file `name` in the lease directory of `node`, of a writer on this host with `pid`. */
function placeRecord(node: string, name: string, id: string, pid: number): string {
  mkdirSync(path.join(node, leases), { recursive: true });
  const file = path.join(node, leases, name);
  writeFileSync(file, JSON.stringify({ kind: "exclusive", id, host: hostname(), pid, since: "2024-05-01T10:00:00.000Z" }));
  return file;
}

interface Outcome { who: string; kind: "exclusive" | "region"; lease?: WriteLease; error?: unknown }

function settle(who: string, kind: Outcome["kind"], attempt: Promise<WriteLease>): Promise<Outcome> {
  return attempt.then((lease) => ({ who, kind, lease }), (error: unknown) => ({ who, kind, error }));
}

/**
 * B takes the exclusive lease of `node` (whose lease is dead) with every node:fs call of its
 * synchronous part hooked: after its `injectAt`-th call A takes the lease whole, and after each
 * later call C tries a `third` lease. Undefined when B made fewer calls than `injectAt`.
 */
async function race(node: string, injectAt: number, third: Outcome["kind"]): Promise<Outcome[] | undefined> {
  const attempts: Promise<Outcome>[] = [];
  let calls = 0;
  let nested = false;
  let active = true;
  let injected = false;
  const acquire = (kind: Outcome["kind"]) =>
    kind === "exclusive" ? acquireExclusiveLease(node, "", "the node", "write") : acquireRegionLease(node, "", "the node", "write");
  const afterCall = () => {
    calls++;
    nested = true;
    try {
      if (injected) attempts.push(settle(`C after B's call ${calls}`, third, acquire(third)));
      else if (calls === injectAt) {
        injected = true;
        attempts.push(settle("A", "exclusive", acquire("exclusive")));
      }
    } finally {
      nested = false;
    }
  };
  const originals = new Map(hooked.map((name) => [name, fs[name] as (...args: unknown[]) => unknown]));
  for (const [name, original] of originals) {
    fs[name] = (...args: unknown[]) => {
      if (nested || !active) return original(...args);
      try {
        return original(...args);
      } finally {
        afterCall();
      }
    };
  }
  syncBuiltinESMExports();
  let b: Promise<Outcome>;
  try {
    b = settle("B", "exclusive", acquire("exclusive"));
  } finally {
    active = false;
    for (const [name, original] of originals) fs[name] = original;
    syncBuiltinESMExports();
  }
  const outcomes = await Promise.all([b, ...attempts]);
  if (!injected) return undefined;
  return outcomes;
}

/** Every interleaving of `race`'s, each on a node of its own with a dead exclusive lease. */
async function everyRace(root: string, third: Outcome["kind"], check: (outcomes: Outcome[], node: string, injectAt: number) => void): Promise<number> {
  const dead = deadPid();
  let injectAt = 1;
  for (; injectAt < 400; injectAt++) {
    const node = path.join(root, `${third}-${injectAt}`);
    placeRecord(node, "write-lease", deadId, dead);
    const outcomes = await race(node, injectAt, third);
    if (outcomes === undefined) break;
    try {
      check(outcomes, node, injectAt);
    } finally {
      for (const outcome of outcomes) await outcome.lease?.release();
    }
  }
  return injectAt - 1;
}

function describeOutcomes(outcomes: Outcome[]): string {
  return outcomes.map((o) => `${o.who} (${o.kind}): ${o.lease ? "holds" : o.error instanceof Error ? o.error.message.slice(0, 80) : String(o.error)}`).join("\n");
}

describe("taking over a dead exclusive lease while other writers race", { timeout: 120_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-lease-takeover");
  });
  after(() => temp.remove());

  for (const third of ["region", "exclusive"] as const) {
    it(`never lets a ${third} lease stand beside the exclusive lease that took the dead one over`, async () => {
      let waitedForB = 0;
      const interleavings = await everyRace(path.join(temp.path, `race-${third}`), third, (outcomes, node, injectAt) => {
        const held = outcomes.filter((o) => o.lease);
        const why = `A injected after B's call ${injectAt}:\n${describeOutcomes(outcomes)}`;
        if (held.some((o) => o.kind === "exclusive")) assert.equal(held.length, 1, `an exclusive lease stands alone: ${why}`);
        for (const o of outcomes) if (!o.lease) assert.ok(o.error instanceof ZarrWriteConflictError, `a loser fails with a conflict: ${why}`);
        if (/being taken over by pid/.test(String(outcomes[1].error))) waitedForB++;
        // Whoever holds the exclusive name holds it: a lease that stood was never removed under its holder.
        const exclusive = held.find((o) => o.kind === "exclusive")?.lease;
        if (exclusive) assert.equal(JSON.parse(readFileSync(exclusive.file, "utf8")).id, exclusive.id, why);
        // The dead lease is gone whoever won (all may lose: a loser's lease stands until its release).
        assert.ok(!existsSync(path.join(node, leases, "write-lease")) || exclusive, `the dead lease is gone: ${why}`);
      });
      assert.ok(interleavings > 5, `B's takeover took ${interleavings} file operations`);
      assert.ok(waitedForB > 0, "in some interleavings A came upon B's takeover under way");
    });
  }

  it("takes a dead lease over past a writer that died taking it over, and not past one that runs", async () => {
    const abandoned = path.join(temp.path, "abandoned");
    placeRecord(abandoned, "write-lease", deadId, deadPid());
    placeRecord(abandoned, `write-lease~takeover-${deadId}`, "fedcba9876543210", deadPid());
    const lease = await acquireExclusiveLease(abandoned, "", "the node", "write");
    assert.equal(JSON.parse(readFileSync(lease.file, "utf8")).id, lease.id);
    await lease.release();
    assert.deepEqual(readdirSync(abandoned), [], "the dead takeover's claim went with the dead lease");

    const underWay = path.join(temp.path, "under-way");
    placeRecord(underWay, "write-lease", deadId, deadPid());
    placeRecord(underWay, `write-lease~takeover-${deadId}`, "fedcba9876543210", process.pid);
    await assert.rejects(acquireExclusiveLease(underWay, "", "the node", "write"), (error: Error) =>
      error instanceof ZarrWriteConflictError && new RegExp(`being taken over by pid ${process.pid} on host `).test(error.message));
    assert.equal(JSON.parse(readFileSync(path.join(underWay, leases, "write-lease"), "utf8")).id, deadId, "the dead lease is left to the writer taking it over");
  });

  // A writer that died between removing the dead lease and removing its claim left the claim,
  // which no takeover will ever take again (the dead lease's id never comes back): it kept the
  // lease directory, so the store was never left clean. The next write on the node removes it.
  for (const kind of ["exclusive", "region"] as const) {
    it(`the next ${kind} write removes a claim whose remover died, and its release the lease directory`, async () => {
      const node = path.join(temp.path, `stray-${kind}`);
      placeRecord(node, `write-lease~takeover-${deadId}`, "fedcba9876543210", deadPid());
      // Deeper: a claim on that claim, and a lease's temporary file, of writers that died too.
      placeRecord(node, `write-lease~takeover-${deadId}~takeover-fedcba9876543210`, "00112233445566ff", deadPid());
      placeRecord(node, "region-lease-aabbccddeeff0011~8899aabbccddeeff", "8899aabbccddeeff", deadPid());
      // And one of a writer on another host, unrefreshed past the expiry: dead as well.
      const remote = placeRecord(node, "write-lease~takeover-1111222233334444", "5555666677778888", 4242);
      writeFileSync(remote, readFileSync(remote, "utf8").replace(JSON.stringify(hostname()), JSON.stringify("compute-node-17")));
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
      utimesSync(remote, tenMinutesAgo, tenMinutesAgo);
      const lease = kind === "exclusive" ? await acquireExclusiveLease(node, "", "the node", "write") : await acquireRegionLease(node, "", "the node", "write");
      await lease.release();
      assert.deepEqual(readdirSync(node), [], "the stray claims went, and the lease directory with them");
    });
  }

  it("a write leaves a takeover claim of a live writer, and a file that is no record, where they are", async () => {
    const node = path.join(temp.path, "claim-under-way");
    const live = placeRecord(node, `write-lease~takeover-${deadId}`, "fedcba9876543210", process.pid);
    const lease = await acquireRegionLease(node, "", "the node", "write");
    await lease.release();
    writeFileSync(`${live}~takeover-fedcba9876543210`, "not a record");
    const again = await acquireRegionLease(node, "", "the node", "write");
    await again.release();
    assert.deepEqual(readdirSync(path.join(node, leases)).sort(), [path.basename(live), `${path.basename(live)}~takeover-fedcba9876543210`]);
  });
});
