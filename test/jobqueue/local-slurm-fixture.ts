// Shared by the tests that use the real SLURM of scripts/local-slurm (a controller and three
// nodes on this machine): bring it up (or reuse it), clear what killed runs left in its queue,
// and ask squeue what is queued.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cancelOrphanedJobs } from "../../src/jobqueue/index.js";

const startScript = fileURLToPath(new URL("../../../scripts/local-slurm/start.sh", import.meta.url));

/** Why SLURM tests cannot run here, or false. */
export const slurmSkipReason: string | false = process.getuid?.() === 0
  ? false
  : "needs root: scripts/local-slurm/start.sh installs slurm-wlm and starts slurmctld/slurmd as root";

/**
 * Every SLURM test's directory (job logs, cluster state files) is made under this one, so a
 * later run can find the clusters of a run that was killed before it closed them.
 */
const slurmTestRoot = join(tmpdir(), "tessera-slurm-tests");

/** A fresh directory for one test file's clusters (remove it in `after`). */
export function makeSlurmTestDirectory(label: string): string {
  mkdirSync(slurmTestRoot, { recursive: true });
  return mkdtempSync(join(slurmTestRoot, `${label}-`));
}

/**
 * Starts the local SLURM (or reuses it), then cancels the jobs of test clusters whose process
 * is gone: a run killed before its close() leaves its jobs queued, and they would hold the
 * nodes this run's workers need. Clusters of live processes (another run going on) are left
 * alone; the product's own orphan clean-up (cancelOrphanedJobs) does the work, from the state
 * files the killed run left under its test directory.
 */
export async function ensureLocalSlurm(): Promise<void> {
  execFileSync("bash", [startScript], { stdio: ["ignore", "ignore", "inherit"], timeout: 600_000 });
  if (!existsSync(slurmTestRoot)) return;
  for (const entry of readdirSync(slurmTestRoot)) {
    const stateDirectory = join(slurmTestRoot, entry, "state");
    if (!existsSync(stateDirectory)) continue;
    for (const orphan of await cancelOrphanedJobs({ directory: stateDirectory })) {
      console.log(`# SLURM jobs ${orphan.jobIds.join(", ")} of a killed test run (${orphan.cluster}) cancelled where still queued${orphan.error ? `; could not: ${orphan.error}` : ""}`);
    }
  }
}

/** A job name no other test uses, so squeue can be asked about this test's jobs only. */
export function uniqueJobName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/** "id STATE" of the jobs named `jobName` that squeue lists (pending, running, completing). */
export function squeueJobs(jobName: string): string[] {
  const out = execFileSync("squeue", ["--noheader", `--name=${jobName}`, "--format=%i %T"], { encoding: "utf8" });
  return out.split("\n").map((line) => line.trim()).filter(Boolean);
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, seconds: number, what: string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One-core, 1 GiB, one-worker jobs with logs and state under `directory`, polled every second, no dashboard. */
export function smallJobOptions(directory: string) {
  return {
    cores: 1, memory: "1GiB", processes: 1,
    logDirectory: join(directory, "logs"), stateDirectory: join(directory, "state"), pollInterval: "1s",
    schedulerOptions: { dashboardAddress: false as const },
  };
}
