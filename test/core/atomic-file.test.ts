import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../../src/core/atomic-file.js";

describe("writeFileAtomic", () => {
  it("replaces a file whole and leaves nothing beside it; a failed write leaves the old file and no temporary", () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-atomic-file-"));
    try {
      const path = join(dir, "block.bin");
      writeFileSync(path, "old");
      writeFileAtomic(path, new Uint8Array([1, 2, 3]));
      assert.deepEqual([...readFileSync(path)], [1, 2, 3]);
      assert.deepEqual(readdirSync(dir), ["block.bin"]);
      // A directory where the file should go: the rename fails after the temporary was written.
      const blocked = join(dir, "taken");
      mkdirSync(join(blocked, "inside"), { recursive: true });
      assert.throws(() => writeFileAtomic(blocked, "new"));
      assert.deepEqual(readdirSync(dir).sort(), ["block.bin", "taken"], "no temporary left behind");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
