// Shared by the tests that use the real SLURM of scripts/local-slurm (a controller and three
// nodes on this machine): bring it up (or reuse it), and ask squeue what is queued.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const startScript = fileURLToPath(new URL("../../../scripts/local-slurm/start.sh", import.meta.url));

/** Why SLURM tests cannot run here, or false. */
export const slurmSkipReason: string | false = process.getuid?.() === 0
  ? false
  : "needs root: scripts/local-slurm/start.sh installs slurm-wlm and starts slurmctld/slurmd as root";

export function ensureLocalSlurm(): void {
  execFileSync("bash", [startScript], { stdio: ["ignore", "ignore", "inherit"], timeout: 600_000 });
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
