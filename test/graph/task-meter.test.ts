import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { TaskMeter, blockBytesIn, fusedBuiltin, runTask, stepRef, type FusedStep } from "../../src/graph/task-runner.js";
import { NDArray, allocate } from "../../src/ndarray/ndarray.js";
import "../../src/zarr/index.js";
import { makeTempDirectory, runPythonCode } from "../zarr/python-anchor.js";

const probes = new URL("./meter-probes.js", import.meta.url).href;
const probe = (name: string) => ({ module: probes, export: name });
const MiB = 2 ** 20;
/** What the thread's V8 heap may grow by during a small task (objects, compiled code): the stated tolerance. */
const heapTolerance = 1 * MiB;

/** Runs a fused task as a compute thread does: its input blocks are those inside its steps' arguments. */
async function measure(steps: FusedStep[]): Promise<number> {
  // The functions' modules are loaded and compiled before the measured run.
  await runTask({ builtin: fusedBuiltin }, [{ steps }], new TaskMeter(0));
  const measured = new TaskMeter(blockBytesIn([{ steps }]));
  await runTask({ builtin: fusedBuiltin }, [{ steps }], measured);
  return measured.peakBytes;
}

function assertPeak(measured: number, expected: number, what: string): void {
  assert.ok(measured >= expected && measured <= expected + heapTolerance, `${what}: measured ${(measured / MiB).toFixed(2)} MiB, expected ${expected / MiB} MiB (+ up to ${heapTolerance / MiB} MiB of heap)`);
}

