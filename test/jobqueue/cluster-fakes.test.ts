// PBSCluster, SGECluster, LSFCluster and HTCondorCluster driven through the FAKE batch
// commands of test/fixtures/fake-batch (these systems cannot run here). The fakes record
// every call and keep a queue file the tests edit to make jobs run, fail or vanish; no worker
// ever starts, so these tests check submission, id parsing, polling, replacement, scaling
// and cancellation, not computation (the SLURM tests do that for real).
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BatchCommandError } from "../../src/jobqueue/command-runner.js";
import { HTCondorCluster, JobQueueCluster, LSFCluster, PBSCluster, SGECluster } from "../../src/jobqueue/index.js";
import { fakeCalls, fakeRunner } from "./fake-batch-calls.js";

interface SystemCase {
  system: string;
  start: (options: Record<string, unknown>) => Promise<JobQueueCluster>;
  extra: Record<string, unknown>;
  submit: string;
  cancel: string;
  statesFile: string;
  /** Queue-file line of a running job, and of one that failed (null: the job vanishes). */
  running: (id: string) => string;
  failed: (id: string) => string | null;
  failedState: string;
  failedReason: RegExp;
  ids: string[];
  /** The submitted script of a call (argument file or stdin). */
  scriptOf: (call: ReturnType<typeof fakeCalls>[number]) => string | undefined;
}

const cases: SystemCase[] = [
  {
    system: "pbs", start: (o) => PBSCluster.start(o), extra: { queue: "workq" }, submit: "qsub", cancel: "qdel", statesFile: "pbs-states",
    running: (id) => `${id} R -`, failed: (id) => `${id} F 271 job killed: walltime 1810 exceeded limit 1800`,
    failedState: "failed", failedReason: /^Exit_status 271: job killed: walltime 1810 exceeded limit 1800$/,
    ids: ["1000.pbs-server", "1001.pbs-server", "1002.pbs-server"], scriptOf: (call) => call.script,
  },
  {
    system: "sge", start: (o) => SGECluster.start(o), extra: { queue: "all.q" }, submit: "qsub", cancel: "qdel", statesFile: "sge-states",
    // A finished job leaves qstat; qacct has how it ended.
    running: (id) => `${id} r`, failed: (id) => (appendFileSync(join(records, "sge-accounting"), `${id} 0 1\n`), null),
    failedState: "failed", failedReason: /^exit status 1$/,
    ids: ["1000", "1001", "1002"], scriptOf: (call) => call.script,
  },
  {
    system: "lsf", start: (o) => LSFCluster.start(o), extra: { queue: "normal", lsfUnits: "mb" }, submit: "bsub", cancel: "bkill", statesFile: "lsf-states",
    running: (id) => `${id}|RUN|-|-`, failed: (id) => `${id}|EXIT|137|-`,
    failedState: "failed", failedReason: /^exit code 137$/,
    ids: ["1000", "1001", "1002"], scriptOf: (call) => call.stdin,
  },
  {
    system: "htcondor", start: (o) => HTCondorCluster.start(o), extra: { disk: "1GB" }, submit: "condor_submit", cancel: "condor_rm", statesFile: "htcondor-states",
    running: (id) => `${id} 2 undefined undefined`, failed: (id) => `${id} 4 1 undefined`,
    failedState: "failed", failedReason: /^exit code 1$/,
    ids: ["1000.0", "1001.0", "1002.0"], scriptOf: (call) => call.script,
  },
];

