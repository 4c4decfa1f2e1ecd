/**
 * Spill files give their value back intact or not at all: any single flipped bit, any
 * truncation and a missing file are SpillFileErrors, never a value with different numbers.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompressionPolicy } from "../../../src/worker/memory/spill-compression.js";
import { SpillFileError, readSpillFile, writeSpillFile } from "../../../src/worker/memory/spill-file.js";
import { NDArray, allocate } from "../../../src/ndarray/ndarray.js";

/** 256 KiB of float64 per block: smooth (zlib shrinks it) and different per seed. */
function block(seed: number, elements = 32 * 1024): NDArray {
  const data = allocate("float64", elements) as Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.sin((i + seed) / 300) * 100) + i / 7;
  return new NDArray(data, [elements], { dtype: "float64" });
}

/** 9 MiB: read and checked in slices (4 MiB each), the last one partial. */
const bigElements = 9 * 2 ** 17;

/** Blocks and plain values in one file: several frames, one big, and a header with a tree. */
const value = () => ({ a: block(1), b: block(2), big: block(3, bigElements), label: "three blocks", n: 42 });

/** Positions to damage: every byte of the prefix and header region, and a spread through the frames. */
function positions(fileBytes: number): number[] {
  const head = Array.from({ length: Math.min(120, fileBytes) }, (_, i) => i);
  const spread = Array.from({ length: 40 }, (_, i) => Math.floor(((i + 0.5) / 40) * fileBytes));
  return [...new Set([...head, ...spread, fileBytes - 1])];
}

describe("spill file checksums", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "tessera-spill-checksum-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [mode, compression] of [["raw", false], ["zlib-compressed", "zlib"]] as const) {
    it(`detect a single flipped bit anywhere in a ${mode} file`, async () => {
      const original = join(dir, `${mode}.spill`);
      await writeSpillFile(original, value(), new CompressionPolicy(compression, false));
      const bytes = readFileSync(original);
      if (mode === "zlib-compressed") assert.ok(bytes.byteLength < 9 * 2 ** 20, "the frames were compressed");
      const back = (await readSpillFile(original)) as ReturnType<typeof value>;
      assert.deepEqual([...back.b.data.slice(1000, 1004)], [...block(2).data.slice(1000, 1004)], "the intact file reads back");
      assert.deepEqual(back.big.data, block(3, bigElements).data, "every slice of the large frame");
      const damaged = join(dir, `${mode}-damaged.spill`);
      const undetected: number[] = [];
      for (const [k, position] of positions(bytes.byteLength).entries()) {
        const copy = Buffer.from(bytes);
        copy[position] ^= 1 << (k % 8);
        writeFileSync(damaged, copy);
        try {
          await readSpillFile(damaged);
          undetected.push(position);
        } catch (error) {
          assert.ok(error instanceof SpillFileError, `byte ${position}: ${(error as Error).message}`);
          assert.ok((error as Error).message.includes(damaged), "the error names the file");
        }
      }
      assert.deepEqual(undetected, [], "every flipped bit was caught");
    });
  }

  it("refuse a file truncated anywhere, and a missing one, with errors that say so", async () => {
    const original = join(dir, "whole.spill");
    await writeSpillFile(original, value(), new CompressionPolicy(false, false));
    const size = statSync(original).size;
    const cut = join(dir, "cut.spill");
    for (const length of [0, 5, 12, 40, Math.floor(size / 2), size - 1]) {
      copyFileSync(original, cut);
      truncateSync(cut, length);
      await assert.rejects(readSpillFile(cut), (error: Error) => {
        assert.ok(error instanceof SpillFileError, error.message);
        assert.match(error.message, /truncated|ends early/, `cut at ${length}: ${error.message}`);
        return true;
      });
    }
    await assert.rejects(readSpillFile(join(dir, "never-written.spill")), (error: Error) => {
      assert.ok(error instanceof SpillFileError);
      assert.match(error.message, /never-written\.spill cannot be opened \(ENOENT\)/);
      return true;
    });
  });

  it("report the time spent on checksums with each write", async () => {
    const written = await writeSpillFile(join(dir, "timed.spill"), value(), new CompressionPolicy(false, false));
    assert.ok(written.checksumSeconds > 0 && written.writeSeconds > 0);
    assert.equal(written.diskBytes, statSync(join(dir, "timed.spill")).size);
  });
});
