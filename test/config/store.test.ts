import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../../src/config/validate.js";
import { ConfigStore, loadDefaults } from "../../src/config/store.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { parseBytes, parseDuration } from "../../src/core/units.js";
import { createConfigSandbox, type ConfigSandbox } from "./sandbox.js";

const cores = "jobqueue.slurm.cores";

describe("config precedence: defaults < Dask files < /etc < ~/.config < TESSERA_CONFIG < environment < config.set", () => {
  let box: ConfigSandbox;
  let env: Record<string, string>;
  before(() => {
    box = createConfigSandbox();
    box.write("home/.config/dask/jobqueue.yaml", "jobqueue:\n  slurm:\n    cores: 1\n    queue: from-dask\n");
    box.write("etc/tessera/site.yaml", "jobqueue:\n  slurm:\n    cores: 2\n    account: from-etc\n");
    box.write("home/.config/tessera/user.yaml", "jobqueue:\n  slurm:\n    cores: 3\n    memory: 8GB\n");
    const named = box.write("named/project.yaml", "jobqueue:\n  slurm:\n    cores: 4\n    walltime: '01:00:00'\n");
    env = { TESSERA_CONFIG: named, TESSERA_JOBQUEUE__SLURM__CORES: "5", TESSERA_JOBQUEUE__SLURM__JOB_CPU: "12" };
  });
  after(() => box.remove());

  it("takes each key from the highest layer that sets it, and merges the others", () => {
    const store = box.store(env);
    assert.equal(store.get(cores), 5);
    assert.equal(store.get("jobqueue.slurm.queue"), "from-dask");
    assert.equal(store.get("jobqueue.slurm.account"), "from-etc");
    assert.equal(store.get("jobqueue.slurm.memory"), "8GB");
    assert.equal(store.get("jobqueue.slurm.walltime"), "01:00:00");
    assert.equal(store.get("jobqueue.slurm.job-cpu"), 12);
    assert.equal(store.get("jobqueue.slurm.shebang"), "#!/usr/bin/env bash", "untouched keys keep their defaults");
    assert.deepEqual(store.sources().slice(0, 2), ["tessera defaults.yaml", "~/.config/dask/jobqueue.yaml"]);
  });

  it("peels off layer by layer", () => {
    const withoutEnvironment = { TESSERA_CONFIG: env.TESSERA_CONFIG };
    assert.equal(box.store(withoutEnvironment).get(cores), 4);
    assert.equal(box.store({}).get(cores), 3);
    assert.equal(new ConfigStore({ env: {}, homeDirectory: join(box.root, "nohome"), systemDirectory: box.etc }).get(cores), 2);
    assert.equal(new ConfigStore({ env: {}, homeDirectory: join(box.root, "nohome"), systemDirectory: join(box.root, "noetc") }).get(cores), null);
  });

  it("config.set overrides the environment until disposed, nested or dotted", () => {
    const store = box.store(env);
    const first = store.set({ [cores]: 6 });
    assert.equal(store.get(cores), 6);
    const second = store.set({ jobqueue: { slurm: { cores: 7, jobCpu: 14 } } });
    assert.equal(store.get(cores), 7);
    assert.equal(store.get("jobqueue.slurm.job_cpu"), 14, "camelCase and snake_case name the same key");
    first.dispose();
    assert.equal(store.get(cores), 7, "disposing an older override keeps a newer one");
    second[Symbol.dispose]();
    assert.equal(store.get(cores), 5);
    second.dispose();
    assert.equal(store.get(cores), 5, "disposing twice is harmless");
  });

  it("reads files again only on refresh()", () => {
    const store = box.store({});
    assert.equal(store.get("jobqueue.slurm.interface"), null);
    box.write("home/.config/tessera/zz-later.yaml", "jobqueue:\n  slurm:\n    interface: ib0\n");
    assert.equal(store.get("jobqueue.slurm.interface"), null);
    store.refresh();
    assert.equal(store.get("jobqueue.slurm.interface"), "ib0");
  });
});