describe("the task meter", () => {
  it("counts at the worst step what the task still holds and what the step allocated", async () => {
    // 8 MiB → 8 MiB more from it (both held: 16) → step 0 released, 4 MiB more (12).
    const peak = await measure([
      { fn: probe("makeBlock"), args: [8] },
      { fn: probe("makeFrom"), args: [stepRef(0), 8] },
      { fn: probe("makeFrom"), args: [stepRef(1), 4] },
    ]);
    assertPeak(peak, 16 * MiB, "8 + 8 MiB held at once");
  });

  it("does not count a block again when a later step's result is a view of it", async () => {
    // Step 1 views step 0's 8 MiB; step 0 is released but its buffer lives on in the view, and step 2 adds 8 MiB.
    const peak = await measure([
      { fn: probe("makeBlock"), args: [8] },
      { fn: probe("viewOf"), args: [stepRef(0)] },
      { fn: probe("makeFrom"), args: [stepRef(1), 8] },
    ]);
    assertPeak(peak, 16 * MiB, "an 8 MiB block seen through a view, and a new 8 MiB block");
  });

  it("keeps counting a block whose first result is released while a view of it still lives", async () => {
    // 8 MiB (step 0), a view of it (step 1), 1 MiB from step 0 (step 0 released: its last reader),
    // then 8 MiB from the view: the first block is still held through the view (8 + 8 = 16).
    const peak = await measure([
      { fn: probe("makeBlock"), args: [8] },
      { fn: probe("viewOf"), args: [stepRef(0)] },
      { fn: probe("makeFrom"), args: [stepRef(0), 1] },
      { fn: probe("makeFrom"), args: [stepRef(1), 8] },
    ]);
    assertPeak(peak, 16 * MiB, "an 8 MiB block held through its view after its first result went, and a new 8 MiB block");
  });

  it("counts a block released by an earlier step no more", async () => {
    // 8 MiB, then 2 MiB from it (10), step 0 released; then 2 MiB from step 1 (2 + 2 = 4), then 2 more (4).
    const peak = await measure([
      { fn: probe("makeBlock"), args: [8] },
      { fn: probe("makeFrom"), args: [stepRef(0), 2] },
      { fn: probe("makeFrom"), args: [stepRef(1), 2] },
      { fn: probe("makeFrom"), args: [stepRef(2), 2] },
    ]);
    assertPeak(peak, 10 * MiB, "8 + 2 MiB, the 8 MiB released");
  });

  it("counts the input blocks, and a step's scratch that it dropped before returning", async () => {
    const input = new NDArray(allocate("float64", MiB / 8), [MiB / 8]);
    const peak = await measure([{ fn: probe("scratchFrom"), args: [input, 6] }]);
    assertPeak(peak, 1 * MiB + 6 * MiB + 8, "1 MiB of inputs, 6 MiB of scratch and an 8-byte result");
  });

  it("counts an input block once when two steps read it", async () => {
    const input = new NDArray(allocate("float64", MiB / 2), [MiB / 2]);
    const peak = await measure([
      { fn: probe("scratchFrom"), args: [input, 2] },
      { fn: probe("makeFromBoth"), args: [input, stepRef(0), 2] },
    ]);
    assertPeak(peak, 4 * MiB + 2 * MiB + 8, "4 MiB of inputs once, then 2 MiB of scratch and an 8-byte result");
  });

  it("does not count an input block again when a step's result is a view of it", async () => {
    const input = new NDArray(allocate("float64", MiB), [MiB]);
    const steps = [
      { fn: probe("viewOf"), args: [input] },
      { fn: probe("makeFrom"), args: [stepRef(0), 2] },
    ];
    assertPeak(await measure(steps), 8 * MiB + 2 * MiB, "an 8 MiB input seen through a view, and a new 2 MiB block");
  });

  it("reports all a fused task allocated, beyond its peak, for the worker's memory checks", async () => {
    // 8 MiB, then 2 MiB from it (step 0 dropped), then 2 more, then 2 more: a 10 MiB peak, 14 MiB allocated.
    const steps = [
      { fn: probe("makeBlock"), args: [8] },
      { fn: probe("makeFrom"), args: [stepRef(0), 2] },
      { fn: probe("makeFrom"), args: [stepRef(1), 2] },
      { fn: probe("makeFrom"), args: [stepRef(2), 2] },
    ];
    await runTask({ builtin: fusedBuiltin }, [{ steps }], new TaskMeter(0));
    const meter = new TaskMeter(0);
    await runTask({ builtin: fusedBuiltin }, [{ steps }], meter);
    assertPeak(meter.allocatedBytes, 14 * MiB, "8 + 2 + 2 + 2 MiB allocated");
    assertPeak(meter.peakBytes, 10 * MiB, "8 + 2 MiB held at once");
  });

  it("counts a result's shared buffer that the task made without the ledger, but not an input it returns", async () => {
    const made = new TaskMeter(0);
    await runTask(probe("bareSharedBlock"), [5], made);
    assertPeak(made.peakBytes, 5 * MiB, "a 5 MiB block over a bare SharedArrayBuffer");
    assert.ok(made.allocatedBytes >= 5 * MiB, `allocated: ${made.allocatedBytes}`);
    // An input from another thread carries no stamp either: returning a view of it allocates nothing.
    const input = new NDArray(new Float64Array(new SharedArrayBuffer(4 * MiB)), [MiB / 2]);
    const given = new TaskMeter(blockBytesIn([input]));
    await runTask(probe("viewOf"), [input], given);
    assertPeak(given.peakBytes, 4 * MiB, "the 4 MiB input, counted once");
  });

  it("measures a task whose result contains itself (it fails later, where it must travel)", async () => {
    const meter = new TaskMeter(0);
    const loop = (await runTask(probe("selfContaining"), [2], meter)) as unknown[];
    assert.equal(loop[1], loop);
    assertPeak(meter.peakBytes, 2 * MiB, "one 2 MiB block");
  });

  it("counts a plain task's allocations", async () => {
    const meter = new TaskMeter(0);
    await runTask(probe("makeBlock"), [3], meter);
    assertPeak(meter.peakBytes, 3 * MiB, "one 3 MiB block");
  });

  it("counts a Blosc chunk that zarr-python wrote, decoded by the task (zarr-python's default compressor)", async () => {
    const directory = await makeTempDirectory("meter-blosc");
    try {
      // 2048² float64 in 1024² chunks (8 MiB each), Blosc lz4: a ramp compresses to far less than 8 MiB.
      await runPythonCode(
        "import sys, numpy, zarr, numcodecs\n" +
          "a = zarr.open(sys.argv[1], mode='w', shape=(2048, 2048), chunks=(1024, 1024), dtype='f8', compressor=numcodecs.Blosc(cname='lz4'))\n" +
          "a[:] = numpy.arange(2048 * 2048, dtype='f8').reshape(2048, 2048)\n",
        [directory.path],
      );
      const ref = { path: directory.path };
      await runTask({ builtin: "zarr.readChunk" }, [ref, [0, 0]], new TaskMeter(0));
      const meter = new TaskMeter(0);
      const chunk = (await runTask({ builtin: "zarr.readChunk" }, [ref, [1, 1]], meter)) as NDArray;
      assert.equal(chunk.get(0, 0), 1024 * 2048 + 1024, "the chunk's first element, as zarr-python wrote it");
      assert.ok(meter.peakBytes >= 8 * MiB, `the task's result alone is 8 MiB; the meter measured ${(meter.peakBytes / MiB).toFixed(2)} MiB`);
      assert.ok(meter.peakBytes <= 8 * MiB + 2 * heapTolerance, `measured ${(meter.peakBytes / MiB).toFixed(2)} MiB for an 8 MiB chunk`);
    } finally {
      await directory.remove();
    }
  });
});
