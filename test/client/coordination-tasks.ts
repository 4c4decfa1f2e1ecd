/**
 * Tasks that use the coordination primitives from inside a process worker, as a user's task
 * would: each connects its own client to the scheduler (the credential comes from the
 * worker's environment), uses the primitive, and closes the client. They travel by module
 * reference (the worker imports this file), so they may import tessera.
 */
import { Client, Event, Pub, Queue, Semaphore, Variable, exportedFunctions } from "../../src/index.js";

async function withClient<T>(address: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await Client.connect(address, { setAsDefault: false });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/**
 * Takes the semaphore, says so (its pid in the Variable `announce`), and holds it until the
 * event `letGo` is set (or its process dies); then gives it back. Returns its pid.
 */
export async function holdSemaphoreUntil(address: string, name: string, announce: string, letGo: string): Promise<number> {
  return withClient(address, async (client) => {
    const semaphore = new Semaphore({ name, maxLeases: 1, client });
    await semaphore.acquire();
    await new Variable<number>(announce, { client }).set(process.pid);
    await new Event(letGo, { client }).wait();
    await semaphore.release();
    return process.pid;
  });
}

/** Waits for the semaphore (as long as it takes), then gives it back; returns its pid. */
export async function takeSemaphoreOnce(address: string, name: string): Promise<number> {
  return withClient(address, async (client) => {
    const semaphore = new Semaphore({ name, maxLeases: 1, client });
    await semaphore.acquire();
    await semaphore.release();
    return process.pid;
  });
}

/** Counts how many holders run at once under a semaphore of `maxLeases` (writes the count to a queue). */
export async function throttledStep(address: string, name: string, maxLeases: number, index: number): Promise<number> {
  return withClient(address, async (client) => {
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
export async function produce(address: string, queue: string, count: number): Promise<number> {
  return withClient(address, async (client) => {
    const q = new Queue<number>(queue, { client });
    for (let i = 0; i < count; i++) await q.put(i * i);
    return count;
  });
}

/** Says it started (on the queue `started`), waits for an event, then reads a variable and returns it doubled. */
export async function waitThenRead(address: string, started: string, event: string, variable: string): Promise<number> {
  return withClient(address, async (client) => {
    await new Queue<number>(started, { client }).put(process.pid);
    await new Event(event, { client }).wait();
    return 2 * (await new Variable<number>(variable, { client }).get());
  });
}

/** Publishes `count` messages on a topic. */
export async function publish(address: string, topic: string, count: number): Promise<number> {
  return withClient(address, async (client) => {
    const pub = new Pub<{ i: number; pid: number }>(topic, { client });
    for (let i = 0; i < count; i++) pub.put({ i, pid: process.pid });
    // Publishing does not wait; a round trip after it makes sure the scheduler has them all.
    await new Variable(`${topic}-sent`, { client }).set(count);
    return count;
  });
}

/** Waits for an event; returns `value` (holds a dependent back until the test lets it go). */
export async function waitForEvent(address: string, event: string, value: number): Promise<number> {
  return withClient(address, async (client) => {
    await new Event(event, { client }).wait();
    return value;
  });
}

/** Puts `value` on a queue (the side effect a fire-and-forget task leaves behind). */
export async function putOnQueue(address: string, queue: string, value: number): Promise<number> {
  return withClient(address, async (client) => {
    await new Queue<number>(queue, { client }).put(value);
    return value;
  });
}

/** Fails until the variable `allowed` is set; then returns `value`. */
export async function failUntilAllowed(address: string, allowed: string, value: number): Promise<number> {
  return withClient(address, async (client) => {
    await new Variable(allowed, { client }).get({ timeout: 0 }).catch(() => {
      throw new Error(`not allowed yet: ${allowed} is not set`);
    });
    return value;
  });
}

/** Says it started (its input is here), waits for an event, then returns the sum of its input. */
export async function sumAfterEvent(address: string, started: string, event: string, block: Float64Array): Promise<number> {
  return withClient(address, async (client) => {
    await new Queue<number>(started, { client }).put(process.pid);
    await new Event(event, { client }).wait();
    return block.reduce((sum, value) => sum + value, 0);
  });
}

exportedFunctions(import.meta.url, { holdSemaphoreUntil, takeSemaphoreOnce, throttledStep, produce, waitThenRead, publish, waitForEvent, putOnQueue, failUntilAllowed, sumAfterEvent });