let directory = "";
let records = "";
const openClusters: JobQueueCluster[] = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "tessera-cluster-fakes-"));
  records = join(directory, "records");
  mkdirSync(records);
  process.env.FAKE_BATCH_DIR = records;
  delete process.env.FAKE_BATCH_FAIL;
});
afterEach(async () => {
  delete process.env.FAKE_BATCH_FAIL;
  for (const cluster of openClusters.splice(0)) await cluster.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Rewrites the fake queue line of `id` (null drops it). */
function setQueueLine(statesFile: string, id: string, line: string | null): void {
  const path = join(records, statesFile);
  const lines = readFileSync(path, "utf8").split("\n").filter((l) => l !== "");
  const kept = lines.filter((l) => l.split(/[| ]/)[0] !== id);
  writeFileSync(path, [...kept, ...(line === null ? [] : [line])].map((l) => `${l}\n`).join(""));
}

async function startCluster(c: SystemCase, options: Record<string, unknown> = {}): Promise<JobQueueCluster> {
  const cluster = await c.start({
    cores: 2, memory: "4GB", processes: 1, walltime: c.system === "htcondor" ? undefined : "01:00:00", ...c.extra,
    logDirectory: join(directory, "logs"), stateDirectory: join(directory, "state"), pollInterval: "1h",
    schedulerOptions: { dashboardAddress: false, host: "127.0.0.1" }, commandRunner: fakeRunner(c.system), ...options,
  });
  openClusters.push(cluster);
  return cluster;
}

for (const c of cases) {
  describe(`${c.system} cluster through FAKE ${c.submit}/${c.cancel}`, () => {
    it("submits scripts that reach the scheduler, parses the ids, records them in the state file", async () => {
      const cluster = await startCluster(c);
      await cluster.scale({ jobs: 2 });
      const submits = fakeCalls(records).filter((call) => call.command === c.submit);
      assert.equal(submits.length, 2);
      assert.deepEqual(cluster.jobs.map((job) => job.id).sort(), c.ids.slice(0, 2));
      assert.deepEqual(cluster.jobs.map((job) => [job.name, job.state]), [[`${cluster.name}-0`, "pending"], [`${cluster.name}-1`, "pending"]]);
      const script = submits.map(c.scriptOf).find((text) => text?.includes(`--name ${cluster.name}-0 `)) ?? "";
      assert.ok(script.includes(` worker ${cluster.schedulerAddress} --name ${cluster.name}-0 `), script);
      const credentialFile = /--credential-file ([^\s'"]+)/.exec(script)?.[1] ?? "";
      assert.equal(readFileSync(credentialFile, "utf8"), cluster.credential, "the script names a file holding the credential");
      assert.equal(statSync(credentialFile).mode & 0o777, 0o600);
      assert.ok(!script.includes(cluster.credential), "the credential itself is not in the script");
      assert.equal(cluster.jobScript().replaceAll("dummy-name", `${cluster.name}-0`), script);
      const state = JSON.parse(readFileSync(cluster.stateFile, "utf8")) as { system: string; jobs: Array<{ id: string }> };
      assert.equal(state.system, c.system);
      assert.deepEqual(state.jobs.map((job) => job.id).sort(), c.ids.slice(0, 2));

      await cluster.close();
      assert.ok(!existsSync(credentialFile), "close() removes the credential file");
      assert.ok(!existsSync(cluster.stateFile), "and the state file, once every job ended");
      const cancels = fakeCalls(records).filter((call) => call.command === c.cancel);
      assert.deepEqual(cancels.flatMap((call) => call.argv.filter((a) => !a.startsWith("-"))).sort(), c.ids.slice(0, 2));
    });

    it("polls states with reasons and replaces a job that died", async () => {
      const cluster = await startCluster(c);
      await cluster.scale({ jobs: 2 });
      const [first, second] = cluster.jobs.map((job) => job.id); // submitted concurrently: either may be 1000
      setQueueLine(c.statesFile, first, c.running(first));
      let jobs = await cluster.refreshJobs();
      assert.deepEqual(jobs.map((job) => [job.id, job.state]), [[first, "running"], [second, "pending"]]);
      setQueueLine(c.statesFile, second, c.running(second));
      await cluster.refreshJobs();
      setQueueLine(c.statesFile, second, c.failed(second));
      jobs = await cluster.refreshJobs();
      const died = jobs.find((job) => job.id === second);
      assert.equal(died?.state, c.failedState);
      assert.match(died?.reason ?? "", c.failedReason);
      assert.ok(died?.endedAt, "it is shown as ended");
      assert.deepEqual(jobs.filter((job) => job.endedAt === null).map((job) => job.id), [first, c.ids[2]], "a replacement was submitted");
      assert.equal(fakeCalls(records).filter((call) => call.command === c.submit).length, 3);
    });

    it("scales down by cancelling the job that has not started, and up again", async () => {
      const cluster = await startCluster(c);
      await cluster.scale({ jobs: 2 });
      const [first, second] = cluster.jobs.map((job) => job.id); // submitted concurrently: either may be 1000
      setQueueLine(c.statesFile, first, c.running(first));
      await cluster.refreshJobs();
      await cluster.scale({ jobs: 1 });
      const cancels = fakeCalls(records).filter((call) => call.command === c.cancel);
      assert.deepEqual(cancels.map((call) => call.argv.filter((a) => !a.startsWith("-"))), [[second]], "the pending job goes first");
      assert.deepEqual(cluster.jobs.filter((job) => job.endedAt === null).map((job) => job.id), [first]);
      assert.equal(cluster.requestedWorkers, 1);
      await cluster.scale(2); // workers; one process per job
      assert.equal(cluster.jobs.filter((job) => job.endedAt === null).length, 2);
    });

    it("shows the batch system's refusal to the caller of scale() and start()", async () => {
      const cluster = await startCluster(c);
      process.env.FAKE_BATCH_FAIL = "1";
      await assert.rejects(cluster.scale({ jobs: 1 }), (error: Error) =>
        error instanceof BatchCommandError && /exited with code 1/.test(error.message) && /stderr: \S/.test(error.message));
      assert.deepEqual(cluster.jobs, []);
      const before = serverHandles();
      await assert.rejects(startCluster(c, { nWorkers: 1 }), BatchCommandError);
      assert.equal(serverHandles(), before, "the failed start closed its scheduler");
    });
  });
}

/** Listening sockets of this process. */
function serverHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "TCPServerWrap").length;
}

describe("job-queue cluster rules, through the FAKE PBS", () => {
  const pbs = cases[0];

  it("turns workers, cores and memory into whole jobs (cores 2, processes 2)", async () => {
    const cluster = await startCluster(pbs, { cores: 2, processes: 2, memory: "4GB" });
    const expectations: Array<[Parameters<JobQueueCluster["scale"]>[0], number]> = [
      [{ cores: 2 }, 1], [{ jobs: 2 }, 2], [5, 3], [1, 1], [{ memory: "9GB" }, 3], [0, 0],
    ];
    for (const [request, jobs] of expectations) {
      await cluster.scale(request);
      assert.equal(cluster.jobs.filter((job) => job.endedAt === null).length, jobs, `scale(${JSON.stringify(request)})`);
      assert.equal(cluster.requestedWorkers, jobs * 2);
    }
  });

  it("adapts within bounds in workers or in whole jobs", async () => {
    const cluster = await startCluster(pbs, { cores: 2, processes: 2 });
    cluster.adapt({ minimum: 2, maximum: 4, interval: "20ms" });
    await waitFor(() => cluster.requestedJobs === 1 && activeJobs(cluster) === 1);
    cluster.adapt({ minimumJobs: 2, maximumJobs: 4, interval: "20ms" });
    await waitFor(() => cluster.requestedJobs === 2 && activeJobs(cluster) === 2);
    await cluster.scale({ jobs: 0 }); // an explicit scale stops adaptive scaling
    // Had it not, its next step would ask for 2 jobs again (a step sets the target at once).
    await intervalsPassed(5, 20);
    assert.equal(cluster.requestedJobs, 0, "adaptive scaling asked for jobs again");
    assert.equal(activeJobs(cluster), 0);
  });

  it("stops replacing jobs that keep dying before any worker connects, until the next scale()", async () => {
    const cluster = await startCluster(pbs, { maxFailedStarts: 2 });
    await cluster.scale({ jobs: 1 });
    for (const id of ["1000.pbs-server", "1001.pbs-server"]) {
      setQueueLine(pbs.statesFile, id, `${id} F 1 bad node`);
      await cluster.refreshJobs();
    }
    assert.equal(activeJobs(cluster), 0, "two failed starts in a row: no third submission");
    assert.equal(fakeCalls(records).filter((call) => call.command === "qsub").length, 2);
    await assert.rejects(cluster.waitForWorkers(1, { timeout: "60s" }), new RegExp("^TimeoutError: only 0 of 1 workers can connect: 2 jobs in a row " +
      "ended before their workers connected \\(1000\\.pbs-server failed \\(Exit_status 1: bad node\\), 1001\\.pbs-server failed"), "it says so at once");
    await cluster.scale({ jobs: 1 });
    assert.equal(activeJobs(cluster), 1, "scale() tries again");
  });

  it("keeps the last known states when the status command fails, and says why", async () => {
    const fake = fakeRunner("pbs");
    let serverDown = false;
    const cluster = await startCluster(pbs, {
      commandRunner: (command: string, args: readonly string[], options?: object) =>
        serverDown && command === "qstat"
          ? Promise.resolve({ exitCode: 2, stdout: "", stderr: "Connection refused\nqstat: cannot connect to server pbs-server (errno=111)" })
          : fake(command, args, options),
    });
    await cluster.scale({ jobs: 1 });
    const [id] = cluster.jobs.map((job) => job.id);
    setQueueLine(pbs.statesFile, id, `${id} R -`);
    await cluster.refreshJobs();
    serverDown = true;
    const jobs = await cluster.refreshJobs();
    assert.deepEqual(jobs.map((job) => [job.id, job.state]), [[id, "running"]]);
    assert.match(cluster.lastError?.message ?? "", /polling pbs jobs failed[^]*stderr: Connection refused\nqstat: cannot connect to server pbs-server/);
    serverDown = false; // or close() would wait its whole closeTimeout for a confirmation
  });

  it("serves the dashboard at the link it gives, and closes it with the cluster", async () => {
    const cluster = await startCluster(pbs, { schedulerOptions: { dashboardAddress: "127.0.0.1:0", host: "127.0.0.1" } });
    const link = cluster.dashboardLink ?? "";
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/status\?token=/);
    const response = await fetch(link, { redirect: "manual" }); // the token moves into a cookie
    assert.ok(response.status < 400, `status ${response.status}`);
    await cluster.close();
    await assert.rejects(fetch(link), "nothing listens after close()");
  });

  it("writes TLS files for the workers next to the credential", async () => {
    const cluster = await startCluster(pbs, { security: true });
    assert.match(cluster.schedulerAddress, /^tls:\/\//);
    const script = cluster.jobScript();
    for (const flag of ["--tls-ca-file", "--tls-cert", "--tls-key"]) {
      const path = new RegExp(`${flag} (\\S+)`).exec(script)?.[1] ?? "";
      assert.match(readFileSync(path, "utf8"), /-----BEGIN/);
      assert.equal(statSync(path).mode & 0o777, 0o600);
    }
  });

  it("refuses cluster options given at the wrong level and unknown ones, before starting anything", async () => {
    const before = serverHandles();
    await assert.rejects(startCluster(pbs, { dashboardAddress: ":9000" }), /dashboardAddress is a scheduler option: pass it inside schedulerOptions/);
    await assert.rejects(startCluster(pbs, { memroy: "4GB" }), /Got unexpected option "memroy" for a pbs job; did you mean memory/);
    await assert.rejects(startCluster(pbs, { schedulerOptions: { idleTimout: "1h" } }), /schedulerOptions: unknown option "idleTimout"/);
    await assert.rejects(startCluster(pbs, { memory: "lots" }), /memory/);
    await assert.rejects(startCluster(pbs, { walltime: "two hours" }), /walltime/);
    await assert.rejects(startCluster(pbs, { interface: "no-such-if0", schedulerOptions: { dashboardAddress: false } }), /network interface "no-such-if0" does not exist[^]*schedulerOptions: \{ interface/);
    assert.equal(serverHandles(), before);
    assert.deepEqual(fakeCalls(records), [], "no batch command ran");
  });
});

function activeJobs(cluster: JobQueueCluster): number {
  return cluster.jobs.filter((job) => job.endedAt === null).length;
}

/**
 * Resolves after `count` ticks of a new `ms` interval. Node fires the timers of one duration
 * in the order they were made, so by then every older timer of that interval (adaptive
 * scaling's) has fired at least `count - 1` times, however loaded the machine.
 */
function intervalsPassed(count: number, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let ticks = 0;
    const timer = setInterval(() => {
      if (++ticks < count) return;
      clearInterval(timer);
      resolve();
    }, ms);
  });
}

/** Polls `condition` (no event says so); the deadline is a hang guard. */
async function waitFor(condition: () => boolean, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
