// The lease directory (src/zarr/node-files.ts, write-lease.ts): a node's leases, fences and gates
// live in `.tessera-leases/`, so a region write's look for other region leases lists only them,
// never the array's chunks; the directory is made by whichever lease comes first and removed by
// the last one out, and a writer whose directory was removed under it makes it again.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { createRequire, syncBuiltinESMExports } from "node:module";
import * as path from "node:path";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { createArray, writeChunk } from "../../src/zarr/index.js";
import { claimedWrite } from "../../src/zarr/write-fence.js";
import { acquireExclusiveLease, acquireRegionLease } from "../../src/zarr/write-lease.js";
import { currentWriter } from "../../src/zarr/writer-identity.js";
import { makeTempDirectory } from "./python-anchor.js";

const fs = createRequire(import.meta.url)("node:fs") as typeof import("node:fs");
const leases = ".tessera-leases";

/**
 * Runs `body` with node:fs's `name` replaced by `replacement(original)` for every module (the
 * sources import node:fs's named exports, which syncBuiltinESMExports rebinds).
 */
async function withPatchedFs<K extends "readdirSync" | "writeFileSync">(
  name: K, replacement: (original: (typeof fs)[K]) => (typeof fs)[K], body: () => Promise<void>,
): Promise<void> {
  const original = fs[name];
  fs[name] = replacement(original);
  syncBuiltinESMExports();
  try {
    await body();
  } finally {
    fs[name] = original;
    syncBuiltinESMExports();
  }
}

/** The directories the synchronous listings under `body` read, with how many entries each returned. */
async function listingsDuring(body: () => Promise<void>): Promise<{ directory: string; entries: number }[]> {
  const listings: { directory: string; entries: number }[] = [];
  await withPatchedFs("readdirSync", (readdirSync) => ((...args: Parameters<typeof readdirSync>) => {
    const names = readdirSync(...args);
    listings.push({ directory: path.resolve(String(args[0])), entries: names.length });
    return names;
  }) as typeof readdirSync, body);
  return listings;
}

