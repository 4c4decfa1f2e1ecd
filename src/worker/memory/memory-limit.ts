/**
 * Worker memory limits as Dask reads them: a byte size ("4GiB", 4e9), a fraction of the
 * machine (0.5), "auto" (the machine's memory × min(1, threads / CPUs)), or 0/null/"none"
 * for no limit. A limit above what the process may use is clamped with a warning.
 *
 * "What the process may use" is the smallest of: the machine's memory, the memory cgroup
 * of this process and every cgroup above it (v1 `memory.limit_in_bytes` or v2 `memory.max`,
 * found through /proc/self/cgroup and /proc/self/mountinfo, so nested and containerised
 * cgroups count), the RSS rlimit, and the batch job's allocation from the environment
 * (SLURM_MEM_PER_NODE, or SLURM_MEM_PER_CPU × CPUs) for clusters that do not enforce it
 * with a cgroup. On HPC nodes this is how "auto" matches the job's allocation.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { posix } from "node:path";
import { InvalidOptionError } from "../../core/errors.js";
import { formatBytes, parseBytes } from "../../core/units.js";

/** Reads a text file, or undefined when it cannot be read (absent, no permission). */
export type TextReader = (path: string) => string | undefined;

const readText: TextReader = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
};

/** cgroup v1 reports "no limit" as a number close to 2^63. */
const unlimitedThreshold = 2 ** 60;

function limitValue(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "max") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) && value > 0 && value < unlimitedThreshold ? value : undefined;
}

interface CgroupMount {
  root: string;
  mountPoint: string;
}

/** The cgroup mounts of this process: the v2 hierarchy and the v1 memory controller. */
function cgroupMounts(mountinfo: string): { v2?: CgroupMount; v1Memory?: CgroupMount } {
  const found: { v2?: CgroupMount; v1Memory?: CgroupMount } = {};
  for (const line of mountinfo.split("\n")) {
    const [before, after] = line.split(" - ");
    if (!before || !after) continue;
    const fields = before.split(" ");
    const [fsType, , superOptions = ""] = after.split(" ");
    const mount = { root: fields[3] ?? "/", mountPoint: fields[4] ?? "" };
    if (fsType === "cgroup2") found.v2 ??= mount;
    if (fsType === "cgroup" && superOptions.split(",").includes("memory")) found.v1Memory ??= mount;
  }
  return found;
}

/** The limit files from the process's own cgroup up to the mount's root, innermost first. */
function cgroupLimitFiles(mount: CgroupMount, cgroupPath: string, fileName: string): string[] {
  let relative = cgroupPath;
  if (mount.root !== "/" && (relative === mount.root || relative.startsWith(`${mount.root}/`))) relative = relative.slice(mount.root.length);
  const files: string[] = [];
  for (let dir = posix.normalize(`/${relative}`); ; dir = posix.dirname(dir)) {
    files.push(posix.join(mount.mountPoint, dir, fileName));
    if (dir === "/") break;
  }
  return files;
}

/** The tightest memory cgroup limit on this process, if any (v1 or v2). */
export function cgroupMemoryLimit(read: TextReader = readText): number | undefined {
  const membership = read("/proc/self/cgroup") ?? "";
  const mounts = cgroupMounts(read("/proc/self/mountinfo") ?? "");
  const files: string[] = [];
  for (const line of membership.split("\n")) {
    const [id, controllers, path] = [line.slice(0, line.indexOf(":")), ...line.slice(line.indexOf(":") + 1).split(/:(.*)/s)];
    if (path === undefined) continue;
    if (id === "0" && controllers === "" && mounts.v2) files.push(...cgroupLimitFiles(mounts.v2, path, "memory.max"));
    if (controllers.split(",").includes("memory") && mounts.v1Memory) files.push(...cgroupLimitFiles(mounts.v1Memory, path, "memory.limit_in_bytes"));
  }
  // Without mount information (unusual /proc), the conventional locations.
  if (files.length === 0) files.push("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes");
  const limits = files.map((file) => limitValue(read(file))).filter((v): v is number => v !== undefined);
  return limits.length > 0 ? Math.min(...limits) : undefined;
}

/** RLIMIT_RSS from /proc/self/limits ("Max resident set"), if set. */
export function rssRlimit(read: TextReader = readText): number | undefined {
  const line = (read("/proc/self/limits") ?? "").split("\n").find((l) => l.startsWith("Max resident set"));
  const soft = line?.slice("Max resident set".length).trim().split(/\s+/)[0];
  return soft === undefined || soft === "unlimited" ? undefined : limitValue(soft);
}

/** The batch job's memory allocation on this node, from SLURM's environment. */
export function jobMemoryAllocation(env: Record<string, string | undefined> = process.env): number | undefined {
  const megabytes = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) * 2 ** 20 : undefined);
  const perNode = megabytes(env.SLURM_MEM_PER_NODE);
  if (perNode) return perNode;
  const perCpu = megabytes(env.SLURM_MEM_PER_CPU);
  const cpus = Number(env.SLURM_CPUS_ON_NODE ?? env.SLURM_CPUS_PER_TASK ?? "");
  return perCpu && Number.isInteger(cpus) && cpus > 0 ? perCpu * cpus : undefined;
}

/** The memory this process may use: the machine's, or less when a cgroup, rlimit or job says so. */
export function systemMemoryLimit(read: TextReader = readText, env: Record<string, string | undefined> = process.env): number {
  const candidates = [totalmem(), cgroupMemoryLimit(read), rssRlimit(read), jobMemoryAllocation(env)];
  return Math.min(...candidates.filter((v): v is number => v !== undefined));
}

export type MemoryLimitInput = string | number | null | undefined | false;

/**
 * Bytes for a `memoryLimit` option; 0 means no limit. `system` is what the process may use
 * (systemMemoryLimit() unless a test states it).
 */
export function parseMemoryLimit(
  value: MemoryLimitInput,
  nthreads: number,
  onWarning: (message: string) => void = () => {},
  system: number = systemMemoryLimit(),
): number {
  if (value === null || value === undefined || value === false || value === 0) return 0;
  const text = typeof value === "string" ? value.trim().toLowerCase() : undefined;
  if (text === "0" || text === "none" || text === "null") return 0;
  let bytes: number;
  if (text === "auto") {
    bytes = Math.floor(system * Math.min(1, nthreads / availableParallelism()));
  } else if (typeof value === "number" && value > 0 && value <= 1) {
    bytes = Math.floor(system * value);
  } else if (text !== undefined && /^0?\.\d+$|^1(\.0*)?$/.test(text)) {
    bytes = Math.floor(system * Number(text));
  } else if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new InvalidOptionError(`memoryLimit: ${value} is not a usable memory limit; give bytes, a fraction of the machine (0.5), "auto" or 0 for none`);
    bytes = Math.floor(value);
  } else {
    try {
      bytes = parseBytes(value, "memoryLimit");
    } catch (error) {
      throw new InvalidOptionError(
        `memoryLimit: cannot read "${value}"; write a size such as "4GiB" or "512MB", a fraction of the machine such as 0.5, "auto", or 0 for no limit`,
        { cause: error },
      );
    }
  }
  if (bytes > system) {
    onWarning(`memoryLimit ${formatBytes(bytes)} is more than this process may use (${formatBytes(system)}); using ${formatBytes(system)}`);
    bytes = system;
  }
  return bytes;
}
