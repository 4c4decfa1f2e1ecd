/**
 * Tasks that use the coordination primitives from inside a process worker, as a user's task
 * would (Dask's get_client): each takes its worker thread's client with `getClient()` (connected
 * as the worker is, shared by the tasks of that thread, so never closed here) and uses the
 * primitive through it. They travel by module reference (the worker imports this file), so
 * they may import tessera.
 */
import { Client, Event, Lock, Pub, Queue, Semaphore, Sub, Variable, exportedFunctions, getClient } from "../../src/index.js";

async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  return fn(await getClient());
}

/**
 * Takes the semaphore, says so (its pid in the Variable `announce`), and holds it until the
 * event `letGo` is set (or its process dies); then gives it back. Returns its pid.
 */
export async function holdSemaphoreUntil(name: string, announce: string, letGo: string): Promise<number> {
  return withClient(async (client) => {
    const semaphore = new Semaphore({ name, maxLeases: 1, client });
    await semaphore.acquire();
    await new Variable<number>(announce, { client }).set(process.pid);
    await new Event(letGo, { client }).wait();
    await semaphore.release();
    return process.pid;
  });
}

/** Waits for the semaphore (as long as it takes), then gives it back; returns its pid. */
export async function takeSemaphoreOnce(name: string): Promise<number> {
  return withClient(async (client) => {
    const semaphore = new Semaphore({ name, maxLeases: 1, client });
    await semaphore.acquire();
    await semaphore.release();
    return process.pid;
  });
}

/** Counts how many holders run at once under a semaphore of `maxLeases` (writes the count to a queue). */
export async function throttledStep(name: string, maxLeases: number, index: number): Promise<number> {
  return withClient(async (client) => {
    const semaphore = new Semaphore({ name, maxLeases, client });
    const inside = new Queue<number>(`${name}-inside`, { client });
    return semaphore.use(async () => {
      await inside.put(index);
      // Hold the lease until the test lets this holder go (it counts holders inside first).
      await new Event(`${name}-go-${index}`, { client }).wait();
      return index;
    });
  });
}

/** Puts `count` numbers into a queue. */
export async function produce(queue: string, count: number): Promise<number> {
  return withClient(async (client) => {
    const q = new Queue<number>(queue, { client });
    for (let i = 0; i < count; i++) await q.put(i * i);
    return count;
  });
}

/** Says it started (on the queue `started`), waits for an event, then reads a variable and returns it doubled. */
export async function waitThenRead(started: string, event: string, variable: string): Promise<number> {
  return withClient(async (client) => {
    await new Queue<number>(started, { client }).put(process.pid);
    await new Event(event, { client }).wait();
    return 2 * (await new Variable<number>(variable, { client }).get());
  });
}

/**
 * Publishes `count` messages on a topic through a Pub made without { client }: it uses the
 * task's client, connecting it if needed, and sends what was put meanwhile in order.
 */
export function publish(topic: string, count: number): number {
  const pub = new Pub<{ i: number; pid: number }>(topic);
  for (let i = 0; i < count; i++) pub.put({ i, pid: process.pid });
  return count;
}

/** Subscribes to a topic (a Sub without { client }), says so on a queue, and returns the first message. */
export async function subscribeAndTake(topic: string, ready: string): Promise<string> {
  const sub = new Sub<string>(topic);
  await sub.subscribed;
  await new Queue<boolean>(ready).put(true);
  try {
    return await sub.get({ timeout: 60 });
  } finally {
    await sub.close();
  }
}

/** Waits for an event; returns `value` (holds a dependent back until the test lets it go). */
export async function waitForEvent(event: string, value: number): Promise<number> {
  return withClient(async (client) => {
    await new Event(event, { client }).wait();
    return value;
  });
}

/** Puts `value` on a queue (the side effect a fire-and-forget task leaves behind). */
export async function putOnQueue(queue: string, value: number): Promise<number> {
  return withClient(async (client) => {
    await new Queue<number>(queue, { client }).put(value);
    return value;
  });
}

/** Fails until the variable `allowed` is set; then returns `value`. */
export async function failUntilAllowed(allowed: string, value: number): Promise<number> {
  return withClient(async (client) => {
    await new Variable(allowed, { client }).get({ timeout: 0 }).catch(() => {
      throw new Error(`not allowed yet: ${allowed} is not set`);
    });
    return value;
  });
}

/** Says it started (its input is here), waits for an event, then returns the sum of its input. */
export async function sumAfterEvent(started: string, event: string, block: Float64Array): Promise<number> {
  return withClient(async (client) => {
    await new Queue<number>(started, { client }).put(process.pid);
    await new Event(event, { client }).wait();
    return block.reduce((sum, value) => sum + value, 0);
  });
}

/**
 * Adds one to the Variable `counter` under the Lock `name` (read, then write: without the lock
 * concurrent tasks would lose updates), then says so on the queue `name`-done and sets the
 * Event `name`-last once `expected` updates are in. Returns the value it wrote. Written as in
 * Dask, with no client passed: inside a task the primitives use the task's getClient().
 */
export async function incrementUnderLock(name: string, counter: string, expected: number): Promise<number> {
  const value = await new Lock(name).use(async () => {
    const variable = new Variable<number>(counter);
    const next = (await variable.get({ timeout: 0 }).catch(() => 0)) + 1;
    await variable.set(next);
    return next;
  });
  await new Queue<number>(`${name}-done`).put(value);
  if (value === expected) await new Event(`${name}-last`).set();
  return value;
}

exportedFunctions(import.meta.url, { incrementUnderLock, holdSemaphoreUntil, takeSemaphoreOnce, throttledStep, produce, waitThenRead, publish, subscribeAndTake, waitForEvent, putOnQueue, failUntilAllowed, sumAfterEvent });