/** A pid that ran on this host and no longer does. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid as number;
}

const block = () => new NDArray(new Float64Array(4).fill(1), [2, 2]);

describe("the lease directory", { timeout: 60_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-lease-directory");
  });
  after(() => temp.remove());

  for (const [name, options] of [
    ["a flat v2 array", {}],
    ["a nested v2 array", { dimensionSeparator: "/" }],
    ["a v3 array", { zarrFormat: 3 }],
  ] as const) {
    it(`a region lease's take and release, beside another region lease, list only the lease directory of ${name}`, async () => {
      const store = path.join(temp.path, `${name.replaceAll(" ", "-")}.zarr`);
      await createArray(store, { shape: [16, 16], chunks: [2, 2], dtype: "float64", ...options });
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) await writeChunk({ path: store }, [i, j], block());
      const other = await acquireRegionLease(store, "", store, "write a region into");
      const listings = await listingsDuring(async () => {
        const lease = await acquireRegionLease(store, "", store, "write a region into");
        await lease.release();
      });
      // The lease directory (both leases' files and fences: four names, where the node's own
      // directory holds 64 chunks, or 8 or 1 chunk directories) and the lease's closed fence.
      const listed = listings.map((listing) => path.relative(store, listing.directory));
      assert.ok(listed.length > 0 && listed.every((directory) => directory === leases || path.dirname(directory) === leases), listed.join(", "));
      assert.deepEqual(listings.filter((listing) => listing.directory === path.join(store, leases)).map((listing) => listing.entries), [4]);
      await other.release();
      assert.ok(!(await readdir(store)).includes(leases), "the last lease out removed the lease directory");
    });
  }

  it("made by the first lease (or found made), kept while any lease is in it, removed by the last one out", async () => {
    const store = path.join(temp.path, "shared.zarr");
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    await mkdir(path.join(store, leases)); // another writer made it a moment before: EEXIST is fine
    const first = await acquireRegionLease(store, "", store, "write a region into");
    const second = await acquireRegionLease(store, "", store, "write a region into");
    await first.release();
    assert.deepEqual((await readdir(path.join(store, leases))).sort(), [path.basename(second.file), path.basename(second.fence)].sort());
    // The remaining lease's tasks still write under its fence.
    assert.equal(await claimedWrite(second.fence, store, async () => "landed"), "landed");
    await second.release();
    assert.ok(!(await readdir(store)).includes(leases));
    // An exclusive lease too, on a new node whose directory it made: nothing is left of either.
    const lease = await acquireExclusiveLease(store, "fresh", store, "write");
    await lease.release();
    assert.deepEqual(await readdir(store), [".zarray"]);
  });

  it("a lease whose directory the last lease's release removed between its mkdir and its write makes the directory again", async () => {
    const store = path.join(temp.path, "removed-under.zarr");
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    const directory = path.join(store, leases);
    let removed = 0;
    // The window, made certain: just before the new lease's temporary file is written, the
    // directory (empty: made a moment ago by this writer) is removed, as a release's rmdir does.
    await withPatchedFs("writeFileSync", (writeFileSync) => ((...args: Parameters<typeof writeFileSync>) => {
      if (removed === 0 && path.dirname(String(args[0])) === directory) {
        fs.rmdirSync(directory);
        removed++;
      }
      return writeFileSync(...args);
    }) as typeof writeFileSync, async () => {
      const lease = await acquireRegionLease(store, "", store, "write a region into");
      assert.equal(removed, 1, "the directory was not removed under the writer");
      assert.ok((await readdir(directory)).includes(path.basename(lease.file)));
      await writeChunk({ path: store, writeFence: lease.fence }, [0, 0], block());
      await lease.release();
    });
    assert.deepEqual((await readdir(store)).sort(), [".zarray", "0.0"]);
  });

  it("leases an earlier tessera left beside the chunks are not honoured, nor taken for someone else's files", async () => {
    const store = path.join(temp.path, "legacy.zarr");
    await mkdir(store);
    const live = JSON.stringify({ kind: "exclusive", ...currentWriter(), id: "0123456789abcdef", since: "2026-12-04T10:00:00.000Z" });
    await writeFile(path.join(store, ".tessera-write-lease"), live);
    await writeFile(path.join(store, ".tessera-region-lease-feedfacecafe"), live.replace("exclusive", "region"));
    await createArray(store, { shape: [4, 4], chunks: [2, 2], dtype: "float64" });
    const lease = await acquireRegionLease(store, "", store, "write a region into");
    await lease.release();
    assert.deepEqual((await readdir(store)).sort(), [".tessera-region-lease-feedfacecafe", ".tessera-write-lease", ".zarray"]);
  });

  it("a group replace looks for leases through directories that are no nodes yet, but not below someone else's files", async () => {
    const store = path.join(temp.path, "looked-through.zarr");
    await createArray({ path: store, component: "g/a" }, { shape: [4], chunks: [2], dtype: "float64" });
    await mkdir(path.join(store, "g", "raw", "deep"), { recursive: true });
    await writeFile(path.join(store, "g", "raw", "scan.tif"), "someone else's");
    await mkdir(path.join(store, "g", "new", "child"), { recursive: true }); // a node being created: no metadata yet
    const listings = await listingsDuring(async () => {
      const lease = await acquireExclusiveLease(store, "g", store, "replace");
      await lease.release();
    });
    const listed = new Set(listings.map((listing) => path.relative(store, listing.directory)));
    for (const directory of ["g", "g/raw", "g/new", "g/new/child"]) assert.ok(listed.has(directory), `${directory} listed: ${[...listed].join(", ")}`);
    for (const directory of ["g/a", "g/raw/deep"]) assert.ok(!listed.has(directory), `${directory} not listed: ${[...listed].join(", ")}`);
  });

  for (const [what, name] of [["a dead region lease", "region-lease-0123456789abcdef"], ["a dead writer's takeover claim", "write-lease~takeover-fedcba9876543210"]]) {
    it(`${what} left below a group is removed with its directory when the group is replaced`, async () => {
      const store = path.join(temp.path, `group-${name}.zarr`);
      await createArray({ path: store, component: "a" }, { shape: [4], chunks: [2], dtype: "float64" });
      const child = path.join(store, "a");
      await mkdir(path.join(child, leases), { recursive: true });
      await writeFile(path.join(child, leases, name), JSON.stringify({
        kind: "region", ...currentWriter(), pid: deadPid(), processStart: undefined, id: "0123456789abcdef", since: "2026-12-04T10:00:00.000Z",
      }));
      const lease = await acquireExclusiveLease(store, "", store, "replace");
      await lease.release();
      assert.deepEqual(await readdir(child).then((names) => names.filter((name) => name.startsWith(".tessera"))), []);
    });
  }
});
