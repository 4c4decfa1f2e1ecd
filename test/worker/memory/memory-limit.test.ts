import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { availableParallelism, totalmem } from "node:os";
import {
  cgroupMemoryLimit, jobMemoryAllocation, parseMemoryLimit, rssRlimit, systemMemoryLimit, type TextReader,
} from "../../../src/worker/memory/memory-limit.js";
import { filesystemTypeOf, isNetworkFilesystem } from "../../../src/worker/memory/local-directory.js";

const GiB = 2 ** 30;

/** A /proc and /sys made of strings. */
function files(table: Record<string, string>): TextReader {
  return (path) => table[path];
}

describe("memory limits", () => {
  const system = 64 * GiB;

  it("reads sizes, fractions, auto and none as Dask does", () => {
    const cpus = availableParallelism();
    const cases: Array<[Parameters<typeof parseMemoryLimit>[0], number]> = [
      ["4GiB", 4 * GiB], ["4 GB", 4e9], [4e9, 4e9], ["512MiB", 512 * 2 ** 20],
      [0.5, 32 * GiB], ["0.25", 16 * GiB], ["1", system],
      ["auto", Math.floor(system * Math.min(1, 2 / cpus))],
      [0, 0], ["0", 0], [null, 0], [undefined, 0], [false, 0], ["none", 0],
    ];
    for (const [input, expected] of cases) assert.equal(parseMemoryLimit(input, 2, () => {}, system), expected, String(input));
  });

  it("clamps a limit above what the process may use, with a warning", () => {
    const warnings: string[] = [];
    assert.equal(parseMemoryLimit("1TiB", 1, (m) => warnings.push(m), system), system);
    assert.match(warnings[0], /1.00 TiB is more than this process may use \(64\.00 GiB\)/);
  });

  it("refuses what does not parse, saying what to write", () => {
    for (const bad of ["lots", "4 apples", "-1GB", "", "1.5.2GB"]) {
      assert.throws(() => parseMemoryLimit(bad, 1, () => {}, system), (error: Error) => {
        assert.equal(error.name, "InvalidOptionError");
        assert.match(error.message, /memoryLimit: cannot read .*write a size such as "4GiB"/);
        return true;
      }, bad);
    }
    assert.throws(() => parseMemoryLimit(-5, 1, () => {}, system), /-5 is not a usable memory limit/);
    assert.throws(() => parseMemoryLimit(Number.NaN, 1, () => {}, system), /NaN is not a usable memory limit/);
  });

  it("finds a cgroup v1 limit set on a parent of the process's own cgroup", () => {
    const reader = files({
      "/proc/self/cgroup": "12:pids:/job\n4:memory:/slurm/uid_1000/job_42/step_0\n1:name=systemd:/\n",
      "/proc/self/mountinfo": "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n",
      "/sys/fs/cgroup/memory/slurm/uid_1000/job_42/step_0/memory.limit_in_bytes": "9223372036854771712\n",
      "/sys/fs/cgroup/memory/slurm/uid_1000/job_42/memory.limit_in_bytes": "8589934592\n",
      "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
    });
    assert.equal(cgroupMemoryLimit(reader), 8 * GiB);
  });

  it("finds a cgroup v2 limit, inside a container whose cgroup root is mounted at /sys/fs/cgroup", () => {
    const reader = files({
      "/proc/self/cgroup": "0::/kubepods/pod1/abc\n",
      "/proc/self/mountinfo": "30 25 0:26 /kubepods/pod1/abc /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n",
      "/sys/fs/cgroup/memory.max": "4294967296\n",
    });
    assert.equal(cgroupMemoryLimit(reader), 4 * GiB);
    const unlimited = files({
      "/proc/self/cgroup": "0::/user.slice\n",
      "/proc/self/mountinfo": "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
      "/sys/fs/cgroup/user.slice/memory.max": "max\n",
    });
    assert.equal(cgroupMemoryLimit(unlimited), undefined);
  });

  it("honours the RSS rlimit and the SLURM allocation", () => {
    const limits = "Limit                     Soft Limit           Hard Limit           Units\nMax resident set          2147483648           unlimited            bytes\n";
    assert.equal(rssRlimit(files({ "/proc/self/limits": limits })), 2 * GiB);
    assert.equal(rssRlimit(files({ "/proc/self/limits": "Max resident set          unlimited            unlimited            bytes\n" })), undefined);
    assert.equal(jobMemoryAllocation({ SLURM_MEM_PER_NODE: "16000" }), 16000 * 2 ** 20);
    assert.equal(jobMemoryAllocation({ SLURM_MEM_PER_CPU: "2000", SLURM_CPUS_ON_NODE: "4" }), 8000 * 2 ** 20);
    assert.equal(jobMemoryAllocation({}), undefined);
    const reader = files({ "/proc/self/cgroup": "", "/proc/self/mountinfo": "" });
    assert.equal(systemMemoryLimit(reader, { SLURM_MEM_PER_NODE: "1024" }), Math.min(totalmem(), GiB));
  });

  it("measures this machine the same way (the real /proc)", () => {
    const limit = systemMemoryLimit();
    assert.ok(limit > 0 && limit <= totalmem());
  });
});

describe("the spill directory's filesystem", () => {
  const mounts = [
    "/dev/vda / ext4 rw,relatime 0 0",
    "tmpfs /tmp tmpfs rw 0 0",
    "nas:/home /home nfs4 rw,vers=4.2 0 0",
    "10.0.0.1@o2ib:/scratch /lustre/scratch lustre rw 0 0",
    "/dev/nvme0n1 /local\\040scratch xfs rw 0 0",
  ].join("\n");

  it("takes the longest mount point that holds the path", () => {
    assert.equal(filesystemTypeOf("/home/alice/work", mounts), "nfs4");
    assert.equal(filesystemTypeOf("/lustre/scratch/alice", mounts), "lustre");
    assert.equal(filesystemTypeOf("/tmp/x", mounts), "tmpfs");
    assert.equal(filesystemTypeOf("/local scratch/job", mounts), "xfs");
    assert.equal(filesystemTypeOf("/homework", mounts), "ext4", "a prefix that is not a parent directory");
  });

  it("calls NFS, Lustre, GPFS, BeeGFS and CIFS network filesystems, local ones not", () => {
    for (const type of ["nfs", "nfs4", "lustre", "gpfs", "beegfs", "cifs"]) assert.ok(isNetworkFilesystem(type), type);
    for (const type of ["ext4", "xfs", "tmpfs", "btrfs", undefined]) assert.ok(!isNetworkFilesystem(type), String(type));
  });
});
