import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CommonJobOptions } from "../../src/config/jobqueue-options.js";
import { computeJobResources } from "../../src/jobqueue/resources.js";
import { buildWorkerCommand, lifetimeFromWalltime, tesseraWorkerInvocation, workerLifetime } from "../../src/jobqueue/worker-command.js";

const baseOptions: CommonJobOptions = {
  configName: "slurm", jobName: "dask-worker", cores: 8, memoryBytes: 16e9, processes: 2, interface: null,
  deathTimeoutSeconds: null, localDirectory: null, sharedTempDirectory: null, workerCommand: null, workerExtraArgs: [],
  shebang: "#!/usr/bin/env bash", jobScriptPrologue: [], jobScriptEpilogue: [], jobDirectivesSkip: [], logDirectory: null,
  schedulerOptions: {}, lifetime: { kind: "from-walltime" },
};

describe("lifetimeFromWalltime", () => {
  const table: Array<[number, number, number]> = [
    [1800, 1620, 90], [3600, 3240, 180], [7200, 6540, 300], [129600, 128700, 300], [120, 54, 6], [60, 30, 3],
  ];
  for (const [walltime, duration, stagger] of table) {
    it(`a ${walltime} s job retires its workers after ${duration} ± ${stagger} s`, () =>
      assert.deepEqual(lifetimeFromWalltime(walltime), { durationSeconds: duration, staggerSeconds: stagger }));
  }

  it("leaves at least a minute between the latest retirement and the walltime, from 3 minutes up", () => {
    for (let walltime = 180; walltime <= 7 * 86400; walltime += 97) {
      const { durationSeconds, staggerSeconds } = lifetimeFromWalltime(walltime);
      assert.ok(durationSeconds + staggerSeconds <= walltime - 60, `${walltime} s`);
      assert.ok(durationSeconds - staggerSeconds > 0, `${walltime} s`);
    }
  });

  it("follows the options: off, fixed, or none without a walltime", () => {
    assert.equal(workerLifetime({ ...baseOptions, lifetime: { kind: "off" } }, 3600), null);
    assert.deepEqual(workerLifetime({ ...baseOptions, lifetime: { kind: "fixed", durationSeconds: 10, staggerSeconds: 2 } }, 3600),
      { durationSeconds: 10, staggerSeconds: 2 });
    assert.equal(workerLifetime(baseOptions, null), null);
  });
});

describe("buildWorkerCommand", () => {
  it("puts every flag in tessera's order", () => {
    const command = buildWorkerCommand({
      invocation: "node tessera.js worker",
      schedulerAddress: "tls://10.1.1.20:8786",
      workerName: "SLURMCluster-3",
      resources: computeJobResources(baseOptions),
      options: {
        ...baseOptions, deathTimeoutSeconds: 600, localDirectory: "$TMPDIR", interface: "ib0",
        workerExtraArgs: ["--resources", "GPU=2"],
      },
      lifetime: { durationSeconds: 3300, staggerSeconds: 240 },
      credentialFile: "/shared/cred",
    });
    assert.equal(command, "node tessera.js worker tls://10.1.1.20:8786 --name SLURMCluster-3 --nthreads 4 --memory-limit 8000000000 " +
      "--nworkers 2 --death-timeout 600 --local-directory \"$TMPDIR\" --resources GPU=2 --interface ib0 --credential-file /shared/cred " +
      "--lifetime 3300s --lifetime-stagger 240s");
  });

  it("leaves out --nworkers for one process and optional flags that are unset", () => {
    const command = buildWorkerCommand({
      invocation: "w", schedulerAddress: "tcp://h:1", workerName: "n",
      resources: computeJobResources({ ...baseOptions, processes: 1 }), options: baseOptions, lifetime: null,
    });
    assert.equal(command, "w tcp://h:1 --name n --nthreads 8 --memory-limit 16000000000");
  });
});

describe("tesseraWorkerInvocation", () => {
  it("is this Node and the absolute bin/tessera.js of this checkout", () => {
    const entry = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));
    assert.equal(tesseraWorkerInvocation(), `${process.execPath} ${entry} worker`);
    assert.ok(existsSync(fileURLToPath(new URL("../../../package.json", import.meta.url))), "the path is the checkout root's");
  });
});
