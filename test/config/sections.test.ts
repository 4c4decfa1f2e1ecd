import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  arrayChunkSizeBytes, commTimeouts, dashboardLink, schedulerSettings, workerLifetimeSettings, workerMemorySettings,
} from "../../src/config/sections.js";
import { createConfigSandbox, type ConfigSandbox } from "./sandbox.js";

describe("typed section accessors", () => {
  let box: ConfigSandbox;
  before(() => { box = createConfigSandbox(); });
  after(() => box.remove());

  it("give the defaults in seconds, bytes and fractions", () => {
    const store = box.store();
    assert.deepEqual(schedulerSettings(store), {
      allowedFailures: 3, workerSaturation: 1.1, idleTimeoutSeconds: null, workerTtlSeconds: 300,
      unknownTaskDurationSeconds: 0.5, bandwidthBytesPerSecond: 1e8, workStealing: true, noWorkersTimeoutSeconds: null,
      leaseValidationIntervalSeconds: 10, leaseTimeoutSeconds: 30, activeMemoryManager: true, activeMemoryManagerIntervalSeconds: 2,
    });
    assert.deepEqual(workerMemorySettings(store), {
      target: 0.6, spill: 0.7, pause: 0.8, terminate: 0.95, maxSpillBytes: false, monitorIntervalSeconds: 0.1,
    });
    assert.deepEqual(workerLifetimeSettings(store), { durationSeconds: null, staggerSeconds: 0 });
    assert.deepEqual(commTimeouts(store), { connectSeconds: 30, tcpSeconds: 30 });
    assert.equal(arrayChunkSizeBytes(store), 128 * 2 ** 20);
  });

  it("follow overrides, including false for a memory step and inf saturation", () => {
    const store = box.store({ TESSERA_DISTRIBUTED__WORKER__MEMORY__TARGET: "false", TESSERA_DISTRIBUTED__SCHEDULER__WORKER_SATURATION: "inf" });
    using _set = store.set({ "distributed.worker.memory.max-spill": "10GB", "distributed.scheduler.idle-timeout": "1h" });
    assert.equal(workerMemorySettings(store).target, false);
    assert.equal(workerMemorySettings(store).maxSpillBytes, 1e10);
    assert.equal(schedulerSettings(store).workerSaturation, Infinity);
    assert.equal(schedulerSettings(store).idleTimeoutSeconds, 3600);
  });

  it("fill the dashboard link template, environment names included", () => {
    const store = box.store();
    assert.equal(dashboardLink({ scheme: "http", host: "10.0.0.5", port: 8787 }, store), "http://10.0.0.5:8787/status");
    using _set = store.set({ "distributed.dashboard.link": "{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status" });
    assert.equal(dashboardLink({ scheme: "http", host: "h", port: 8787 }, store, { JUPYTERHUB_SERVICE_PREFIX: "/user/ann/" }),
      "/user/ann/proxy/8787/status");
  });
});
