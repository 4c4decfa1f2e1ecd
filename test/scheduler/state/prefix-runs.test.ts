/**
 * The scheduler splits a key into its prefix and group once per run of blocks of one stem
 * (a layer's million keys): every key must still get exactly what keySplit and keyGroup give.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { SchedulerState, defaultSchedulerSettings } from "../../../src/scheduler/state/scheduler-state.js";
import { keyGroup, keySplit } from "../../../src/graph/keys.js";

describe("prefixes of runs of keys", () => {
  it("are what keySplit and keyGroup give, key by key, however the keys come", () => {
    const state = new SchedulerState({ ...defaultSchedulerSettings });
    const keys = [
      "sum-3f2a9c1b-partial-0-0.0", "sum-3f2a9c1b-partial-0-0.1", "sum-3f2a9c1b-partial-0-12.7", "sum-3f2a9c1b-partial-1-0.0",
      "inc-1", "inc-2", "inc-", "inc-x", "x-1.2", "x-1.2a", "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcde-1",
      "('ones-abc', 0, 1)", "('ones-abc', 0, 2)", "-5", "-6", "a--1", "a--2", "hello-world-1", "hello-world-2", "deadbeef-1", "deadbeef-2",
      "sum-3f2a9c1b-partial-0-3.3", "mean-1.5", "mean-2",
    ];
    for (const key of [...keys, ...keys.slice().reverse()]) {
      const { prefix, group } = state.prefixFor(key);
      assert.equal(prefix.name, keySplit(key), key);
      assert.equal(group, keyGroup(key), key);
    }
  });
});
