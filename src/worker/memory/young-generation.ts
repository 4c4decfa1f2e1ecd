/**
 * V8's young generation, sized to the worker's memory limit.
 *
 * Every isolate of a worker (its main thread and each compute thread) keeps a young generation
 * of up to three semi-spaces, which V8 grows to 16 MiB each under a steady allocation rate and
 * does not give back. The worker's main thread allocates for every message it handles, so
 * both kinds of isolate grow theirs: none of it is data, all of it is resident memory the
 * memory monitor counts against the limit. On a small worker that is a large part of the
 * limit. Measured on a 256 MiB worker (1 thread, test/worker/memory/dog-limits): idle after
 * start-up 137 → 119 MiB resident with 1 MiB semi-spaces; the DoG of a 288 MiB volume peaked
 * at 246–260 MiB (over the nanny's 95 %, restarts) with V8's default and at 219–226 MiB with
 * 1–2 MiB semi-spaces, in 22–24 s instead of 36–38 s (fewer pauses). The filters' data lives
 * outside V8's heap (typed arrays), so the tasks' speed does not change: the 64×256×256 DoG
 * (bench/dog) ran in the same time with 2 MiB as with 16 MiB, its peak RSS per worker
 * 158 → 142 MiB.
 *
 * The semi-space is one 128th of the limit, from 1 MiB up to 4 MiB, which a worker without a limit
 * gets too. Larger workers kept V8's default (16 MiB) until the eleventh stop of 2026-12-05, when
 * 4 MiB measured the same wall and CPU time and 15–22 MiB less peak RSS per worker on the DoG
 * (bench/dog, alternated in the same minutes: 64×256×256 170/176 → 155/154 MiB, 128×512×512
 * 304/302 → 282/280 MiB). A flag the user gives (`--max-semi-space-size` in Node's arguments or
 * NODE_OPTIONS) wins: then nothing is set here.
 */
const MiB = 2 ** 20;

/** The largest semi-space a worker gets (V8's own default on 64-bit Node 20 is 16 MiB). */
export const maxWorkerSemiSpaceMiB = 4;
/** Of the worker's memory limit, the part one semi-space may take. */
const semiSpaceShare = 1 / 128;

/** The semi-space (MiB) for a worker of `memoryLimit` bytes (0 or Infinity: no limit). */
export function semiSpaceMiBFor(memoryLimit: number): number {
  if (!(memoryLimit > 0) || !Number.isFinite(memoryLimit)) return maxWorkerSemiSpaceMiB;
  const size = Math.floor((memoryLimit * semiSpaceShare) / MiB);
  return Math.min(maxWorkerSemiSpaceMiB, Math.max(1, size));
}

const userFlag = /(^|\s)--max[-_]semi[-_]space[-_]size(=|\s|$)/;

/** Whether the user sized the semi-space themselves, in Node's arguments or NODE_OPTIONS. */
export function userSetsSemiSpace(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): boolean {
  return execArgv.some((arg) => userFlag.test(arg)) || userFlag.test(nodeOptions);
}

/** Node arguments that start a worker process of `memoryLimit` bytes with its young generation sized. */
export function youngGenerationFlags(memoryLimit: number, execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): string[] {
  const size = semiSpaceMiBFor(memoryLimit);
  return userSetsSemiSpace(execArgv, nodeOptions) ? [] : [`--max-semi-space-size=${size}`];
}

/**
 * The same size for a compute thread (worker_threads `resourceLimits`). Threads follow the
 * process's flag, which a nanny-supervised worker starts with (worker-process.ts); a worker
 * started without its nanny (`tessera worker --no-nanny`) has no flag, and its threads get
 * theirs from here. A young generation is three semi-spaces (two, and the new large-object space).
 */
export function threadYoungGenerationLimit(memoryLimit: number, execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): { maxYoungGenerationSizeMb: number } | undefined {
  const size = semiSpaceMiBFor(memoryLimit);
  return userSetsSemiSpace(execArgv, nodeOptions) ? undefined : { maxYoungGenerationSizeMb: 3 * size };
}
