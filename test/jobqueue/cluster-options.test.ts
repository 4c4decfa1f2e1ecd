// Sorting a cluster's options into its own, the jobs' and the scheduler's, with the errors users see.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readSchedulerOptions, splitClusterOptions } from "../../src/jobqueue/cluster-options.js";
import { chooseSharedDirectory, expandVariables } from "../../src/deploy/shared-files.js";

describe("splitClusterOptions", () => {
  it("keeps cluster options and passes job options on", () => {
    const { cluster, job } = splitClusterOptions("slurm", { name: "course", nWorkers: 4, cores: 8, memory: "16GB", pollInterval: "2s", queue: "gpu", replacementLead: "2m" });
    assert.deepEqual(job, { cores: 8, memory: "16GB", queue: "gpu" });
    assert.deepEqual([cluster.name, cluster.nWorkers, cluster.pollIntervalSeconds, cluster.retireTimeoutSeconds, cluster.maxFailedStarts, cluster.replacementLead], ["course", 4, 2, 30, 3, 120]);
    assert.equal(splitClusterOptions("slurm", {}).cluster.replacementLead, "auto");
    assert.equal(splitClusterOptions("slurm", { replacementLead: false }).cluster.replacementLead, false);
  });

  it("points scheduler options to schedulerOptions, as dask-jobqueue does", () => {
    assert.throws(() => splitClusterOptions("slurm", { host: "10.0.0.1" }), /host is a scheduler option: pass it inside schedulerOptions/);
    assert.throws(() => splitClusterOptions("slurm", { protocol: "tls://" }), /the protocol follows `security`/);
  });

  it("refuses bad cluster options", () => {
    assert.throws(() => splitClusterOptions("slurm", { nWorkers: -2 }), /nWorkers: -2 is not a number of workers/);
    assert.throws(() => splitClusterOptions("slurm", { name: "my cluster" }), /name: "my cluster" is not a usable cluster name/);
    assert.throws(() => splitClusterOptions("slurm", { pollInterval: "soon" }), /pollInterval/);
    assert.throws(() => splitClusterOptions("slurm", { pollInterval: 0 }), /pollInterval: 0 must be longer than zero/);
  });
});

describe("readSchedulerOptions", () => {
  it("reads Dask's keys in any spelling into scheduler settings", () => {
    const options = readSchedulerOptions({ dashboard_address: ":9000", interface: "ib0", "idle-timeout": "1h", allowedFailures: 10, port: 8786 });
    assert.deepEqual(options, { interface: "ib0", host: null, port: 8786, dashboardAddress: ":9000", settings: { idleTimeout: 3600, allowedFailures: 10 } });
    assert.deepEqual(readSchedulerOptions({}).dashboardAddress, ":8787");
    assert.equal(readSchedulerOptions({ dashboardAddress: false }).dashboardAddress, false);
    assert.equal(readSchedulerOptions({ workerTtl: null }).settings.workerTtl, Number.POSITIVE_INFINITY, "null worker-ttl: never");
    assert.equal(readSchedulerOptions({ "worker-ttl": "5 minutes" }).settings.workerTtl, 300);
  });

  it("names an unknown or bad scheduler option", () => {
    assert.throws(() => readSchedulerOptions({ idle: 3 }), /schedulerOptions: unknown option "idle"; known options are interface, host, port/);
    assert.throws(() => readSchedulerOptions({ port: 70000 }), /schedulerOptions.port: 70000 is not a port number/);
    assert.throws(() => readSchedulerOptions({ allowedFailures: -1 }), /allowedFailures: -1/);
  });
});

describe("the shared directory for credential files", () => {
  it("is sharedTempDirectory, else logDirectory, else ./.tessera with a warning", () => {
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    assert.equal(chooseSharedDirectory("/shared/tmp", "/logs", warn), "/shared/tmp");
    assert.equal(chooseSharedDirectory(null, "/logs", warn), "/logs");
    assert.deepEqual(warnings, []);
    assert.equal(chooseSharedDirectory(null, null, warn), ".tessera");
    assert.match(warnings[0], /sharedTempDirectory is not set: the cluster credential goes to \.\/\.tessera\//);
  });

  it("expands $VARIABLES locally and names an unset one", () => {
    assert.equal(expandVariables("$SCRATCH/a/${USER}", { SCRATCH: "/scratch", USER: "ann" }), "/scratch/a/ann");
    assert.throws(() => expandVariables("$NOPE/x", {}), /uses \$NOPE, which is not set here/);
  });
});
