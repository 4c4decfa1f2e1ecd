import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { WorkerStory } from "../../../src/worker/server/worker-story.js";
import { collectGarbage } from "../../../src/worker/memory/process-memory.js";

const MiB = 2 ** 20;

describe("WorkerStory", () => {
  it("keeps the last `capacity` transitions, oldest first, by key", () => {
    const story = new WorkerStory(4);
    for (let i = 0; i < 6; i++) story.record({ key: `k${i % 2}`, from: "waiting", to: `s${i}`, time: i, stimulus: "compute-task" });
    assert.deepEqual(story.story(new Set(["k0"])).map((entry) => entry.to), ["s2", "s4"]);
    assert.deepEqual(story.story(new Set(["k1", "k0"])).map((entry) => entry.time), [2, 3, 4, 5]);
    assert.deepEqual(story.story(new Set(["k1"]))[0], { key: "k1", from: "waiting", to: "s3", time: 3, stimulus: "compute-task" });
  });

  it("keeps keys with lone surrogates as they are", () => {
    const story = new WorkerStory();
    const key = "('x-\ud800-0123456789', 0, 1)";
    story.record({ key, from: "waiting", to: "ready", time: 0, stimulus: "compute-task" });
    assert.equal(story.story(new Set([key]))[0].key, key);
  });

  it("does not keep the message a key was sliced from", (context) => {
    if (!collectGarbage()) return context.skip("V8 refused to expose gc");
    const story = new WorkerStory();
    const heapAfterCollection = () => {
      collectGarbage();
      return process.memoryUsage().heapUsed;
    };
    const before = heapAfterCollection();
    for (let i = 0; i < 32; i++) {
      // A 1 MiB message, and a key that is a slice of its text (as a decoder may make it).
      const message = `{"op":"compute-task","key":"('task-${i}-0123456789abcdef', ${i}, 0)","pad":"${"a".repeat(MiB)}"}`;
      const start = message.indexOf("('");
      story.record({ key: message.slice(start, message.indexOf(")", start) + 1), from: "waiting", to: "ready", time: i, stimulus: "compute-task" });
    }
    const held = heapAfterCollection() - before;
    assert.equal(story.story(new Set(["('task-31-0123456789abcdef', 31, 0)"])).length, 1);
    assert.ok(held < 8 * MiB, `the story holds ${(held / MiB).toFixed(1)} MiB after recording 32 keys of 1 MiB messages`);
  });
});
