// Shared by the tests that use the real Grid Engine of scripts/local-sge (sge_qmaster and
// sge_execd on this machine, queue all.q): bring it up (or reuse it), and ask qstat what is left.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const startScript = fileURLToPath(new URL("../../../scripts/local-sge/start.sh", import.meta.url));

/** Why Grid Engine tests cannot run here, or false. */
export const sgeSkipReason: string | false = process.getuid?.() === 0
  ? false
  : "needs root: scripts/local-sge/start.sh installs gridengine-* and starts sge_qmaster/sge_execd as root";

export function ensureLocalSge(): void {
  execFileSync("bash", [startScript], { stdio: ["ignore", "ignore", "inherit"], timeout: 600_000 });
}

/** "id state" of the jobs named `jobName` that qstat lists (all users' jobs, pending and running). */
export function qstatJobs(jobName: string): string[] {
  const out = execFileSync("qstat", ["-u", "*"], { encoding: "utf8" });
  // qstat cuts names to 10 characters: compare with the cut name.
  const shown = jobName.slice(0, 10);
  return out.split("\n").slice(2).map((line) => line.trim().split(/\s+/)).filter((fields) => fields[2] === shown).map((fields) => `${fields[0]} ${fields[4]}`);
}