describe("config files in Dask's format", () => {
  let box: ConfigSandbox;
  before(() => { box = createConfigSandbox(); });
  after(() => box.remove());

  it("accepts kebab, snake and camel keys and YAML 1.1 booleans", () => {
    box.write("home/.config/tessera/keys.yaml",
      "jobqueue:\n  lsf:\n    use_stdin: no\n    jobExtraDirectives: ['-u me']\n    death-timeout: 30\n");
    const store = box.store();
    assert.equal(store.get("jobqueue.lsf.use-stdin"), false);
    assert.deepEqual(store.get("jobqueue.lsf.job-extra-directives"), ["-u me"]);
    assert.equal(store.get("jobqueue.lsf.deathTimeout"), 30);
  });

  it("keeps the keys of free-form mappings as written", () => {
    box.write("home/.config/tessera/htcondor.yaml",
      "jobqueue:\n  htcondor:\n    job_extra_directives:\n      request_gpus: 1\n      +MyProject: '\"abc\"'\n    scheduler_options:\n      dashboard_address: ':9000'\n");
    const store = box.store();
    assert.deepEqual(store.get("jobqueue.htcondor.job-extra-directives"), { request_gpus: "1", "+MyProject": '"abc"' });
    assert.deepEqual(store.get("jobqueue.htcondor.scheduler-options"), { dashboard_address: ":9000" });
  });

  it("takes what tessera knows from $DASK_CONFIG and ignores Dask settings it does not have", () => {
    const daskDir = join(box.root, "dask-config");
    box.write("dask-config/distributed.yaml",
      "distributed:\n  admin:\n    tick:\n      limit: 3s\n  worker:\n    memory:\n      target: 0.5\njobqueue:\n  oar:\n    cores: 4\n");
    const store = box.store({ DASK_CONFIG: daskDir });
    assert.equal(store.get("distributed.worker.memory.target"), 0.5);
    assert.ok(store.ignoredKeys().includes("distributed.admin"), `ignored: ${store.ignoredKeys().join(", ")}`);
  });

  it("still refuses a bad value for a known key in a Dask file, naming it", () => {
    const daskDir = join(box.root, "bad-dask");
    box.write("bad-dask/jobqueue.yaml", "jobqueue:\n  slurm:\n    memory: plenty\n");
    assert.throws(() => box.store({ DASK_CONFIG: daskDir }).get(cores), (error: Error) =>
      error instanceof ConfigError && error.message.startsWith(`${daskDir}/jobqueue.yaml: jobqueue.slurm.memory: "plenty" is not a byte size`));
  });
});

describe("config validation errors name the source, the key and the value", () => {
  let box: ConfigSandbox;
  before(() => { box = createConfigSandbox(); });
  after(() => box.remove());

  it("in a file", () => {
    box.write("home/.config/tessera/jobqueue.yaml", "jobqueue:\n  slurm:\n    cores: lots\n");
    assert.throws(() => box.store().get(cores), (error: Error) =>
      error instanceof ConfigError && error.message === '~/.config/tessera/jobqueue.yaml: jobqueue.slurm.cores: "lots" is not a number');
    box.write("home/.config/tessera/jobqueue.yaml", "# fixed\n");
  });

  it("an unknown key in a file, with the likely key", () => {
    const file = box.write("etc/tessera/typo.yaml", "jobqueue:\n  slurm:\n    corse: 4\n");
    assert.throws(() => box.store().get(cores), (error: Error) =>
      error instanceof ConfigError && error.message === `${file}: jobqueue.slurm.corse: unknown key; did you mean "cores"?`);
    box.write("etc/tessera/typo.yaml", "");
  });

  it("in an environment variable", () => {
    assert.throws(() => box.store({ TESSERA_JOBQUEUE__SLURM__CORES: "lots" }).get(cores), (error: Error) =>
      error.message === 'environment variable TESSERA_JOBQUEUE__SLURM__CORES: jobqueue.slurm.cores: "lots" is not a number');
    assert.throws(() => box.store({ TESSERA_JOBQUEUE__SLRUM__CORES: "4" }).get(cores), (error: Error) =>
      error.message === 'environment variable TESSERA_JOBQUEUE__SLRUM__CORES: jobqueue.slrum: unknown key; did you mean "slurm"?');
  });

  it("ignores TESSERA_ variables that are not config keys", () => {
    assert.equal(box.store({ TESSERA_LOG_LEVEL: "debug", TESSERA_SOMETHING: "x" }).get(cores), null);
  });

  it("in config.set, at the call", () => {
    const store = box.store();
    assert.throws(() => store.set({ "distributed.worker.memory.target": 2 }), (error: Error) =>
      error.message === "config.set: distributed.worker.memory.target: 2 is not a fraction between 0 and 1 or false");
    assert.throws(() => store.set({ "distributed.scheduler.worker-ttl": "soon" }), (error: Error) =>
      error.message.startsWith('config.set: distributed.scheduler.worker-ttl: "soon" is not a duration'));
    assert.throws(() => store.set({ "jobqueue.slurm.walltime": "tomorrow" }), (error: Error) =>
      error.message.startsWith('config.set: jobqueue.slurm.walltime: "tomorrow" is not a slurm walltime; write e.g.'));
    assert.throws(() => store.set({ "jobqueue.slurm.job-extra-directives": "--exclusive" }), (error: Error) =>
      error.message === 'config.set: jobqueue.slurm.job-extra-directives: "--exclusive" is not a list of strings');
  });

  it("for a key config.get does not know", () => {
    assert.throws(() => box.store().get("distributed.scheduler.nonsense"), (error: Error) =>
      error instanceof InvalidOptionError && error.message.includes("distributed.scheduler.nonsense: unknown key"));
  });

  it("for a TESSERA_CONFIG path that does not exist", () => {
    assert.throws(() => box.store({ TESSERA_CONFIG: "/nonexistent/tessera.yaml" }).get(cores),
      /TESSERA_CONFIG: \/nonexistent\/tessera\.yaml does not exist/);
  });
});

