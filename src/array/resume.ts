/**
 * Resumable `toZarr`: every storage chunk's task writes the chunk atomically and then a
 * completion marker tied to a token of the computation (zarr/chunk-markers.ts). After a
 * crash or a walltime kill, `toZarr(path, { resume: true })` with the same computation
 * finds the markers and writes only the chunks that have none; the result is the same as
 * an uninterrupted run, chunk for chunk, because chunks are written whole and atomically.
 *
 * The token covers what decides the bytes of the output: the array's deterministic name
 * (its whole expression, inputs included), shape, dtype, storage chunks and encoding. A
 * different computation at the same path is refused, unless `overwrite: true` also says
 * that replacing it is fine.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import type { ArrayNode } from "./expr.js";
import { openArray, ZarrNotFoundError, type ZarrArrayInfo, type ZarrRef } from "../zarr/index.js";
import { completedChunks, readResumeToken, writeResumeToken, type ResumeToken } from "../zarr/chunk-markers.js";

/** What identifies the computation writing an array (see the module comment). */
export function resumeTokenFor(array: ArrayNode, storageShape: readonly number[], encoding: unknown): ResumeToken {
  return {
    token: tokenize("toZarr", array.name, array.shape, array.dtype, storageShape, encoding),
    shape: [...array.shape], chunks: [...storageShape], dtype: array.dtype,
  };
}

async function existingArray(ref: ZarrRef): Promise<ZarrArrayInfo | undefined> {
  try {
    return await openArray(ref);
  } catch (error) {
    if (error instanceof ZarrNotFoundError) return undefined;
    throw error;
  }
}

function where(ref: ZarrRef): string {
  return ref.component ? `component "${ref.component}" of ${ref.path}` : ref.path;
}

/**
 * Says which chunks of the target are already complete, and how to make it ready: with
 * `resume` and the same computation there, its marked chunks and nothing to do; otherwise
 * none, and `commit` makes a fresh array: `create()` checks that it can (before the tasks are
 * submitted) and returns the writing, after which the token is recorded. The caller commits
 * only once the plan is accepted, so a refused plan leaves nothing at the path.
 */
export async function planResumableTarget(
  ref: ZarrRef,
  expected: ResumeToken,
  options: { resume?: boolean; overwrite?: boolean },
  create: () => Promise<() => Promise<void>>,
): Promise<{ complete: Set<string>; creates: boolean; commit: () => Promise<(() => Promise<void>) | undefined> }> {
  if (options.resume) {
    const existing = await existingArray(ref);
    if (existing) {
      const recorded = await readResumeToken(ref);
      if (recorded?.token === expected.token) {
        const same = existing.dtype === expected.dtype && existing.shape.join() === expected.shape.join() && existing.chunks.join() === expected.chunks.join();
        if (!same) {
          throw new InvalidOptionError(`cannot resume writing ${where(ref)}: its metadata was changed after the interrupted run (shape, chunks or dtype differ); write it again with overwrite: true`);
        }
        return { complete: await completedChunks(ref, expected.token), creates: false, commit: async () => undefined };
      }
      if (!options.overwrite) {
        throw new InvalidOptionError(
          recorded
            ? `cannot resume writing ${where(ref)}: it holds the output of a different computation (token ${recorded.token.slice(0, 12)}…, ` +
                `this one is ${expected.token.slice(0, 12)}…); resuming would mix the two. Write elsewhere, or pass overwrite: true to start again`
            : `cannot resume writing ${where(ref)}: it was not written by a resumable toZarr (it has no completion markers); ` +
                "pass overwrite: true to write it again from the start",
        );
      }
    }
  }
  return {
    complete: new Set(),
    creates: true,
    commit: async () => {
      const write = await create();
      return async () => {
        await write();
        await writeResumeToken(ref, expected);
      };
    },
  };
}

/**
 * How far the computation recorded at `path` got: its token, and how many of the array's
 * chunks are marked complete. For a job script that checks before resubmitting itself.
 */
export async function toZarrProgress(path: string, options: { component?: string } = {}): Promise<{ token: string | null; complete: number; total: number }> {
  const ref: ZarrRef = { path, ...(options.component ? { component: options.component } : {}) };
  const info = await openArray(ref);
  const total = info.shape.reduce((count, n, axis) => count * Math.ceil(n / info.chunks[axis]), 1);
  const recorded = await readResumeToken(ref);
  if (!recorded) return { token: null, complete: 0, total };
  return { token: recorded.token, complete: (await completedChunks(ref, recorded.token)).size, total };
}
