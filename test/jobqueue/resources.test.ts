import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeJobResources, defaultProcesses, describeJobResources } from "../../src/jobqueue/resources.js";
import {
  detectLsfUnits, htcondorDiskKiB, htcondorMemoryMiB, lsfMemory, pbsMemory, sgeMemory, slurmMemory,
} from "../../src/jobqueue/memory-requests.js";
import { clockWalltime, lsfWalltime, slurmWalltime } from "../../src/jobqueue/walltime-formats.js";
import { InvalidOptionError } from "../../src/core/errors.js";

const python = "/usr/bin/python3";

describe("default worker processes per job", () => {
  it("matches distributed's nprocesses_nthreads for 1 to 64 cores", (t) => {
    if (!existsSync(python)) return t.skip(`${python} (the distributed anchor) is not installed`);
    const script = "import json\nfrom distributed.deploy.utils import nprocesses_nthreads\n" +
      "print(json.dumps([list(nprocesses_nthreads(n)) for n in range(1, 65)]))";
    const expected = JSON.parse(execFileSync(python, ["-c", script], { encoding: "utf8" })) as Array<[number, number]>;
    for (let cores = 1; cores <= 64; cores++) {
      const resources = computeJobResources({ cores, memoryBytes: 1e9, processes: null });
      assert.deepEqual([resources.processes, resources.threadsPerWorker], expected[cores - 1], `${cores} cores`);
    }
  });

  const examples: Array<[number, number]> = [[4, 4], [6, 3], [8, 4], [24, 6], [32, 8], [36, 6], [7, 7]];
  for (const [cores, processes] of examples) {
    it(`${cores} cores → ${processes} processes (jobqueue.md §3)`, () => assert.equal(defaultProcesses(cores), processes));
  }
});

describe("computeJobResources", () => {
  it("shares 24 cores and 128 GB as 6 workers × 4 threads × 21 333 333 333 bytes (jobqueue.md §5.3)", () => {
    assert.deepEqual(computeJobResources({ cores: 24, memoryBytes: 128e9, processes: null }), {
      cores: 24, processes: 6, threadsPerWorker: 4, memoryBytes: 128e9, memoryPerWorkerBytes: 21333333333,
    });
  });

  it("never gives the workers more memory in total than the job has", () => {
    for (const memoryBytes of [128e9, 28e9, 2 ** 31, 1e9 + 7, 999_999_999]) {
      for (const processes of [1, 3, 6, 7]) {
        const resources = computeJobResources({ cores: 42, memoryBytes, processes });
        assert.ok(resources.memoryPerWorkerBytes * processes <= memoryBytes, `${memoryBytes} / ${processes}`);
      }
    }
  });

  it("refuses more processes than cores, and no memory", () => {
    assert.throws(() => computeJobResources({ cores: 2, memoryBytes: 1e9, processes: 4 }), (e: Error) =>
      e instanceof InvalidOptionError && /4 worker processes cannot share 2 cores/.test(e.message));
    assert.throws(() => computeJobResources({ cores: 2, memoryBytes: 0, processes: null }), InvalidOptionError);
  });

  it("describes request and per-worker share in one line", () => {
    const line = describeJobResources(computeJobResources({ cores: 24, memoryBytes: 128e9, processes: null }), "--mem=120G");
    assert.equal(line, "each job: 24 cores, 119.21 GiB (requested as --mem=120G); 6 worker processes × 4 threads, " +
      "memory limit 19.87 GiB (21333333333 bytes) each");
  });
});

describe("memory requests per batch system (jobqueue.md §3)", () => {
  const slurm: Array<[number, string]> = [
    [12, "1K"], [1234, "2K"], [12345678, "12M"], [15e9, "14G"], [28e9, "27G"], [2 ** 31, "2G"], [128e9, "120G"], [0, "1K"],
  ];
  for (const [bytes, text] of slurm) it(`SLURM --mem for ${bytes} B is ${text}`, () => assert.equal(slurmMemory(bytes), text));

  const pbs: Array<[number, string]> = [[28e9, "27GB"], [1234567890, "1178MB"], [1, "1B"], [1234, "1234B"], [12345678, "12MB"], [15e9, "14GB"], [20480, "20kB"]];
  for (const [bytes, text] of pbs) it(`PBS mem= for ${bytes} B is ${text}`, () => assert.equal(pbsMemory(bytes), text));

  const sge: Array<[number, string]> = [[128e9, "120G"], [2 ** 31, "2G"], [5e6, "5M"], [2048, "2K"], [512, "512"]];
  for (const [bytes, text] of sge) it(`SGE mem_free= for ${bytes} B is ${text}`, () => assert.equal(sgeMemory(bytes), text));

  const lsf: Array<[number, string, string]> = [[1234567890, "mb", "1235"], [128e9, "kb", "128000000"], [128e9, "GB", "128"], [1500, "k", "2"]];
  for (const [bytes, units, text] of lsf) it(`LSF -M for ${bytes} B in ${units} is ${text}`, () => assert.equal(lsfMemory(bytes, units), text));

  it("HTCondor requests whole MiB of memory and KiB of disk", () => {
    assert.equal(htcondorMemoryMiB(128e9), 122070);
    assert.equal(htcondorDiskKiB(4e9), 3906250);
  });
});

describe("detectLsfUnits", () => {
  it("reads the last LSF_UNIT_FOR_LIMITS of $LSF_ENVDIR/lsf.conf, else kb", () => {
    const directory = mkdtempSync(join(tmpdir(), "tessera-lsf-"));
    try {
      writeFileSync(join(directory, "lsf.conf"), "LSF_UNIT_FOR_LIMITS=KB\n# comment\nLSF_UNIT_FOR_LIMITS=MB\nLSF_LOGDIR=/x\n");
      assert.equal(detectLsfUnits({ LSF_ENVDIR: directory }), "mb");
      assert.equal(detectLsfUnits({ LSF_CONFDIR: directory }), "mb");
      assert.equal(detectLsfUnits({ LSF_ENVDIR: join(directory, "missing") }), "kb");
      writeFileSync(join(directory, "lsf.conf"), "LSF_LOGDIR=/x\n");
      assert.equal(detectLsfUnits({ LSF_ENVDIR: directory }), "kb");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("walltime formats", () => {
  const table: Array<[string, (seconds: number) => string, number, string]> = [
    ["SLURM", slurmWalltime, 7200, "02:00:00"], ["SLURM", slurmWalltime, 90000, "1-01:00:00"], ["SLURM", slurmWalltime, 1800.2, "00:30:01"],
    ["SLURM", slurmWalltime, 86399, "23:59:59"],
    ["PBS/SGE", clockWalltime, 172800, "48:00:00"], ["PBS/SGE", clockWalltime, 1800, "00:30:00"],
    ["LSF", lsfWalltime, 1800, "00:30"], ["LSF", lsfWalltime, 5430, "01:31"], ["LSF", lsfWalltime, 360000, "100:00"],
  ];
  for (const [system, format, seconds, text] of table) {
    it(`${system}: ${seconds} s is ${text}`, () => assert.equal(format(seconds), text));
  }
});