describe("defaults.yaml", () => {
  it("names every key of the schema (loading checks it) and nothing else", () => {
    const defaults = loadDefaults().values as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(defaults).sort(), ["array", "distributed", "jobqueue"]);
    assert.deepEqual(Object.keys(defaults.jobqueue).sort(), ["htcondor", "lsf", "pbs", "sge", "slurm"]);
  });

  it("has Dask's defaults for every distributed and array key", (t) => {
    const python = "/usr/bin/python3";
    if (!existsSync(python)) return t.skip(`${python} (the Dask anchor) is not installed`);
    const keys = [
      "distributed.scheduler.allowed-failures", "distributed.scheduler.worker-saturation", "distributed.scheduler.idle-timeout",
      "distributed.scheduler.worker-ttl", "distributed.scheduler.unknown-task-duration", "distributed.scheduler.bandwidth",
      "distributed.scheduler.work-stealing", "distributed.worker.memory.target", "distributed.worker.memory.spill",
      "distributed.worker.memory.pause", "distributed.worker.memory.terminate", "distributed.worker.memory.max-spill",
      "distributed.worker.memory.monitor-interval", "distributed.worker.lifetime.duration", "distributed.worker.lifetime.stagger",
      "distributed.comm.timeouts.connect", "distributed.comm.timeouts.tcp",
      "distributed.dashboard.link", "array.chunk-size",
    ];
    const script = "import json, sys, dask.config, distributed, dask.array\n" +
      "print(json.dumps({k: dask.config.get(k) for k in json.loads(sys.argv[1])}))";
    const dask = JSON.parse(execFileSync(python, ["-c", script, JSON.stringify(keys)], { encoding: "utf8" })) as Record<string, unknown>;
    const ours = loadDefaults().values;
    const at = (key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], ours);
    const durations = new Set(["worker-ttl", "unknown-task-duration", "monitor-interval", "stagger", "connect", "tcp", "idle-timeout", "duration"]);
    const sizes = new Set(["bandwidth", "chunk-size"]);
    for (const key of keys) {
      const leaf = key.split(".").at(-1) as string;
      const normalise = (value: unknown) => {
        if (value === null || typeof value === "boolean") return value;
        if (durations.has(leaf)) return parseDuration(value as string);
        if (sizes.has(leaf)) return parseBytes(value as string);
        return value;
      };
      assert.deepEqual(normalise(at(key)), normalise(dask[key]), key);
    }
  });
});
