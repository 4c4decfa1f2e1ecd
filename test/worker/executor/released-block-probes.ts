/**
 * Step functions for the fused-task test of test/worker/executor/thread-memory.test.ts: a step
 * that makes a large block, one that reads it for the last time (and says how much array
 * memory the thread holds then), and one that says how much it holds after (nothing else of
 * the task allocates; no step collects garbage itself, and an idle thread collects none).
 */
export function makeBlock(bytes: number): Float64Array {
  return new Float64Array(bytes / 8).fill(1);
}

export function lastRead(block: Float64Array): { first: number; arrayBuffers: number } {
  return { first: block[0], arrayBuffers: process.memoryUsage().arrayBuffers };
}

/**
 * V8 frees the memory of collected array buffers on a helper thread, just after the
 * collection: this waits for the drop (polling, up to `deadlineMs`) rather than reading once.
 */
export async function arrayBuffersAfter(previous: { arrayBuffers: number }, drop: number, deadlineMs: number): Promise<{ before: number; after: number }> {
  const until = performance.now() + deadlineMs;
  let after = process.memoryUsage().arrayBuffers;
  while (previous.arrayBuffers - after < drop && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    after = process.memoryUsage().arrayBuffers;
  }
  return { before: previous.arrayBuffers, after };
}
