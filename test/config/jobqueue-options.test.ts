import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { jobOptionNames, resolveJobQueueOptions } from "../../src/config/jobqueue-options.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { createConfigSandbox, type ConfigSandbox } from "./sandbox.js";

describe("resolveJobQueueOptions", () => {
  let box: ConfigSandbox;
  before(() => {
    box = createConfigSandbox();
    box.write("home/.config/tessera/jobqueue.yaml", [
      "jobqueue:",
      "  slurm:",
      "    cores: 24",
      "    memory: 128GB",
      "    queue: normal",
      "    local-directory: $TMPDIR",
      "  my-slurm:",
      "    cores: 8",
      "    memory: 16GiB",
      "    job-extra-directives: ['--gres=gpu:1']",
      "",
    ].join("\n"));
  });
  after(() => box.remove());

  it("fills everything from config and defaults, in bytes and seconds", () => {
    const options = resolveJobQueueOptions("slurm", {}, undefined, { store: box.store() });
    assert.equal(options.system, "slurm");
    assert.equal(options.cores, 24);
    assert.equal(options.memoryBytes, 128e9);
    assert.equal(options.queue, "normal");
    assert.equal(options.localDirectory, "$TMPDIR");
    assert.equal(options.walltimeSeconds, 1800, "dask-jobqueue's default '00:30:00'");
    assert.equal(options.deathTimeoutSeconds, 60);
    assert.equal(options.jobName, "dask-worker");
    assert.deepEqual(options.lifetime, { kind: "from-walltime" });
  });

  it("puts explicit options above the environment, and reads camel, kebab or snake names", () => {
    const store = box.store({ TESSERA_JOBQUEUE__SLURM__CORES: "12", TESSERA_JOBQUEUE__SLURM__QUEUE: "debug" });
    const options = resolveJobQueueOptions("slurm", { cores: 6, job_extra_directives: ["--exclusive"], "death-timeout": "2m" }, undefined, { store });
    assert.equal(options.cores, 6);
    assert.equal(options.queue, "debug");
    assert.deepEqual(options.jobExtraDirectives, ["--exclusive"]);
    assert.equal(options.deathTimeoutSeconds, 120);
  });

  it("config.set sits between the environment and explicit options", () => {
    const store = box.store({ TESSERA_JOBQUEUE__SLURM__CORES: "12" });
    using _override = store.set({ "jobqueue.slurm.cores": 16 });
    assert.equal(resolveJobQueueOptions("slurm", {}, undefined, { store }).cores, 16);
    assert.equal(resolveJobQueueOptions("slurm", { cores: 2 }, undefined, { store }).cores, 2);
  });

  it("treats an explicit null as unset, undefined as 'from config'", () => {
    const store = box.store();
    const options = resolveJobQueueOptions("slurm", { walltime: null, queue: undefined, jobName: null }, undefined, { store });
    assert.equal(options.walltimeSeconds, null);
    assert.equal(options.queue, "normal");
    assert.equal(options.jobName, null);
  });

  it("reads a custom section over the system's defaults", () => {
    const options = resolveJobQueueOptions("slurm", {}, "my-slurm", { store: box.store() });
    assert.equal(options.configName, "my-slurm");
    assert.equal(options.cores, 8);
    assert.equal(options.memoryBytes, 16 * 2 ** 30);
    assert.deepEqual(options.jobExtraDirectives, ["--gres=gpu:1"]);
    assert.equal(options.walltimeSeconds, 1800, "missing keys come from jobqueue.slurm's defaults");
    assert.equal(options.queue, null, "not from jobqueue.slurm's configured values");
    assert.throws(() => resolveJobQueueOptions("slurm", {}, "nope", { store: box.store() }), /config section jobqueue\.nope does not exist/);
  });

  it("asks for cores and memory when neither config nor options give them", () => {
    assert.throws(() => resolveJobQueueOptions("pbs", { cores: 8 }, undefined, { store: box.store() }), (error: Error) =>
      error instanceof InvalidOptionError &&
      error.message.startsWith('You must specify how many cores and how much memory per job you want to use, for example PBSCluster.start({ cores: 8, memory: "24GB" })'));
  });

  it("requires disk for HTCondor and keeps its directives a mapping", () => {
    const store = box.store();
    assert.throws(() => resolveJobQueueOptions("htcondor", { cores: 1, memory: "2GB" }, undefined, { store }), /how much disk/);
    const options = resolveJobQueueOptions("htcondor", { cores: 1, memory: "2GB", disk: "1GB", jobExtraDirectives: { request_gpus: 1 } }, undefined, { store });
    assert.equal(options.diskBytes, 1e9);
    assert.deepEqual(options.jobExtraDirectives, { request_gpus: "1" });
  });

  it("takes the PBS account from $PBS_ACCOUNT when none is configured", () => {
    const options = resolveJobQueueOptions("pbs", { cores: 4, memory: "8GB" }, undefined, { store: box.store(), env: { PBS_ACCOUNT: "proj42" } });
    assert.equal(options.account, "proj42");
  });

  it("reads walltimes in the system's syntax: LSF '01:30' is 90 minutes, SLURM '01:30' 90 seconds", () => {
    const store = box.store();
    assert.equal(resolveJobQueueOptions("lsf", { cores: 2, memory: "2GB", walltime: "01:30" }, undefined, { store }).walltimeSeconds, 5400);
    assert.equal(resolveJobQueueOptions("slurm", { walltime: "01:30" }, undefined, { store }).walltimeSeconds, 90);
  });

  it("accepts deprecated names with Dask's rule and warns once per process", () => {
    const warnings: string[] = [];
    const context = { store: box.store(), warn: (message: string) => warnings.push(message) };
    const first = resolveJobQueueOptions("slurm", { extra: ["--resources", "GPU=1"], envExtra: ["module load x"], project: "p1" }, undefined, context);
    assert.deepEqual(first.workerExtraArgs, ["--resources", "GPU=1"]);
    assert.deepEqual(first.jobScriptPrologue, ["module load x"]);
    assert.equal(first.account, "p1");
    const second = resolveJobQueueOptions("slurm", { extra: ["--x"], workerExtraArgs: ["--y"] }, undefined, context);
    assert.deepEqual(second.workerExtraArgs, ["--y"], "the new name wins when it is set");
    assert.equal(warnings.filter((w) => w.startsWith("extra (config key extra) has been renamed to workerExtraArgs")).length, 1);
    assert.equal(warnings.length, 3, warnings.join("\n"));
  });

  it("warns that a Dask python setting is ignored", () => {
    const warnings: string[] = [];
    resolveJobQueueOptions("sge", { cores: 1, memory: "1GB", python: "/opt/conda/bin/python" }, undefined,
      { store: box.store(), warn: (m) => warnings.push(m) });
    assert.match(warnings[0], /jobqueue\.sge\.python is Dask's Python interpreter; tessera workers run on Node/);
  });

  it("resolves the worker lifetime: explicit, from distributed.worker.lifetime, off, or from the walltime", () => {
    const store = box.store();
    const resolve = (options: Record<string, unknown>) => resolveJobQueueOptions("slurm", options, undefined, { store }).lifetime;
    assert.deepEqual(resolve({ lifetime: "55m", lifetimeStagger: "4m" }), { kind: "fixed", durationSeconds: 3300, staggerSeconds: 240 });
    assert.deepEqual(resolve({ lifetime: false }), { kind: "off" });
    assert.deepEqual(resolve({ workerExtraArgs: ["--lifetime", "1h"] }), { kind: "off" }, "a user's own --lifetime wins");
    using _lifetime = store.set({ "distributed.worker.lifetime": { duration: "1h", stagger: "5m" } });
    assert.deepEqual(resolve({}), { kind: "fixed", durationSeconds: 3600, staggerSeconds: 300 });
  });

  it("refuses an unknown option with the closest names, and bad values naming the option", () => {
    const store = box.store();
    assert.throws(() => resolveJobQueueOptions("slurm", { coress: 4 }, undefined, { store }),
      /^InvalidOptionError: Got unexpected option "coress" for a slurm job; did you mean cores/);
    assert.throws(() => resolveJobQueueOptions("slurm", { disk: "1GB" }, undefined, { store }), /Got unexpected option "disk" for a slurm job/);
    assert.throws(() => resolveJobQueueOptions("slurm", { cores: "lots" }, undefined, { store }), (error: Error) =>
      error.message === 'options: cores: "lots" is not a number');
    assert.throws(() => resolveJobQueueOptions("slurm", { name: "x" }, undefined, { store }), /use jobName/);
    assert.throws(() => resolveJobQueueOptions("oar" as "slurm", {}, undefined, { store }), /unknown batch system "oar"/);
  });

  it("lists the option names a cluster accepts", () => {
    const names = jobOptionNames("lsf");
    for (const name of ["cores", "memory", "jobName", "lsfUnits", "useStdin", "jobExtraDirectives", "lifetime"]) assert.ok(names.includes(name), name);
    for (const name of ["extra", "envExtra", "python", "name"]) assert.ok(!names.includes(name), name);
  });
});
