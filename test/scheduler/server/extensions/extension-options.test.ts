/**
 * The scheduler extensions' options (locks, semaphores, the active memory manager, rebalance):
 * Dask's defaults, explicit values over them, and values that cannot work refused by name
 * before a scheduler starts. How they reach a scheduler from a config file is in
 * test/config/config-takes-effect.test.ts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { defaultExtensionOptions, resolveExtensionOptions } from "../../../../src/scheduler/server/extensions/scheduler-extensions.js";
import { InvalidOptionError } from "../../../../src/core/errors.js";

describe("scheduler extension options", () => {
  it("default to Dask's: leases checked every 10 s and given back after 30 s, ReduceReplicas every 2 s", () => {
    const resolved = resolveExtensionOptions();
    assert.deepEqual(resolved, defaultExtensionOptions);
    assert.equal(resolved.leaseValidationInterval, 10);
    assert.equal(resolved.leaseTimeout, 30);
    assert.equal(resolved.activeMemoryManager, true);
    assert.equal(resolved.activeMemoryManagerInterval, 2);
  });

  it("take explicit values over the defaults, merging a partial rebalance", () => {
    const resolved = resolveExtensionOptions({ leaseTimeout: 3, leaseValidationInterval: 1, rebalance: { senderMin: 0.5 } as never });
    assert.equal(resolved.leaseTimeout, 3);
    assert.equal(resolved.leaseValidationInterval, 1);
    assert.equal(resolved.rebalance.senderMin, 0.5);
    assert.equal(resolved.rebalance.recipientMax, defaultExtensionOptions.rebalance.recipientMax);
  });

  it("refuse values that cannot work, naming the option", () => {
    const refused = (options: Parameters<typeof resolveExtensionOptions>[0], pattern: RegExp) =>
      assert.throws(() => resolveExtensionOptions(options), (error: Error) => error instanceof InvalidOptionError && pattern.test(error.message));
    refused({ leaseTimeout: 0 }, /leaseTimeout must be a positive number of seconds, got 0/);
    refused({ activeMemoryManagerInterval: Number.NaN }, /activeMemoryManagerInterval/);
    refused({ copyTimeout: -1 }, /copyTimeout/);
    refused({ leaseTimeout: 5, leaseValidationInterval: 5 }, /leaseValidationInterval \(5 s\) must be below leaseTimeout \(5 s\)/);
    refused({ rebalance: { senderMin: -0.1 } as never }, /rebalance\.senderMin must be a non-negative fraction/);
  });
});
